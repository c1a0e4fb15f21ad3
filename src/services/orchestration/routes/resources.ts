import type { FastifyInstance } from 'fastify';
import { isJsonObject } from '../../../http/input.js';
import { pyRepr, pyStr } from '../../../http/pyrepr.js';
import type { OrchestrationService } from '../service.js';
import { RESOURCE_FILTER_KEYS } from '../resource-reads.js';
import { resourceView } from '../views/resource.view.js';
import { badRequest, boolParam, filters, intParam, multi, single, type Query } from './params.js';
import type { Identified } from './stacks.js';

type Res = Identified & { resource_name: string };

const LIST_KEYS = new Set([...RESOURCE_FILTER_KEYS, 'nested_depth', 'with_detail']);
const UNHEALTHY_KEYS = new Set(['mark_unhealthy', 'resource_status_reason']);

/** Resources of a stack: list, show, metadata, mark unhealthy, signal. */
export function resourceRoutes(
  app: FastifyInstance,
  heat: OrchestrationService,
  baseUrl: () => string,
): void {
  const at = '/stacks/:stack_name/:stack_id/resources';
  app.get<{ Params: Identified }>(at, async (req) => {
    const q = req.query as Query;
    const invalid = Object.keys(q).filter((k) => !LIST_KEYS.has(k));
    if (invalid.length) throw badRequest(`Invalid filter parameters ${pyRepr(invalid)}`);
    const nestedDepth = intParam('nested_depth', single(q, 'nested_depth')) ?? 0;
    const withDetail = boolParam('with_detail', single(q, 'with_detail'));
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id);
    const list = await heat.listResources(req.ctx, stack, {
      nestedDepth,
      withDetail,
      filters: filters(q, RESOURCE_FILTER_KEYS),
    });
    return { resources: list.map((r) => resourceView(baseUrl(), r)) };
  });

  app.get<{ Params: Res }>(`${at}/:resource_name`, async (req) => {
    const withAttr = multi(req.query as Query, 'with_attr');
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id);
    const shown = await heat.showResource(req.ctx, stack, req.params.resource_name, withAttr);
    return { resource: resourceView(baseUrl(), shown) };
  });

  app.get<{ Params: Res }>(`${at}/:resource_name/metadata`, async (req) => {
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id);
    return { metadata: await heat.resourceMetadata(req.ctx, stack, req.params.resource_name) };
  });

  app.patch<{ Params: Res }>(`${at}/:resource_name`, async (req, reply) => {
    const body = isJsonObject(req.body) ? req.body : {};
    const extra = Object.keys(body).filter((k) => !UNHEALTHY_KEYS.has(k));
    if (extra.length) {
      throw badRequest(
        `Invalid keys in resource mark unhealthy {${extra.map((k) => pyRepr(k)).join(', ')}}`,
      );
    }
    if (!Object.hasOwn(body, 'mark_unhealthy')) {
      throw badRequest('Missing mandatory (mark_unhealthy) key from mark unhealthy request');
    }
    const raw = body.mark_unhealthy;
    const mark = boolParam(
      'mark_unhealthy',
      typeof raw === 'boolean' ? String(raw) : typeof raw === 'string' ? raw : pyStr(raw),
    );
    const reason = body.resource_status_reason;
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id, {
      deleted: false,
    });
    await heat.markUnhealthy(
      req.ctx,
      stack,
      req.params.resource_name,
      mark,
      typeof reason === 'string' ? reason : reason == null ? '' : pyStr(reason),
    );
    return reply.code(200).type('application/json').send('null');
  });

  app.post<{ Params: Res }>(`${at}/:resource_name/signal`, async (req) => {
    const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id, {
      deleted: false,
    });
    await heat.signalResource(req.ctx, stack, req.params.resource_name, req.body);
    return null;
  });
}
