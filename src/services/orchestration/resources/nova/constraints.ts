import { NotFound } from '../../../../errors.js';
import { pyStr } from '../../../../http/pyrepr.js';
import { HeatFault, entityNotFound } from '../../errors.js';
import type { ResourceContext } from '../types.js';
import { findFlavor, findImage, findKeypair } from './finders.js';

/**
 * A custom constraint (heat/engine/clients/os/*.py `*Constraint`): null when the value is
 * found, else the text of what the client plugin raised. The caller wraps it as Heat's
 * constraints.py does: "Error validating value '<v>': <text>".
 */
export type ConstraintCheck = (
  rc: Pick<ResourceContext, 'ctx' | 'services'>,
  value: unknown,
) => Promise<string | null>;

/** Runs a finder; the exceptions the constraint expects become its message. */
export function expecting(
  find: (rc: Pick<ResourceContext, 'ctx' | 'services'>, value: string) => Promise<unknown>,
  expected: (err: unknown) => boolean = (err) => err instanceof HeatFault,
): ConstraintCheck {
  return async (rc, value) => {
    try {
      await find(rc, pyStr(value));
      return null;
    } catch (err) {
      if (expected(err)) return (err as Error).message;
      throw err;
    }
  };
}

const heatFaults =
  (...types: string[]) =>
  (err: unknown) =>
    err instanceof HeatFault && types.includes(err.type);

export const GLANCE_CONSTRAINTS = new Map<string, ConstraintCheck>([
  [
    'glance.image',
    expecting(
      (rc, v) => findImage(rc.services, rc.ctx, v),
      heatFaults('EntityMatchNotFound', 'EntityUniqueMatchNotFound'),
    ),
  ],
]);

export const NOVA_CONSTRAINTS = new Map<string, ConstraintCheck>([
  [
    'nova.keypair',
    async (rc, value) =>
      // An empty key is not checked: it may come from a KeyPair resource not made yet.
      value === '' || value === null || value === undefined
        ? null
        : expecting((r, v) => findKeypair(r.services, r.ctx, v), heatFaults('EntityNotFound'))(
            rc,
            value,
          ),
  ],
  ['nova.flavor', expecting((rc, v) => findFlavor(rc.services, rc.ctx, v), heatFaults('NotFound'))],
  [
    'nova.server',
    expecting(async (rc, v) => {
      try {
        await rc.services.compute.servers.row(rc.ctx, v);
      } catch (err) {
        if (err instanceof NotFound) throw entityNotFound('Server', v);
        throw err;
      }
    }, heatFaults('EntityNotFound')),
  ],
]);
