import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, useApp } from '../helpers/app.js';

/**
 * Every bad input Cinder's routes get, hostile classes included, with the exact status and
 * Cinder's text. Each case makes what it needs.
 */
const fx = useApp();
const vb = () => `/volume/v3/${fx.demoProject}`;
const ab = () => `/volume/v3/${fx.adminProject}`;
const TO_STRING = { toString: 'x' };

async function volume(): Promise<string> {
  const res = await fx.t.inject({
    method: 'POST',
    url: `${vb()}/volumes`,
    headers: fx.demo,
    payload: { volume: { size: 1 } },
  });
  assert.equal(res.statusCode, 202, res.body);
  await fx.t.app.tasks.idle();
  return res.json().volume.id;
}

const post = (url: string, payload: unknown, headers = fx.demo) =>
  fx.t.inject({ method: 'POST', url, headers, payload: payload as object });
const get = (url: string, headers: Record<string, string> = fx.demo) =>
  fx.t.inject({ method: 'GET', url, headers });

test('volume create bodies', async () => {
  const cases: Array<[unknown, number, string]> = [
    [{}, 400, "Missing required element 'volume' in request body."],
    [{ volume: null }, 400, "Missing required element 'volume' in request body."],
    [{ volume: [] }, 400, "Missing required element 'volume' in request body."],
    [
      { volume: { size: TO_STRING } },
      400,
      "Invalid input received: Volume size '{'toString': 'x'}' must be an integer and greater than 0",
    ],
    [
      { volume: { size: 2 ** 70 } },
      400,
      "Invalid input received: Volume size '1.1805916207174113e+21' must be an integer and greater than 0",
    ],
    [
      { volume: {} },
      400,
      "Invalid input received: Volume size 'None' must be an integer and greater than 0",
    ],
    [
      { volume: { size: 1, name: TO_STRING } },
      400,
      "Invalid input for field/attribute name. Value: {'toString': 'x'}. {'toString': 'x'} is not of type 'string', 'null'",
    ],
    [
      { volume: { size: 1, name: 'n'.repeat(256) } },
      400,
      `Invalid input for field/attribute name. Value: ${'n'.repeat(256)}. '${'n'.repeat(256)}' is too long`,
    ],
    [
      { volume: { size: 1, metadata: [1] } },
      400,
      "Invalid input for field/attribute metadata. Value: [1]. [1] is not of type 'object'",
    ],
    [
      { volume: { size: 1, metadata: { a: TO_STRING } } },
      400,
      "Invalid input for field/attribute metadata. Value: {'a': {'toString': 'x'}}. {'toString': 'x'} is not of type 'string'",
    ],
    [
      { volume: { size: 1, metadata: { '': 'x' } } },
      400,
      "Invalid input for field/attribute metadata. Value: {'': 'x'}. Metadata property key must be 1 to 255 characters long.",
    ],
    [
      { volume: { size: 1, imageRef: TO_STRING } },
      400,
      "Invalid input for field/attribute imageRef. Value: {'toString': 'x'}. {'toString': 'x'} is not of type 'string', 'null'",
    ],
    [
      { volume: { size: 1, availability_zone: 'mars' } },
      400,
      "Invalid input received: Availability zone 'mars' is invalid.",
    ],
  ];
  for (const [payload, status, message] of cases) {
    const res = await post(`${vb()}/volumes`, payload);
    assertFault(res, status, status === 400 ? 'badRequest' : 'itemNotFound', message);
  }
});

test('map keys that name Object.prototype members are keys like any other', async () => {
  const metadata = { constructor: 'c', toString: 't', hasOwnProperty: 'h' };
  const res = await post(`${vb()}/volumes`, { volume: { size: 1, metadata } });
  assert.equal(res.statusCode, 202, res.body);
  const id = res.json().volume.id;
  assert.deepEqual(res.json().volume.metadata, metadata);
  const key = await get(`${vb()}/volumes/${id}/metadata/toString`);
  assert.deepEqual(key.json(), { meta: { toString: 't' } });
  const v2 = await volume();
  assertFault(
    await get(`${vb()}/volumes/${v2}/metadata/constructor`),
    404,
    'itemNotFound',
    `Volume ${v2} has no metadata with key constructor.`,
  );
  const put = await fx.t.inject({
    method: 'PUT',
    url: `${vb()}/volumes/${v2}/metadata/__proto__`,
    headers: fx.demo,
    payload: { meta: { valueOf: 'v' } },
  });
  assertFault(put, 400, 'badRequest', 'Request body and URI mismatch');
  // A __proto__ key is refused when the body is read.
  const proto = await fx.t.inject({
    method: 'POST',
    url: `${vb()}/volumes/${v2}/metadata`,
    headers: { ...fx.demo, 'content-type': 'application/json' },
    payload: '{"metadata": {"__proto__": {"a": "b"}}}',
  });
  assert.equal(proto.statusCode, 400);
  assert.ok(proto.json().badRequest);
});

test('deep nesting and octet-stream get Cinder fault bodies', async () => {
  const deep = '{"volume": {"metadata": ' + '['.repeat(100000) + ']'.repeat(100000) + '}}';
  const res = await fx.t.inject({
    method: 'POST',
    url: `${vb()}/volumes`,
    headers: { ...fx.demo, 'content-type': 'application/json' },
    payload: deep,
  });
  assertFault(res, 400, 'badRequest', 'Malformed request body: the JSON nests too deeply.');
  const octet = await fx.t.inject({
    method: 'POST',
    url: `${vb()}/volumes`,
    headers: { ...fx.demo, 'content-type': 'application/octet-stream' },
    payload: Buffer.from('{}'),
  });
  assertFault(octet, 415, 'badMediaType', 'Unsupported Content-Type');
});

test('limits, offsets and markers beyond 64 bits; sort keys that are prototype names', async () => {
  for (const collection of ['volumes', 'snapshots', 'volumes/detail', 'snapshots/detail']) {
    const big = '1' + '0'.repeat(30);
    assert.equal((await get(`${vb()}/${collection}?limit=${big}`)).statusCode, 200);
    const off = await get(`${vb()}/${collection}?offset=${big}`);
    assert.equal(off.statusCode, 200);
    assert.deepEqual(off.json()[collection.split('/')[0]!], []);
    assertFault(
      await get(`${vb()}/${collection}?limit=1e3`),
      400,
      'badRequest',
      'Invalid input received: limit param must be an integer',
    );
    assertFault(
      await get(`${vb()}/${collection}?marker=${big}`),
      404,
      'itemNotFound',
      `Marker ${big} could not be found.`,
    );
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      assertFault(
        await get(`${vb()}/${collection}?sort=${key}:asc`),
        400,
        'badRequest',
        `Invalid input received: Invalid sort key ${key}`,
      );
    }
  }
});

test('a thousand filter parameters: ignored before 3.33, refused after for a member', async () => {
  const many = Array.from({ length: 1000 }, (_, i) => `f${i}=x`).join('&');
  assert.equal((await get(`${vb()}/volumes/detail?${many}`)).statusCode, 200);
  const refused = await get(`${vb()}/volumes?${many}`, {
    ...fx.demo,
    'openstack-api-version': 'volume 3.33',
  });
  assertFault(
    refused,
    400,
    'badRequest',
    `Invalid filters ${Array.from({ length: 1000 }, (_, i) => `f${i}`).join(',')} are found in query options.`,
  );
  const admin = await get(`${ab()}/volumes?${many}`, {
    ...fx.admin,
    'openstack-api-version': 'volume 3.33',
  });
  assert.equal(admin.statusCode, 200);
  // A metadata filter of a thousand keys is one subquery, whatever its size.
  const meta = JSON.stringify(
    Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v'])),
  );
  const res = await get(`${vb()}/volumes/detail?metadata=${encodeURIComponent(meta)}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().volumes, []);
  assertFault(
    await get(`${vb()}/volumes?metadata=notjson`),
    400,
    'badRequest',
    'Invalid input received: Invalid metadata filter: notjson',
  );
  // __proto__ and friends as filter names are unknown filters like any other.
  assert.equal((await get(`${vb()}/volumes?__proto__=x&constructor=y`)).statusCode, 200);
});

test('volume actions', async () => {
  const id = await volume();
  const url = `${vb()}/volumes/${id}/action`;
  const cases: Array<[unknown, number, string, string]> = [
    [{}, 400, 'badRequest', 'There is no such action: None'],
    [{ 'os-extend': {}, 'os-reserve': {} }, 400, 'badRequest', 'There is no such action: None'],
    [{ 'os-bogus': {} }, 400, 'badRequest', 'There is no such action: os-bogus'],
    [
      { 'os-extend': { new_size: TO_STRING } },
      400,
      'badRequest',
      "Invalid input received: Volume size '{'toString': 'x'}' must be an integer and greater than 0",
    ],
    [
      { 'os-extend': { new_size: 1 } },
      400,
      'badRequest',
      'Invalid input received: New size for extend must be greater than current size. (current: 1, extended: 1).',
    ],
    [
      { 'os-set_bootable': { bootable: TO_STRING } },
      400,
      'badRequest',
      "Invalid input received: bootable must be a boolean: {'toString': 'x'}",
    ],
    [
      { 'os-set_bootable': {} },
      400,
      'badRequest',
      'Invalid input received: bootable must be a boolean: None',
    ],
    [
      { 'os-volume_upload_image': {} },
      400,
      'badRequest',
      "Invalid input received: 'image_name' is a required property",
    ],
    [
      { 'os-volume_upload_image': { image_name: TO_STRING } },
      400,
      'badRequest',
      "Invalid input for field/attribute image_name. Value: {'toString': 'x'}. {'toString': 'x'} is not of type 'string', 'null'",
    ],
    [
      { 'os-volume_upload_image': { image_name: 'i', disk_format: 'vmdk' } },
      400,
      'badRequest',
      "Invalid input received: Invalid disk-format 'vmdk' specified. Allowed disk-formats are raw, qcow2.",
    ],
    [
      { 'os-reset_status': { status: 'error' } },
      403,
      'forbidden',
      "Policy doesn't allow volume_extension:volume_admin_actions:reset_status to be performed.",
    ],
    [
      { 'os-force_delete': {} },
      403,
      'forbidden',
      "Policy doesn't allow volume:force_delete to be performed.",
    ],
    [
      { 'os-detach': { attachment_id: 5 } },
      400,
      'badRequest',
      "Invalid input for field/attribute attachment_id. Value: 5. 5 is not of type 'string', 'null'",
    ],
  ];
  for (const [payload, status, fault, message] of cases)
    assertFault(await post(url, payload), status, fault, message);
  const adminUrl = `${ab()}/volumes/${id}/action`;
  assertFault(
    await post(adminUrl, { 'os-reset_status': { status: 'sideways' } }, fx.admin),
    400,
    'badRequest',
    'Invalid input received: Invalid volume status: sideways',
  );
  assertFault(
    await post(adminUrl, { 'os-reset_status': { status: TO_STRING } }, fx.admin),
    400,
    'badRequest',
    "Invalid input for field/attribute status. Value: {'toString': 'x'}. {'toString': 'x'} is not of type 'string', 'null'",
  );
});

test('snapshots', async () => {
  const id = await volume();
  const cases: Array<[unknown, number, string, string]> = [
    [{}, 400, 'badRequest', "Missing required element 'snapshot' in request body."],
    [
      { snapshot: {} },
      400,
      'badRequest',
      "Invalid input for field/attribute snapshot. Value: {}. 'volume_id' is a required property",
    ],
    [
      { snapshot: { volume_id: TO_STRING } },
      400,
      'badRequest',
      "Invalid input for field/attribute snapshot. Value: {'volume_id': {'toString': 'x'}}. 'volume_id' is a required property",
    ],
    [{ snapshot: { volume_id: null } }, 404, 'itemNotFound', 'Volume None could not be found.'],
    [
      { snapshot: { volume_id: id, force: TO_STRING } },
      400,
      'badRequest',
      "Invalid input received: force must be a boolean: {'toString': 'x'}",
    ],
    [
      { snapshot: { volume_id: id, name: TO_STRING } },
      400,
      'badRequest',
      "Invalid input for field/attribute name. Value: {'toString': 'x'}. {'toString': 'x'} is not of type 'string', 'null'",
    ],
  ];
  for (const [payload, status, fault, message] of cases)
    assertFault(await post(`${vb()}/snapshots`, payload), status, fault, message);
  const snap = await post(`${vb()}/snapshots`, { snapshot: { volume_id: id } });
  assert.equal(snap.statusCode, 202);
  await fx.t.app.tasks.idle();
  const sid = snap.json().snapshot.id;
  assertFault(
    await post(
      `${ab()}/snapshots/${sid}/action`,
      { 'os-reset_status': { status: TO_STRING } },
      fx.admin,
    ),
    400,
    'badRequest',
    "Invalid input received: Invalid snapshot status: {'toString': 'x'}",
  );
  assertFault(
    await post(`${vb()}/snapshots/${sid}/action`, { 'os-reset_status': { status: 'error' } }),
    403,
    'forbidden',
    "Policy doesn't allow volume_extension:snapshot_admin_actions to be performed.",
  );
  assertFault(
    await post(`${vb()}/snapshots/${sid}/action`, []),
    400,
    'badRequest',
    'There is no such action: None',
  );
});

test('quota sets and classes', async () => {
  const put = (url: string, payload: unknown) =>
    fx.t.inject({ method: 'PUT', url, headers: fx.admin, payload: payload as object });
  assertFault(
    await put(`${ab()}/os-quota-sets/${fx.demoProject}`, { quota_set: { volumes: TO_STRING } }),
    400,
    'badRequest',
    "Invalid input received: Quota limit {'toString': 'x'} for volumes must be an integer greater than or equal to -1.",
  );
  assertFault(
    await put(`${ab()}/os-quota-sets/${fx.demoProject}`, { quota_set: { volumes: -2 } }),
    400,
    'badRequest',
    'Invalid input received: Quota limit -2 for volumes must be an integer greater than or equal to -1.',
  );
  assertFault(
    await put(`${ab()}/os-quota-class-sets/default`, { quota_class_set: [] }),
    400,
    'badRequest',
    "Missing required element 'quota_class_set' in request body.",
  );
  // Unknown resources, prototype names included, are ignored as Cinder ignores them.
  const ok = await put(`${ab()}/os-quota-sets/${fx.demoProject}`, {
    quota_set: { constructor: 5, toString: 1, hasOwnProperty: 2 },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assertFault(
    await fx.t.inject({
      method: 'PUT',
      url: `${vb()}/os-quota-sets/${fx.demoProject}`,
      headers: fx.demo,
      payload: { quota_set: { volumes: 5 } },
    }),
    403,
    'forbidden',
    "Policy doesn't allow volume_extension:quotas:update to be performed.",
  );
});
