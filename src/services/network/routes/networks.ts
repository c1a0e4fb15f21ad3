import type { FastifyInstance } from 'fastify';
import type { Query } from '../../../http/query.js';
import type { NetworkInput } from '../networks.js';
import type { NetworkService } from '../service.js';
import { networkView } from '../views/network.view.js';
import { selectFields } from '../views/common.js';
import { parseCreateMany, parseUpdate } from './attributes.js';
import { createAll, fieldsOf, ifMatchOf, listBody } from './common.js';
import { parseListQuery } from './list-query.js';
import { NETWORK_ATTRIBUTES } from './networks.attributes.js';

type Params = { id: string };

/** Wire attribute names -> the domain's input. */
export function networkInput(f: Record<string, unknown>): NetworkInput {
  const pick = <T>(k: string): T | undefined => (Object.hasOwn(f, k) ? (f[k] as T) : undefined);
  return {
    name: pick('name'),
    description: pick('description'),
    admin_state_up: pick('admin_state_up'),
    shared: pick('shared'),
    external: pick('router:external'),
    is_default: pick('is_default'),
    mtu: pick('mtu'),
    port_security_enabled: pick('port_security_enabled'),
    network_type: pick('provider:network_type'),
    physical_network: pick('provider:physical_network'),
    segmentation_id: pick('provider:segmentation_id'),
    availability_zone_hints: pick('availability_zone_hints'),
    dns_domain: pick('dns_domain'),
  };
}

/** /v2.0/networks */
export function networkRoutes(
  app: FastifyInstance,
  network: NetworkService,
  baseUrl: () => string,
): void {
  app.post('/v2.0/networks', async (req, reply) => {
    const { items, bulk } = parseCreateMany(
      req.ctx,
      'network',
      'networks',
      NETWORK_ATTRIBUTES,
      req.body,
    );
    const made = await createAll(
      items,
      (i) => network.networks.create(req.ctx, i.projectId, networkInput(i.fields)),
      (id) => network.networks.delete(req.ctx, id),
    );
    const views = made.map((n) => networkView(n, req.ctx));
    return reply.code(201).send(bulk ? { networks: views } : { network: views[0] });
  });

  app.get('/v2.0/networks', async (req) => {
    const q = parseListQuery(req.query as Query, NETWORK_ATTRIBUTES);
    const page = await network.networks.list(req.ctx, q);
    return listBody(req, baseUrl(), 'networks', q, page, (n) => networkView(n, req.ctx));
  });

  app.get<{ Params: Params }>('/v2.0/networks/:id', async (req) => {
    const found = await network.networks.get(req.ctx, req.params.id);
    return { network: selectFields(networkView(found, req.ctx), fieldsOf(req)) };
  });

  app.put<{ Params: Params }>('/v2.0/networks/:id', async (req) => {
    const fields = parseUpdate(req.ctx, 'network', NETWORK_ATTRIBUTES, req.body);
    const updated = await network.networks.update(
      req.ctx,
      req.params.id,
      networkInput(fields),
      ifMatchOf(req),
    );
    return { network: networkView(updated, req.ctx) };
  });

  app.delete<{ Params: Params }>('/v2.0/networks/:id', async (req, reply) => {
    await network.networks.delete(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
