import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ResourceContext } from '../../src/services/orchestration/resources/types.js';
import { useApp } from '../helpers/app.js';
import {
  deleteTwice,
  demoRc,
  FIP,
  FIPA,
  make,
  NET,
  networkNamed,
  PORT,
  props,
  RG,
  RI,
  ROUTER,
  SG,
  SGR,
  SUBNET,
} from './orchestration-neutron-helpers.js';

const fx = useApp();

/** A project network with a subnet, routed to ext-net, and two ports on it. */
async function routedPorts(rc: ResourceContext, cidr: string) {
  const net = await make(NET, rc, props(NET, {}));
  const sub = await make(SUBNET, rc, props(SUBNET, { network: net, cidr }));
  const router = await make(ROUTER, rc, props(ROUTER, {}));
  const gw = await make(RG, rc, props(RG, { router_id: router, network: 'ext-net' }));
  const ri = await make(RI, rc, props(RI, { router, subnet: sub }));
  const ports = [
    await make(PORT, rc, props(PORT, { network: net })),
    await make(PORT, rc, props(PORT, { network: net })),
  ];
  return { net, sub, router, gw, ri, ports };
}

describe('router gateway, interfaces, floating IPs and rules', () => {
  test('RouterGateway and RouterInterface by port: ids as Heat makes them, removal idempotent', async () => {
    const rc = await demoRc(fx, 'l3');
    const t = await routedPorts(rc, '10.3.0.0/24');
    const ext = await networkNamed(fx, 'ext-net');
    assert.equal(t.gw, `${t.router}:${ext}`);
    const gwInfo = (await ROUTER.attribute(rc, t.router, 'external_gateway_info', {})) as {
      network_id: string;
    };
    assert.equal(gwInfo.network_id, ext);
    const other = await make(NET, rc, props(NET, {}));
    await make(SUBNET, rc, props(SUBNET, { network: other, cidr: '10.9.0.0/24' }));
    const port = await make(PORT, rc, props(PORT, { network: other }));
    const byPort = await make(RI, rc, props(RI, { router: t.router, port }));
    assert.equal(byPort, `${t.router}:port_id=${port}`);
    assert.equal(await PORT.attribute(rc, port, 'device_owner', {}), 'network:router_interface');
    await deleteTwice(RI, rc, byPort, {});
    // An id of an old stack, "<router>:<subnet>", is read as a subnet interface.
    await deleteTwice(RI, rc, `${t.router}:${t.sub}`, {});
    await deleteTwice(RG, rc, t.gw, {});
    assert.equal(await ROUTER.attribute(rc, t.router, 'external_gateway_info', {}), null);
    await ROUTER.delete(rc, t.router, {});
  });

  test('FloatingIP: associated, moved and freed by update; FloatingIPAssociation does the same', async () => {
    const rc = await demoRc(fx, 'fip');
    const t = await routedPorts(rc, '10.4.0.0/24');
    const [a, b] = t.ports as [string, string];
    const p = props(FIP, { floating_network: 'ext-net' });
    const fip = await make(FIP, rc, p);
    assert.equal(await FIP.attribute(rc, fip, 'port_id', p), null);
    const withA = { ...p, port_id: a };
    await FIP.update!(rc, fip, withA, p, ['port_id']);
    assert.equal(await FIP.attribute(rc, fip, 'port_id', withA), a);
    assert.equal(await FIP.attribute(rc, fip, 'router_id', withA), t.router);
    await FIP.update!(rc, fip, p, withA, ['port_id']);
    assert.equal(await FIP.attribute(rc, fip, 'port_id', p), null);

    const aP = props(FIPA, { floatingip_id: fip, port_id: a });
    const assoc = await make(FIPA, rc, aP);
    assert.equal(await FIP.attribute(rc, fip, 'port_id', p), a);
    const bP = { ...aP, port_id: b };
    await FIPA.update!(rc, assoc, bP, aP, ['port_id']);
    assert.equal(await FIP.attribute(rc, fip, 'port_id', p), b);
    await deleteTwice(FIPA, rc, assoc, bP);
    assert.equal(await FIP.attribute(rc, fip, 'port_id', p), null);
    await deleteTwice(FIP, rc, fip, p);
    // A floating IP that is gone makes the association's delete a no-op too.
    await FIPA.delete(rc, assoc, bP);
  });

  test('SecurityGroupRule: group and remote group by name, port numbers kept', async () => {
    const rc = await demoRc(fx, 'rule');
    const sgP = props(SG, { name: 'rule-sg' });
    const sg = await make(SG, rc, sgP);
    const p = props(SGR, {
      security_group: 'rule-sg',
      remote_group: 'default',
      port_range_min: 80,
      port_range_max: 81,
    });
    const id = await make(SGR, rc, p);
    const rule = (await SGR.show!(rc, id)) as Record<string, unknown>;
    assert.equal(rule.security_group_id, sg);
    assert.equal(rule.protocol, 'tcp');
    assert.equal(rule.direction, 'ingress');
    assert.equal(rule.port_range_min, 80);
    assert.equal(rule.port_range_max, 81);
    assert.notEqual(rule.remote_group_id, null);
    await deleteTwice(SGR, rc, id, p);
    await deleteTwice(SG, rc, sg, sgP);
  });
});
