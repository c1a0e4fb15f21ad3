import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, passwordAuth, useApp } from '../helpers/app.js';

/**
 * Bad input on every Nova route, hostile classes included: each case asserts the exact status
 * and Nova's text (nova/api/validation/validators.py wording, Python's str()/repr of values).
 */
const app = useApp();
const c = '/compute/v2.1';
const mv = (version: string) => ({ 'openstack-api-version': `compute ${version}` });

type Who = 'demo' | 'admin';
interface Case {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  who?: Who;
  version?: string;
  body?: unknown;
  status: number;
  message: string;
}

async function send(k: Case) {
  return app.t.inject({
    method: k.method,
    url: `${c}${k.url}`,
    headers: { ...app[k.who ?? 'demo'], ...(k.version ? mv(k.version) : {}) },
    ...(k.body === undefined ? {} : { payload: k.body as object }),
  });
}

const FAULT: Record<number, string> = {
  400: 'badRequest',
  403: 'forbidden',
  404: 'itemNotFound',
  415: 'badMediaType',
};

const flavor = (extra: Record<string, unknown>) => ({
  flavor: { name: 'bad-input', ram: 1, vcpus: 1, disk: 0, ...extra },
});
const toStringObject = { toString: 'x' };
const SORT_KEYS =
  "['created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id', 'is_public', " +
  "'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus']";

const CASES: Case[] = [
  // --- key pairs ---
  {
    method: 'POST',
    url: '/os-keypairs',
    body: { keypair: { name: 'k', public_key: null } },
    status: 400,
    message:
      "Invalid input for field/attribute public_key. Value: None. None is not of type 'string'",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    version: '2.92',
    body: { keypair: { name: 'k', public_key: null } },
    status: 400,
    message:
      "Invalid input for field/attribute public_key. Value: None. None is not of type 'string'",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    body: { keypair: { name: 'k', public_key: 5 } },
    status: 400,
    message: "Invalid input for field/attribute public_key. Value: 5. 5 is not of type 'string'",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    version: '2.2',
    body: { keypair: { name: 'k', type: 'gpg' } },
    status: 400,
    message:
      "Invalid input for field/attribute type. Value: gpg. 'gpg' is not one of ['ssh', 'x509']",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    body: { keypair: { name: 'k', type: 'ssh' } },
    status: 400,
    message:
      "Invalid input for field/attribute keypair. Value: {'name': 'k', 'type': 'ssh'}. " +
      "Additional properties are not allowed ('type' was unexpected)",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    version: '2.10',
    body: { keypair: { name: 'k', user_id: 5 } },
    status: 400,
    message: "Invalid input for field/attribute user_id. Value: 5. 5 is not of type 'string'",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    body: { keypair: { name: toStringObject } },
    status: 400,
    message:
      "Invalid input for field/attribute name. Value: {'toString': 'x'}. " +
      "{'toString': 'x'} does not match '^[a-zA-Z0-9 _-]+$'",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    version: '2.92',
    body: { keypair: { name: 'a/b', public_key: 'x' } },
    status: 400,
    message:
      "Invalid input for field/attribute name. Value: a/b. 'a/b' does not match '^[a-zA-Z0-9 @._-]+$'",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    body: { keypair: {} },
    status: 400,
    message: "Invalid input for field/attribute keypair. Value: {}. 'name' is a required property",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    version: '2.92',
    body: { keypair: { name: 'k' } },
    status: 400,
    message:
      "Invalid input for field/attribute keypair. Value: {'name': 'k'}. 'public_key' is a required property",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    body: { kp: {} },
    status: 400,
    message: "'keypair' is a required property",
  },
  {
    method: 'POST',
    url: '/os-keypairs',
    body: [],
    status: 400,
    message: "[] is not of type 'object'",
  },
  {
    method: 'GET',
    url: '/os-keypairs?limit=x',
    version: '2.35',
    status: 400,
    message: "Invalid input for query parameters limit. Value: x. 'x' does not match '^[0-9]*$'",
  },
  {
    method: 'GET',
    url: '/os-keypairs?limit=',
    version: '2.35',
    status: 400,
    message: "Invalid input for query parameters limit. Value: . '' is too short",
  },
  {
    method: 'GET',
    url: '/os-keypairs?marker=nope',
    version: '2.35',
    status: 400,
    message: 'Marker nope could not be found.',
  },
  {
    method: 'GET',
    url: '/os-keypairs?foo=1',
    version: '2.75',
    status: 400,
    message: "Additional properties are not allowed ('foo' was unexpected)",
  },
  {
    method: 'GET',
    url: '/os-keypairs/k?user_id=other',
    version: '2.10',
    status: 403,
    message: "Policy doesn't allow os_compute_api:os-keypairs:show to be performed.",
  },
  {
    method: 'DELETE',
    url: '/os-keypairs/k?user_id=other',
    version: '2.10',
    status: 403,
    message: "Policy doesn't allow os_compute_api:os-keypairs:delete to be performed.",
  },
  {
    method: 'GET',
    url: '/os-keypairs/__proto__',
    status: 404,
    message: /^Keypair __proto__ not found for user /.source,
  },

  {
    method: 'POST',
    url: '/os-keypairs',
    version: '2.10',
    body: { keypair: { name: 'k', user_id: null } },
    status: 400,
    message: "Invalid input for field/attribute user_id. Value: None. None is not of type 'string'",
  },
  // --- flavors ---
  {
    method: 'GET',
    url: '/flavors?sort_key=__proto__',
    status: 400,
    message: `Invalid input for query parameters sort_key. Value: __proto__. '__proto__' is not one of ${SORT_KEYS}`,
  },
  {
    method: 'GET',
    url: '/flavors/detail?sort_key=toString',
    status: 400,
    message: `Invalid input for query parameters sort_key. Value: toString. 'toString' is not one of ${SORT_KEYS}`,
  },
  {
    method: 'GET',
    url: '/flavors?sort_dir=sideways',
    status: 400,
    message:
      "Invalid input for query parameters sort_dir. Value: sideways. 'sideways' is not one of ['asc', 'desc']",
  },
  {
    method: 'GET',
    url: '/flavors?limit=-1',
    status: 400,
    message: "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'",
  },
  {
    method: 'GET',
    url: '/flavors?minRam=x',
    status: 400,
    message: 'Invalid minRam filter [x]',
  },
  {
    method: 'GET',
    url: '/flavors?minDisk=1.5',
    status: 400,
    message: 'Invalid minDisk filter [1.5]',
  },
  {
    method: 'GET',
    url: '/flavors?is_public=maybe',
    who: 'admin',
    status: 400,
    message: 'Invalid is_public filter [maybe]',
  },
  {
    method: 'GET',
    url: '/flavors?marker=nope',
    status: 400,
    message: 'marker [nope] not found',
  },
  {
    method: 'GET',
    url: '/flavors?unknown=1',
    version: '2.75',
    status: 400,
    message: "Additional properties are not allowed ('unknown' was unexpected)",
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ ram: '' }),
    status: 400,
    message: "Invalid input for field/attribute ram. Value: . '' does not match '^[0-9]+$'",
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ ram: '99999999999999999999' }),
    status: 400,
    message:
      'Invalid input for field/attribute ram. Value: 99999999999999999999. ' +
      '99999999999999999999 is greater than the maximum of 2147483647',
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ vcpus: '0' }),
    status: 400,
    message: 'Invalid input for field/attribute vcpus. Value: 0. 0 is less than the minimum of 1',
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ ram: toStringObject }),
    status: 400,
    message:
      "Invalid input for field/attribute ram. Value: {'toString': 'x'}. {'toString': 'x'} is not of type 'integer', 'string'",
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ name: toStringObject }),
    status: 400,
    message:
      "Invalid input for field/attribute name. Value: {'toString': 'x'}. " +
      'The name must be a string of 1 to 255 characters without leading or trailing whitespace.',
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ id: {} }),
    status: 400,
    message:
      "Invalid input for field/attribute id. Value: {}. {} is not of type 'string', 'number', 'null'",
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ description: null }),
    status: 400,
    message:
      "Invalid input for field/attribute flavor. Value: {'name': 'bad-input', 'ram': 1, 'vcpus': 1, " +
      "'disk': 0, 'description': None}. Additional properties are not allowed ('description' was unexpected)",
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ rxtx_factor: '0' }),
    status: 400,
    message:
      'Invalid input for field/attribute rxtx_factor. Value: 0. rxtx_factor must be a number greater than 0.',
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ 'os-flavor-access:is_public': toStringObject }),
    status: 400,
    message:
      "Invalid input for field/attribute os-flavor-access:is_public. Value: {'toString': 'x'}. " +
      "{'toString': 'x'} is not one of the accepted boolean values",
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ 'os-flavor-access:is_public': 'maybe' }),
    status: 400,
    message:
      "Invalid input for field/attribute os-flavor-access:is_public. Value: maybe. 'maybe' is not one of the accepted boolean values",
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: { flavor: { name: 'x', ram: 1, vcpus: 1 } },
    status: 400,
    message:
      "Invalid input for field/attribute flavor. Value: {'name': 'x', 'ram': 1, 'vcpus': 1}. 'disk' is a required property",
  },
  {
    method: 'POST',
    url: '/flavors',
    body: flavor({}),
    status: 403,
    message: "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.",
  },
  {
    method: 'PUT',
    url: '/flavors/1',
    who: 'admin',
    version: '2.55',
    body: { flavor: { description: 5 } },
    status: 400,
    message:
      'Invalid input for field/attribute description. Value: 5. The description must be a string of at most 65535 characters.',
  },
  {
    method: 'PUT',
    url: '/flavors/1',
    who: 'admin',
    version: '2.55',
    body: { flavor: {} },
    status: 400,
    message:
      "Invalid input for field/attribute flavor. Value: {}. 'description' is a required property",
  },

  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ swap: '' }),
    status: 400,
    message: "Invalid input for field/attribute swap. Value: . '' does not match '^[0-9]+$'",
  },
  {
    method: 'POST',
    url: '/flavors',
    who: 'admin',
    body: flavor({ 'OS-FLV-EXT-DATA:ephemeral': null }),
    status: 400,
    message:
      "Invalid input for field/attribute OS-FLV-EXT-DATA:ephemeral. Value: None. None is not of type 'integer', 'string'",
  },
  // --- extra specs and access ---
  {
    method: 'POST',
    url: '/flavors/1/os-extra_specs',
    who: 'admin',
    body: { extra_specs: { a: toStringObject } },
    status: 400,
    message:
      "Invalid input for field/attribute a. Value: {'toString': 'x'}. {'toString': 'x'} is not of type 'string', 'integer', 'number', 'boolean'",
  },
  {
    method: 'POST',
    url: '/flavors/1/os-extra_specs',
    who: 'admin',
    body: { extra_specs: { 'a/b': 'x' } },
    status: 400,
    message:
      "Invalid input for field/attribute extra_specs. Value: {'a/b': 'x'}. 'a/b' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'",
  },
  {
    method: 'POST',
    url: '/flavors/1/os-extra_specs',
    who: 'admin',
    body: { extra_specs: [] },
    status: 400,
    message:
      "Invalid input for field/attribute extra_specs. Value: []. 'extra_specs' is a required property",
  },
  {
    method: 'GET',
    url: '/flavors/1/os-extra_specs/__proto__',
    status: 404,
    message: 'Flavor 1 has no extra specs with key __proto__.',
  },
  {
    method: 'GET',
    url: '/flavors/1/os-extra_specs/constructor',
    status: 404,
    message: 'Flavor 1 has no extra specs with key constructor.',
  },
  {
    method: 'PUT',
    url: '/flavors/1/os-extra_specs/toString',
    who: 'admin',
    body: { a: 'b' },
    status: 400,
    message: 'Request body and URI mismatch',
  },
  {
    method: 'POST',
    url: '/flavors/1/action',
    who: 'admin',
    body: { addTenantAccess: { tenant: toStringObject } },
    status: 400,
    message: 'Invalid input for field/attribute tenant. A tenant (project id) is required.',
  },
  {
    method: 'POST',
    url: '/flavors/1/action',
    who: 'admin',
    body: { addTenantAccess: { tenant: 'x', extra: 1 } },
    status: 400,
    message:
      "Invalid input for field/attribute addTenantAccess. Value: {'tenant': 'x', 'extra': 1}. " +
      "Additional properties are not allowed ('extra' was unexpected)",
  },

  // --- quotas and limits ---
  {
    method: 'PUT',
    url: '/os-quota-sets/PROJECT',
    who: 'admin',
    body: { quota_set: { networks: 1 } },
    status: 400,
    message: 'The networks quota has been removed',
  },
  {
    method: 'PUT',
    url: '/os-quota-sets/PROJECT',
    who: 'admin',
    version: '2.36',
    body: { quota_set: { networks: 1 } },
    status: 400,
    message:
      "Invalid input for field/attribute quota_set. Value: {'networks': 1}. Additional properties are not allowed ('networks' was unexpected)",
  },
  {
    method: 'PUT',
    url: '/os-quota-sets/PROJECT',
    who: 'admin',
    body: { quota_set: { constructor: 1 } },
    status: 400,
    message:
      "Invalid input for field/attribute quota_set. Value: {'constructor': 1}. Additional properties are not allowed ('constructor' was unexpected)",
  },
  {
    method: 'PUT',
    url: '/os-quota-sets/PROJECT',
    who: 'admin',
    body: { quota_set: { ram: '99999999999999999999' } },
    status: 400,
    message:
      'Invalid input for field/attribute ram. Value: 99999999999999999999. 99999999999999999999 is greater than the maximum of 2147483647',
  },
  {
    method: 'PUT',
    url: '/os-quota-sets/PROJECT',
    who: 'admin',
    body: { quota_set: { ram: '-5' } },
    status: 400,
    message: 'Invalid input for field/attribute ram. Value: -5. -5 is less than the minimum of -1',
  },
  {
    method: 'PUT',
    url: '/os-quota-sets/PROJECT',
    who: 'admin',
    body: { quota_set: { ram: toStringObject } },
    status: 400,
    message:
      "Invalid input for field/attribute ram. Value: {'toString': 'x'}. {'toString': 'x'} is not of type 'integer', 'string'",
  },
  {
    method: 'PUT',
    url: '/os-quota-sets/PROJECT',
    who: 'admin',
    body: { quota_set: { force: {} } },
    status: 400,
    message:
      "Invalid input for field/attribute force. Value: {}. {} is not of type 'boolean', 'string'",
  },
  {
    method: 'PUT',
    url: '/os-quota-sets/PROJECT',
    who: 'admin',
    body: { quota_set: { force: null } },
    status: 400,
    message:
      "Invalid input for field/attribute force. Value: None. None is not of type 'boolean', 'string'",
  },
  {
    method: 'PUT',
    url: '/os-quota-class-sets/default',
    who: 'admin',
    body: { quota_class_set: { hasOwnProperty: 1 } },
    status: 400,
    message:
      "Invalid input for field/attribute quota_class_set. Value: {'hasOwnProperty': 1}. " +
      "Additional properties are not allowed ('hasOwnProperty' was unexpected)",
  },
  {
    method: 'PUT',
    url: '/os-quota-class-sets/default',
    who: 'admin',
    body: {},
    status: 400,
    message: "'quota_class_set' is a required property",
  },
  {
    method: 'GET',
    url: '/os-quota-sets/PROJECT?user_id=a&y=1',
    version: '2.75',
    status: 400,
    message: "Additional properties are not allowed ('y' was unexpected)",
  },
  {
    method: 'GET',
    url: '/limits?tenant_id=x&y=1',
    version: '2.75',
    status: 400,
    message: "Additional properties are not allowed ('y' was unexpected)",
  },
];

test('each bad input gets its exact status and Nova text', async () => {
  for (const k of CASES) {
    const res = await send({ ...k, url: k.url.replace('PROJECT', app.demoProject) });
    const where = `${k.method} ${k.url} ${JSON.stringify(k.body) ?? ''}`;
    assert.equal(res.statusCode, k.status, `${where}: ${res.body}`);
    const body = res.json()[FAULT[k.status]!];
    assert.ok(body, `${where}: ${res.body}`);
    if (k.message.startsWith('^')) assert.match(body.message, new RegExp(k.message), where);
    else assert.equal(body.message, k.message, where);
  }
});

test('JSON routes refuse application/octet-stream with a Nova 415', async () => {
  for (const [method, url] of [
    ['POST', '/os-keypairs'],
    ['POST', '/flavors'],
    ['PUT', `/os-quota-sets/${app.demoProject}`],
    ['POST', '/flavors/1/os-extra_specs'],
    ['POST', '/flavors/1/action'],
  ] as const) {
    for (const payload of ['{"keypair": {"name": "k"}}', '']) {
      const res = await app.t.inject({
        method,
        url: `${c}${url}`,
        headers: { ...app.admin, 'content-type': 'application/octet-stream' },
        payload,
      });
      assertFault(res, 415, 'badMediaType', 'Unsupported Content-Type');
    }
  }
});

test('huge limits are clamped, not a 500; a thousand unknown parameters are ignored before 2.75', async () => {
  for (const url of [
    '/flavors?limit=99999999999999999999999999999',
    '/flavors/detail?limit=18446744073709551617&minRam=99999999999999999999999',
  ]) {
    const res = await app.t.inject({ method: 'GET', url: `${c}${url}`, headers: app.demo });
    assert.equal(res.statusCode, 200, res.body);
  }
  const keypairs = await app.t.inject({
    method: 'GET',
    url: `${c}/os-keypairs?limit=99999999999999999999999`,
    headers: { ...app.demo, ...mv('2.35') },
  });
  assert.equal(keypairs.statusCode, 200, keypairs.body);
  const many = Array.from({ length: 1500 }, (_, i) => `f${i}=${i}`).join('&');
  const ok = await app.t.inject({ method: 'GET', url: `${c}/flavors?${many}`, headers: app.demo });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().flavors.length, 12);
  const refused = await app.t.inject({
    method: 'GET',
    url: `${c}/flavors?${many}`,
    headers: { ...app.demo, ...mv('2.75') },
  });
  assertFault(refused, 400, 'badRequest', /^Additional properties are not allowed \('f0', 'f1', /);
});

test('extra-spec keys named like Object.prototype members are plain keys', async () => {
  const made = await app.t.inject({
    method: 'POST',
    url: `${c}/flavors`,
    headers: app.admin,
    payload: { flavor: { name: 'proto-keys', ram: 1, vcpus: 1, disk: 0 } },
  });
  const id = made.json().flavor.id;
  const url = `${c}/flavors/${id}/os-extra_specs`;
  const specs = { constructor: 'a', toString: 'b', hasOwnProperty: 1, valueOf: true };
  const set = await app.t.inject({
    method: 'POST',
    url,
    headers: app.admin,
    payload: { extra_specs: specs },
  });
  assert.equal(set.statusCode, 200, set.body);
  const expected = { constructor: 'a', hasOwnProperty: '1', toString: 'b', valueOf: 'true' };
  assert.deepEqual(set.json().extra_specs, expected);
  const read = await app.t.inject({ method: 'GET', url, headers: app.demo });
  assert.deepEqual(read.json().extra_specs, expected);
  const one = await app.t.inject({ method: 'GET', url: `${url}/toString`, headers: app.demo });
  assert.deepEqual(one.json(), { toString: 'b' });
  const put = await app.t.inject({
    method: 'PUT',
    url: `${url}/constructor`,
    headers: app.admin,
    payload: { constructor: 'c' },
  });
  assert.deepEqual(put.json(), { constructor: 'c' });
  const gone = await app.t.inject({ method: 'DELETE', url: `${url}/valueOf`, headers: app.admin });
  assert.equal(gone.statusCode, 200);
});

/** A token for `user` scoped as `scope` says ('unscoped': Keystone's word for no scope at all). */
async function tokenFor(user: string, scope: unknown): Promise<string> {
  const auth = passwordAuth(user, user) as { auth: Record<string, unknown> };
  auth.auth.scope = scope;
  const res = await app.t.inject({
    method: 'POST',
    url: '/identity/v3/auth/tokens',
    payload: auth,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.headers['x-subject-token'] as string;
}

test("a token scoped to no project: Nova's require_context refuses key pair create and limits", async () => {
  for (const who of ['demo', 'admin']) {
    const headers = { 'x-auth-token': await tokenFor(who, 'unscoped') };
    assertFault(
      await app.t.inject({
        method: 'POST',
        url: `${c}/os-keypairs`,
        headers,
        payload: { keypair: { name: `unscoped-${who}` } },
      }),
      403,
      'forbidden',
      'Forbidden',
    );
    assertFault(
      await app.t.inject({ method: 'GET', url: `${c}/limits`, headers }),
      403,
      'forbidden',
      'Forbidden',
    );
    assertFault(
      await app.t.inject({ method: 'GET', url: `${c}/os-quota-sets/${app.demoProject}`, headers }),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-quota-sets:show to be performed.",
    );
    assertFault(
      await app.t.inject({ method: 'POST', url: `${c}/flavors`, headers, payload: flavor({}) }),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.",
    );
    // What Nova serves from its API database alone stays open to the user, as in Nova.
    const list = await app.t.inject({ method: 'GET', url: `${c}/os-keypairs`, headers });
    assert.equal(list.statusCode, 200);
    const flavors = await app.t.inject({ method: 'GET', url: `${c}/flavors`, headers });
    assert.equal(flavors.statusCode, 200);
  }
});

test('a system-scoped admin is an admin: it may create key pairs', async () => {
  const headers = { 'x-auth-token': await tokenFor('admin', { system: { all: true } }) };
  const res = await app.t.inject({
    method: 'POST',
    url: `${c}/os-keypairs`,
    headers,
    payload: { keypair: { name: 'system-admin' } },
  });
  assert.equal(res.statusCode, 200, res.body);
});
