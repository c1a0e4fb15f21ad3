// Runs Debian's Tempest 33 image v2 API tests (metadefs excluded) against the real server.
import { test } from 'node:test';
import { COMMON_CONF, IMAGE_FORMATS_CONF, runTempestSuite } from './harness.js';

const REGEX = '^tempest\\.api\\.image\\.v2';
const EXCLUDE_REGEX = 'metadefs';
const RUN_TIMEOUT_MS = 15 * 60_000;

/**
 * The tempest.conf that reproduced real Glance Zed's result (docs: shared reference
 * tempest.conf.example): tempest.api.image.v2 without metadefs -> 44 passed, 6 skipped.
 * Import, caching and locations tests are skipped by these options.
 */
const CONF_TEMPLATE = `${COMMON_CONF}
[service_available]
glance = true
cinder = false
nova = false
neutron = false
swift = false
horizon = false
placement = false

${IMAGE_FORMATS_CONF}
[image-feature-enabled]
api_v2 = true
api_v1 = false
import_image = false
os_glance_reserved = true

[volume]
catalog_type = volumev3
backend_names = default
min_microversion = 3.0
max_microversion = 3.70

[volume-feature-enabled]
backup = false
snapshot = true
clone = true
manage_snapshot = false
manage_volume = false

[validation]
run_validation = false

[oslo_concurrency]
lock_path = @WORKSPACE@/lock
`;

test('tempest image v2 API tests pass', { timeout: RUN_TIMEOUT_MS + 5 * 60_000 }, async (t) => {
  await runTempestSuite(t, {
    confTemplate: CONF_TEMPLATE,
    regex: REGEX,
    excludeRegex: EXCLUDE_REGEX,
    timeoutMs: RUN_TIMEOUT_MS,
  });
});
