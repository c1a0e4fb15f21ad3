// Debian's Tempest 33 Neutron API tests (networks, subnets and allocation pools, ports, routers,
// security groups, floating IPs, external networks, quotas, tags, subnet pools, extensions,
// versions), run by tempest.test.ts next to the other suites.
import assert from 'node:assert/strict';
import { COMMON_CONF } from './conf.js';
import { adminSession, endpointOf } from './admin-session.js';
import type { SuiteContext, TempestSuite } from './harness.js';
import type { Expected } from './results.js';
import { Extensions } from '../../src/services/network/extensions.js';

/** The name `npm start` gives the external network (--external-network's default). */
const EXTERNAL_NETWORK = 'ext-net';

/**
 * Exactly these modules of tempest.api.network (the trailing \. keeps test_networks from matching
 * test_networks_negative). Subnets and allocation pools are tested in test_networks and test_ports.
 * Left out: agents, DHCP agents, DHCPv6 and extra DHCP options, allowed address pairs, metering,
 * DVR routers and service providers.
 */
const MODULES = [
  'test_networks',
  'test_networks_negative',
  'test_ports',
  'test_routers',
  'test_routers_negative',
  'test_security_groups',
  'test_security_groups_negative',
  'test_floating_ips',
  'test_floating_ips_negative',
  'test_extensions',
  'test_tags',
  'test_subnetpools_extensions',
  'test_versions',
  'admin\\.test_quotas',
  'admin\\.test_negative_quotas',
  'admin\\.test_external_network_extension',
  'admin\\.test_external_networks_negative',
  'admin\\.test_routers',
  'admin\\.test_routers_negative',
  'admin\\.test_floating_ips_admin_actions',
  'admin\\.test_ports',
];
const REGEX = `^tempest\\.api\\.network\\.(${MODULES.join('|')})\\.`;
/** Tempest sleeps 10 s before every subnet delete (subnets_client.py): about 130 of them. */
const RUN_TIMEOUT_MS = 25 * 60_000;

/**
 * What a run must show: the regex selects 221 tests (IPv6 subclasses included). `passed` is the
 * target once Neutron is complete (221 minus the skips below); lower it while building, raise it
 * back as tests pass. A skip for any reason not listed, or a different number of skips, fails the
 * suite. Each skip is a decorator or skip_checks() reading this tempest.conf:
 */
const EXPECTED: Expected = {
  passed: 214,
  skips: [
    // [service_available] nova = false (@utils.services('compute')): admin/test_ports binds ports
    // to a host read from Nova's os-hypervisors (create/update/list_port_binding_ext_attr, IPv4
    // and IPv6 classes). Turn nova on here, for +6, once Nova lists hypervisors.
    { reason: 'Skipped because the compute service is not available', count: 6 },
    // `dvr` is not in [network-feature-enabled] api_extensions: no distributed routers
    // (DvrRoutersNegativeTest, one setUpClass skip).
    { reason: 'DVR extension not enabled.', count: 1 },
  ],
};

/**
 * [network-feature-enabled] api_extensions: exactly what the server advertises at
 * /v2.0/extensions, read from the same list, so Tempest runs or skips tests by what is served
 * (test_extensions also checks a fixed set of aliases against the live list).
 */
const API_EXTENSIONS = new Extensions()
  .list()
  .map((e) => e.alias)
  .join(',');

const CONF_TEMPLATE = `${COMMON_CONF}
[service_available]
neutron = true
nova = false
cinder = false
glance = false
swift = false
horizon = false
placement = false

[network]
catalog_type = network
endpoint_type = publicURL
project_network_cidr = 10.100.0.0/16
project_network_mask_bits = 28
project_network_v6_cidr = 2001:db8::/48
project_network_v6_mask_bits = 64
public_network_id = @PUBLIC_NETWORK_ID@
floating_network_name = ${EXTERNAL_NETWORK}
public_router_id =
default_network = 1.0.0.0/16,2.0.0.0/16
shared_physical_network = false

[network-feature-enabled]
api_extensions = ${API_EXTENSIONS}
ipv6 = true
ipv6_subnet_attributes = true
floating_ips = true
port_security = true
port_admin_state_change = true

[validation]
run_validation = false

[oslo_concurrency]
lock_path = @WORKSPACE@/lock
`;

/** Finds the external network `npm start` made, for [network] public_network_id. */
async function prepare({ server }: SuiteContext): Promise<Record<string, string>> {
  const { token, catalog } = await adminSession(server);
  const neutron = endpointOf(catalog, 'network');
  const query = new URLSearchParams({ name: EXTERNAL_NETWORK, 'router:external': 'true' });
  const res = await fetch(`${neutron}/v2.0/networks?${query}`, {
    headers: { 'x-auth-token': token },
  });
  const text = await res.text();
  assert.equal(res.status, 200, `listing external networks failed: ${res.status} ${text}`);
  const { networks } = JSON.parse(text) as { networks: { id: string; subnets: string[] }[] };
  assert.equal(networks.length, 1, `expected one external network ${EXTERNAL_NETWORK}: ${text}`);
  assert.ok(networks[0]!.subnets.length > 0, `${EXTERNAL_NETWORK} has no subnet: ${text}`);
  return { PUBLIC_NETWORK_ID: networks[0]!.id };
}

export const networkSuite: TempestSuite = {
  name: 'network',
  confTemplate: CONF_TEMPLATE,
  regex: REGEX,
  timeoutMs: RUN_TIMEOUT_MS,
  // Mostly Tempest sleeping (see above): four workers finish sooner without loading the machine.
  concurrency: 4,
  prepare,
  expected: EXPECTED,
};
