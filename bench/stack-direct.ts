// The seed templates' resources made and removed by direct Neutron and Nova calls: the baseline
// of bench/stack-seed.ts. Each call waits only for what the stack's graph makes it wait for
// (the template's depends_on, get_resource, and Heat's implicit Neutron edges: a port waits for
// its network's subnets, a floating IP for the router interface of its port's subnet), and
// independent calls run at once, as Heat's convergence engine runs independent resources.
import { api, nova, type Json } from './server-setup.js';
import { goneUntil, pollUntil } from './stack-setup.js';

const N = '/network/v2.0';

/** What the server boots from: the image template's image or the volume template's snapshot. */
export type Seed = { image: string } | { snapshot: string };

export interface DirectIds {
  sg: string;
  net: string;
  subnet: string;
  router: string;
  port: string;
  fip: string;
  server: string;
}

const RULES = [
  {
    direction: 'ingress',
    remote_ip_prefix: '0.0.0.0/0',
    port_range_min: 22,
    port_range_max: 22,
    protocol: 'tcp',
  },
  { direction: 'ingress', remote_ip_prefix: '0.0.0.0/0', protocol: 'icmp' },
];

/** Creates everything the seed template makes; wall time until the server is ACTIVE. */
export async function directCreate(
  url: string,
  tok: string,
  project: string,
  seed: Seed,
): Promise<{ ids: DirectIds; ms: number }> {
  const call = (method: string, p: string, body?: unknown) => api(url, tok, method, p, body);
  const t0 = performance.now();
  // Names the template gives (ext-net, default) are looked up, as Heat looks them up.
  const extNet = call('GET', `${N}/networks?name=ext-net`).then(
    (r) => (r.networks as Json[])[0]!.id as string,
  );
  const defaultSg = call('GET', `${N}/security-groups?name=default&project_id=${project}`).then(
    (r) => (r.security_groups as Json[])[0]!.id as string,
  );
  const sg = (async () => {
    const g = (
      await call('POST', `${N}/security-groups`, {
        security_group: {
          name: 'allow incoming traffic, tcp port 22 and icmp',
          description: 'allow incoming SSH and ICMP traffic from anywhere.',
        },
      })
    ).security_group as Json;
    for (const rule of RULES) {
      await call('POST', `${N}/security-group-rules`, {
        security_group_rule: { ...rule, ethertype: 'IPv4', security_group_id: g.id },
      });
    }
    return g.id as string;
  })();
  const net = call('POST', `${N}/networks`, { network: { name: 'example-net' } }).then(
    (r) => r.network.id as string,
  );
  const subnet = net.then(async (netId) => {
    const r = await call('POST', `${N}/subnets`, {
      subnet: {
        name: 'example_subnet',
        network_id: netId,
        ip_version: 4,
        cidr: '10.0.0.0/24',
        dns_nameservers: ['8.8.8.8', '8.8.4.4'],
        allocation_pools: [{ start: '10.0.0.10', end: '10.0.0.250' }],
      },
    });
    return r.subnet.id as string;
  });
  const router = extNet.then(async (ext) => {
    const r = await call('POST', `${N}/routers`, {
      router: { external_gateway_info: { network_id: ext } },
    });
    return r.router.id as string;
  });
  const iface = Promise.all([router, subnet]).then(([routerId, subnetId]) =>
    call('PUT', `${N}/routers/${routerId}/add_router_interface`, { subnet_id: subnetId }),
  );
  const port = Promise.all([net, subnet, sg, defaultSg]).then(async ([netId, , sgId, def]) => {
    const r = await call('POST', `${N}/ports`, {
      port: { network_id: netId, security_groups: [sgId, def] },
    });
    return r.port.id as string;
  });
  const fip = Promise.all([extNet, port, iface]).then(async ([ext, portId]) => {
    const r = await call('POST', `${N}/floatingips`, {
      floatingip: { floating_network_id: ext, port_id: portId },
    });
    return r.floatingip.id as string;
  });
  const server = port.then(async (portId) => {
    const boot =
      'image' in seed
        ? { imageRef: seed.image }
        : {
            block_device_mapping: [
              { device_name: 'vda', snapshot_id: seed.snapshot, delete_on_termination: false },
            ],
          };
    const made = await nova(url, tok, 'POST', '/servers', {
      server: {
        name: 'direct-instance',
        flavorRef: '2',
        key_name: 'keyName',
        networks: [{ port: portId }],
        ...boot,
      },
    });
    const id = made.server.id as string;
    await pollUntil(
      async () => (await nova(url, tok, 'GET', `/servers/${id}`)).server.status as string,
      'ACTIVE',
    );
    return id;
  });
  const [sgId, netId, subnetId, routerId, portId, fipId, serverId] = await Promise.all([
    sg,
    net,
    subnet,
    router,
    port,
    fip,
    server,
    iface,
  ]);
  const ids = {
    sg: sgId,
    net: netId,
    subnet: subnetId,
    router: routerId,
    port: portId,
    fip: fipId,
    server: serverId,
  };
  return { ids, ms: performance.now() - t0 };
}

/** Removes them in the reverse of the create graph (Heat's delete order); wall time in ms. */
export async function directDelete(url: string, tok: string, ids: DirectIds): Promise<number> {
  const call = (method: string, p: string, body?: unknown) => api(url, tok, method, p, body);
  const t0 = performance.now();
  const fip = call('DELETE', `${N}/floatingips/${ids.fip}`);
  const server = (async () => {
    await nova(url, tok, 'DELETE', `/servers/${ids.server}`);
    await goneUntil(url, tok, `/compute/v2.1/servers/${ids.server}`);
  })();
  const iface = fip.then(() =>
    call('PUT', `${N}/routers/${ids.router}/remove_router_interface`, { subnet_id: ids.subnet }),
  );
  const port = Promise.all([fip, server]).then(() => call('DELETE', `${N}/ports/${ids.port}`));
  const router = iface.then(() => call('DELETE', `${N}/routers/${ids.router}`));
  const subnet = Promise.all([port, iface]).then(() =>
    call('DELETE', `${N}/subnets/${ids.subnet}`),
  );
  const sg = port.then(() => call('DELETE', `${N}/security-groups/${ids.sg}`));
  const net = subnet.then(() => call('DELETE', `${N}/networks/${ids.net}`));
  await Promise.all([fip, server, iface, port, router, subnet, sg, net]);
  return performance.now() - t0;
}
