import type { FastifyInstance } from 'fastify';
import type { Query } from '../../../http/query.js';
import type { NetworkService } from '../service.js';
import { selectFields } from '../views/common.js';
import type { AttributeMap } from './attributes.js';
import { parseListQuery } from './list-query.js';
import { textFilter } from './validators.js';

/** neutron_lib availability_zone: name, resource and state, each a filter. */
const ZONE_ATTRIBUTES: AttributeMap = {
  name: { filter: textFilter },
  resource: { filter: textFilter },
  state: { filter: textFilter },
};

/** /v2.0/availability_zones */
export function availabilityZoneRoutes(app: FastifyInstance, network: NetworkService): void {
  app.get('/v2.0/availability_zones', async (req) => {
    const q = parseListQuery(req.query as Query, ZONE_ATTRIBUTES);
    return {
      availability_zones: network.availabilityZones
        .list(q)
        .map((z) => selectFields({ name: z.name, resource: z.resource, state: z.state }, q.fields)),
    };
  });
}
