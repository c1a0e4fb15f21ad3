import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HeatFault } from '../errors.js';
import type { OrchestrationService, Stack } from '../service.js';
import { EVENT_FILTER_KEYS, type EventListQuery } from '../reads.js';
import { eventView } from '../views/event.view.js';
import { filters, intParam, multi, single, type Query } from './params.js';
import type { Identified } from './stacks.js';

type Res = Identified & { resource_name: string };

/** Events of a stack or of one of its resources, and one event. */
export function eventRoutes(
  app: FastifyInstance,
  heat: OrchestrationService,
  baseUrl: () => string,
): void {
  const at = '/stacks/:stack_name/:stack_id';
  const list = async (req: FastifyRequest, resource: string | null) => {
    const { stack_name, stack_id } = req.params as Identified;
    const q = req.query as Query;
    const limit = intParam('limit', single(q, 'limit'));
    const nestedDepth = intParam('nested_depth', single(q, 'nested_depth'));
    const query: EventListQuery = {
      filters: filters(q, EVENT_FILTER_KEYS),
      limit,
      marker: single(q, 'marker'),
      sortKeys: multi(q, 'sort_keys'),
      sortDir: single(q, 'sort_dir'),
    };
    if (resource !== null) query.filters.set('resource_name', [resource]);
    const stack = await heat.stackAt(req.ctx, stack_name, stack_id);
    const found = await heat.listEvents(req.ctx, stack, query, nestedDepth);
    if (found.length === 0 && resource !== null) {
      throw new HeatFault('HTTPNotFound', `No events found for resource ${resource}`, 404);
    }
    const root: Stack | null = nestedDepth !== null ? stack : null;
    return {
      events: found.map((f) => eventView(baseUrl(), f.stack, f.event, { detail: false, root })),
    };
  };
  app.get<{ Params: Identified }>(`${at}/events`, (req) => list(req, null));
  app.get<{ Params: Res }>(`${at}/resources/:resource_name/events`, (req) =>
    list(req, req.params.resource_name),
  );

  app.get<{ Params: Res & { event_id: string } }>(
    `${at}/resources/:resource_name/events/:event_id`,
    async (req) => {
      const stack = await heat.stackAt(req.ctx, req.params.stack_name, req.params.stack_id);
      const query: EventListQuery = {
        filters: new Map([
          ['resource_name', [req.params.resource_name]],
          ['uuid', [req.params.event_id]],
        ]),
        limit: null,
        marker: null,
        sortKeys: [],
        sortDir: null,
      };
      const found = await heat.listEvents(req.ctx, stack, query, null);
      if (!found.length) {
        throw new HeatFault('HTTPNotFound', `No event ${req.params.event_id} found`, 404);
      }
      return { event: eventView(baseUrl(), stack, found[0]!.event, { detail: true, root: null }) };
    },
  );
}
