import { invalidState } from '../../states.js';
import type { ActionHandler } from './types.js';

/**
 * os-deferred-delete's forceDelete and restore. pocketstack keeps Nova's default
 * reclaim_instance_interval = 0: a delete is never deferred, so no server is SOFT_DELETED.
 * forceDelete is then a delete; restore always finds the wrong vm_state (Nova's 409).
 */
export const DEFERRED_DELETE_ACTION_HANDLERS: ReadonlyArray<readonly [string, ActionHandler]> = [
  [
    'forceDelete',
    async ({ req, reply, compute, id }) => {
      await compute.servers.delete(req.ctx, id);
      return reply.code(202).send();
    },
  ],
  [
    'restore',
    async ({ req, compute, id }) => {
      const row = await compute.servers.row(req.ctx, id);
      throw invalidState('restore', row.id, 'vm_state', row.vm_state);
    },
  ],
];
