import { userContext, type RequestContext } from '../../context.js';
import { BadRequest } from '../../errors.js';
import { PowerState } from '../../compute/index.js';
import { isoNow } from '../../util.js';
import { recordAction, withEvent } from './instance-actions.js';
import { startAction, swapRootDisk, type LifecycleDeps } from './server-lifecycle.js';
import { parseJson, type EmbeddedFlavor } from './server-model.js';
import { checkUpsize, migrationOf } from './server-resize.js';
import { advance, refusal, type ActionRule } from './states.js';
import { guestSpec, loadServer } from './server-work.js';

const CONFIRM: ActionRule = { method: 'confirmResize', vmStates: ['resized'] };
const REVERT: ActionRule = { method: 'revertResize', vmStates: ['resized'] };

/**
 * confirmResize (204): nothing is left to do on one host but to settle the server in the state
 * it had before the resize; the disk it grew from stays under its head.
 */
export async function confirmResize(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
): Promise<void> {
  await d.db.transaction().execute(async (tx) => {
    const row = await d.find(ctx, id, tx);
    const refused = refusal(CONFIRM, row, ctx.isAdmin);
    if (refused) throw refused;
    const m = await migrationOf(tx, row.id);
    if (!m || m.status !== 'finished') throw new BadRequest('Instance has not been resized.');
    await tx
      .updateTable('servers')
      .set({ vm_state: m.old_vm_state === 'stopped' ? 'stopped' : 'active', updated_at: isoNow() })
      .where('id', '=', row.id)
      .where('vm_state', '=', 'resized')
      .where('task_state', 'is', null)
      .execute();
    await tx.deleteFrom('server_migrations').where('server_id', '=', row.id).execute();
    await recordAction(tx, ctx, row.id, 'confirmResize');
  });
}

export async function revertResize(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
): Promise<void> {
  const row = await d.find(ctx, id);
  const refused = refusal(REVERT, row, ctx.isAdmin);
  if (refused) throw refused;
  const m = await migrationOf(d.db, row.id);
  if (!m || m.status !== 'finished') throw new BadRequest('Instance has not been resized.');
  // Going back to a larger flavor counts too (Nova checks the revert's growth as well).
  const limits = await d.quotas.limits(row.project_id);
  const current = parseJson<EmbeddedFlavor | null>(m.new_flavor, null)!;
  const old = parseJson<EmbeddedFlavor | null>(m.old_flavor, null)!;
  await startAction(d, ctx, id, REVERT, {
    task: 'resize_reverting',
    action: 'revertResize',
    payload: { action: 'revertResize' },
    async also(tx, r) {
      await checkUpsize(tx, limits, r.project_id, current, old);
      await tx
        .updateTable('server_migrations')
        .set({ status: 'reverting', updated_at: isoNow() })
        .where('server_id', '=', r.id)
        .execute();
    },
  });
}

/** Compute side of revertResize: the old flavor, and a head of the old size over the old disk. */
export async function runRevertResize(
  d: LifecycleDeps,
  id: string,
  roles: string[],
): Promise<void> {
  const first = await d.rows.find(id);
  const m = await migrationOf(d.db, id);
  if (!first || !m || first.task_state !== 'resize_reverting') return;
  const ctx = userContext(first.project_id, first.user_id, roles);
  const from = parseJson<EmbeddedFlavor | null>(m.old_flavor, null)!;
  await withEvent(d.db, id, 'revertResize', 'compute_revert_resize', d.host.name, async () => {
    await d.driver.destroy(id);
    if (m.old_layer) {
      const size = await d.layers.virtualSize(m.old_layer);
      await swapRootDisk(d, id, 'resize_reverting', size, { layerId: m.old_layer });
    }
    await d.db
      .updateTable('servers')
      .set({ flavor_id: from.id, flavor: m.old_flavor, vcpus: from.vcpus, memory_mb: from.ram })
      .where('id', '=', id)
      .where('task_state', '=', 'resize_reverting')
      .execute();
    const running = m.old_vm_state !== 'stopped';
    if (running) await d.driver.spawn(await guestSpec(d, ctx, (await loadServer(d, id))!));
    await advance(d.db, id, 'resize_reverting', {
      vm_state: running ? 'active' : 'stopped',
      task_state: null,
      power_state: running ? PowerState.RUNNING : PowerState.SHUTDOWN,
    });
  });
  await d.db.deleteFrom('server_migrations').where('server_id', '=', id).execute();
}
