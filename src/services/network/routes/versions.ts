import type { FastifyInstance } from 'fastify';

/** The collections /v2.0 lists, as Neutron's API root does. */
const COLLECTIONS: [string, string][] = [
  ['network', 'networks'],
  ['subnet', 'subnets'],
  ['subnetpool', 'subnetpools'],
  ['port', 'ports'],
  ['security_group', 'security-groups'],
  ['security_group_rule', 'security-group-rules'],
];

/** `GET /` and `GET /v2.0`, without a token, as Neutron answers them. */
export function versionRoutes(app: FastifyInstance, baseUrl: () => string): void {
  const root = () => `${baseUrl()}/network`;
  app.get('/', async () => ({
    versions: [
      { id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${root()}/v2.0/` }] },
    ],
  }));
  const resources = async () => ({
    resources: COLLECTIONS.map(([name, collection]) => ({
      name,
      collection,
      links: [{ rel: 'self', href: `${root()}/v2.0/${collection}` }],
    })),
  });
  app.get('/v2.0', resources);
}
