import { userContext, type RequestContext } from '../../context.js';
import { NotFound } from '../../errors.js';
import { PowerState, type PowerStateValue } from '../../compute/index.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import type { TaskRunner } from '../../tasks/runner.js';
import { recordAction, withEvent } from './instance-actions.js';
import { advance, beginAction, invalidState, refusal, type ActionRule } from './states.js';
import { guestSpec, loadServer, type ServerWorkDeps } from './server-work.js';

/** A power action: when it may start, the task_state it holds, where it ends. */
interface PowerAction extends ActionRule {
  task: string;
  event: string;
  vmState: string;
  power: PowerStateValue;
}

const HARD_REBOOT_TASKS = [
  null,
  'rebooting',
  'reboot_pending',
  'reboot_started',
  'resuming',
  'rebooting_hard',
  'unpausing',
  'pausing',
  'suspending',
] as const;

/** nova/compute/api.py: each action's allowed states, and what the compute side ends in. */
export const POWER_ACTIONS: ReadonlyMap<string, PowerAction> = new Map<string, PowerAction>([
  [
    'stop',
    {
      method: 'stop',
      vmStates: ['active', 'error'],
      task: 'powering-off',
      event: 'compute_stop_instance',
      vmState: 'stopped',
      power: PowerState.SHUTDOWN,
    },
  ],
  [
    'start',
    {
      method: 'start',
      vmStates: ['stopped'],
      task: 'powering-on',
      event: 'compute_start_instance',
      vmState: 'active',
      power: PowerState.RUNNING,
    },
  ],
  [
    'reboot',
    {
      method: 'reboot',
      vmStates: ['active'],
      task: 'rebooting',
      event: 'compute_reboot_instance',
      vmState: 'active',
      power: PowerState.RUNNING,
    },
  ],
  [
    'reboot-hard',
    {
      method: 'reboot',
      vmStates: ['active', 'stopped', 'paused', 'suspended', 'error'],
      taskStates: HARD_REBOOT_TASKS,
      task: 'rebooting_hard',
      event: 'compute_reboot_instance',
      vmState: 'active',
      power: PowerState.RUNNING,
    },
  ],
  [
    'pause',
    {
      method: 'pause',
      vmStates: ['active'],
      task: 'pausing',
      event: 'compute_pause_instance',
      vmState: 'paused',
      power: PowerState.PAUSED,
    },
  ],
  [
    'unpause',
    {
      method: 'unpause',
      vmStates: ['paused'],
      task: 'unpausing',
      event: 'compute_unpause_instance',
      vmState: 'active',
      power: PowerState.RUNNING,
    },
  ],
  [
    'suspend',
    {
      method: 'suspend',
      vmStates: ['active'],
      task: 'suspending',
      event: 'compute_suspend_instance',
      vmState: 'suspended',
      power: PowerState.SUSPENDED,
    },
  ],
  [
    'resume',
    {
      method: 'resume',
      vmStates: ['suspended'],
      task: 'resuming',
      event: 'compute_resume_instance',
      vmState: 'active',
      power: PowerState.RUNNING,
    },
  ],
]);

/** The instance action a power action is recorded as. */
function actionName(key: string): string {
  return key === 'reboot-hard' ? 'reboot' : key;
}

/**
 * API side: checks the state, sets the task_state and queues the work, in one transaction; the
 * 409 names the state that refused it. Stop and start also need a server that was launched.
 */
export async function startPowerAction(
  db: Db,
  tasks: TaskRunner,
  ctx: RequestContext,
  serverId: string,
  key: string,
  find: (ctx: RequestContext, id: string, ex: Db) => Promise<ServerRow>,
): Promise<void> {
  const rule = POWER_ACTIONS.get(key);
  if (!rule) throw new NotFound(`There is no such action: ${key}`);
  await db.transaction().execute(async (tx) => {
    const row = await find(ctx, serverId, tx);
    const refused = refusal(rule, row, ctx.isAdmin);
    if (refused) throw refused;
    if ((key === 'stop' || key === 'start') && row.launched_at === null)
      throw invalidState(rule.method, row.id, 'launched_at', null);
    const fields = key === 'stop' ? { progress: 0 } : {};
    if (!(await beginAction(tx, row, rule, rule.task, fields))) {
      const now = await find(ctx, serverId, tx);
      throw (
        refusal(rule, now, ctx.isAdmin) ?? new NotFound(`Instance ${serverId} could not be found.`)
      );
    }
    await recordAction(tx, ctx, serverId, actionName(key));
    await tasks.enqueue(tx, 'server.action', serverId, { roles: ctx.roles, action: key });
  });
  tasks.kick();
}

/** Compute side: the driver acts, then the server settles in the action's end state. */
export async function runPowerAction(
  d: ServerWorkDeps,
  id: string,
  key: string,
  roles: string[],
): Promise<void> {
  const rule = POWER_ACTIONS.get(key);
  const server = await loadServer(d, id);
  if (!rule || !server || server.row.task_state !== rule.task) return;
  const ctx = userContext(server.row.project_id, server.row.user_id, roles);
  await withEvent(d.db, id, actionName(key), rule.event, d.host.name, async () => {
    const spec = await guestSpec(d, ctx, server);
    switch (key) {
      case 'stop':
        return d.driver.powerOff(id);
      case 'start':
        return d.driver.powerOn(spec);
      case 'reboot':
        return d.driver.reboot(spec, false);
      case 'reboot-hard':
        return d.driver.reboot(spec, true);
      case 'pause':
        return d.driver.pause(id);
      case 'unpause':
        return d.driver.unpause(id);
      case 'suspend':
        return d.driver.suspend(id);
      case 'resume':
        return d.driver.resume(spec);
    }
  });
  await advance(d.db, id, rule.task, {
    vm_state: rule.vmState,
    task_state: null,
    power_state: rule.power,
  });
}

/** A failed action leaves the server as it was, with nothing under way (reverts_task_state). */
export async function failPowerAction(d: ServerWorkDeps, id: string, key: string): Promise<void> {
  const rule = POWER_ACTIONS.get(key);
  if (rule) await advance(d.db, id, rule.task, { task_state: null });
}
