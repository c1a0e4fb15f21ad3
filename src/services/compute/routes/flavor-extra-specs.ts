import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../../errors.js';
import { isJsonObject } from '../../../http/input.js';
import { pyRepr } from '../../../http/pyrepr.js';
import { invalidField } from '../errors.js';
import type { ComputeService } from '../service.js';
import { extraSpecsSetView, extraSpecsView, extraSpecView } from '../views/flavor-extras.view.js';

type Params = { id: string; key: string };

const KEY = /^[a-zA-Z0-9-_:. ]{1,255}$/;
const KEY_SOURCE = '^[a-zA-Z0-9-_:. ]{1,255}$';

/**
 * Nova's extra-spec metadata schema (flavors_extraspecs.py): keys of 1 to 255 safe characters,
 * values strings of at most 255 characters or numbers, stored as strings. Booleans are taken
 * too, as pocketstack always has (a difference the README lists). Own keys only, into a Map:
 * `constructor` is a key like any other.
 */
export function extraSpecsInput(specs: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(specs)) {
    if (!KEY.test(key)) {
      throw invalidField(
        'extra_specs',
        specs,
        `${pyRepr(key)} does not match any of the regexes: '${KEY_SOURCE}'`,
      );
    }
    const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    if (typeof text !== 'string' || text.length > 255) {
      throw invalidField(
        key,
        value,
        `${pyRepr(value)} is not of type 'string', 'integer', 'number', 'boolean'`,
      );
    }
    out.set(key, text);
  }
  return out;
}

/** os-extra_specs: readable by whoever sees the flavor, written by admins. */
export function flavorExtraSpecRoutes(app: FastifyInstance, compute: ComputeService): void {
  app.get<{ Params: Params }>('/flavors/:id/os-extra_specs', async (req) =>
    extraSpecsView(await compute.flavorExtraSpecs(req.ctx, req.params.id)),
  );

  app.post<{ Params: Params }>('/flavors/:id/os-extra_specs', async (req) => {
    const body = isJsonObject(req.body) ? req.body : {};
    const given = Object.hasOwn(body, 'extra_specs') ? body.extra_specs : undefined;
    if (!isJsonObject(given))
      throw invalidField('extra_specs', given ?? null, "'extra_specs' is a required property");
    const specs = extraSpecsInput(given);
    await compute.setFlavorExtraSpecs(req.ctx, req.params.id, specs, 'create');
    return extraSpecsView(extraSpecsSetView(specs));
  });

  app.get<{ Params: Params }>('/flavors/:id/os-extra_specs/:key', async (req) => {
    const { id, key } = req.params;
    return extraSpecView(key, await compute.flavorExtraSpec(req.ctx, id, key));
  });

  app.put<{ Params: Params }>('/flavors/:id/os-extra_specs/:key', async (req) => {
    const given = req.body;
    if (
      !isJsonObject(given) ||
      Object.keys(given).length !== 1 ||
      !Object.hasOwn(given, req.params.key)
    ) {
      throw new BadRequest('Request body and URI mismatch');
    }
    const specs = extraSpecsInput(given);
    await compute.setFlavorExtraSpecs(req.ctx, req.params.id, specs, 'update');
    return extraSpecsSetView(specs);
  });

  app.delete<{ Params: Params }>('/flavors/:id/os-extra_specs/:key', async (req, reply) => {
    await compute.unsetFlavorExtraSpec(req.ctx, req.params.id, req.params.key);
    return reply.code(200).send();
  });
}
