import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import { pyStr } from '../../../http/pyrepr.js';
import { badRequest, invalidInput, NeutronFault } from '../errors.js';
import { isQuotaResource, QUOTA_RESOURCES, type QuotaLimits } from '../quotas.js';
import type { NetworkService } from '../service.js';
import { quotaDetailsView, quotaView } from '../views/quota.view.js';

type Params = { id: string };

/** neutron_lib's DB_INTEGER_MAX_VALUE: the largest limit the validator accepts. */
const MAX_LIMIT = 2n ** 31n - 1n;

/** Pecan reads `/quotas/<id>/details.json` as `details`: the suffix only names the format. */
function projectOf(id: string): string {
  return id.endsWith('.json') ? id.slice(0, -'.json'.length) : id;
}

/** Python's truth of a JSON value, as `if body['quota'].pop('check_limit')` reads it. */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isJsonObject(v)) return Object.keys(v).length > 0;
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
}

/** convert_to_int: Python's int() of the value, else InvalidInput. */
function toLimit(v: unknown): bigint {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(v) && v.length <= 1000) {
    return BigInt(v.trim().replaceAll('_', ''));
  }
  throw invalidInput(`'${pyStr(v)}' is not an integer`);
}

/**
 * The PUT body, as quotasv2's update and prepare_request_body read it: `force` and
 * `check_limit` taken out first, then only known resources, each an int in [-1, 2^31-1].
 */
function parseQuotaBody(body: unknown): { changes: Partial<QuotaLimits>; checkLimit: boolean } {
  // Python's `if not body`: no body, null, {} and [] alike.
  if (!truthy(body)) throw badRequest('Resource body required');
  if (!isJsonObject(body)) throw badRequest('Body contains invalid data');
  if (Object.hasOwn(body, 'quotas')) throw badRequest('Bulk operation not supported');
  const given = Object.hasOwn(body, 'quota') ? body.quota : undefined;
  if (given === undefined || given === null) {
    throw badRequest("Unable to find 'quota' in request body");
  }
  if (!isJsonObject(given)) throw badRequest("Object 'quota' contains invalid data");
  const fields = { ...given };
  delete fields.force;
  const checkLimit = truthy(fields.check_limit);
  delete fields.check_limit;
  const unknown = Object.keys(fields).filter((k) => !isQuotaResource(k));
  if (unknown.length > 0) {
    throw badRequest(`Unrecognized attribute(s) '${unknown.map((k) => pyStr(k)).join(', ')}'`);
  }
  const changes: Partial<QuotaLimits> = {};
  for (const resource of QUOTA_RESOURCES) {
    if (!Object.hasOwn(fields, resource)) continue;
    const n = toLimit(fields[resource]);
    if (n < -1n || n > MAX_LIMIT) {
      const reason =
        n < -1n
          ? `'${n}' is too small - must be at least '-1'`
          : `'${n}' is too large - must be no larger than '${MAX_LIMIT}'`;
      throw badRequest(`Invalid input for ${resource}. Reason: ${reason}.`);
    }
    changes[resource] = Number(n);
  }
  return { changes, checkLimit };
}

/** /v2.0/quotas (quotas and quota_details extensions). */
export function quotaRoutes(app: FastifyInstance, network: NetworkService): void {
  const list = async (req: FastifyRequest) => ({
    quotas: (await network.quotas.list(req.ctx)).map((q) => ({
      ...quotaView(q.limits),
      project_id: q.projectId,
      tenant_id: q.projectId,
    })),
  });
  app.get('/v2.0/quotas', list);
  app.get('/v2.0/quotas.json', list);
  app.post('/v2.0/quotas', async () => {
    throw new NeutronFault(
      501,
      'HTTPNotImplemented',
      'POST requests are not supported on this resource.',
    );
  });

  // `project` and `tenant`: who the token is for (python-neutronclient's whoami).
  for (const key of ['project', 'tenant'] as const) {
    app.get(`/v2.0/quotas/${key}`, async (req) => {
      if (!req.ctx.projectId) {
        throw new NeutronFault(
          400,
          'QuotaMissingTenant',
          'Tenant-id was missing from quota request.',
        );
      }
      return { [key]: { [`${key}_id`]: req.ctx.projectId } };
    });
  }

  app.get<{ Params: Params }>('/v2.0/quotas/:id', async (req) => ({
    quota: quotaView(await network.quotas.show(req.ctx, projectOf(req.params.id))),
  }));

  for (const suffix of ['default', 'default.json']) {
    app.get<{ Params: Params }>(`/v2.0/quotas/:id/${suffix}`, async (req) => ({
      quota: quotaView(network.quotas.defaults(req.ctx, req.params.id)),
    }));
  }

  for (const suffix of ['details', 'details.json']) {
    app.get<{ Params: Params }>(`/v2.0/quotas/:id/${suffix}`, async (req) => ({
      quota: quotaDetailsView(await network.quotas.details(req.ctx, req.params.id)),
    }));
  }

  app.put<{ Params: Params }>('/v2.0/quotas/:id', async (req) => {
    const project = projectOf(req.params.id);
    // The policy check comes before the body is read, as in Neutron.
    network.quotas.mayUpdate(req.ctx);
    const { changes, checkLimit } = parseQuotaBody(req.body);
    return { quota: quotaView(await network.quotas.update(req.ctx, project, changes, checkLimit)) };
  });

  app.delete<{ Params: Params }>('/v2.0/quotas/:id', async (req, reply) => {
    await network.quotas.reset(req.ctx, projectOf(req.params.id));
    return reply.code(204).send();
  });
}
