import { HeatFault } from '../../errors.js';
import type { ResourceType } from '../types.js';
import { routerInterface, update } from './client.js';
import { findId, ignoreNotFound } from './common.js';
import { ROUTER_GATEWAY_SCHEMA, ROUTER_INTERFACE_SCHEMA } from './router.schema.js';
import { routerGatewayRequires } from './implicit-deps.js';

/** OS::Neutron::RouterInterface: physical id `<router>:subnet_id=<subnet>` (or port_id=). */
export const ROUTER_INTERFACE: ResourceType = {
  type: 'OS::Neutron::RouterInterface',
  description:
    'A resource for managing Neutron router interfaces.\n\nRouter interfaces associate routers with existing subnets or ports.',
  ...ROUTER_INTERFACE_SCHEMA,
  translations: [
    { from: ['port_id'], to: 'port' },
    { from: ['router_id'], to: 'router' },
    { from: ['subnet_id'], to: 'subnet' },
  ],

  async validate(_rc, props) {
    const subnet = props.subnet != null;
    const port = props.port != null;
    if (subnet && port) {
      throw new HeatFault(
        'ResourcePropertyConflict',
        'Cannot define the following properties at the same time: subnet, port.',
      );
    }
    if (!subnet && !port) {
      throw new HeatFault(
        'PropertyUnspecifiedError',
        'At least one of the following properties must be specified: subnet, port.',
      );
    }
  },

  async create(rc, props) {
    const router = await findId(rc, 'router', props.router);
    const [key, value] = props.subnet
      ? ['subnet_id', await findId(rc, 'subnet', props.subnet)]
      : ['port_id', await findId(rc, 'port', props.port)];
    await routerInterface(rc, 'add', router, { [key]: value });
    return `${router}:${key}=${value}`;
  },

  async delete(rc, id) {
    const tokens = id.replaceAll('=', ':').split(':');
    // Ids of old stacks were "<router>:<subnet>".
    if (tokens.length === 2) tokens.splice(1, 0, 'subnet_id');
    const [router, key, value] = tokens as [string, string, string];
    await ignoreNotFound(routerInterface(rc, 'remove', router, { [key]: value }));
  },

  attribute: () => Promise.resolve(null),
};

/** OS::Neutron::RouterGateway (hidden since 5.0.0): physical id `<router>:<network>`. */
export const ROUTER_GATEWAY: ResourceType = {
  implicitRequires: routerGatewayRequires,
  type: 'OS::Neutron::RouterGateway',
  description: 'No description available',
  ...ROUTER_GATEWAY_SCHEMA,
  translations: [{ from: ['network_id'], to: 'network' }],

  async create(rc, props) {
    const router = props.router_id as string;
    const network = await findId(rc, 'network', props.network);
    await update(rc, 'router', router, { external_gateway_info: { network_id: network } });
    return `${router}:${network}`;
  },

  async delete(rc, id) {
    const [router] = id.split(':') as [string];
    await ignoreNotFound(update(rc, 'router', router, { external_gateway_info: {} }));
  },

  attribute: () => Promise.resolve(null),
};
