import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from '../helpers/app.js';
import { assertNeutronError, l3Client } from '../helpers/network-l3.js';

const app = useApp();
const c = l3Client(app);

const HOSTILE: unknown[] = [
  null,
  'x',
  [],
  42,
  { toString: 'x' },
  { router: null },
  { router: 'x' },
  { router: { name: { toString: 'x' } } },
  { router: { name: 'x'.repeat(300) } },
  { router: { admin_state_up: 'maybe' } },
  { router: { external_gateway_info: { network_id: { toString: 'x' } } } },
  { router: { external_gateway_info: { network_id: 1e308 } } },
  { router: { external_gateway_info: [[[[]]]] } },
  { router: { routes: { destination: 'x' } } },
  { router: { routes: [{ destination: '10.0.0.0/8', nexthop: null }] } },
  { router: { constructor: 'x' } },
  { router: { distributed: 2 ** 70 } },
  { floatingip: null },
  { floatingip: { floating_network_id: null } },
  { floatingip: { floating_network_id: 2 ** 64 } },
  { floatingip: { port_id: ['a'] } },
  { floatingip: { fixed_ip_address: { toString: 'x' } } },
  { floatingip: { floating_ip_address: '999.1.1.1' } },
  { floatingip: { description: null } },
];

test('hostile bodies on every router and floating IP write route get a 4xx NeutronError', async () => {
  const r = await c.router({ name: 'hostile' });
  const fipNet = await c.external('172.24.40.0/24');
  const fip = (
    await c.post('floatingips', { floatingip: { floating_network_id: fipNet.net.id } })
  ).json().floatingip;
  const routes: ['POST' | 'PUT', string][] = [
    ['POST', 'routers'],
    ['PUT', `routers/${r.id}`],
    ['PUT', `routers/${r.id}/add_router_interface`],
    ['PUT', `routers/${r.id}/remove_router_interface`],
    ['PUT', `routers/${r.id}/add_extraroutes`],
    ['PUT', `routers/${r.id}/remove_extraroutes`],
    ['POST', 'floatingips'],
    ['PUT', `floatingips/${fip.id}`],
  ];
  for (const [method, path] of routes) {
    for (const body of HOSTILE) {
      const res =
        method === 'POST'
          ? await c.post(path, body, app.admin)
          : await c.put(path, body, app.admin);
      const what = `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}: ${res.body.slice(0, 200)}`;
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, what);
      assert.ok(res.json().NeutronError, what);
    }
  }
  // The router and the floating IP are as they were.
  assert.equal((await c.get(`routers/${r.id}`)).json().router.name, 'hostile');
  assert.equal((await c.get(`floatingips/${fip.id}`)).json().floatingip.port_id, null);
});

test('hostile list queries on routers and floating IPs get Neutron 400s, never a 5xx', async () => {
  for (const collection of ['routers', 'floatingips']) {
    const many = Array.from({ length: 1200 }, (_, i) => `name=n${i}`).join('&');
    const bulk = await c.get(`${collection}?${many}`);
    assert.ok(bulk.statusCode === 200 || bulk.statusCode === 400, bulk.body.slice(0, 200));
    for (const key of ['__proto__', 'constructor', 'toString', 'external_gateway_info']) {
      assertNeutronError(
        await c.get(`${collection}?sort_key=${key}&sort_dir=asc`),
        400,
        'HTTPBadRequest',
      );
      assertNeutronError(await c.get(`${collection}?${key}=x`), 400, 'HTTPBadRequest');
    }
    for (const limit of ['-1', 'x', '1e400', '99999999999999999999999']) {
      const res = await c.get(`${collection}?limit=${limit}`);
      assert.ok(res.statusCode === 200 || res.statusCode === 400, `${limit}: ${res.body}`);
    }
    const pageOne = await c.get(
      `${collection}?limit=1&marker=00000000-0000-4000-8000-000000000000`,
    );
    assert.ok(pageOne.statusCode === 200 || pageOne.statusCode === 404, pageOne.body);
    const fields = await c.get(`${collection}?fields=__proto__&fields=constructor`);
    assert.equal(fields.statusCode, 200, fields.body);
  }
});

test('hostile ids and project ids in paths are 404s or 403s', async () => {
  for (const id of ['%00', '..%2F..', 'x'.repeat(90), '__proto__', 'constructor']) {
    for (const path of [`routers/${id}`, `floatingips/${id}`]) {
      const res = await c.get(path);
      assert.equal(res.statusCode, 404, `${path}: ${res.body.slice(0, 200)}`);
    }
    const topo = await c.get(`auto-allocated-topology/${id}`);
    assertNeutronError(topo, 403, 'NotAuthorized');
  }
  const fields = await c.get('auto-allocated-topology/None?fields=__proto__');
  assertNeutronError(fields, 400, 'BadRequest');
});
