import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';

/**
 * Every bad input Glance's routes get, with the exact status and text each answers (Glance's
 * texts where Glance has one: glance/api/v2/images.py, image_members.py, glance/schema.py).
 */
const f = useApp();

const PATCH = { 'content-type': 'application/openstack-images-v2.1-json-patch' };
const PATCH_V20 = { 'content-type': 'application/openstack-images-v2.0-json-patch' };
const JSON_TYPE = { 'content-type': 'application/json' };
const OCTET = { 'content-type': 'application/octet-stream' };
const POISON = { toString: 'x', valueOf: 'y' };
const SCHEMA = "Provided object does not match schema 'image': ";
const PROTO_NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];

type Res = { statusCode: number; body: string; json(): any };

/** The status and Glance's message (webob's template tail stripped). */
function glance(res: Res, status: number, message: string, label = ''): void {
  assert.equal(res.statusCode, status, `${label} ${res.body.slice(0, 300)}`);
  const body = res.json();
  assert.equal(body.code.split(' ')[0], String(status));
  assert.equal(body.message, `${message}<br /><br />\n\n\n`, label);
}

async function create(body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await f.t.inject({
    method: 'POST',
    url: '/image/v2/images',
    headers: f.demo,
    payload: { name: 'bad-input', ...body },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

function post(payload: unknown, headers: Record<string, string> = JSON_TYPE) {
  return f.t.inject({
    method: 'POST',
    url: '/image/v2/images',
    headers: { ...f.demo, ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

function list(query: string) {
  return f.t.inject({ method: 'GET', url: `/image/v2/images?${query}`, headers: f.demo });
}

describe('POST /v2/images', () => {
  test('bodies the JSON parser refuses', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    glance(await post(deep), 400, 'Malformed request body: the JSON nests too deeply.');
    glance(
      await post('{"__proto__": {"x": 1}}'),
      400,
      'Malformed request body: Object contains forbidden prototype property',
    );
    glance(await post(''), 400, 'Body expected in request.');
    glance(await post('null'), 400, 'Body expected in request.');
    glance(await post('{"name": '), 400, 'Malformed request body: Unexpected end of JSON input');
  });

  test('application/octet-stream on the JSON route is a 415, with or without a body', async () => {
    glance(await post('{"name": "x"}', OCTET), 415, 'Unsupported Content-Type');
    glance(await post('', OCTET), 415, 'Unsupported Content-Type');
  });

  test("values the image schema refuses, worded as Glance's jsonschema words them", async () => {
    const cases: Array<[unknown, string]> = [
      [[1, 2], "[1, 2] is not of type 'object'"],
      [{ name: POISON }, "{'toString': 'x', 'valueOf': 'y'} is not of type 'null', 'string'"],
      [{ name: 'n'.repeat(256) }, `'${'n'.repeat(256)}' is too long`],
      [
        { disk_format: POISON },
        "{'toString': 'x', 'valueOf': 'y'} is not of type 'null', 'string'",
      ],
      [
        { disk_format: 'wrong' },
        "'wrong' is not one of [None, 'ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop']",
      ],
      [
        { container_format: 'wrong' },
        "'wrong' is not one of [None, 'ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed']",
      ],
      [{ visibility: 5 }, "5 is not of type 'string'"],
      [
        { visibility: 'everyone' },
        "'everyone' is not one of ['community', 'public', 'private', 'shared']",
      ],
      [{ protected: 'yes' }, "'yes' is not of type 'boolean'"],
      [{ min_disk: '1' }, "'1' is not of type 'integer'"],
      [{ min_disk: 1.5 }, "1.5 is not of type 'integer'"],
      [{ min_disk: -1 }, '-1 is less than the minimum of 0'],
      [{ min_ram: 1e300 }, '1e+300 is greater than the maximum of 2147483647'],
      [{ tags: 'abc' }, "'abc' is not of type 'array'"],
      [{ tags: [POISON] }, "{'toString': 'x', 'valueOf': 'y'} is not of type 'string'"],
      [{ tags: ['t'.repeat(256)] }, `'${'t'.repeat(256)}' is too long`],
      [
        { id: 'not-a-uuid' },
        "'not-a-uuid' does not match '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$'",
      ],
      [{ color: 5 }, "5 is not of type 'string'"],
      [{ color: POISON }, "{'toString': 'x', 'valueOf': 'y'} is not of type 'string'"],
      [{ toString: POISON }, "{'toString': 'x', 'valueOf': 'y'} is not of type 'string'"],
      [{ status: 5 }, "5 is not of type 'string'"],
    ];
    for (const [body, message] of cases) {
      glance(await post(body), 400, SCHEMA + message, JSON.stringify(body));
    }
    glance(
      await post({ ['k'.repeat(256)]: 'v' }),
      400,
      'Custom property should not be greater than 255 characters.',
    );
  });

  test('read-only, reserved and foreign-owner fields are 403s', async () => {
    for (const key of [
      'self',
      'file',
      'schema',
      'direct_url',
      'stores',
      'status',
      'size',
      'locations',
    ]) {
      const value =
        key === 'size' ? 1 : key === 'status' ? 'active' : key === 'locations' ? [] : 'x';
      glance(await post({ [key]: value }), 403, `Attribute '${key}' is read-only.`, key);
    }
    for (const key of ['location', 'deleted', 'os_glance_import_task']) {
      glance(await post({ [key]: 'x' }), 403, `Attribute '${key}' is reserved.`, key);
    }
    glance(
      await post({ owner: 'other' }),
      403,
      "You are not permitted to create images owned by 'other'.",
    );
    glance(
      await post({ visibility: 'public' }),
      403,
      'You are not authorized to complete publicize_image action.',
    );
  });

  test('properties named like prototype members are ordinary properties', async () => {
    const props = Object.fromEntries(PROTO_NAMES.map((k) => [k, `v-${k}`]));
    const image = await create(props);
    for (const k of PROTO_NAMES) assert.equal(image[k], `v-${k}`);
    const found = (
      await list(`constructor=v-constructor&toString=v-toString&id=${image.id}`)
    ).json();
    assert.deepEqual(
      found.images.map((i: { id: string }) => i.id),
      [image.id],
    );
  });
});

describe('GET /v2/images', () => {
  test('integers beyond 64 bits: limits are capped, markers unknown, ranges compared', async () => {
    for (const q of [
      'limit=99999999999999999999999999',
      'limit=18446744073709551617',
      'size_min=99999999999999999999999999',
      'size_max=-99999999999999999999999999',
      'min_disk=99999999999999999999999999',
      'offset=99999999999999999999999999',
    ]) {
      assert.equal((await list(q)).statusCode, 200, q);
    }
    glance(
      await list('marker=99999999999999999999999999'),
      400,
      'Marker 99999999999999999999999999 could not be found.',
    );
  });

  test("bad values get Glance's texts", async () => {
    const cases: Array<[string, string]> = [
      ['limit=-1', 'limit param must be positive'],
      ['limit=abc', 'limit param must be an integer'],
      ['limit=1.5', 'limit param must be an integer'],
      ['size_min=x', 'Unable to filter on a range with a non-numeric value.'],
      ['size_max=1e3', 'Unable to filter on a range with a non-numeric value.'],
      ['min_ram=x', 'min_ram param must be an integer'],
      ['visibility=everyone', 'Invalid visibility value: everyone'],
      ['member_status=maybe', 'Invalid status: maybe'],
      ['status=sleeping', 'Invalid status value: sleeping'],
      [
        'os_hidden=YES',
        "Invalid value 'yes' for 'os_hidden' filter. Valid values are 'true' or 'false'.",
      ],
      [
        'protected=True',
        "Invalid value 'True' for 'protected' filter. Valid values are 'true' or 'false'.",
      ],
      ['sort=name&sort_key=size', 'Old and new sorting syntax cannot be combined'],
      ['sort_dir=up', 'Invalid sort direction: up'],
      ['sort_dir=__proto__', 'Invalid sort direction: __proto__'],
      ['sort=name:sideways', 'Invalid sort direction: sideways'],
      [
        'sort_key=name&sort_key=size&sort_dir=asc&sort_dir=desc&sort_dir=asc',
        'Number of sort dirs does not match the number of sort keys',
      ],
      [
        'created_at=after:2020-01-01',
        'Invalid created_at filter: after:2020-01-01. Use <gt|gte|eq|neq|lt|lte>:<ISO 8601 time>.',
      ],
    ];
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const text = `Invalid sort key: ${key}. It must be one of the following: name, status, container_format, disk_format, size, id, created_at, updated_at.`;
      cases.push([`sort_key=${key}`, text], [`sort=${key}:asc`, text], [`sort=${key}`, text]);
    }
    for (const [q, message] of cases) glance(await list(q), 400, message, q);
  });

  test('prototype names as filters are property filters', async () => {
    for (const q of ['__proto__=x', 'constructor=x&toString=y', 'hasOwnProperty=x&tag=__proto__']) {
      const res = await list(q);
      assert.equal(res.statusCode, 200, q);
      assert.deepEqual(res.json().images, []);
    }
  });

  test('a thousand filters of each kind are answered, and answered right', async () => {
    const image = await create({ tags: ['t1', 't2'], a: '1', b: '2', c: '3' });
    const ids = async (q: string) => {
      const res = await list(`${q}&id=${image.id}`);
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      return res.json().images.map((i: { id: string }) => i.id);
    };
    const many = (n: number, make: (i: number) => string) =>
      Array.from({ length: n }, (_, i) => make(i)).join('&');
    assert.deepEqual(await ids(many(1200, (i) => `f${i}=${i}`)), []);
    assert.deepEqual(await ids('a=1&b=2&c=3'), [image.id]);
    assert.deepEqual(await ids('a=1&b=2&c=4'), []);
    assert.deepEqual(await ids(many(1000, (i) => `tag=x${i}`)), []);
    assert.deepEqual(await ids('tag=t1&tag=t2&tag=t1'), [image.id]);
    assert.deepEqual(await ids('tag=t1&tag=t3'), []);
    assert.deepEqual(await ids(many(1000, () => 'created_at=gte:2000-01-01T00:00:00Z')), [
      image.id,
    ]);
    const names = Array.from({ length: 3000 }, (_, i) => `n${i}`).join(',');
    assert.deepEqual(await ids(`name=in:${names},bad-input`), [image.id]);
  });
});

describe('PATCH /v2/images/{id}', () => {
  test('media types', async () => {
    const image = await create();
    const url = `/image/v2/images/${image.id}`;
    const patch = (headers: Record<string, string>) =>
      f.t.inject({ method: 'PATCH', url, headers: { ...f.demo, ...headers }, payload: '[]' });
    glance(
      await patch(JSON_TYPE),
      415,
      'Unsupported Content-Type. Use one of: application/openstack-images-v2.1-json-patch, application/openstack-images-v2.0-json-patch',
    );
    glance(await patch(OCTET), 415, 'Unsupported Content-Type');
  });

  test("operations, pointers and values get Glance's texts", async () => {
    const image = await create();
    const url = `/image/v2/images/${image.id}`;
    const patch = (payload: unknown, headers = PATCH) =>
      f.t.inject({
        method: 'PATCH',
        url,
        headers: { ...f.demo, ...headers },
        payload: JSON.stringify(payload),
      });
    const ONE_OF = 'It must be one of the following: add, remove, replace.';
    const cases: Array<[unknown, number, string]> = [
      [{ op: 'add' }, 400, 'Request body must be a JSON array of operation objects.'],
      [[1], 400, 'Operations must be JSON objects.'],
      [
        [{ path: '/name', value: 'a' }],
        400,
        `Unable to find \`op\` in JSON Schema change. ${ONE_OF}`,
      ],
      [[{ op: 'move', path: '/name' }], 400, `Invalid operation: \`move\`. ${ONE_OF}`],
      [
        [{ op: POISON, path: '/name' }],
        400,
        `Invalid operation: \`{'toString': 'x', 'valueOf': 'y'}\`. ${ONE_OF}`,
      ],
      [[{ op: 'add', value: 'a' }], 400, "Unable to find 'path' in JSON Schema change"],
      [
        [{ op: 'add', path: POISON, value: 'a' }],
        400,
        "Pointer `{'toString': 'x', 'valueOf': 'y'}` does not start with \"/\".",
      ],
      [[{ op: 'add', path: 'name', value: 'a' }], 400, 'Pointer `name` does not start with "/".'],
      [[{ op: 'add', path: '/a//b', value: 'a' }], 400, 'Pointer `/a//b` contains adjacent "/".'],
      [[{ op: 'add', path: '/a/', value: 'a' }], 400, 'Pointer `/a/` end with "/".'],
      [
        [{ op: 'add', path: '/a~2', value: 'a' }],
        400,
        'Pointer `/a~2` contains "~" not part of a recognized escape sequence.',
      ],
      [
        [{ op: 'add', path: '/a/b', value: 'a' }],
        400,
        "Invalid JSON pointer for this resource: '/a/b'",
      ],
      [[{ op: 'add', path: '/color' }], 400, 'Operation "add" requires a member named "value".'],
      [
        [{ op: 'replace', path: '/name', value: POISON }],
        400,
        `${SCHEMA}{'toString': 'x', 'valueOf': 'y'} is not of type 'null', 'string'`,
      ],
      [
        [{ op: 'replace', path: '/min_ram', value: '1' }],
        400,
        `${SCHEMA}'1' is not of type 'integer'`,
      ],
      [[{ op: 'add', path: '/color', value: 5 }], 400, `${SCHEMA}5 is not of type 'string'`],
      [
        [{ op: 'add', path: '/tags', value: [POISON] }],
        400,
        `${SCHEMA}{'toString': 'x', 'valueOf': 'y'} is not of type 'string'`,
      ],
      [[{ op: 'replace', path: '/size', value: 1 }], 403, "Attribute 'size' is read-only."],
      [[{ op: 'remove', path: '/id' }], 403, "Attribute 'id' is read-only."],
      [
        [{ op: 'add', path: '/os_glance_x', value: 'a' }],
        403,
        "Attribute 'os_glance_x' is reserved.",
      ],
      [
        [{ op: 'add', path: '/locations', value: [] }],
        403,
        "It's not allowed to update locations if locations are invisible.",
      ],
      [[{ op: 'remove', path: '/name' }], 403, 'Property name may not be removed.'],
      [[{ op: 'replace', path: '/missing', value: 'v' }], 409, 'Property missing does not exist.'],
    ];
    for (const [payload, status, message] of cases) {
      glance(await patch(payload), status, message, JSON.stringify(payload));
    }
    glance(
      await patch([{ add: '/a', replace: '/b', value: 'v' }], PATCH_V20),
      400,
      'Operation objects must contain only one member named "add", "remove", or "replace".',
    );
    glance(
      await patch([{ value: 'v' }], PATCH_V20),
      400,
      'Operation objects must contain exactly one member named "add", "remove", or "replace".',
    );
    glance(
      await f.t.inject({ method: 'PATCH', url, headers: { ...f.demo, ...PATCH }, payload: '' }),
      400,
      'Body expected in request.',
    );
  });

  test('prototype names as property names are stored, shown and removed', async () => {
    const image = await create();
    const url = `/image/v2/images/${image.id}`;
    const names = ['__proto__', ...PROTO_NAMES];
    const patch = (ops: unknown[]) =>
      f.t.inject({ method: 'PATCH', url, headers: { ...f.demo, ...PATCH }, payload: ops });
    const added = await patch(names.map((n) => ({ op: 'add', path: `/${n}`, value: `v-${n}` })));
    assert.equal(added.statusCode, 200, added.body);
    const shown = JSON.parse(
      (await f.t.inject({ method: 'GET', url, headers: f.demo })).body,
      // JSON.parse keeps `__proto__` as an own key; read every key back as text.
    ) as Record<string, unknown>;
    for (const n of names) assert.equal(Object.getOwnPropertyDescriptor(shown, n)?.value, `v-${n}`);
    const removed = await patch(names.map((n) => ({ op: 'remove', path: `/${n}` })));
    assert.equal(removed.statusCode, 200, removed.body);
    for (const n of names) assert.equal(Object.hasOwn(removed.json(), n), false);
  });
});

describe('members, tags and data', () => {
  test("member bodies get Glance's texts", async () => {
    const image = await create();
    const url = `/image/v2/images/${image.id}/members`;
    const add = (payload: string, headers = JSON_TYPE) =>
      f.t.inject({ method: 'POST', url, headers: { ...f.demo, ...headers }, payload });
    const FORM = 'Expected a member in the form: {"member": "image_id"}';
    glance(await add(''), 400, 'Body expected in request.');
    glance(await add('[1]'), 400, FORM);
    glance(await add('"x"'), 400, FORM);
    glance(await add('{}'), 400, 'Member to be added not specified');
    for (const empty of ['""', 'null', '0', 'false']) {
      glance(await add(`{"member": ${empty}}`), 400, "Member can't be empty", empty);
    }
    glance(await add(JSON.stringify({ member: POISON })), 400, FORM);
    glance(await add(JSON.stringify({ member: 'm'.repeat(256) })), 400, FORM);
    glance(await add('{"member": "x"}', OCTET), 415, 'Unsupported Content-Type');

    const status = (payload: string) =>
      f.t.inject({
        method: 'PUT',
        url: `${url}/${f.demoProject}`,
        headers: { ...f.demo, ...JSON_TYPE },
        payload,
      });
    const INCORRECT = 'Incorrect request: Status must be "pending", "accepted" or "rejected".';
    glance(await status('[1]'), 400, 'Expected a status in the form: {"status": "status"}');
    glance(await status('{}'), 400, 'Status not specified');
    glance(await status('{"status": "maybe"}'), 400, INCORRECT);
    glance(await status(JSON.stringify({ status: POISON })), 400, INCORRECT);
    glance(await status('{"status": null}'), 400, INCORRECT);
  });

  test('tags: too long is a 400; prototype names are ordinary tags', async () => {
    const image = await create();
    const tag = (name: string) =>
      f.t.inject({
        method: 'PUT',
        url: `/image/v2/images/${image.id}/tags/${name}`,
        headers: f.demo,
      });
    glance(await tag('t'.repeat(256)), 400, `${SCHEMA}'${'t'.repeat(256)}' is too long`);
    for (const name of ['__proto__', 'constructor', 'toString']) {
      assert.equal((await tag(name)).statusCode, 204, name);
    }
    const shown = await f.t.inject({
      method: 'GET',
      url: `/image/v2/images/${image.id}`,
      headers: f.demo,
    });
    assert.deepEqual([...shown.json().tags].sort(), ['__proto__', 'constructor', 'toString']);
  });

  test('data: a JSON upload is a 415; a bad size header a 400; a huge range a 416', async () => {
    const image = await create({ disk_format: 'raw', container_format: 'bare' });
    const url = `/image/v2/images/${image.id}/file`;
    glance(
      await f.t.inject({ method: 'PUT', url, headers: { ...f.demo, ...JSON_TYPE }, payload: '{}' }),
      415,
      "Content-Type must be application/octet-stream, not 'application/json'",
    );
    glance(
      await f.t.inject({
        method: 'PUT',
        url,
        headers: { ...f.demo, ...OCTET, 'x-openstack-image-size': 'abc' },
        payload: 'abc',
      }),
      400,
      'Invalid x-openstack-image-size: abc',
    );
    const put = await f.t.inject({
      method: 'PUT',
      url,
      headers: { ...f.demo, ...OCTET },
      payload: 'abc',
    });
    assert.equal(put.statusCode, 204);
    glance(
      await f.t.inject({
        method: 'GET',
        url,
        headers: { ...f.demo, range: 'bytes=99999999999999999999999-' },
      }),
      416,
      'Requested range not satisfiable: bytes */3',
    );
  });
});
