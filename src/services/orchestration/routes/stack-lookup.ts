import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OrchestrationService } from '../service.js';
import { stackHref } from '../views/stack.view.js';
import { encodeQuery, queryPairs } from './params.js';

type Named = { tenant_id: string; stack_name: string };

/** The subpaths Heat's router sends to lookup, per method (heat/api/openstack/v1/__init__.py). */
const GET_SUBPATHS = ['resources', 'events', 'template', 'actions', 'environment', 'files'];
const POST_SUBPATHS = ['resources', 'events', 'template', 'actions'];

/**
 * `/stacks/{name or id}[/<subpath>]`: 302 to the stack's canonical URL, the query re-encoded
 * (clients, keystoneauth among them, follow it with the same method and body).
 */
export function stackLookupRoutes(
  app: FastifyInstance,
  heat: OrchestrationService,
  baseUrl: () => string,
): void {
  const lookup = (path: string | null) => async (req: FastifyRequest, reply: FastifyReply) => {
    const { stack_name: name } = req.params as Named;
    const stack = await heat.identifyStack(req.ctx, name);
    const pairs = queryPairs(req.url);
    const query = pairs.length ? `?${encodeQuery(pairs)}` : '';
    const suffix = path ? `/${path}` : '';
    return reply.redirect(`${stackHref(baseUrl(), stack)}${suffix}${query}`, 302);
  };
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    app.route({ method, url: '/stacks/:stack_name', handler: lookup(null) });
  }
  for (const path of GET_SUBPATHS) {
    app.get(`/stacks/:stack_name/${path}`, lookup(path));
  }
  for (const path of POST_SUBPATHS) {
    app.post(`/stacks/:stack_name/${path}`, lookup(path));
  }
}
