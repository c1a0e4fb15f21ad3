// Helpers of the server benches: unlimited compute and volume quotas for demo, servers created
// through the real API and waited for, and polling that reports elapsed time.
import { api, projectOf, type Json } from './network-setup.js';
import { token } from './common.js';

export { api, projectOf, type Json };

/** 2.37 for `networks: none`, 2.45 for createImage's image_id in the body. */
export const MV = { 'openstack-api-version': 'compute 2.45' };

/** One Nova request at 2.45; a 4xx/5xx throws with the body. */
export async function nova(
  url: string,
  tok: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<Json> {
  const res = await fetch(`${url}/compute/v2.1${p}`, {
    method,
    headers: {
      'x-auth-token': tok,
      ...MV,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as Json;
}

/** Lifts demo's instance/core/ram and volume quotas, so a bench measures work, not refusals. */
export async function unlimited(url: string, project: string): Promise<void> {
  const admin = await token(url, 'admin');
  const adminProject = await projectOf(url, admin);
  await nova(url, admin, 'PUT', `/os-quota-sets/${project}`, {
    quota_set: { instances: -1, cores: -1, ram: -1 },
  });
  await api(url, admin, 'PUT', `/volume/v3/${adminProject}/os-quota-sets/${project}`, {
    quota_set: { gigabytes: -1, volumes: -1, snapshots: -1 },
  });
}

/** Polls `get` every millisecond until it says `want`; throws on an error state. */
export async function until(get: () => Promise<string>, want: string): Promise<void> {
  for (;;) {
    const status = await get();
    if (status === want) return;
    if (/^(error|ERROR|killed)/.test(status)) throw new Error(`went to ${status}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

export const serverStatus = (url: string, tok: string, id: string) => async (): Promise<string> => {
  const s = (await nova(url, tok, 'GET', `/servers/${id}`)).server as Json;
  // ACTIVE with a task under way (a snapshot) is not settled yet.
  return s['OS-EXT-STS:task_state'] === null ? (s.status as string) : `${s.status}+task`;
};

/** POST /servers and the time until it is ACTIVE, in ms. */
export async function boot(
  url: string,
  tok: string,
  server: Json,
): Promise<{ id: string; ms: number }> {
  const t0 = performance.now();
  const made = await nova(url, tok, 'POST', '/servers', {
    server: { flavorRef: '3', networks: 'none', ...server },
  });
  const id = made.server.id as string;
  await until(serverStatus(url, tok, id), 'ACTIVE');
  return { id, ms: performance.now() - t0 };
}

/** Deletes servers and waits until they are gone. */
export async function deleteServers(url: string, tok: string, ids: string[]): Promise<void> {
  for (const id of ids) await nova(url, tok, 'DELETE', `/servers/${id}`);
  for (const id of ids)
    for (;;) {
      const res = await fetch(`${url}/compute/v2.1/servers/${id}`, {
        headers: { 'x-auth-token': tok },
      });
      await res.arrayBuffer();
      if (res.status === 404) break;
      await new Promise((r) => setTimeout(r, 5));
    }
}

export const ratioLine = (label: string, small: number, big: number, goal: number): string =>
  `  ${label.padEnd(34)} ratio ${(big / small).toFixed(2)}x  goal <= ${goal}x  ${big / small <= goal ? 'PASS' : 'MISS'}`;
