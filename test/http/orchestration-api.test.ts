import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApp } from '../helpers/app.js';

const fx = useApp();
const url = (p: string) => `/orchestration/v1/${fx.demoProject}${p}`;

const TEMPLATE = {
  heat_template_version: '2016-04-08',
  description: 'API test',
  parameters: { p: { type: 'string', default: 'x' }, n: { type: 'number', default: 10 } },
  outputs: { out: { description: 'the p', value: { get_param: 'p' } } },
};

async function create(name: string, extra: Record<string, unknown> = {}) {
  const res = await fx.t.inject({
    method: 'POST',
    url: url('/stacks'),
    headers: fx.demo,
    payload: { stack_name: name, template: TEMPLATE, ...extra },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().stack.id as string;
  for (let i = 0; i < 100; i++) {
    const s = await fx.t.inject({
      method: 'GET',
      url: url(`/stacks/${name}/${id}`),
      headers: fx.demo,
    });
    if (s.json().stack.stack_status !== 'CREATE_IN_PROGRESS') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return id;
}

function errorOf(
  res: { statusCode: number; json(): any },
  status: number,
  type: string,
  message?: string,
) {
  assert.equal(res.statusCode, status, JSON.stringify(res.json()));
  const body = res.json();
  assert.equal(body.code, status);
  assert.equal(body.error.type, type);
  if (message !== undefined) assert.equal(body.error.message, message);
}

test('create answers 201 with Location and the stack id', async () => {
  const res = await fx.t.inject({
    method: 'POST',
    url: url('/stacks'),
    headers: fx.demo,
    payload: { stack_name: 'c1', template: TEMPLATE },
  });
  assert.equal(res.statusCode, 201);
  const { stack } = res.json();
  assert.match(res.headers.location as string, new RegExp(`/stacks/c1/${stack.id}$`));
  assert.equal(stack.links[0].rel, 'self');
});

test('create refuses bad bodies with Heat texts', async () => {
  const post = (payload: unknown) =>
    fx.t.inject({
      method: 'POST',
      url: url('/stacks'),
      headers: fx.demo,
      payload: payload as object,
    });
  errorOf(await post({ template: TEMPLATE }), 400, 'HTTPBadRequest', 'No stack name specified');
  errorOf(await post({ stack_name: 'x' }), 400, 'HTTPBadRequest', 'No template specified');
  errorOf(
    await post({ stack_name: '1bad', template: TEMPLATE }),
    400,
    'StackValidationFailed',
    'Invalid stack name 1bad must contain only alphanumeric or "_-." characters, must start with alpha and must be 255 characters or less.',
  );
  errorOf(
    await post({ stack_name: 'x', template: 'foo: bar' }),
    400,
    'HTTPBadRequest',
    'Template not in valid format: Template format version not found.',
  );
  errorOf(
    await post({ stack_name: 'x', template: TEMPLATE, timeout_mins: -1 }),
    400,
    'HTTPBadRequest',
    "Value '-1' is invalid for 'timeout_mins' which only accepts non-negative integer.",
  );
  errorOf(
    await post({ stack_name: 'x', template: TEMPLATE, converge: true }),
    400,
    'HTTPBadRequest',
    'converge flag only supported in stack update (or update preview) request.',
  );
  errorOf(
    await post({ stack_name: { toString: 'x' }, template: TEMPLATE }),
    400,
    'StackValidationFailed',
  );
  const deep: Record<string, unknown> = {};
  let cur = deep;
  for (let i = 0; i < 2000; i++) cur = cur.a = {} as Record<string, unknown>;
  const r = await post({ stack_name: 'deep', template: { ...TEMPLATE, description: deep } });
  assert.ok(r.statusCode < 500, r.body);
  errorOf(
    await post({ stack_name: 'x', template: TEMPLATE, tags: 'a'.repeat(81) }),
    400,
    'HTTPBadRequest',
  );
});

test('environment_files merge in order and parameters win', async () => {
  const id = await create('envs', {
    files: { 'a.yaml': 'parameters: {p: a}', 'b.yaml': '{"parameters": {"p": "b"}}' },
    environment_files: ['a.yaml', 'b.yaml'],
  });
  const out = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/envs/${id}/outputs/out`),
    headers: fx.demo,
  });
  assert.equal(out.json().output.output_value, 'b');
  const env = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/envs/${id}/environment`),
    headers: fx.demo,
  });
  assert.deepEqual(env.json().parameters, { p: 'b' });
  assert.deepEqual(Object.keys(env.json()).sort(), [
    'encrypted_param_names',
    'event_sinks',
    'parameter_defaults',
    'parameters',
    'resource_registry',
  ]);
});

test('show, template, files, outputs', async () => {
  const id = await create('shown', { files: { f: 'data' }, tags: 'a,b' });
  const s = await fx.t.inject({ method: 'GET', url: url(`/stacks/shown/${id}`), headers: fx.demo });
  const stack = s.json().stack;
  assert.equal(stack.stack_status, 'CREATE_COMPLETE');
  assert.equal(stack.description, 'API test');
  assert.deepEqual(stack.tags, ['a', 'b']);
  assert.equal(stack.stack_owner, 'demo');
  assert.equal(stack.parameters.n, '10');
  assert.deepEqual(stack.outputs, [{ output_key: 'out', description: 'the p', output_value: 'x' }]);
  const noOut = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/shown/${id}?resolve_outputs=false`),
    headers: fx.demo,
  });
  assert.equal(noOut.json().stack.outputs, undefined);
  const tpl = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/shown/${id}/template`),
    headers: fx.demo,
  });
  assert.deepEqual(tpl.json(), TEMPLATE);
  const files = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/shown/${id}/files`),
    headers: fx.demo,
  });
  assert.deepEqual(files.json(), { f: 'data' });
  const outs = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/shown/${id}/outputs`),
    headers: fx.demo,
  });
  assert.deepEqual(outs.json(), { outputs: [{ output_key: 'out', description: 'the p' }] });
  const missing = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/shown/${id}/outputs/nope`),
    headers: fx.demo,
  });
  errorOf(missing, 404, 'NotFound', 'Specified output key nope not found.');
  const wrong = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/other/${id}`),
    headers: fx.demo,
  });
  errorOf(wrong, 404, 'EntityNotFound', 'The Stack (other) could not be found.');
  const bad = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/shown/${id}?resolve_outputs=maybe`),
    headers: fx.demo,
  });
  errorOf(
    bad,
    400,
    'HTTPBadRequest',
    'Unrecognized value "maybe" for "resolve_outputs", acceptable values are: true, false.',
  );
});

test('lookup redirects every method with the query re-encoded', async () => {
  const id = await create('look');
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    const r = await fx.t.inject({
      method,
      url: url('/stacks/look?a=1&a=2&b=x%20y'),
      headers: fx.demo,
    });
    assert.equal(r.statusCode, 302, method);
    assert.match(
      r.headers.location as string,
      new RegExp(`^http.*/stacks/look/${id}\\?a=1&a=2&b=x\\+y$`),
    );
  }
  const sub = await fx.t.inject({
    method: 'GET',
    url: url('/stacks/look/events'),
    headers: fx.demo,
  });
  assert.match(sub.headers.location as string, new RegExp(`/stacks/look/${id}/events$`));
  const byId = await fx.t.inject({ method: 'GET', url: url(`/stacks/${id}`), headers: fx.demo });
  assert.equal(byId.statusCode, 302);
  const none = await fx.t.inject({ method: 'GET', url: url('/stacks/nope'), headers: fx.demo });
  errorOf(none, 404, 'EntityNotFound', 'The Stack (nope) could not be found.');
});

test('other projects: their stacks are 404, their tenant in the URL 403', async () => {
  const admin = await fx.t.inject({
    method: 'GET',
    url: `/orchestration/v1/${fx.adminProject}/stacks`,
    headers: fx.demo,
  });
  errorOf(admin, 403, 'HTTPForbidden', 'Access was denied to this resource.');
  const made = await fx.t.inject({
    method: 'POST',
    url: `/orchestration/v1/${fx.adminProject}/stacks`,
    headers: fx.admin,
    payload: { stack_name: 'theirs', template: TEMPLATE },
  });
  assert.equal(made.statusCode, 201);
  const id = made.json().stack.id;
  const show = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/theirs/${id}`),
    headers: fx.demo,
  });
  errorOf(show, 404, 'EntityNotFound', 'The Stack (theirs) could not be found.');
  const byId = await fx.t.inject({ method: 'GET', url: url(`/stacks/${id}`), headers: fx.demo });
  errorOf(byId, 404, 'EntityNotFound', `The Stack (${id}) could not be found.`);
  const del = await fx.t.inject({
    method: 'DELETE',
    url: url(`/stacks/theirs/${id}`),
    headers: fx.demo,
  });
  assert.equal(del.statusCode, 404);
  const events = await fx.t.inject({
    method: 'GET',
    url: url(`/stacks/theirs/${id}/events`),
    headers: fx.demo,
  });
  assert.equal(events.statusCode, 404);
  const listed = (
    await fx.t.inject({ method: 'GET', url: url('/stacks'), headers: fx.demo })
  ).json();
  assert.ok(!listed.stacks.some((s: { id: string }) => s.id === id));
  // An admin lists every project's stacks, each with its project (Heat's admin context).
  const all = (
    await fx.t.inject({
      method: 'GET',
      url: `/orchestration/v1/${fx.adminProject}/stacks`,
      headers: fx.admin,
    })
  ).json();
  const theirs = all.stacks.find((s: { id: string }) => s.id === id);
  assert.equal(theirs.project, fx.adminProject);
});

test('list: filters, sort, limit with next link, count, bad params', async () => {
  await create('la1', { tags: 'x' });
  await create('la2');
  const list = async (q: string) =>
    fx.t.inject({ method: 'GET', url: url(`/stacks${q}`), headers: fx.demo });
  const byName = (await list('?name=la1')).json();
  assert.deepEqual(
    byName.stacks.map((s: any) => s.stack_name),
    ['la1'],
  );
  assert.equal(byName.stacks[0].description, '');
  const status = (await list('?status=CREATE_COMPLETE&name=la1&name=la2')).json();
  assert.equal(status.stacks.length, 2);
  const sorted = (await list('?name=la1&name=la2&sort_keys=stack_name&sort_dir=asc')).json();
  assert.deepEqual(
    sorted.stacks.map((s: any) => s.stack_name),
    ['la1', 'la2'],
  );
  const paged = (
    await list('?name=la1&name=la2&sort_keys=stack_name&sort_dir=asc&limit=1&with_count=true')
  ).json();
  assert.equal(paged.stacks.length, 1);
  assert.equal(paged.count, 2);
  assert.match(paged.links[0].href, new RegExp(`marker=${paged.stacks[0].id}$`));
  const next = (
    await list(`?name=la1&name=la2&sort_keys=stack_name&sort_dir=asc&marker=${paged.stacks[0].id}`)
  ).json();
  assert.deepEqual(
    next.stacks.map((s: any) => s.stack_name),
    ['la2'],
  );
  const tagged = (await list('?tags=x')).json();
  assert.deepEqual(
    tagged.stacks.map((s: any) => s.stack_name),
    ['la1'],
  );
  errorOf(
    await list('?limit=abc'),
    400,
    'HTTPBadRequest',
    "Only integer is acceptable by 'limit'.",
  );
  errorOf(
    await list('?limit=-1'),
    400,
    'HTTPBadRequest',
    "Value '-1' is invalid for 'limit' which only accepts non-negative integer.",
  );
  errorOf(await list('?show_deleted=yes'), 400, 'HTTPBadRequest');
  assert.equal((await list('?limit=99999999999999999999999')).statusCode, 200);
  assert.equal((await list('?sort_keys=__proto__&sort_keys=constructor')).statusCode, 200);
  errorOf(await list('?sort_dir=sideways'), 400, 'ValueError');
  const many = Array.from({ length: 1200 }, (_, i) => `k${i}=${i}`).join('&');
  assert.equal((await list(`?${many}&__proto__=x`)).statusCode, 200);
  errorOf(
    await list('?global_tenant=true'),
    403,
    'HTTPForbidden',
    'Access was denied to this resource.',
  );
  const detail = (await list('/detail?name=la1')).json();
  assert.ok(detail.stacks.length >= 2, 'detail takes no filters');
  assert.equal(detail.stacks[0].description, '');
  assert.equal(detail.stacks[0].stack_owner, 'demo');
});

test('delete, then the stack shows DELETE_COMPLETE and lists only with show_deleted', async () => {
  const id = await create('gone');
  const del = await fx.t.inject({
    method: 'DELETE',
    url: url(`/stacks/gone/${id}`),
    headers: fx.demo,
  });
  assert.equal(del.statusCode, 204);
  let stack: any;
  for (let i = 0; i < 100; i++) {
    stack = (
      await fx.t.inject({ method: 'GET', url: url(`/stacks/gone/${id}`), headers: fx.demo })
    ).json().stack;
    if (stack.stack_status === 'DELETE_COMPLETE') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(stack.stack_status, 'DELETE_COMPLETE');
  assert.equal(stack.outputs, undefined);
  assert.notEqual(stack.deletion_time, null);
  const live = (
    await fx.t.inject({ method: 'GET', url: url('/stacks?name=gone'), headers: fx.demo })
  ).json();
  assert.equal(live.stacks.length, 0);
  const all = (
    await fx.t.inject({
      method: 'GET',
      url: url('/stacks?name=gone&show_deleted=true'),
      headers: fx.demo,
    })
  ).json();
  assert.equal(all.stacks.length, 1);
});

test('answers carry application/json without a charset, as Heat does', async () => {
  const ok = await fx.t.inject({ method: 'GET', url: url('/stacks'), headers: fx.demo });
  assert.equal(ok.headers['content-type'], 'application/json');
  const bad = await fx.t.inject({ method: 'GET', url: url('/stacks?limit=x'), headers: fx.demo });
  assert.equal(bad.headers['content-type'], 'application/json');
});

test('a known URL with a method it does not take is a 405 with Allow; OPTIONS lists them', async () => {
  const r = await fx.t.inject({ method: 'PUT', url: url('/stacks'), headers: fx.demo });
  errorOf(r, 405, 'HTTPMethodNotAllowed', 'The method is not allowed for this resource.');
  assert.equal(r.headers.allow, 'POST,GET');
  const o = await fx.t.inject({ method: 'OPTIONS', url: url('/build_info'), headers: fx.demo });
  assert.equal(o.statusCode, 204);
  assert.equal(o.headers.allow, 'GET');
  const n = await fx.t.inject({ method: 'GET', url: url('/nothing/here'), headers: fx.demo });
  errorOf(n, 404, 'HTTPNotFound', 'The resource could not be found.');
  const anon = await fx.t.inject({ method: 'GET', url: url('/nothing/here') });
  assert.equal(anon.statusCode, 401);
});
