import type { LayerOwner } from '../../blocks/layer-owners.js';
import type { Db } from '../../store/db.js';
import type { TaskScope } from '../../tasks/runner.js';
import { buildServer, failBuild } from './server-build.js';
import { deleteServer } from './server-delete.js';
import { failPowerAction, runPowerAction } from './server-actions.js';
import { failSnapshot, runSnapshot } from './server-snapshot.js';
import type { ServerWorkDeps } from './server-work.js';
import { lifecycleHandler } from './lifecycle.js';
import type { LifecycleDeps } from './server-lifecycle.js';

/** Every task on a server queues on the server: one thing at a time happens to it. */
async function serverScope(ex: Db, id: string): Promise<TaskScope> {
  const row = await ex
    .selectFrom('servers')
    .select('project_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return { key: `server:${id}`, projectId: row?.project_id ?? null };
}

const rolesOf = (p: { roles?: unknown }): string[] =>
  Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [];

/** The task handlers behind Nova's asynchronous states, on the compute lane's runner. */
export function registerServerWorkers(d: ServerWorkDeps): void {
  d.tasks.register('server.build', {
    scope: serverScope,
    run: (id, p) => buildServer(d, id, p),
    fail: (id, _p, err) => failBuild(d, id, err),
  });
  d.tasks.register('server.delete', {
    scope: serverScope,
    run: (id, p) => deleteServer(d, id, rolesOf(p)),
    // A delete that failed leaves the server in ERROR; deleting it again retries.
    async fail(id) {
      await d.db
        .updateTable('servers')
        .set({ vm_state: 'error', task_state: null })
        .where('id', '=', id)
        .execute();
    },
  });
  d.tasks.register('server.action', {
    scope: serverScope,
    run: (id, p) => runPowerAction(d, id, String(p.action), rolesOf(p)),
    fail: (id, p) => failPowerAction(d, id, String(p.action)),
  });
  d.tasks.register('server.snapshot', {
    scope: serverScope,
    run: (id, p) => runSnapshot(d, id, String(p.imageId), rolesOf(p)),
    fail: (id, p) => failSnapshot(d, id, String(p.imageId), rolesOf(p)),
  });
}

/** shelve, rebuild, resize, backups...: one kind, dispatched on the payload's action. */
export function registerLifecycleWorker(d: LifecycleDeps): void {
  d.tasks.register('server.lifecycle', lifecycleHandler(d, serverScope));
}

/** The layers Nova's rows hold: root disks, and sealed disks still being uploaded. */
export function serverLayerOwner(db: Db): LayerOwner {
  return {
    async roots() {
      const heads = await db
        .selectFrom('servers')
        .select('root_layer as layer')
        .where('root_layer', 'is not', null)
        .execute();
      const snaps = await db
        .selectFrom('server_snapshots')
        .select('layer')
        .where('layer', 'is not', null)
        .execute();
      return [...heads, ...snaps].map((r) => r.layer!);
    },
    async rootedAmong(ids) {
      if (ids.length === 0) return new Set();
      const heads = await db
        .selectFrom('servers')
        .select('root_layer as layer')
        .where('root_layer', 'in', ids)
        .execute();
      const snaps = await db
        .selectFrom('server_snapshots')
        .select('layer')
        .where('layer', 'in', ids)
        .execute();
      return new Set([...heads, ...snaps].map((r) => r.layer!));
    },
  };
}
