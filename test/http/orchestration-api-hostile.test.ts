import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp } from '../helpers/app.js';

const fx = useApp();
const url = (p: string) => `/orchestration/v1/${fx.demoProject}${p}`;
const TEMPLATE = { heat_template_version: '2016-04-08', outputs: { o: { value: 1 } } };

function deep(n: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

async function stack(name: string): Promise<string> {
  const res = await fx.t.inject({
    method: 'POST',
    url: url('/stacks'),
    headers: fx.demo,
    payload: { stack_name: name, template: TEMPLATE },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().stack.id;
}

const HOSTILE: unknown[] = [
  { toString: 'x' },
  { __proto__: 'x', constructor: 'y' },
  null,
  [],
  1e22,
  'x'.repeat(100_000),
  deep(3000),
];

test('every body route answers hostile bodies with a 4xx, never a 500', async () => {
  const id = await stack('hb');
  const routes: Array<[string, string, (v: unknown) => unknown]> = [
    [
      'POST',
      '/stacks',
      (v) => ({
        stack_name: v,
        template: v,
        environment: v,
        files: v,
        parameters: v,
        tags: v,
        timeout_mins: v,
        disable_rollback: v,
        environment_files: v,
      }),
    ],
    ['POST', '/stacks', (v) => ({ stack_name: 'h1', template: TEMPLATE, environment: v })],
    [
      'POST',
      '/stacks',
      (v) => ({ stack_name: 'h2', template: TEMPLATE, parameters: { __proto__: v } }),
    ],
    [
      'POST',
      '/stacks',
      (v) => ({
        stack_name: 'h3',
        template: TEMPLATE,
        files: { __proto__: v },
        environment_files: ['__proto__'],
      }),
    ],
    ['POST', '/validate', (v) => ({ template: v, parameters: v, environment: v })],
    ['POST', '/validate', (v) => ({ template: { ...TEMPLATE, parameters: v } })],
    [
      'PATCH',
      `/stacks/hb/${id}/resources/x`,
      (v) => ({ mark_unhealthy: v, resource_status_reason: v }),
    ],
    ['POST', `/stacks/hb/${id}/resources/x/signal`, (v) => v],
    ['POST', '/stacks', (v) => v],
  ];
  for (const [method, path, body] of routes) {
    for (const v of HOSTILE) {
      const res = await fx.t.inject({
        method: method as 'POST',
        url: url(path),
        headers: { ...fx.demo, 'content-type': 'application/json' },
        payload: JSON.stringify(body(v)) ?? 'null',
      });
      assert.ok(
        res.statusCode < 500,
        `${method} ${path}: ${res.statusCode} ${res.body.slice(0, 300)}`,
      );
    }
  }
});

test('hostile queries on every list get no 5xx', async () => {
  const id = await stack('hq');
  const many = Array.from({ length: 1100 }, (_, i) => `f${i}=${i}`).join('&');
  const queries = [
    'limit=99999999999999999999999999',
    'limit=1e3',
    'marker=__proto__',
    'sort_keys=__proto__&sort_keys=constructor&sort_dir=asc',
    'sort_dir=toString',
    '__proto__=1&constructor=2',
    'name=a&name=b&status=__proto__',
    'nested_depth=99999999999999999999',
    many,
  ];
  for (const path of [
    '/stacks',
    `/stacks/hq/${id}/events`,
    `/stacks/hq/${id}/resources`,
    '/resource_types',
    '/template_versions',
    `/stacks/hq/${id}`,
  ]) {
    for (const q of queries) {
      const res = await fx.t.inject({ method: 'GET', url: url(`${path}?${q}`), headers: fx.demo });
      assert.ok(
        res.statusCode < 500,
        `${path}?${q.slice(0, 60)}: ${res.statusCode} ${res.body.slice(0, 300)}`,
      );
    }
  }
  const rt = await fx.t.inject({
    method: 'GET',
    url: url('/resource_types?name=(((('),
    headers: fx.demo,
  });
  assert.equal(rt.statusCode, 200);
});

test('names that are not stacks: lookups 404 with Heat texts', async () => {
  for (const name of ['__proto__', 'constructor', '%E4%BD%A0', 'a'.repeat(900)]) {
    const res = await fx.t.inject({ method: 'GET', url: url(`/stacks/${name}`), headers: fx.demo });
    assert.equal(res.statusCode, 404, name);
    assert.equal(res.json().error.type, 'EntityNotFound');
  }
  const id = await stack('hn');
  const wrong = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/__proto__/${id}/resources/constructor`),
    headers: fx.demo,
  });
  assert.equal(wrong.statusCode, 404);
});
