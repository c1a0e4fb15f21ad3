import type { Server } from '../../../compute/server-model.js';
import { subnetView } from '../../../network/views/subnet.view.js';
import { networkView } from '../../../network/views/network.view.js';
import type { AttributeSchema, ResourceContext } from '../types.js';

export const SERVER_ATTRIBUTES: Record<string, AttributeSchema> = {
  name: { description: 'Name of the server.', type: 'string' },
  addresses: {
    description:
      'A dict of all network addresses with corresponding port_id and subnets. Each network will have two keys in dict, they are network name and network id. The port ID may be obtained through the following expression: ``{get_attr: [<server>, addresses, <network name_or_id>, 0, port]}``. The subnets may be obtained trough the following expression: ``{get_attr: [<server>, addresses, <network name_or_id>, 0, subnets]}``. The network may be obtained through the following expression: ``{get_attr: [<server>, addresses, <network name_or_id>, 0, network]}``.',
    type: 'map',
    supportStatus: {
      status: 'SUPPORTED',
      version: '11.0.0',
      message: 'The attribute was extended to include subnets and network with version 11.0.0.',
      previous: { status: 'SUPPORTED' },
    },
  },
  networks: {
    description:
      'A dict of assigned network addresses of the form: {"public": [ip1, ip2...], "private": [ip3, ip4], "public_uuid": [ip1, ip2...], "private_uuid": [ip3, ip4]}. Each network will have two keys in dict, they are network name and network id.',
    type: 'map',
  },
  first_address: {
    description:
      'Convenience attribute to fetch the first assigned network address, or an empty string if nothing has been assigned at this time. Result may not be predictable if the server has addresses from more than one network.',
    supportStatus: {
      status: 'HIDDEN',
      version: '5.0.0',
      message:
        'Use the networks attribute instead of first_address. For example: "{get_attr: [<server name>, networks, <network name>, 0]}"',
      previous: {
        status: 'DEPRECATED',
        version: '2014.2',
        previous: { status: 'SUPPORTED', version: '2013.2' },
      },
    },
  },
  instance_name: { description: 'AWS compatible instance name.', type: 'string' },
  accessIPv4: {
    description: 'The manually assigned alternative public IPv4 address of the server.',
    type: 'string',
    supportStatus: {
      status: 'DEPRECATED',
      version: '14.0.0',
      previous: { status: 'SUPPORTED', version: '2015.1' },
    },
  },
  accessIPv6: {
    description: 'The manually assigned alternative public IPv6 address of the server.',
    type: 'string',
    supportStatus: {
      status: 'DEPRECATED',
      version: '14.0.0',
      previous: { status: 'SUPPORTED', version: '2015.1' },
    },
  },
  console_urls: {
    description:
      "URLs of server's consoles. To get a specific console type, the requested type can be specified as parameter to the get_attr function, e.g. get_attr: [ <server>, console_urls, novnc ]. Currently supported types are novnc, xvpvnc, spice-html5, rdp-html5, serial and webmks.",
    type: 'map',
    supportStatus: { status: 'SUPPORTED', version: '2015.1' },
  },
  tags: {
    description: 'Tags from the server. Supported since client version 2.26.',
    type: 'list',
    supportStatus: { status: 'SUPPORTED', version: '8.0.0' },
  },
  os_collect_config: {
    description:
      "The os-collect-config configuration for the server's local agent to be configured to connect to Heat to retrieve deployment data.",
    type: 'map',
    supportStatus: { status: 'SUPPORTED', version: '9.0.0' },
  },
};

/** Network names are client text: kept in a Map, made an object with own keys only. */
type Nets = Map<string, unknown[]>;

const listOf = (nets: Nets, key: string): unknown[] => {
  let list = nets.get(key);
  if (!list) nets.set(key, (list = []));
  return list;
};

/** Nova's `networks` of a server: addresses by network name (fixed, then floating). */
function novaNetworks(s: Server): Nets {
  const out: Nets = new Map();
  for (const i of s.interfaces) {
    if (!i.info) continue;
    const list = listOf(out, i.info.network_name);
    for (const f of i.info.fixed_ips) list.push(f.ip_address);
    for (const f of i.info.floating_ips) list.push(f);
  }
  return out;
}

/** server.py `_extend_networks`: each network's entry again under its id. */
function extend(s: Server, nets: Nets): Record<string, unknown[]> {
  const out = new Map(nets);
  for (const i of s.interfaces) {
    const list = i.info ? nets.get(i.info.network_name) : undefined;
    if (list) out.set(i.info!.network_id, list);
  }
  return Object.fromEntries(out);
}

/**
 * server.py `_get_server_addresses`: per port, each fixed address (after the floating ones
 * on it) with its port, subnets and network as Neutron shows them. `version` is a one-element
 * list: Heat's code builds a tuple there (a trailing comma), which JSON prints as a list.
 */
async function addresses(rc: ResourceContext, s: Server): Promise<Record<string, unknown[]>> {
  const nets: Nets = new Map();
  for (const i of s.interfaces) {
    if (!i.info) continue;
    const info = i.info;
    const list = listOf(nets, info.network_name);
    // Heat logs and leaves None where Neutron will not answer.
    const subnets = await Promise.all(
      info.fixed_ips.map((f) =>
        rc.services.network.subnets.get(rc.ctx, f.subnet_id).then(subnetView, () => null),
      ),
    ).then((all) => (all.includes(null) ? null : all));
    const network = await rc.services.network.networks.get(rc.ctx, info.network_id).then(
      (net) => networkView(net, rc.ctx),
      () => null,
    );
    for (const [i, f] of info.fixed_ips.entries()) {
      const version = [f.ip_address.includes(':') ? 6 : 4];
      // A port's floating IPs are known by port only: they go with its first fixed address.
      for (const fip of i === 0 ? info.floating_ips : [])
        list.push({
          addr: fip,
          version,
          'OS-EXT-IPS-MAC:mac_addr': info.mac_address,
          'OS-EXT-IPS:type': 'floating',
          port: null,
        });
      list.push({
        addr: f.ip_address,
        'OS-EXT-IPS-MAC:mac_addr': info.mac_address,
        'OS-EXT-IPS:type': 'fixed',
        port: info.port_id,
        version,
        subnets,
        network,
      });
    }
  }
  return extend(s, nets);
}

/** server.py `_resolve_attribute`. */
export async function serverAttribute(
  rc: ResourceContext,
  s: Server,
  name: string,
): Promise<unknown> {
  switch (name) {
    case 'addresses':
      return addresses(rc, s);
    case 'networks':
      return extend(s, novaNetworks(s));
    case 'first_address': {
      // nova.py server_to_ipaddress: the first address of the last network name.
      const nets = novaNetworks(s);
      for (const n of [...nets.keys()].sort().reverse()) {
        const list = nets.get(n)!;
        if (list.length > 0) return list[0];
      }
      return '';
    }
    case 'instance_name':
      // OS-EXT-SRV-ATTR:instance_name, which Nova shows to admins only (else None).
      return rc.ctx.isAdmin ? `instance-${s.row.id.slice(0, 8)}` : null;
    case 'accessIPv4':
      return s.row.access_ip_v4 ?? '';
    case 'accessIPv6':
      return s.row.access_ip_v6 ?? '';
    case 'console_urls':
      // No console proxy in pocketstack: Nova answers no console types.
      return {};
    case 'tags':
      return s.tags;
    case 'os_collect_config':
      return {};
    default:
      return null;
  }
}
