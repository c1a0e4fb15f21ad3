// Debian's Tempest 33 compute API tests that need no servers yet (versions, absolute limits,
// quota sets and classes, flavors with their extra specs and access lists, key pairs), run by
// tempest.test.ts.
import { COMMON_CONF } from './conf.js';
import type { TempestSuite } from './harness.js';
import type { Expected } from './results.js';

/** The modules of tempest.api.compute that work without servers; the quota and limit negatives create servers. */
const MODULES = [
  'test_versions',
  'limits\\.test_absolute_limits',
  'test_quotas',
  'admin\\.test_quotas',
  'flavors\\.test_flavors',
  'flavors\\.test_flavors_negative',
  'admin\\.test_flavors',
  'admin\\.test_flavors_microversions',
  'admin\\.test_flavors_extra_specs',
  'admin\\.test_flavors_extra_specs_negative',
  'admin\\.test_flavors_access',
  'admin\\.test_flavors_access_negative',
  'keypairs\\.test_keypairs',
  'keypairs\\.test_keypairs_negative',
  'keypairs\\.test_keypairs_v22',
];
const REGEX = `^tempest\\.api\\.compute\\.(${MODULES.join('|')})\\.`;
/** The two tests in those modules that boot a server: they come with servers. */
const EXCLUDE = '(test_create_server_with_non_public_flavor|test_boot_with_low_ram)';
const RUN_TIMEOUT_MS = 10 * 60_000;

/**
 * What a run must show. Update `passed` when a change makes more tests pass. No skip is allowed:
 * every test in these modules runs against pocketstack.
 */
const EXPECTED: Expected = { passed: 72, skips: [] };

const CONF_TEMPLATE = `${COMMON_CONF}
[service_available]
nova = true
cinder = true
glance = true
neutron = false
swift = false
horizon = false
placement = false

[compute]
catalog_type = compute
endpoint_type = publicURL
min_microversion = 2.1
max_microversion = 2.93

[compute-feature-enabled]
unified_limits = false

[oslo_concurrency]
lock_path = @WORKSPACE@/lock
`;

export const computeSuite: TempestSuite = {
  name: 'compute',
  confTemplate: CONF_TEMPLATE,
  regex: REGEX,
  excludeRegex: EXCLUDE,
  timeoutMs: RUN_TIMEOUT_MS,
  concurrency: 2,
  expected: EXPECTED,
};
