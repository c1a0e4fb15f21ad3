import { userContext, type RequestContext } from '../../context.js';
import { BadRequest, Conflict } from '../../errors.js';
import { PowerState } from '../../compute/index.js';
import { isoNow } from '../../util.js';
import { recordAction, withEvent } from './instance-actions.js';
import { requireAdmin } from './policy.js';
import { isVolumeBacked, startAction, type LifecycleDeps } from './server-lifecycle.js';
import { guestSpec, loadServer } from './server-work.js';
import { advance, invalidState, refusal, type ActionRule } from './states.js';

const CHANGE_PASSWORD: ActionRule = { method: 'changePassword', vmStates: ['active'] };
const CRASH_DUMP: ActionRule = {
  method: 'trigger_crash_dump',
  vmStates: ['active', 'paused', 'rescued', 'resized', 'error'],
};
const RESCUE: ActionRule = { method: 'rescue', vmStates: ['active', 'stopped', 'error'] };
const UNRESCUE: ActionRule = { method: 'unrescue', vmStates: ['rescued'] };

/**
 * rescue: the guest boots from a rescue disk with its own disk second. A volume-backed server
 * cannot be rescued (stable rescue needs hw_rescue_* image properties this host lacks).
 */
export async function rescue(d: LifecycleDeps, ctx: RequestContext, id: string): Promise<void> {
  const server = await d.load(ctx, id);
  const refused = refusal(RESCUE, server.row, ctx.isAdmin);
  if (refused) throw refused;
  if (isVolumeBacked(server))
    throw new BadRequest(
      `Instance ${server.row.id} cannot be rescued: Cannot rescue a volume-backed instance`,
    );
  await startAction(d, ctx, id, RESCUE, {
    task: 'rescuing',
    action: 'rescue',
    payload: { action: 'rescue' },
  });
}

export function unrescue(d: LifecycleDeps, ctx: RequestContext, id: string): Promise<void> {
  return startAction(d, ctx, id, UNRESCUE, {
    task: 'unrescuing',
    action: 'unrescue',
    payload: { action: 'unrescue' },
  });
}

/** With reclaim_instance_interval=0 no server is ever soft-deleted, so restore always refuses. */
const RESTORE: ActionRule = { method: 'restore', vmStates: ['soft-delete'] };
const FORCE_DELETE: ActionRule = { method: 'forceDelete', vmStates: null };

/** os-resetState (admin): vm_state active or error, nothing under way; no state check. */
export async function resetState(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
  state: 'active' | 'error',
): Promise<void> {
  requireAdmin(ctx, 'os-admin-actions:reset_state');
  await d.db.transaction().execute(async (tx) => {
    const row = await d.find(ctx, id, tx);
    await tx
      .updateTable('servers')
      .set({ vm_state: state, task_state: null, updated_at: isoNow() })
      .where('id', '=', row.id)
      .execute();
    await recordAction(tx, ctx, row.id, 'resetState');
  });
}

/** changePassword: the fake driver, as Nova's, accepts any password and keeps none. */
export function changePassword(d: LifecycleDeps, ctx: RequestContext, id: string): Promise<void> {
  return startAction(d, ctx, id, CHANGE_PASSWORD, {
    task: 'updating_password',
    action: 'changePassword',
    payload: { action: 'changePassword' },
  });
}

/** trigger_crash_dump (2.17): needs a host; holds no task_state, as in Nova. */
export async function triggerCrashDump(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
): Promise<void> {
  const row = await d.find(ctx, id);
  const refused = refusal(CRASH_DUMP, row, ctx.isAdmin);
  if (refused) throw refused;
  if (row.host === null) throw new Conflict(`Instance ${row.id} is not ready`);
  await startAction(d, ctx, id, CRASH_DUMP, {
    task: null,
    action: 'trigger_crash_dump',
    payload: { action: 'trigger_crash_dump' },
  });
}

export async function restore(d: LifecycleDeps, ctx: RequestContext, id: string): Promise<void> {
  const row = await d.find(ctx, id);
  const refused = refusal(RESTORE, row, ctx.isAdmin);
  if (refused) throw refused;
}

/** forceDelete: a delete that is refused while something else is under way. */
export async function checkForceDelete(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
): Promise<void> {
  const row = await d.find(ctx, id);
  const refused = refusal(FORCE_DELETE, row, ctx.isAdmin);
  if (refused) throw refused;
  if (row.task_state === 'deleting')
    throw invalidState('forceDelete', row.id, 'task_state', row.task_state);
}

/** Compute side of changePassword and trigger_crash_dump. */
export async function runMiscAction(
  d: LifecycleDeps,
  id: string,
  action: string,
  roles: string[],
): Promise<void> {
  if (action === 'changePassword') {
    await withEvent(d.db, id, action, 'compute_set_admin_password', d.host.name, async () => {
      // The fake driver sets no password (nova/virt/fake.py set_admin_password passes).
    });
    await advance(d.db, id, 'updating_password', { task_state: null });
  } else if (action === 'rescue' || action === 'unrescue') {
    const server = await loadServer(d, id);
    const task = action === 'rescue' ? 'rescuing' : 'unrescuing';
    if (!server || server.row.task_state !== task) return;
    const ctx = userContext(server.row.project_id, server.row.user_id, roles);
    const spec = await guestSpec(d, ctx, server);
    await withEvent(d.db, id, action, `compute_${action}_instance`, d.host.name, () =>
      action === 'rescue' ? d.driver.rescue(spec, null) : d.driver.unrescue(spec),
    );
    await advance(d.db, id, task, {
      vm_state: action === 'rescue' ? 'rescued' : 'active',
      task_state: null,
      power_state: PowerState.RUNNING,
    });
  } else if (action === 'trigger_crash_dump') {
    await withEvent(d.db, id, action, 'compute_trigger_crash_dump', d.host.name, async () => {
      // A guest that crashes on an NMI reboots into the same state; the fake one just logs.
      await d.driver.consoleLog(id);
    });
  }
}

/** A failed rebuild leaves the server in ERROR (Nova); the others as they were. */
export async function failMiscAction(d: LifecycleDeps, id: string, action: string): Promise<void> {
  const rebuilding = ['rebuilding', 'rebuild_block_device_mapping', 'rebuild_spawning'];
  await d.db
    .updateTable('servers')
    .set(action === 'rebuild' ? { vm_state: 'error', task_state: null } : { task_state: null })
    .where('id', '=', id)
    .where(
      'task_state',
      'in',
      action === 'rebuild' ? rebuilding : ['updating_password', 'rescuing', 'unrescuing'],
    )
    .execute();
}
