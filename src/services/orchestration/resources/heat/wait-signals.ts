import { pyStr } from '../../../../http/pyrepr.js';
import { HeatFault } from '../../errors.js';
import type { ResourceData } from '../types.js';
import { pyJsonDumps } from './support.js';

/**
 * The signals a wait condition handle has received (Heat keeps them as the handle's metadata,
 * keyed by signal id, in arrival order; here in its resource data under `signals`).
 */

export interface Signal {
  status: string;
  reason: string;
  data: unknown;
}

const SIGNALS_KEY = 'signals';
const METADATA_KEYS = ['data', 'reason', 'status', 'id'];
const STATUSES = ['FAILURE', 'SUCCESS'];

/** [id, signal] in arrival order: a JS object would put integer-like ids first. */
export function readSignals(data: ResourceData): [string, Signal][] {
  const text = data.get(SIGNALS_KEY);
  return text ? (JSON.parse(text) as [string, Signal][]) : [];
}

export async function clearSignals(data: ResourceData): Promise<void> {
  await data.set(SIGNALS_KEY, '[]');
}

/** One signal at a time per handle: each merges into what the one before wrote. */
const queues = new WeakMap<ResourceData, Promise<unknown>>();

/**
 * A signal to an OS::Heat::WaitConditionHandle (the engine's signal API calls this):
 * normalise_signal_data's defaults (reason "Signal <n> received", data null, id n, status
 * SUCCESS), the metadata format check ("Metadata format invalid", a ValueError), then the
 * signal stored under its id, replacing an earlier one with the same id. Returns Heat's
 * event reason, "status:<status> reason:<reason>".
 */
export function signalHandle(data: ResourceData, details: unknown): Promise<string> {
  const previous = queues.get(data) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => merge(data, details));
  queues.set(data, next);
  return next;
}

async function merge(data: ResourceData, details: unknown): Promise<string> {
  const signals = readSignals(data);
  const n = signals.length + 1;
  if (details && (typeof details !== 'object' || Array.isArray(details))) throw invalid();
  const given = (details ?? {}) as Record<string, unknown>;
  const meta: Record<string, unknown> = { ...given };
  if (!Object.hasOwn(meta, 'reason')) meta.reason = `Signal ${n} received`;
  if (!Object.hasOwn(meta, 'data')) meta.data = null;
  if (!Object.hasOwn(meta, 'id')) meta.id = n;
  if (!Object.hasOwn(meta, 'status')) meta.status = 'SUCCESS';
  const keys = Object.keys(meta);
  if (keys.length !== METADATA_KEYS.length || !keys.every((k) => METADATA_KEYS.includes(k))) {
    throw invalid();
  }
  if (typeof meta.status !== 'string' || !STATUSES.includes(meta.status)) throw invalid();
  const id = pyStr(meta.id);
  const entry: Signal = { status: meta.status, reason: meta.reason as string, data: meta.data };
  const at = signals.findIndex(([k]) => k === id);
  if (at >= 0) signals[at] = [id, entry];
  else signals.push([id, entry]);
  await data.set(SIGNALS_KEY, JSON.stringify(signals));
  return `status:${meta.status} reason:${pyStr(meta.reason)}`;
}

function invalid(): HeatFault {
  return new HeatFault('ValueError', 'Metadata format invalid');
}

/** The wait condition's `data` attribute: json.dumps of {id: data} in arrival order. */
export function signalsDataJson(signals: [string, Signal][]): string {
  return `{${signals.map(([id, s]) => `${pyJsonDumps(id)}: ${pyJsonDumps(s.data)}`).join(', ')}}`;
}

/** WaitConditionTimeout / WaitConditionFailure as Heat words them, or null while waiting. */
export function waitOutcome(
  signals: [string, Signal][],
  count: number,
  timedOut: boolean,
): HeatFault | 'done' | null {
  const reasons = (status: string): string[] =>
    signals.filter(([, s]) => s.status === status).map(([, s]) => pyStr(s.reason));
  if (timedOut) {
    const ok = reasons('SUCCESS');
    const text = `${ok.length} of ${count} received` + (ok.length ? ` - ${ok.join(';')}` : '');
    return new HeatFault('WaitConditionTimeout', text);
  }
  if (signals.some(([, s]) => s.status !== 'SUCCESS')) {
    return new HeatFault('WaitConditionFailure', reasons('FAILURE').join(';'));
  }
  return signals.length >= count ? 'done' : null;
}
