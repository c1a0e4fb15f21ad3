import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useApp } from '../helpers/app.js';
import {
  deleteTwice,
  demoRc,
  FIP,
  make,
  NET,
  networkNamed,
  PORT,
  props,
  RI,
  ROUTER,
  SG,
  SUBNET,
} from './orchestration-neutron-helpers.js';

const fx = useApp();

describe("the seed template's network set", () => {
  test('security group, net, subnet, port, router, interface, floating IP; then deleted in reverse', async () => {
    const rc = (n: string) => demoRc(fx, n);
    const sgP = props(SG, {
      description: 'allow incoming SSH and ICMP traffic from anywhere.',
      name: 'allow incoming traffic, tcp port 22 and icmp',
      rules: [
        {
          direction: 'ingress',
          remote_ip_prefix: '0.0.0.0/0',
          port_range_min: 22,
          port_range_max: 22,
          protocol: 'tcp',
        },
        { direction: 'ingress', remote_ip_prefix: '0.0.0.0/0', protocol: 'icmp' },
      ],
    });
    const sgRc = await rc('allow_ssh');
    const sg = await make(SG, sgRc, sgP);
    const group = (await SG.show!(sgRc, sg)) as { name: string; security_group_rules: any[] };
    assert.equal(group.name, 'allow incoming traffic, tcp port 22 and icmp');
    const rules = group.security_group_rules.map(
      (r) =>
        `${r.direction} ${r.ethertype} ${r.protocol} ${r.port_range_min}-${r.port_range_max} ${r.remote_ip_prefix}`,
    );
    assert.deepEqual(rules.sort(), [
      'egress IPv4 null null-null null',
      'egress IPv6 null null-null null',
      'ingress IPv4 icmp null-null 0.0.0.0/0',
      'ingress IPv4 tcp 22-22 0.0.0.0/0',
    ]);

    const netRc = await rc('example_net');
    const netP = props(NET, { name: 'example-net' });
    const net = await make(NET, netRc, netP);
    assert.equal(await NET.attribute(netRc, net, 'name', netP), 'example-net');

    const subRc = await rc('example_subnet');
    const subP = props(SUBNET, {
      name: 'example_subnet',
      dns_nameservers: ['8.8.8.8', '8.8.4.4'],
      network: net,
      ip_version: 4,
      cidr: '10.0.0.0/24',
      allocation_pools: [{ start: '10.0.0.10', end: '10.0.0.250' }],
    });
    const sub = await make(SUBNET, subRc, subP);
    assert.deepEqual(await SUBNET.attribute(subRc, sub, 'allocation_pools', subP), [
      { start: '10.0.0.10', end: '10.0.0.250' },
    ]);
    assert.deepEqual(await SUBNET.attribute(subRc, sub, 'dns_nameservers', subP), [
      '8.8.8.8',
      '8.8.4.4',
    ]);
    assert.equal(await SUBNET.attribute(subRc, sub, 'gateway_ip', subP), '10.0.0.1');
    assert.equal(await SUBNET.attribute(subRc, sub, 'network_id', subP), net);
    assert.equal(await SUBNET.attribute(subRc, sub, 'enable_dhcp', subP), true);
    assert.deepEqual(await NET.attribute(netRc, net, 'subnets', netP), [sub]);
    assert.equal(await NET.attribute(netRc, net, 'mtu', netP), 1450);
    assert.equal(await NET.attribute(netRc, net, 'tenant_id', netP), fx.demoProject);
    assert.equal(await NET.attribute(netRc, net, 'status', netP), 'ACTIVE');
    assert.equal(await NET.attribute(netRc, net, 'port_security_enabled', netP), true);
    assert.equal(await SUBNET.attribute(subRc, sub, 'tenant_id', subP), fx.demoProject);
    assert.equal(((await NET.show!(netRc, net)) as { id: string }).id, net);

    const portRc = await rc('example_port');
    const portP = props(PORT, { network: net, security_groups: [sg, 'default'] });
    const port = await make(PORT, portRc, portP);
    const fixed = (await PORT.attribute(portRc, port, 'fixed_ips', portP)) as any[];
    assert.equal(fixed.length, 1);
    assert.equal(fixed[0].subnet_id, sub);
    assert.equal(fixed[0].ip_address, '10.0.0.10');
    const groups = (await PORT.attribute(portRc, port, 'security_groups', portP)) as string[];
    assert.equal(groups.length, 2);
    assert.ok(groups.includes(sg));
    assert.equal(await PORT.attribute(portRc, port, 'name', portP), 'st-example_port-abcdefghijkl');
    assert.match(String(await PORT.attribute(portRc, port, 'mac_address', portP)), /^fa:16:3e/);
    const subnets = (await PORT.attribute(portRc, port, 'subnets', portP)) as any[];
    assert.equal(subnets[0].id, sub);
    assert.equal(((await PORT.attribute(portRc, port, 'network', portP)) as any).id, net);

    const rRc = await rc('example_router');
    const rP = props(ROUTER, { external_gateway_info: { network: 'ext-net' } });
    const router = await make(ROUTER, rRc, rP);
    const gw = (await ROUTER.attribute(rRc, router, 'external_gateway_info', rP)) as any;
    const extNet = await networkNamed(fx, 'ext-net');
    assert.equal(gw.network_id, extNet);
    assert.equal(await ROUTER.attribute(rRc, router, 'name', rP), 'st-example_router-abcdefghijkl');

    const riRc = await rc('router_subnet_connect');
    const riP = props(RI, { router, subnet: sub });
    const ri = await make(RI, riRc, riP);
    assert.equal(ri, `${router}:subnet_id=${sub}`);

    const fipRc = await rc('floating_ip');
    const fipP = props(FIP, { floating_network: 'ext-net', port_id: port });
    const fip = await make(FIP, fipRc, fipP);
    assert.equal(await FIP.attribute(fipRc, fip, 'port_id', fipP), port);
    assert.equal(await FIP.attribute(fipRc, fip, 'fixed_ip_address', fipP), '10.0.0.10');
    assert.equal(await FIP.attribute(fipRc, fip, 'router_id', fipP), router);
    assert.equal(await FIP.attribute(fipRc, fip, 'floating_network_id', fipP), extNet);
    assert.match(String(await FIP.attribute(fipRc, fip, 'floating_ip_address', fipP)), /\./);

    await deleteTwice(FIP, fipRc, fip, fipP);
    await deleteTwice(RI, riRc, ri, riP);
    await deleteTwice(ROUTER, rRc, router, rP);
    await deleteTwice(PORT, portRc, port, portP);
    await deleteTwice(SUBNET, subRc, sub, subP);
    await deleteTwice(NET, netRc, net, netP);
    await deleteTwice(SG, sgRc, sg, sgP);
    const ctx = sgRc.ctx;
    await assert.rejects(fx.t.app.network.networks.get(ctx, net), /could not be found/);
    await assert.rejects(fx.t.app.network.securityGroups.get(ctx, sg), /does not exist/);
    await assert.rejects(fx.t.app.network.floatingIps.get(ctx, fip), /could not be found/);
  });
});
