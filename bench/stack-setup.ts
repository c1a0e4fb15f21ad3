// Helpers of the Heat benches: stacks created and deleted through the orchestration API and
// waited for as `openstack stack create --wait` does (polling the stack until it settles).
import { api, type Json } from './server-setup.js';

/** The client polls the stack every POLL_MS: often enough that it adds little to a figure. */
const POLL_MS = 5;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StackRef {
  id: string;
  path: string;
}

/** POST /stacks; returns where the stack lives. */
export async function postStack(
  url: string,
  tok: string,
  project: string,
  name: string,
  template: unknown,
  parameters: Record<string, string> = {},
): Promise<StackRef> {
  const made = await api(url, tok, 'POST', `/orchestration/v1/${project}/stacks`, {
    stack_name: name,
    template,
    parameters,
    timeout_mins: 60,
  });
  const id = (made.stack as Json).id as string;
  return { id, path: `/orchestration/v1/${project}/stacks/${name}/${id}` };
}

/** Polls the stack until its status is `want`; a *_FAILED status throws with the reason. */
export async function stackUntil(url: string, tok: string, ref: StackRef, want: string) {
  for (;;) {
    const res = await fetch(`${url}${ref.path}`, { headers: { 'x-auth-token': tok } });
    const text = await res.text();
    // A deleted stack may be shown (Heat shows it by id) or be gone: both mean deleted.
    if (res.status === 404 && want === 'DELETE_COMPLETE') return;
    if (res.status >= 400) throw new Error(`GET ${ref.path}: ${res.status} ${text}`);
    const stack = (JSON.parse(text) as Json).stack as Json;
    if (stack.stack_status === want) return;
    if (/_FAILED$/.test(stack.stack_status as string))
      throw new Error(`stack ${stack.stack_status}: ${stack.stack_status_reason}`);
    await pause(POLL_MS);
  }
}

/** Creates a stack and waits for CREATE_COMPLETE; returns it and the wall time in ms. */
export async function createStack(
  url: string,
  tok: string,
  project: string,
  name: string,
  template: unknown,
  parameters: Record<string, string> = {},
): Promise<{ ref: StackRef; ms: number }> {
  const t0 = performance.now();
  const ref = await postStack(url, tok, project, name, template, parameters);
  await stackUntil(url, tok, ref, 'CREATE_COMPLETE');
  return { ref, ms: performance.now() - t0 };
}

/** DELETE the stack and wait until it is DELETE_COMPLETE (or gone); the wall time in ms. */
export async function deleteStack(url: string, tok: string, ref: StackRef): Promise<number> {
  const t0 = performance.now();
  await api(url, tok, 'DELETE', ref.path);
  await stackUntil(url, tok, ref, 'DELETE_COMPLETE');
  return performance.now() - t0;
}

/** Polls `get` every POLL_MS until it answers `want` (the direct scripts' wait, as the stack's). */
export async function pollUntil(get: () => Promise<string>, want: string): Promise<void> {
  for (;;) {
    const status = await get();
    if (status === want) return;
    if (/^(error|ERROR)/.test(status)) throw new Error(`went to ${status}`);
    await pause(POLL_MS);
  }
}

/** Polls until GET `p` answers 404. */
export async function goneUntil(url: string, tok: string, p: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}${p}`, { headers: { 'x-auth-token': tok } });
    await res.arrayBuffer();
    if (res.status === 404) return;
    await pause(POLL_MS);
  }
}
