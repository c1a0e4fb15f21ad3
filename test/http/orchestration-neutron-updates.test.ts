import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useApp } from '../helpers/app.js';
import {
  deleteTwice,
  demoRc,
  make,
  NET,
  PORT,
  props,
  ROUTER,
  SG,
  SUBNET,
} from './orchestration-neutron-helpers.js';

const fx = useApp();

describe('updates in place, as handle_update makes them', () => {
  test('Net: name, admin_state_up and tags; a name taken away is the physical name again', async () => {
    const rc = await demoRc(fx, 'net');
    const p = props(NET, {});
    const id = await make(NET, rc, p);
    assert.equal(await NET.attribute(rc, id, 'name', p), 'st-net-abcdefghijkl');
    const next = { ...p, name: 'renamed', admin_state_up: false, tags: ['a', 'b'] };
    await NET.update!(rc, id, next, p, ['name', 'admin_state_up', 'tags']);
    assert.equal(await NET.checkUpdateComplete!(rc, id, next), true);
    assert.equal(await NET.attribute(rc, id, 'name', next), 'renamed');
    assert.equal(await NET.attribute(rc, id, 'admin_state_up', next), false);
    assert.deepEqual(((await NET.show!(rc, id)) as { tags: string[] }).tags.sort(), ['a', 'b']);
    await NET.update!(rc, id, { ...next, name: null }, next, ['name']);
    assert.equal(await NET.attribute(rc, id, 'name', next), 'st-net-abcdefghijkl');
    await deleteTwice(NET, rc, id, next);
  });

  test("Subnet: '' for no gateway; name, DNS, pools and gateway updated; a removed gateway is detached", async () => {
    const rc = await demoRc(fx, 'sub');
    const net = await make(NET, rc, props(NET, {}));
    const p = props(SUBNET, { network: net, cidr: '10.1.0.0/24', gateway_ip: '' });
    const id = await make(SUBNET, rc, p);
    assert.equal(await SUBNET.attribute(rc, id, 'gateway_ip', p), null);
    assert.equal(await SUBNET.attribute(rc, id, 'name', p), 'st-sub-abcdefghijkl');
    const next = {
      ...p,
      name: 'sub2',
      dns_nameservers: ['1.1.1.1'],
      gateway_ip: '10.1.0.1',
      allocation_pools: [{ start: '10.1.0.100', end: '10.1.0.200' }],
    };
    await SUBNET.update!(rc, id, next, p, [
      'name',
      'dns_nameservers',
      'gateway_ip',
      'allocation_pools',
    ]);
    const shown = (await SUBNET.show!(rc, id)) as Record<string, unknown>;
    assert.equal(shown.name, 'sub2');
    assert.deepEqual(shown.dns_nameservers, ['1.1.1.1']);
    assert.equal(shown.gateway_ip, '10.1.0.1');
    assert.deepEqual(shown.allocation_pools, [{ start: '10.1.0.100', end: '10.1.0.200' }]);
    await SUBNET.update!(rc, id, { ...next, gateway_ip: null }, next, ['gateway_ip']);
    assert.equal(await SUBNET.attribute(rc, id, 'gateway_ip', next), null);
    await deleteTwice(SUBNET, rc, id, next);
    await deleteTwice(NET, rc, net, {});
  });

  test('Port: fixed IP by subnet name, then name, state and groups (none means default)', async () => {
    const rc = await demoRc(fx, 'port');
    const net = await make(NET, rc, props(NET, {}));
    const subP = props(SUBNET, { network: net, cidr: '10.2.0.0/24', name: 'port-sub' });
    const sub = await make(SUBNET, rc, subP);
    const sgP = props(SG, { name: 'port-sg' });
    const sg = await make(SG, rc, sgP);
    const p = props(PORT, {
      network: net,
      fixed_ips: [{ subnet: 'port-sub', ip_address: '10.2.0.50', subnet_id: null }],
      security_groups: ['port-sg'],
    });
    const id = await make(PORT, rc, p);
    assert.deepEqual(await PORT.attribute(rc, id, 'fixed_ips', p), [
      { subnet_id: sub, ip_address: '10.2.0.50' },
    ]);
    assert.deepEqual(await PORT.attribute(rc, id, 'security_groups', p), [sg]);
    const next = { ...p, name: 'p2', admin_state_up: false, security_groups: null };
    await PORT.update!(rc, id, next, p, ['name', 'admin_state_up', 'security_groups']);
    assert.equal(await PORT.checkUpdateComplete!(rc, id, next), true);
    assert.equal(await PORT.attribute(rc, id, 'name', next), 'p2');
    assert.equal(await PORT.attribute(rc, id, 'admin_state_up', next), false);
    const groups = (await PORT.attribute(rc, id, 'security_groups', next)) as string[];
    assert.equal(groups.length, 1);
    assert.notEqual(groups[0], sg);
    await deleteTwice(PORT, rc, id, next);
    await deleteTwice(SG, rc, sg, sgP);
    await deleteTwice(SUBNET, rc, sub, subP);
    await deleteTwice(NET, rc, net, {});
  });

  test('Router: name and state; the gateway set, then taken away', async () => {
    const rc = await demoRc(fx, 'router');
    const p = props(ROUTER, {});
    const id = await make(ROUTER, rc, p);
    assert.equal(await ROUTER.attribute(rc, id, 'external_gateway_info', p), null);
    assert.equal(await ROUTER.attribute(rc, id, 'status', p), 'ACTIVE');
    const next = {
      ...p,
      name: 'r2',
      admin_state_up: false,
      external_gateway_info: { network: 'ext-net', enable_snat: null, external_fixed_ips: null },
    };
    await ROUTER.update!(rc, id, next, p, ['name', 'admin_state_up', 'external_gateway_info']);
    assert.equal(await ROUTER.attribute(rc, id, 'name', next), 'r2');
    assert.equal(await ROUTER.attribute(rc, id, 'admin_state_up', next), false);
    assert.ok(await ROUTER.attribute(rc, id, 'external_gateway_info', next));
    const last = { ...next, external_gateway_info: null };
    await ROUTER.update!(rc, id, last, next, ['external_gateway_info']);
    assert.equal(await ROUTER.attribute(rc, id, 'external_gateway_info', last), null);
    await deleteTwice(ROUTER, rc, id, last);
  });

  test('SecurityGroup: an egress rule replaces the default egress rules; no rules bring them back', async () => {
    const rc = await demoRc(fx, 'sg');
    const p = props(SG, { description: 'one' });
    const id = await make(SG, rc, p);
    const rulesOf = async () =>
      (
        (await SG.show!(rc, id)) as { security_group_rules: Record<string, unknown>[] }
      ).security_group_rules
        .map((r) => `${r.direction} ${r.ethertype} ${r.protocol}`)
        .sort();
    assert.deepEqual(await rulesOf(), ['egress IPv4 null', 'egress IPv6 null']);
    const next = {
      ...p,
      description: 'two',
      rules: [{ direction: 'egress', protocol: 'udp' }, { protocol: 'tcp' }],
    };
    await SG.update!(rc, id, next, p, ['description', 'rules']);
    assert.deepEqual(await rulesOf(), ['egress IPv4 udp', 'ingress IPv4 tcp']);
    assert.equal(((await SG.show!(rc, id)) as { description: string }).description, 'two');
    await SG.update!(rc, id, { ...next, rules: [] }, next, ['rules']);
    assert.deepEqual(await rulesOf(), ['egress IPv4 null', 'egress IPv6 null']);
    await deleteTwice(SG, rc, id, next);
  });
});
