import { NotFound } from '../../../../errors.js';
import { entityNotFound, HeatFault } from '../../errors.js';
import { expecting, type ConstraintCheck } from '../nova/constraints.js';

/** cinder.py: each getter turns Cinder's 404 into EntityNotFound of its entity. */
const found = (entity: string, get: () => Promise<unknown>, name: string) =>
  get().catch((err: unknown) => {
    if (err instanceof NotFound) throw entityNotFound(entity, name);
    throw err;
  });

const notFound = (err: unknown) => err instanceof HeatFault && err.type === 'EntityNotFound';

export const CINDER_CONSTRAINTS = new Map<string, ConstraintCheck>([
  [
    'cinder.volume',
    expecting(
      (rc, v) => found('Volume', () => rc.services.volumes.getVolume(rc.ctx, v), v),
      notFound,
    ),
  ],
  [
    'cinder.snapshot',
    expecting(
      (rc, v) => found('VolumeSnapshot', () => rc.services.volumes.getSnapshot(rc.ctx, v), v),
      notFound,
    ),
  ],
  [
    'cinder.vtype',
    // get_volume_type: the type listed under that name or id.
    expecting(async (rc, v) => {
      const types = await rc.services.volumes.listTypes();
      if (!types.some((t) => t.name === v || t.id === v)) throw entityNotFound('VolumeType', v);
    }, notFound),
  ],
  [
    'cinder.backup',
    // pocketstack's Cinder has no backup service: no backup is ever found.
    expecting(async (_rc, v) => {
      throw entityNotFound('Volume backup', v);
    }, notFound),
  ],
]);
