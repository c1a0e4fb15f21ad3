// The heat-tempest-plugin's API tests (the gabbi suites of heat_tempest_plugin.tests.api)
// against pocketstack's Heat, run by tempest.test.ts.
import { COMMON_CONF, HEAT_PLUGIN_ACCOUNTS } from './conf.js';
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
${HEAT_PLUGIN_ACCOUNTS}
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
