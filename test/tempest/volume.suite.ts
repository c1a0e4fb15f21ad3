// Debian's Tempest 33 Cinder v3 API tests (volumes, snapshots, metadata, clone, extend,
// versions, limits), run by tempest.test.ts. Compute is off, so attach/server tests skip.
import assert from 'node:assert/strict';
import { COMMON_CONF, IMAGE_FORMATS_CONF } from './conf.js';
import { adminSession, endpointOf } from './admin-session.js';
import type { SuiteContext, TempestSuite } from './harness.js';
import type { Expected } from './results.js';

/** Exactly these modules of tempest.api.volume (the trailing \. keeps e.g. test_volumes_snapshots from matching _list). */
const MODULES = [
  'test_volumes_snapshots',
  'test_volumes_snapshots_list',
  'test_volumes_snapshots_negative',
  'test_snapshot_metadata',
  'test_volume_delete_cascade',
  'test_volumes_get',
  'test_volumes_list',
  'test_volumes_negative',
  'test_volume_metadata',
  'test_versions',
  'test_volume_absolute_limits',
  'test_volumes_extend',
  'test_volumes_clone',
  'test_volumes_clone_negative',
  'test_volumes_actions',
];
const REGEX = `^tempest\\.api\\.volume\\.(${MODULES.join('|')})\\.`;
const RUN_TIMEOUT_MS = 15 * 60_000;

/**
 * What a run must show. Update `passed` when a change makes more tests pass (attaching to an
 * instance will not until Nova servers exist). A skip for any reason not listed, or a
 * different number of skips, fails the suite. Each skip is a test decorator reading this
 * tempest.conf:
 */
const EXPECTED: Expected = {
  passed: 93,
  skips: [
    // [service_available] nova = false (@utils.services('compute')): these attach the volume to
    // a server (test_attach_volumes_with_nonexistent_volume_id,
    // test_snapshot_create_delete_with_volume_in_use, test_snapshot_create_offline_delete_online,
    // test_attach_detach_volume_to_instance, test_get_volume_attachment).
    { reason: 'Skipped because the compute service is not available', count: 5 },
    // [volume-feature-enabled] backup = false: backups are not built (test_snapshot_backup).
    { reason: 'Cinder backup is disabled', count: 1 },
    // [volume-feature-enabled] extend_attached_volume = false: needs a server to attach to
    // (test_extend_attached_volume).
    { reason: 'Attached volume extend is disabled.', count: 1 },
  ],
};

const CONF_TEMPLATE = `${COMMON_CONF}
[service_available]
cinder = true
glance = true
nova = false
neutron = false
swift = false
horizon = false
placement = false

[compute]
image_ref = @IMAGE_ID@
image_ref_alt = @IMAGE_ID@

[compute-feature-enabled]
attach_encrypted_volume = false
volume_multiattach = false

${IMAGE_FORMATS_CONF}
[image-feature-enabled]
api_v2 = true
api_v1 = false
import_image = false

[volume]
catalog_type = volumev3
endpoint_type = publicURL
backend_names = default
min_microversion = 3.0
max_microversion = 3.70
volume_size = 1
volume_size_extend = 1
build_timeout = 60
build_interval = 1

[volume-feature-enabled]
backup = false
snapshot = true
clone = true
manage_snapshot = false
manage_volume = false
extend_attached_volume = false
multi_backend = false

[validation]
run_validation = false

[oslo_concurrency]
lock_path = @WORKSPACE@/lock
`;

/**
 * Uploads a small public raw image for [compute] image_ref: test_volumes_get and test_volumes_clone
 * create volumes from it (they only need Glance, not Nova).
 */
async function prepare({ server }: SuiteContext): Promise<Record<string, string>> {
  const { token, catalog } = await adminSession(server);
  const glance = endpointOf(catalog, 'image');
  const headers = { 'x-auth-token': token };
  const created = await fetch(`${glance}/v2/images`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'tempest-volume-image',
      container_format: 'bare',
      disk_format: 'raw',
      visibility: 'public',
    }),
  });
  const createdText = await created.text();
  assert.equal(created.status, 201, `image create failed: ${created.status} ${createdText}`);
  const image = JSON.parse(createdText) as { id: string };
  const upload = await fetch(`${glance}/v2/images/${image.id}/file`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: Buffer.alloc(1024 * 1024),
  });
  const uploadText = await upload.text();
  assert.equal(upload.status, 204, `image upload failed: ${upload.status} ${uploadText}`);
  for (let i = 0; i < 100; i++) {
    const shown = await fetch(`${glance}/v2/images/${image.id}`, { headers });
    const body = (await shown.json()) as { status: string };
    if (body.status === 'active') return { IMAGE_ID: image.id };
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`image ${image.id} did not become active`);
}

export const volumeSuite: TempestSuite = {
  name: 'volume',
  confTemplate: CONF_TEMPLATE,
  regex: REGEX,
  timeoutMs: RUN_TIMEOUT_MS,
  concurrency: 2,
  prepare,
  expected: EXPECTED,
};
