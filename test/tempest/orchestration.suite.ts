// The heat-tempest-plugin's API tests (the gabbi suites of heat_tempest_plugin.tests.api)
// against pocketstack's Heat, run by tempest.test.ts.
import { COMMON_CONF } from './conf.js';
import type { TempestSuite } from './harness.js';
import type { Expected } from './results.js';

const REGEX = '^heat_tempest_plugin\\.tests\\.api\\.';
const RUN_TIMEOUT_MS = 15 * 60_000;

/** What a run must show: every gabbi test of the plugin's API suite passes. */
const EXPECTED: Expected = {
  passed: 44,
  skips: [],
  failing: [],
};

/** [heat_plugin] as tempest-heat.md describes it: the demo user, our Keystone, RegionOne. */
const CONF_TEMPLATE = `${COMMON_CONF}
[service_available]
heat = true
nova = false
cinder = false
glance = false
neutron = false
swift = false
horizon = false
placement = false

[heat_plugin]
catalog_type = orchestration
auth_url = http://127.0.0.1:@PORT@/identity/v3
auth_version = 3
username = demo
password = demo
project_name = demo
admin_username = admin
admin_password = @ADMIN_PASSWORD@
admin_project_name = admin
user_domain_name = Default
project_domain_name = Default
region = RegionOne
endpoint_type = public
build_interval = 1
build_timeout = 60
skip_functional_tests = true
skip_scenario_tests = true

[heat_features_enabled]
stack_cancel = false
multi_cloud = false

[oslo_concurrency]
lock_path = @WORKSPACE@/lock
`;

export const orchestrationSuite: TempestSuite = {
  name: 'orchestration',
  confTemplate: CONF_TEMPLATE,
  regex: REGEX,
  // gabbi's files each run in order in one worker: one worker keeps the shared log readable.
  concurrency: 1,
  timeoutMs: RUN_TIMEOUT_MS,
  expected: EXPECTED,
};
