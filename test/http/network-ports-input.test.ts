import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useApp } from '../helpers/app.js';

/** Hostile and malformed input on the port routes: always a 4xx with Neutron's body, never a 500. */
const app = useApp();
const n = '/network/v2.0';

const post = (payload: unknown) =>
  app.t.inject({
    method: 'POST',
    url: `${n}/ports`,
    headers: { ...app.demo, 'content-type': 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
const put = (id: string, payload: unknown) =>
  app.t.inject({
    method: 'PUT',
    url: `${n}/ports/${id}`,
    headers: app.demo,
    payload: payload as object,
  });
const get = (path: string) =>
  app.t.inject({ method: 'GET', url: `${n}/${path}`, headers: app.demo });

function assertError(res: any, status: number, type: string, message?: string): void {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json().NeutronError;
  assert.equal(body.type, type, res.body);
  if (message !== undefined) assert.equal(body.message, message);
}

async function network(): Promise<string> {
  const res = await app.t.inject({
    method: 'POST',
    url: `${n}/networks`,
    headers: app.demo,
    payload: { network: { name: 'hostile' } },
  });
  return res.json().network.id;
}

test('deeply nested bodies are refused', async () => {
  const deep = `{"port": {"network_id": "${randomUUID()}", "name": ${'['.repeat(5000)}${']'.repeat(5000)}}}`;
  const res = await post(deep);
  assert.equal(res.statusCode, 400, res.body);
  assert.ok(res.json().NeutronError);
});

test('objects where strings are expected get validator texts', async () => {
  const net = await network();
  const evil = { toString: 'x' };
  assertError(
    await post({ port: { network_id: net, name: evil } }),
    400,
    'HTTPBadRequest',
    "Invalid input for name. Reason: '{'toString': 'x'}' is not a valid string.",
  );
  assertError(
    await post({ port: { network_id: evil } }),
    400,
    'HTTPBadRequest',
    "Invalid input for network_id. Reason: '{'toString': 'x'}' is not a valid UUID.",
  );
  for (const port of [
    { mac_address: evil },
    { fixed_ips: [{ ip_address: evil }] },
    { fixed_ips: [{ subnet_id: evil }] },
    { fixed_ips: [evil, 'x'] },
    { security_groups: [evil] },
    { device_owner: evil },
    { 'binding:vnic_type': evil },
    { 'binding:profile': 'x' },
    { extra_dhcp_opts: [{ opt_name: evil, opt_value: 'v' }] },
    { tags: [evil] },
  ]) {
    assertError(await post({ port: { network_id: net, ...port } }), 400, 'HTTPBadRequest');
  }
  assertError(
    await post({ port: { network_id: net, allowed_address_pairs: [{ ip_address: evil }] } }),
    400,
    'HTTPBadRequest',
    "'{'toString': 'x'}' is not a valid IP address",
  );
  assertError(
    await post({ port: { network_id: net, admin_state_up: evil } }),
    400,
    'InvalidInput',
    "Invalid input for operation: '{'toString': 'x'}' cannot be converted to boolean.",
  );
});

test('__proto__ and constructor are data, not keys of ours', async () => {
  const net = await network();
  // The body parser refuses a prototype key anywhere in a body, before Neutron's checks.
  assertError(
    await post(`{"port": {"network_id": "${net}", "__proto__": {"admin_state_up": false}}}`),
    400,
    'HTTPBadRequest',
    'Malformed request body: Object contains forbidden prototype property',
  );
  assertError(
    await post({ port: { network_id: net, constructor: 'x' } }),
    400,
    'HTTPBadRequest',
    "Unrecognized attribute(s) 'constructor'",
  );
  assertError(
    await post(
      `{"port": {"network_id": "${net}", "fixed_ips": [{"__proto__": {"subnet_id": "x"}}]}}`,
    ),
    400,
    'HTTPBadRequest',
  );
  assertError(
    await post({ port: { network_id: net, fixed_ips: [{ prototype: { subnet_id: 'x' } }] } }),
    400,
    'InvalidInput',
    'Invalid input for operation: IP allocation requires subnets for network.',
  );
  assertError(await get('ports?__proto__=1'), 400, 'HTTPBadRequest');
  assertError(await get('ports?sort_key=__proto__&sort_dir=asc'), 400, 'HTTPBadRequest');
  assertError(await get('ports?sort_key=constructor&sort_dir=asc'), 400, 'HTTPBadRequest');
  const fields = await get('ports?fields=__proto__&fields=constructor');
  assert.equal(fields.statusCode, 200);
  const listed = await get('ports?fixed_ips=__proto__%3Dx&fixed_ips=constructor%3Dy');
  assert.equal(listed.statusCode, 200, listed.body);
});

test('huge numbers are read whole or refused, never wrapped', async () => {
  const net = await network();
  // Python reads any size of integer: a huge limit is no limit at all, as in Neutron.
  assert.equal((await get('ports?limit=99999999999999999999999999')).statusCode, 200);
  assert.equal((await get('ports?limit=-1')).statusCode, 400);
  const rev = await get('ports?revision_number=99999999999999999999999');
  assert.equal(rev.statusCode, 200, rev.body);
  assert.deepEqual(rev.json().ports, []);
  assertError(await get('ports?revision_number=1.5'), 400, 'InvalidInput');
  assertError(
    await post(`{"port": {"network_id": "${net}", "admin_state_up": 1e400}}`),
    400,
    'InvalidInput',
  );
  assertError(
    await post({
      port: {
        network_id: net,
        extra_dhcp_opts: [{ opt_name: 'a', opt_value: 'b', ip_version: 1e30 }],
      },
    }),
    400,
    'HTTPBadRequest',
  );
  const port = (await post({ port: { network_id: net } })).json().port;
  const res = await app.t.inject({
    method: 'PUT',
    url: `${n}/ports/${port.id}`,
    headers: { ...app.demo, 'if-match': 'revision_number=999999999999999999999999' },
    payload: { port: { name: 'x' } },
  });
  assert.equal(res.statusCode, 400, res.body);
});

test('null where a value is expected', async () => {
  const net = await network();
  assertError(
    await post({ port: { network_id: net, name: null } }),
    400,
    'HTTPBadRequest',
    "Invalid input for name. Reason: 'None' is not a valid string.",
  );
  assertError(
    await post({ port: { network_id: null } }),
    400,
    'HTTPBadRequest',
    "Invalid input for network_id. Reason: 'None' is not a valid UUID.",
  );
  assertError(await post({ port: null }), 400, 'HTTPBadRequest');
  assertError(await post({ port: { network_id: net, mac_address: null } }), 400, 'HTTPBadRequest');
  assertError(await post({ port: { network_id: net, device_id: null } }), 400, 'HTTPBadRequest');
  assertError(
    await post({ port: { network_id: net, admin_state_up: null } }),
    400,
    'InvalidInput',
    "Invalid input for operation: 'None' cannot be converted to boolean.",
  );
  // Neutron turns these nulls into empty lists.
  const res = await post({
    port: { network_id: net, security_groups: null, allowed_address_pairs: null },
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(res.json().port.security_groups, []);
  assert.deepEqual(res.json().port.allowed_address_pairs, []);
  const upd = await put(res.json().port.id, {
    port: { 'binding:profile': null, extra_dhcp_opts: null },
  });
  assert.equal(upd.statusCode, 403, 'binding:profile is for admins');
  assertError(await put(res.json().port.id, { port: { name: null } }), 400, 'HTTPBadRequest');
  assertError(await put(res.json().port.id, { port: null }), 400, 'HTTPBadRequest');
});

test('a thousand filter values are one query, a thousand unknown filters one 400', async () => {
  const net = await network();
  const names = Array.from({ length: 1000 }, (_, i) => `name=n${i}`).join('&');
  assert.equal((await get(`ports?${names}`)).statusCode, 200);
  const addrs = Array.from(
    { length: 1000 },
    (_, i) => `fixed_ips=ip_address%3D10.0.${i >> 8}.${i & 255}`,
  );
  const res = await get(`ports?network_id=${net}&${addrs.join('&')}`);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().ports, []);
  const groups = Array.from({ length: 1000 }, () => `security_groups=${randomUUID()}`).join('&');
  assert.equal((await get(`ports?${groups}`)).statusCode, 200);
  const unknown = Array.from({ length: 1000 }, (_, i) => `k${i}=1`).join('&');
  assertError(await get(`ports?${unknown}`), 400, 'HTTPBadRequest');
  const many = Array.from({ length: 1001 }, () => ({ subnet_id: randomUUID() }));
  assertError(await post({ port: { network_id: net, fixed_ips: many } }), 400, 'InvalidInput');
});

test('long lists are read in one pass', async () => {
  const net = await network();
  const tags = Array.from({ length: 100_000 }, (_, i) => `t${i}`);
  assertError(
    await post({ port: { network_id: net, tags: [...tags, 't5'] } }),
    400,
    'HTTPBadRequest',
    "Invalid input for tags. Reason: Duplicate items in the list: 't5'.",
  );
  const port = (await post({ port: { network_id: net } })).json().port;
  const opts = Array.from({ length: 50_000 }, (_, i) => ({ opt_name: `o${i}`, opt_value: 'v' }));
  const res = await put(port.id, { port: { extra_dhcp_opts: opts } });
  assert.equal(res.statusCode, 200, res.body.slice(0, 200));
  assert.equal(res.json().port.extra_dhcp_opts.length, 50_000);
  const groups = Array.from({ length: 20_000 }, () => randomUUID());
  assertError(
    await put(port.id, { port: { security_groups: groups } }),
    404,
    'SecurityGroupNotFound',
  );
});
