import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp } from '../helpers/app.js';
import { computeClient } from '../helpers/compute-servers.js';

const app = useApp();
const c = computeClient(app);

function deep(levels: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

const NEVER_VALID: unknown[] = [
  deep(300),
  JSON.parse('{"__proto__": {"polluted": 1}}'),
  { constructor: { prototype: { polluted: 1 } } },
];
const HOSTILE: unknown[] = [...NEVER_VALID, null, 'text', 42, [], { toString: 'x' }];

/** Every value in every slot: a 4xx, never a 5xx, and nothing polluted. */
test('hostile bodies and queries get 4xx on every sub-resource route', async () => {
  const { id } = await c.server();
  const mv = '2.64';
  const bodies: Array<[string, (v: unknown) => unknown]> = [
    ['servers/{id}/metadata', (v) => ({ metadata: v })],
    ['servers/{id}/metadata', (v) => ({ metadata: { k: v } })],
    ['servers/{id}/metadata', (v) => v],
    ['servers/{id}/metadata/k', (v) => ({ meta: { k: v } })],
    ['servers/{id}/metadata/k', (v) => ({ meta: v })],
    ['servers/{id}/tags', (v) => ({ tags: v })],
    ['servers/{id}/tags', (v) => ({ tags: [v] })],
    ['servers/{id}/tags/t', (v) => v],
    ['os-server-groups', (v) => ({ server_group: v })],
    ['os-server-groups', (v) => ({ server_group: { name: v, policy: 'affinity' } })],
    ['os-server-groups', (v) => ({ server_group: { name: 'n', policy: v } })],
    [
      'os-server-groups',
      (v) => ({
        server_group: { name: 'n', policy: 'anti-affinity', rules: { max_server_per_host: v } },
      }),
    ],
    ['servers/{id}/action', (v) => ({ addSecurityGroup: v })],
    ['servers/{id}/action', (v) => ({ addSecurityGroup: { name: v } })],
    ['servers/{id}/action', (v) => ({ removeSecurityGroup: { name: v } })],
  ];
  for (const [path, wrap] of bodies)
    for (const v of [...HOSTILE, 2 ** 64, -1, 1e308]) {
      const url = path.replace('{id}', id);
      for (const method of url.includes('action') || url === 'os-server-groups'
        ? ['POST']
        : ['PUT', 'POST']) {
        if (method === 'POST' && url.includes('/tags')) continue;
        if (method === 'POST' && url.endsWith('/metadata/k')) continue;
        const res = await app.t.inject({
          method: method as 'PUT' | 'POST',
          url: `/compute/v2.1/${url}`,
          headers: {
            ...app.demo,
            'openstack-api-version': `compute ${mv}`,
            'content-type': 'application/json',
          },
          payload: JSON.stringify(wrap(v)),
        });
        // Some values are good in some slots ("text" as a tag, {"toString": "x"} as metadata);
        // none is a 5xx, and the ones no slot takes are refused.
        const refused = res.statusCode >= 400 && res.statusCode < 500;
        assert.ok(
          NEVER_VALID.includes(v) ? refused : refused || res.statusCode < 300,
          `${method} ${path} with ${JSON.stringify(wrap(v))?.slice(0, 80)}: ${res.statusCode} ${res.body}`,
        );
      }
    }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);

  const many = Array.from({ length: 1200 }, (_, i) => `p${i}=1`).join('&');
  for (const path of [
    `servers/${id}/os-instance-actions?limit=99999999999999999999999&${many}`,
    `os-server-groups?limit=99999999999999999999&offset=99999999999999999999999&${many}`,
    `os-security-groups?limit=99999999999999999999&offset=1e400&${many}`,
    `os-hypervisors?limit=99999999999999999999&__proto__=1&constructor=2`,
    `servers/${id}/os-instance-actions?marker=__proto__&changes-since=__proto__`,
    `os-hypervisors/99999999999999999999999`,
    `servers/${id}/ips/constructor`,
    `servers/${id}/metadata/__proto__`,
    `servers/${id}/tags/__proto__`,
  ]) {
    const res = await c.get(path, app.admin, path.includes('os-instance') ? '2.66' : '2.60');
    assert.ok(res.statusCode < 500, `${path}: ${res.statusCode} ${res.body}`);
  }
  // Metadata keys that name Object.prototype's members are keys like any other.
  for (const key of ['__proto__', 'constructor', 'toString']) {
    const res = await c.put(`servers/${id}/metadata/${key}`, { meta: { [key]: 'v' } });
    assert.ok(
      res.statusCode === 200 || res.statusCode === 400,
      `${key}: ${res.statusCode} ${res.body}`,
    );
  }
});
