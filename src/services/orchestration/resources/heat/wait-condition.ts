import { HeatFault } from '../../errors.js';
import type { Props, ResourceContext, ResourceData, ResourceType } from '../types.js';
import { DOCS } from './docs.js';
import { since, sleep } from './support.js';
import { clearSignals, readSignals, signalsDataJson, waitOutcome } from './wait-signals.js';

/** What the wait condition types need from the engine beyond ResourceContext. */
export interface WaitConditionHooks {
  /** The resource of the same stack whose reference id (get_resource) is `ref`, or null
   *  (Heat's stack.resource_by_refid). */
  resourceByRef(
    rc: ResourceContext,
    ref: string,
  ): Promise<{ name: string; type: string; data: ResourceData } | null>;
  /** A token that may signal the handle (Heat: its stack-domain user's); null for none. */
  signalToken?(rc: ResourceContext): Promise<string | null>;
}

const HANDLE_TYPES = ['OS::Heat::WaitConditionHandle'];
/** How often the signals are read while waiting. */
const POLL_MS = 200;

/**
 * OS::Heat::WaitCondition (wait_condition.py): create (and an update of `count`) waits until
 * the handle has `count` SUCCESS signals, failing at the first other status
 * (WaitConditionFailure, the failure reasons joined by ';') or after `timeout` seconds
 * (WaitConditionTimeout, "<n> of <count> received[ - <reasons>]"). It has no physical id.
 * Deleting it clears the handle's signals.
 */
export function waitCondition(hooks: WaitConditionHooks): ResourceType {
  return {
    type: 'OS::Heat::WaitCondition',
    description: DOCS.waitCondition,
    supportStatus: since('2014.2'),
    properties: {
      handle: {
        type: 'string',
        description: 'A reference to the wait condition handle used to signal this wait condition.',
        required: true,
      },
      timeout: {
        type: 'number',
        description: 'The number of seconds to wait for the correct number of signals to arrive.',
        required: true,
        constraints: [{ kind: 'range', min: 1, max: 43200 }],
      },
      count: {
        type: 'integer',
        description:
          'The number of success signals that must be received before the stack creation ' +
          'process continues.',
        constraints: [{ kind: 'range', min: 1 }],
        default: 1,
        updateAllowed: true,
      },
    },
    attributes: {
      data: {
        description:
          'JSON string containing data associated with wait condition signals sent to the handle.',
        type: 'string',
      },
    },

    async create(rc, props) {
      await wait(rc, props, await requireHandle(hooks, rc, props));
      return null;
    },

    async update(rc, _id, next) {
      await wait(rc, next, await requireHandle(hooks, rc, next));
    },

    async delete(rc, _id, props) {
      const handle = await handleOf(hooks, rc, props);
      if (handle) await clearSignals(handle);
    },

    async attribute(rc, _id, name, props) {
      const handle = await handleOf(hooks, rc, props);
      if (!handle) return '';
      return name === 'data' ? signalsDataJson(readSignals(handle)) : null;
    },
  };
}

async function handleOf(
  hooks: WaitConditionHooks,
  rc: ResourceContext,
  props: Props,
): Promise<ResourceData | null> {
  const found = await lookup(hooks, rc, props);
  return found && HANDLE_TYPES.includes(found.type) ? found.data : null;
}

/** _validate_handle_resource: the handle must be a wait condition handle of this stack. */
async function requireHandle(
  hooks: WaitConditionHooks,
  rc: ResourceContext,
  props: Props,
): Promise<ResourceData> {
  const found = await lookup(hooks, rc, props);
  if (found && HANDLE_TYPES.includes(found.type)) return found.data;
  const name = found ? found.name : typeof props.handle === 'string' ? props.handle : '';
  throw new HeatFault('ValueError', `${name} is not a valid wait condition handle.`);
}

function lookup(
  hooks: WaitConditionHooks,
  rc: ResourceContext,
  props: Props,
): Promise<{ name: string; type: string; data: ResourceData } | null> {
  const ref = typeof props.handle === 'string' ? props.handle : '';
  return ref ? hooks.resourceByRef(rc, ref) : Promise.resolve(null);
}

async function wait(rc: ResourceContext, props: Props, handle: ResourceData): Promise<void> {
  const count = typeof props.count === 'number' ? props.count : 1;
  const timeoutMs = (typeof props.timeout === 'number' ? props.timeout : 0) * 1000;
  const started = Date.now();
  for (;;) {
    const elapsed = Date.now() - started;
    const outcome = waitOutcome(readSignals(handle), count, elapsed > timeoutMs);
    if (outcome === 'done') return;
    if (outcome) throw outcome;
    await sleep(Math.min(POLL_MS, Math.max(1, timeoutMs - elapsed + 1)), rc.signal);
  }
}
