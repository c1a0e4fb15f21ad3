// Debian's Tempest 33 compute API tests: versions, limits, quotas, flavors and key pairs, and now
// servers, server actions, images (instance snapshots, the image proxy), volume attachments, the
// quota and limit negatives that boot servers, and the scenarios that boot from volume
// snapshots; run by tempest.test.ts.
import assert from 'node:assert/strict';
import { COMMON_CONF, IMAGE_FORMATS_CONF } from './conf.js';
import { adminSession, endpointOf } from './admin-session.js';
import type { SuiteContext, TempestSuite } from './harness.js';
import type { Expected } from './results.js';

/** Modules of tempest.api.compute; the trailing \. keeps e.g. test_servers from matching _negative. */
const MODULES = [
  'test_versions',
  'limits\\.test_absolute_limits',
  'limits\\.test_absolute_limits_negative',
  'test_quotas',
  'admin\\.test_quotas',
  'admin\\.test_quotas_negative',
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
  // Every servers/* module; those needing a guest or an unbuilt feature skip by the conf below.
  'servers\\.[a-z_0-9]+',
  'images\\.[a-z_0-9]+',
  'volumes\\.test_attach_volume',
  'volumes\\.test_attach_volume_negative',
];
/** The two scenario tests that boot from volume snapshots and from image-defined BDMs. */
const SCENARIOS =
  'scenario\\.test_volume_boot_pattern\\.TestVolumeBootPattern\\.' +
  '(test_create_server_from_volume_snapshot|test_image_defined_boot_from_volume)';
const REGEX = `^tempest\\.(api\\.compute\\.(${MODULES.join('|')})\\.|${SCENARIOS})`;
/** A run takes about 4 minutes on two cores. */
const RUN_TIMEOUT_MS = 20 * 60_000;

/**
 * What a run must show. Update `passed` when a change makes more tests pass. Each skip is a
 * decorator or skip_checks() reading this tempest.conf, for the reason given; `failing` names
 * the tests that fail today because the feature they call is still being built (see below).
 */
const EXPECTED: Expected = {
  passed: 304,
  skips: [
    // xenapi_apis = false: Nova's own rule (server metadata writes are Xen-only in Tempest).
    { reason: 'Metadata is read-only on non-Xen-based deployments.', count: 9 },
    // [validation] run_validation = false: the fake driver runs no guest to log in to.
    { reason: 'Instance validation tests are disabled.', count: 4 },
    {
      reason:
        'Validation should be enabled to ensure guest OS is running and capable of processing ACPI events.',
      count: 3,
    },
    { reason: 'Validation must be enabled', count: 3 },
    // disk_config = false: OS-DCF:diskConfig is not stored (always MANUAL).
    { reason: 'DiskConfig extension not enabled.', count: 2 },
    // vnc_console, personality = false: not built.
    { reason: 'VNC Console feature is disabled.', count: 2 },
    { reason: 'Nova personality feature disabled', count: 2 },
    // Tempest's own rule: the v2.1 maximum (2.93) is past nova-network's removal.
    { reason: 'nova-network is gone', count: 2 },
    // hostname_fqdn_sanitization = false (and it needs a guest).
    { reason: 'FQDN hostname sanitization is not supported.', count: 1 },
    // No [compute] certified_image_ref: no trusted image certificates.
    {
      reason: '``[compute]/certified_image_ref`` required to test image certificate validation.',
      count: 1,
    },
    // stable_rescue = false: stable device rescue (2.87, hw_rescue_* image properties) is not built.
    { reason: 'Stable rescue not available.', count: 3 },
    // No [network] public_network_id: the floating IP variants of the rescue tests.
    { reason: 'The public_network_id option must be specified.', count: 1 },
    // volume_multiattach = false.
    { reason: 'Volume multi-attach is not available.', count: 1 },
    // Tempest's own skip_because on the security-group quota tests (nova-network quotas).
    {
      reason: 'Skipped until bug: https://launchpad.net/bugs/1186354 is resolved.',
      count: 2,
    },
  ],
  // Tests that fail today, each with its reason (none).
  failing: [],
};

const CONF_TEMPLATE = `${COMMON_CONF}
[service_available]
nova = true
cinder = true
glance = true
neutron = true
swift = false
horizon = false
placement = false

[compute]
catalog_type = compute
endpoint_type = publicURL
min_microversion = 2.1
max_microversion = 2.93
image_ref = @IMAGE_ID@
image_ref_alt = @IMAGE_ALT_ID@
flavor_ref = 42
flavor_ref_alt = 84
fixed_network_name = @NETWORK_NAME@
build_interval = 1
build_timeout = 60
shelved_offload_time = 0

[compute-feature-enabled]
unified_limits = false
disk_config = false
console_output = true
pause = true
suspend = true
shelve = true
snapshot = true
resize = true
change_password = true
rescue = true
stable_rescue = false
vnc_console = false
spice_console = false
serial_console = false
personality = false
interface_attach = true
volume_multiattach = false
attach_encrypted_volume = false
swap_volume = false
xenapi_apis = false
enable_instance_password = true
hostname_fqdn_sanitization = false
config_drive = true
metadata_service = true
live_migration = false
cold_migration = false

[validation]
run_validation = false

${IMAGE_FORMATS_CONF}
[image-feature-enabled]
api_v2 = true
api_v1 = false
import_image = false

[volume]
catalog_type = volumev3
endpoint_type = publicURL
min_microversion = 3.0
max_microversion = 3.70
volume_size = 1
build_timeout = 60
build_interval = 1

[volume-feature-enabled]
snapshot = true
backup = false

[network]
catalog_type = network
endpoint_type = publicURL

[oslo_concurrency]
lock_path = @WORKSPACE@/lock
`;

/** The shared network every Tempest project's servers go on ([compute] fixed_network_name). */
const NETWORK_NAME = 'tempest-shared';

async function call(
  url: string,
  token: string,
  method: string,
  body?: unknown,
): Promise<Record<string, any>> {
  const res = await fetch(url, {
    method,
    headers: { 'x-auth-token': token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, any>) : {};
}

/** A small public raw image, active, for [compute] image_ref (and a second for image_ref_alt). */
async function publicImage(glance: string, token: string, name: string): Promise<string> {
  const image = await call(`${glance}/v2/images`, token, 'POST', {
    name,
    container_format: 'bare',
    disk_format: 'raw',
    visibility: 'public',
  });
  const upload = await fetch(`${glance}/v2/images/${image.id}/file`, {
    method: 'PUT',
    headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' },
    body: Buffer.alloc(1024 * 1024),
  });
  assert.equal(upload.status, 204, `image upload failed: ${upload.status} ${await upload.text()}`);
  for (let i = 0; i < 100; i++) {
    const shown = await call(`${glance}/v2/images/${image.id}`, token, 'GET');
    if (shown.status === 'active') return image.id as string;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`image ${image.id} did not become active`);
}

/** Two public images and a shared network with a subnet large enough for every server. */
async function prepare({ server }: SuiteContext): Promise<Record<string, string>> {
  const { token, catalog } = await adminSession(server);
  const glance = endpointOf(catalog, 'image');
  const neutron = endpointOf(catalog, 'network');
  const { network } = await call(`${neutron}/v2.0/networks`, token, 'POST', {
    network: { name: NETWORK_NAME, shared: true },
  });
  await call(`${neutron}/v2.0/subnets`, token, 'POST', {
    subnet: { network_id: network.id, ip_version: 4, cidr: '10.200.0.0/16', name: NETWORK_NAME },
  });
  return {
    IMAGE_ID: await publicImage(glance, token, 'tempest-compute-image'),
    IMAGE_ALT_ID: await publicImage(glance, token, 'tempest-compute-image-alt'),
    NETWORK_NAME,
  };
}

export const computeSuite: TempestSuite = {
  name: 'compute',
  confTemplate: CONF_TEMPLATE,
  regex: REGEX,
  timeoutMs: RUN_TIMEOUT_MS,
  concurrency: 2,
  prepare,
  expected: EXPECTED,
};
