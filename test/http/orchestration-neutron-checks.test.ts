import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NEUTRON_CONSTRAINTS } from '../../src/services/orchestration/resources/neutron/index.js';
import { useApp } from '../helpers/app.js';
import {
  demoRc,
  FIP,
  make,
  NET,
  networkNamed,
  PORT,
  props,
  RI,
  SG,
  SUBNET,
} from './orchestration-neutron-helpers.js';

const fx = useApp();

async function check(name: string, value: unknown): Promise<string | null> {
  const constraint = NEUTRON_CONSTRAINTS.get(name);
  assert.ok(constraint, name);
  return constraint(await demoRc(fx, 'c'), value);
}

describe('custom constraints, with the message Heat gives', () => {
  test('neutron.* find by id, then by name, as neutronclient does', async () => {
    const ext = await networkNamed(fx, 'ext-net');
    assert.equal(await check('neutron.network', 'ext-net'), null);
    assert.equal(await check('neutron.network', ext), null);
    assert.equal(await check('neutron.subnet', 'private-subnet'), null);
    assert.equal(await check('neutron.router', 'router1'), null);
    assert.equal(await check('neutron.security_group', 'default'), null);
    const notFound = (kind: string, v: string) => `Unable to find ${kind} with name or id '${v}'`;
    assert.equal(await check('neutron.network', 'nope'), notFound('network', 'nope'));
    const uuid = '5e0f4a52-3a6b-4d2e-9a53-7e4b7b8a9c10';
    assert.equal(await check('neutron.network', uuid), notFound('network', uuid));
    assert.equal(await check('neutron.subnet', 'nope'), notFound('subnet', 'nope'));
    assert.equal(await check('neutron.port', 'nope'), notFound('port', 'nope'));
    assert.equal(await check('neutron.router', 'nope'), notFound('router', 'nope'));
    assert.equal(await check('neutron.security_group', 'x'), notFound('security_group', 'x'));
    assert.equal(await check('neutron.subnetpool', 'x'), notFound('subnetpool', 'x'));
    assert.equal(
      await check('neutron.qos_policy', 'x'),
      'The neutron extension (qos) could not be found.',
    );
    const rc = await demoRc(fx, 'dup');
    await make(NET, rc, props(NET, { name: 'twice' }));
    await make(NET, rc, props(NET, { name: 'twice' }));
    assert.equal(
      await check('neutron.network', 'twice'),
      "Multiple network matches found for name 'twice', use an ID to be more specific.",
    );
  });

  test('network values: ip_addr, mac_addr, net_cidr, ip_or_cidr, dns names', async () => {
    assert.equal(await check('ip_addr', '10.0.0.1'), null);
    assert.equal(await check('ip_addr', '::1'), null);
    assert.equal(await check('ip_addr', '10.0.0'), 'Invalid IP address');
    assert.equal(await check('ip_addr', 7), 'Invalid IP address');
    assert.equal(await check('mac_addr', 'fa:16:3e:00:00:01'), null);
    assert.equal(await check('mac_addr', 'fa-16-3e-00-00-01'), null);
    assert.equal(await check('mac_addr', 'fa:16:3e'), 'Invalid MAC address.');
    assert.equal(await check('net_cidr', '10.0.0.0/24'), null);
    assert.equal(await check('net_cidr', 'x'), 'Invalid net cidr invalid IPNetwork x ');
    assert.equal(
      await check('net_cidr', '10.0.0.1'),
      "'10.0.0.1' isn't a recognized IP subnet cidr, '10.0.0.1/32' is recommended",
    );
    assert.equal(await check('ip_or_cidr', '10.0.0.0/8'), null);
    assert.equal(await check('ip_or_cidr', '10.0.0.1'), null);
    assert.equal(await check('ip_or_cidr', 'x'), "'x' is not a valid IP address");
    assert.equal(await check('dns_name', 'host-1.example.com'), null);
    assert.equal(
      await check('dns_name', 'a_b'),
      "'a_b' not in valid format. Reason: Name 'a_b' must be 1-63 characters long, each of which can only be alphanumeric or a hyphen.",
    );
    assert.equal(
      await check('dns_name', '-a'),
      "'-a' not in valid format. Reason: Name '-a' must not start or end with a hyphen.",
    );
    assert.equal(await check('dns_domain', 'example.com.'), null);
    assert.equal(await check('dns_domain', 'example.com'), "'example.com' must end with '.'.");
    assert.equal(await check('rel_dns_name', 'host'), null);
    assert.equal(
      await check('rel_dns_name', 'host.'),
      "'host.' is a FQDN. It should be a relative domain name.",
    );
  });
});

describe("the types' own refusals", () => {
  test('validate: property combinations, with Heat exception types and texts', async () => {
    const rc = await demoRc(fx, 'v');
    const refuses = (p: Promise<void> | undefined, type: string, message: string) =>
      assert.rejects(p!, (e: { type: string; message: string }) => {
        assert.equal(e.type, type);
        assert.equal(e.message, message);
        return true;
      });
    await refuses(
      NET.validate?.(rc, props(NET, { value_specs: { mtu: 1400, shared: true, name: 'x' } })),
      'StackValidationFailed',
      'shared, name not allowed in value_specs',
    );
    await refuses(
      SG.validate?.(rc, props(SG, { name: 'default' })),
      'StackValidationFailed',
      'Security groups cannot be assigned the name "default".',
    );
    await refuses(
      SUBNET.validate?.(rc, props(SUBNET, { network: 'n' })),
      'PropertyUnspecifiedError',
      'At least one of the following properties must be specified: subnetpool, cidr.',
    );
    await refuses(
      SUBNET.validate?.(rc, props(SUBNET, { network: 'n', cidr: '10.0.0.0/24', subnetpool: 'p' })),
      'ResourcePropertyConflict',
      'Cannot define the following properties at the same time: subnetpool, cidr.',
    );
    await refuses(
      SUBNET.validate?.(rc, props(SUBNET, { network: 'n', cidr: '10.0.0.0/24', gateway_ip: 'x' })),
      'StackValidationFailed',
      `('Gateway IP address "%(gateway)s" is in invalid format.', 'x')`,
    );
    await refuses(
      RI.validate?.(rc, props(RI, { router: 'r' })),
      'PropertyUnspecifiedError',
      'At least one of the following properties must be specified: subnet, port.',
    );
    await refuses(
      FIP.validate?.(rc, props(FIP, { floating_network: 'n', fixed_ip_address: '10.0.0.1' })),
      'ResourcePropertyDependency',
      'fixed_ip_address cannot be specified without port_id.',
    );
  });

  test('create: names that resolve to nothing, with the texts Heat reports', async () => {
    const rc = await demoRc(fx, 'e');
    await assert.rejects(PORT.create(rc, props(PORT, { network: 'nope' })), {
      type: 'NotFound',
      message: "Unable to find network with name or id 'nope'",
    });
    const net = await make(NET, rc, props(NET, {}));
    await make(SUBNET, rc, props(SUBNET, { network: net, cidr: '10.5.0.0/24' }));
    await assert.rejects(PORT.create(rc, props(PORT, { network: net, security_groups: ['x'] })), {
      type: 'EntityNotFound',
      message: 'The Resource (x) could not be found.',
    });
    await assert.rejects(FIP.create(rc, props(FIP, { floating_network: 'nope' })), {
      message: "Unable to find network with name or id 'nope'",
    });
    // Neutron's own refusal of the body Heat builds comes through as Neutron words it.
    await assert.rejects(
      SUBNET.create(rc, props(SUBNET, { network: net, cidr: '10.5.0.0/24', ip_version: 6 })),
      { status: 400 },
    );
  });
});
