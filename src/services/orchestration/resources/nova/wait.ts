import { setTimeout as sleep } from 'node:timers/promises';
import { NotFound } from '../../../../errors.js';
import { HeatFault } from '../../errors.js';
import type { Server } from '../../../compute/server-model.js';
import { statusOf } from '../../../compute/states.js';
import type { ResourceContext } from '../types.js';

/** Polls `probe` until it answers true; gives up when the stack operation is cancelled. */
export async function waitUntil(
  rc: ResourceContext,
  probe: () => Promise<boolean>,
  intervalMs = 20,
): Promise<void> {
  for (;;) {
    if (await probe()) return;
    await sleep(intervalMs, undefined, { signal: rc.signal });
  }
}

/** The server, or undefined once Nova no longer knows it. */
export async function serverOrGone(rc: ResourceContext, id: string): Promise<Server | undefined> {
  try {
    return await rc.services.compute.servers.get(rc.ctx, id);
  } catch (err) {
    if (err instanceof NotFound) return undefined;
    throw err;
  }
}

export const statusOfServer = (s: Server): string => statusOf(s.row.vm_state, s.row.task_state);

/** nova.py deferred_server_statuses: still on the way to ACTIVE. */
const DEFERRED = new Set([
  'BUILD',
  'HARD_REBOOT',
  'PASSWORD',
  'REBOOT',
  'RESCUE',
  'RESIZE',
  'REVERT_RESIZE',
  'SHUTOFF',
  'SUSPENDED',
  'VERIFY_RESIZE',
]);

/** nova.py `_check_active`: true on ACTIVE, false while deferred, Heat's errors otherwise. */
export function checkActive(s: Server, resName = 'Server'): boolean {
  const status = statusOfServer(s);
  if (DEFERRED.has(status)) return false;
  if (status === 'ACTIVE') return true;
  if (status === 'ERROR') {
    const message = s.fault?.message ?? 'Unknown';
    const code = s.fault ? String(s.fault.code) : 'Unknown';
    throw new HeatFault(
      'ResourceInError',
      `Went to status ERROR due to "Message: ${message}, Code: ${code}"`,
    );
  }
  throw new HeatFault(
    'ResourceUnknownStatus',
    `${resName} is not active - Unknown status ${status} due to "Unknown"`,
  );
}
