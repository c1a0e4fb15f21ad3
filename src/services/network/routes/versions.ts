import type { FastifyInstance } from 'fastify';
import { NeutronFault } from '../errors.js';

/** The collections /v2.0/ lists, in the order Neutron's API root lists them. */
const COLLECTIONS: [string, string][] = [
  ['network', 'networks'],
  ['subnet', 'subnets'],
  ['subnetpool', 'subnetpools'],
  ['port', 'ports'],
];

const OTHER_METHODS = ['POST', 'PUT', 'DELETE', 'PATCH'] as const;

function methodNotAllowed(method: string): NeutronFault {
  return new NeutronFault(
    405,
    'HTTPMethodNotAllowed',
    `The method ${method} is not allowed for this resource.`,
  );
}

/**
 * `GET /network/`: the version document, served without a token as Neutron serves it. The
 * href ends in a slash, as Neutron's does.
 */
export function versionRoutes(app: FastifyInstance, baseUrl: () => string): void {
  app.get('/', async () => ({
    versions: [
      {
        id: 'v2.0',
        status: 'CURRENT',
        links: [{ rel: 'self', href: `${baseUrl()}/network/v2.0/` }],
      },
    ],
  }));
  app.route({
    method: [...OTHER_METHODS],
    url: '/',
    handler: async (req) => {
      throw methodNotAllowed(req.method);
    },
  });
}

/**
 * `GET /network/v2.0/`: the core collections, behind the token check like the rest of /v2.0.
 * (Neutron answers only the trailing-slash form; both are served here.)
 */
export function apiRootRoutes(app: FastifyInstance, baseUrl: () => string): void {
  app.get('/v2.0', async () => ({
    resources: COLLECTIONS.map(([name, collection]) => ({
      name,
      collection,
      links: [{ rel: 'self', href: `${baseUrl()}/network/v2.0/${collection}` }],
    })),
  }));
  app.route({
    method: [...OTHER_METHODS],
    url: '/v2.0',
    handler: async (req) => {
      throw methodNotAllowed(req.method);
    },
  });
}
