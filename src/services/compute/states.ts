import { Conflict } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import { isoNow } from '../../util.js';

/**
 * A server's state is Nova's three fields: vm_state (what it is), task_state (what is being done
 * to it, null when nothing) and power_state (what the hypervisor says). An action is allowed in
 * some vm_states and task_states (nova/compute/api.py `check_instance_state`); starting one is a
 * conditional UPDATE of task_state, so two racing requests cannot both start work on a server.
 */

export const VmState = {
  ACTIVE: 'active',
  BUILDING: 'building',
  STOPPED: 'stopped',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  RESCUED: 'rescued',
  RESIZED: 'resized',
  SOFT_DELETED: 'soft-delete',
  DELETED: 'deleted',
  ERROR: 'error',
  SHELVED: 'shelved',
  SHELVED_OFFLOADED: 'shelved_offloaded',
} as const;
export type VmStateValue = (typeof VmState)[keyof typeof VmState];

/** The API's `status` (nova/api/openstack/common.py `_STATE_MAP`): by vm_state, then task_state. */
const STATE_MAP: Record<string, Record<string, string> & { default: string }> = {
  active: {
    default: 'ACTIVE',
    rebooting: 'REBOOT',
    reboot_pending: 'REBOOT',
    reboot_started: 'REBOOT',
    rebooting_hard: 'HARD_REBOOT',
    reboot_pending_hard: 'HARD_REBOOT',
    reboot_started_hard: 'HARD_REBOOT',
    updating_password: 'PASSWORD',
    rebuilding: 'REBUILD',
    rebuild_block_device_mapping: 'REBUILD',
    rebuild_spawning: 'REBUILD',
    migrating: 'MIGRATING',
    resize_prep: 'RESIZE',
    resize_migrating: 'RESIZE',
    resize_migrated: 'RESIZE',
    resize_finish: 'RESIZE',
  },
  building: { default: 'BUILD' },
  stopped: {
    default: 'SHUTOFF',
    resize_prep: 'RESIZE',
    resize_migrating: 'RESIZE',
    resize_migrated: 'RESIZE',
    resize_finish: 'RESIZE',
    rebuilding: 'REBUILD',
    rebuild_block_device_mapping: 'REBUILD',
    rebuild_spawning: 'REBUILD',
  },
  resized: { default: 'VERIFY_RESIZE', resize_reverting: 'REVERT_RESIZE' },
  paused: { default: 'PAUSED', migrating: 'MIGRATING' },
  suspended: { default: 'SUSPENDED' },
  rescued: { default: 'RESCUE' },
  error: {
    default: 'ERROR',
    rebuilding: 'REBUILD',
    rebuild_block_device_mapping: 'REBUILD',
    rebuild_spawning: 'REBUILD',
  },
  deleted: { default: 'DELETED' },
  'soft-delete': { default: 'SOFT_DELETED' },
  shelved: { default: 'SHELVED' },
  shelved_offloaded: { default: 'SHELVED_OFFLOADED' },
};

export function statusOf(vmState: string, taskState: string | null): string {
  const byTask = STATE_MAP[vmState];
  if (!byTask) return 'UNKNOWN';
  return (
    (taskState !== null && Object.hasOwn(byTask, taskState) ? byTask[taskState] : undefined) ??
    byTask.default
  );
}

/**
 * What a status filter (`?status=REBOOT`) selects, as nova/api/openstack/common.py
 * `task_and_vm_state_from_status` reads the map backwards: every (vm_state, task_state) pair
 * that shows as that status. A status shown by a vm_state's default selects on vm_state alone
 * (`taskStates` null), as Nova drops the task filter when 'default' is among them. Empty
 * `vmStates`: no state shows as that status.
 */
export function statesOfStatus(status: string): {
  vmStates: string[];
  taskStates: string[] | null;
} {
  const want = status.trim().toUpperCase();
  const vmStates = new Set<string>();
  const taskStates = new Set<string>();
  let anyTask = false;
  for (const [vm, byTask] of Object.entries(STATE_MAP))
    for (const [task, shown] of Object.entries(byTask)) {
      if (shown !== want) continue;
      vmStates.add(vm);
      if (task === 'default') anyTask = true;
      else taskStates.add(task);
    }
  return { vmStates: [...vmStates].sort(), taskStates: anyTask ? null : [...taskStates].sort() };
}

/** When an action may start: nova/compute/api.py `check_instance_state` of its method. */
export interface ActionRule {
  /** The method named in the 409 text. */
  method: string;
  vmStates: readonly string[] | null;
  /** null: any task_state; the default is [null], nothing under way. */
  taskStates?: readonly (string | null)[] | null;
  /** Refused on a locked server unless the caller is an admin (`check_instance_lock`). */
  lockable?: boolean;
}

/** "Cannot 'stop' instance <id> while it is in vm_state stopped" (InstanceInvalidState). */
export function invalidState(
  method: string,
  id: string,
  attr: string,
  state: string | null,
): Conflict {
  return new Conflict(
    `Cannot '${method}' instance ${id} while it is in ${attr} ${state === null ? 'None' : state}`,
  );
}

export function instanceLocked(id: string): Conflict {
  return new Conflict(`Instance ${id} is locked`);
}

/** The 409 for a server whose state does not allow `rule`, or null when it does. */
export function refusal(
  rule: ActionRule,
  server: Pick<ServerRow, 'id' | 'vm_state' | 'task_state' | 'locked'>,
  isAdmin: boolean,
): Conflict | null {
  if (rule.lockable !== false && server.locked === 1 && !isAdmin) return instanceLocked(server.id);
  if (rule.vmStates && !rule.vmStates.includes(server.vm_state))
    return invalidState(rule.method, server.id, 'vm_state', server.vm_state);
  const tasks = rule.taskStates === undefined ? [null] : rule.taskStates;
  if (tasks && !tasks.includes(server.task_state))
    return invalidState(rule.method, server.id, 'task_state', server.task_state);
  return null;
}

/**
 * Starts an action: sets task_state (and `fields`) only if the server is still in a state the
 * rule allows, in one UPDATE. Returns false when another request won the race or the state
 * moved; the caller re-reads and reports why.
 */
export async function beginAction(
  ex: Db,
  server: Pick<ServerRow, 'id' | 'vm_state' | 'task_state'>,
  rule: ActionRule,
  taskState: string | null,
  fields: Partial<ServerRow> = {},
): Promise<boolean> {
  let q = ex
    .updateTable('servers')
    .set({ ...fields, task_state: taskState, updated_at: isoNow() })
    .where('id', '=', server.id);
  if (rule.vmStates) q = q.where('vm_state', 'in', [...rule.vmStates]);
  const tasks = rule.taskStates === undefined ? [null] : rule.taskStates;
  if (tasks) {
    const named = tasks.filter((t): t is string => t !== null);
    const withNull = tasks.includes(null);
    q = q.where((eb) =>
      eb.or([
        ...(withNull ? [eb('task_state', 'is', null)] : []),
        ...(named.length > 0 ? [eb('task_state', 'in', named)] : []),
        ...(!withNull && named.length === 0 ? [eb.val(false)] : []),
      ]),
    );
  }
  const res = await q.executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/**
 * Moves a server on from the task_state its work set (`expected`): the compute side's
 * `instance.save(expected_task_state=...)`. False when something else changed the server (it
 * was deleted meanwhile): the work stops there.
 */
export async function advance(
  ex: Db,
  id: string,
  expected: string | null,
  fields: Partial<ServerRow>,
): Promise<boolean> {
  const res = await ex
    .updateTable('servers')
    .set({ ...fields, updated_at: isoNow() })
    .where('id', '=', id)
    .where('task_state', expected === null ? 'is' : '=', expected)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
