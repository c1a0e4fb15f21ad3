import assert from 'node:assert/strict';
import type { AppFixture } from './app.js';

/** The Heat URL of the demo project (or admin's), as the catalog gives it. */
export function heatUrl(fx: AppFixture, path: string, who: 'demo' | 'admin' = 'demo'): string {
  const project = who === 'demo' ? fx.demoProject : fx.adminProject;
  return `/orchestration/v1/${project}${path}`;
}

/** POST /stacks with a template object; returns the stack id (asserts 201). */
export async function createStack(
  fx: AppFixture,
  name: string,
  template: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await fx.t.inject({
    method: 'POST',
    url: heatUrl(fx, '/stacks'),
    headers: fx.demo,
    payload: { stack_name: name, template, disable_rollback: true, ...extra },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().stack.id as string;
}

/** The stack once its operation has ended. */
export async function settled(fx: AppFixture, name: string, id: string): Promise<any> {
  await fx.t.app.orchestration.engine.idle();
  const res = await fx.t.inject({
    method: 'GET',
    url: heatUrl(fx, `/stacks/${name}/${id}`),
    headers: fx.demo,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().stack;
}

/** The stack's events as (resource, ACTION_STATUS, reason) triples, oldest first. */
export async function eventsOf(fx: AppFixture, id: string): Promise<string[][]> {
  const rows = await fx.t.db
    .selectFrom('stack_events')
    .select(['resource_name', 'action', 'status', 'status_reason'])
    .where('stack_id', '=', id)
    .orderBy('seq')
    .execute();
  return rows.map((r) => [r.resource_name, `${r.action}_${r.status}`, r.status_reason]);
}
