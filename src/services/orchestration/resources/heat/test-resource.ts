import { HeatFault } from '../../errors.js';
import type { PropertySchema, Props, ResourceContext, ResourceType } from '../types.js';
import { DOCS } from './docs.js';
import { since, sleep, UpdateReplace } from './support.js';

type Action = 'create' | 'update' | 'delete';

/**
 * OS::Heat::TestResource (test_resource.py), the heat-tempest-plugin's workhorse. Each action
 * waits its seconds (action_wait_secs.<action>, else wait_secs; -1 waits until the stack
 * operation is cancelled or times out), then fails with "Test Resource failed <name>" when
 * `fail` is set (never on delete). A change of `value` replaces the resource when
 * `update_replace` is true, and updates it in place otherwise.
 *
 * `client_name`/`entity_name` only make Heat look the entity up while it waits and log the
 * outcome, which changes nothing: they are accepted and not looked up here.
 */
export const testResource: ResourceType = {
  type: 'OS::Heat::TestResource',
  description: DOCS.testResource,
  supportStatus: since('5.0.0'),
  properties: {
    constraint_prop_secs: {
      type: 'number',
      description: 'Number value for delay during resolve constraint.',
      default: 0,
      updateAllowed: true,
      // Heat's TestConstraintDelay: sleeps this many seconds, then passes.
      constraints: [{ kind: 'custom_constraint', name: 'test_constr' }],
      supportStatus: since('6.0.0'),
    },
    attr_wait_secs: {
      type: 'number',
      description: 'Number value for timeout during resolving output value.',
      default: 0,
      updateAllowed: true,
      supportStatus: since('6.0.0'),
    },
    value: {
      type: 'string',
      description: 'The input string to be stored.',
      default: 'test_string',
      updateAllowed: true,
    },
    update_replace_value: {
      type: 'string',
      description: 'Some value that can be stored but can not be updated.',
      supportStatus: since('7.0.0'),
    },
    fail: {
      type: 'boolean',
      description:
        'Value which can be set to fail the resource operation to test failure scenarios.',
      updateAllowed: true,
      default: false,
    },
    update_replace: {
      type: 'boolean',
      description: 'Value which can be set to trigger update replace for the particular resource.',
      updateAllowed: true,
      default: false,
    },
    wait_secs: {
      type: 'number',
      description: 'Seconds to wait after an action (-1 is infinite).',
      updateAllowed: true,
      default: 0,
    },
    action_wait_secs: {
      type: 'map',
      description: 'Options for simulating waiting.',
      updateAllowed: true,
      schema: {
        create: actionSecs('create'),
        update: actionSecs('update'),
        delete: actionSecs('delete'),
      },
    },
    client_name: {
      type: 'string',
      description: 'Client to poll.',
      default: '',
      updateAllowed: true,
    },
    entity_name: {
      type: 'string',
      description: 'Client entity to poll.',
      default: '',
      updateAllowed: true,
    },
  },
  attributes: {
    output: {
      description:
        'The string that was stored. This value is also available by referencing the resource.',
    },
  },

  async create(rc, props) {
    if (props.fail === true) {
      // Heat sets no physical id and fails once the wait is over.
      await sleep(seconds(waitSecs(props, 'create')), rc.signal);
      throw failed(rc);
    }
    await rc.data.set('value', stringOf(props.value));
    await startWait(rc, waitSecs(props, 'create'));
    return rc.physicalName();
  },

  async checkCreateComplete(rc, _id, props) {
    return waited(rc, props, 'create');
  },

  needsReplace(next, _prev, changed) {
    return changed.includes('value') && next.update_replace === true;
  },

  async update(rc, _id, next, _prev, changed) {
    if (changed.includes('value') && next.update_replace === true) {
      throw new UpdateReplace(rc.resourceName);
    }
    const value = changed.includes('value') ? stringOf(next.value) : '';
    // Heat waits only when the value changed to something (its `if value:`).
    if (value !== '') {
      if (next.fail !== true) await rc.data.set('value', value);
      await startWait(rc, waitSecs(next, 'update'));
    } else {
      await startWait(rc, 0);
    }
  },

  async checkUpdateComplete(rc, _id, props) {
    return waited(rc, props, 'update');
  },

  async delete(rc, _id, props) {
    await startWait(rc, waitSecs(props, 'delete'));
  },

  async checkDeleteComplete(rc) {
    return waited(rc, {}, 'delete');
  },

  async attribute(rc, _id, name, props) {
    const secs = typeof props.attr_wait_secs === 'number' ? props.attr_wait_secs : 0;
    if (secs > 0) await sleep(seconds(secs), rc.signal);
    return name === 'output' ? (rc.data.get('value') ?? null) : null;
  },
};

function actionSecs(action: Action): PropertySchema {
  const what = action === 'create' ? 'a create' : action === 'update' ? 'an update' : 'a delete';
  return {
    type: 'number',
    description: `Seconds to wait after ${what}. Defaults to the global wait_secs.`,
    updateAllowed: true,
  };
}

/** _wait_secs: the action's own seconds, else wait_secs. */
function waitSecs(props: Props, action: Action): number {
  const perAction = props.action_wait_secs as Record<string, unknown> | null | undefined;
  const own = perAction ? perAction[action] : undefined;
  if (typeof own === 'number') return own;
  return typeof props.wait_secs === 'number' ? props.wait_secs : 0;
}

/** The cookie Heat's check_*_complete gets, kept in the resource's data across restarts. */
async function startWait(rc: ResourceContext, secs: number): Promise<void> {
  await rc.data.set('started_at', String(Date.now()));
  await rc.data.set('wait_secs', String(secs));
}

/**
 * _check_status_complete: done once the wait has passed (never for -1), failing then
 * when `fail` is set and the action is not a delete. Until then it waits up to a second, so the
 * engine's polling does not spin, and gives up when the operation is aborted.
 */
async function waited(rc: ResourceContext, props: Props, action: Action): Promise<boolean> {
  const startedAt = Number(rc.data.get('started_at') ?? 0);
  const secs = Number(rc.data.get('wait_secs') ?? 0);
  const elapsed = Date.now() - startedAt;
  if (secs >= 0 && elapsed >= secs * 1000) {
    if (props.fail === true && action !== 'delete') throw failed(rc);
    return true;
  }
  const left = secs < 0 ? 1000 : secs * 1000 - elapsed;
  await sleep(Math.min(1000, left), rc.signal);
  return false;
}

function failed(rc: ResourceContext): HeatFault {
  return new HeatFault('ValueError', `Test Resource failed ${rc.resourceName}`);
}

function seconds(secs: number): number {
  return secs < 0 ? -1 : secs * 1000;
}

function stringOf(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
