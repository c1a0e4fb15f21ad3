import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESOURCE_TYPE_GROUPS } from '../../src/services/orchestration/resources/index.js';
import type { ResourceType } from '../../src/services/orchestration/resources/types.js';
import { useApp } from '../helpers/app.js';

/** A type of this test's own: the API reads, whatever types the registry has today. */
const THING: ResourceType = {
  type: 'Test::Api::Thing',
  description: 'A thing for API tests.',
  supportStatus: { status: 'SUPPORTED', version: '5.0.0' },
  properties: {
    value: { type: 'string', description: 'The value.', default: 'v', updateAllowed: true },
    size: {
      type: 'integer',
      required: false,
      constraints: [{ kind: 'range', min: 1, max: 9, description: 'small' }],
    },
  },
  attributes: { output: { description: 'The value.', type: 'string' } },
  create: async (rc) => rc.physicalName(),
  delete: async () => {},
  attribute: async (_rc, _id, name, props) => (name === 'output' ? props.value : null),
};
RESOURCE_TYPE_GROUPS.push([THING]);

const fx = useApp();
const url = (p: string) => `/orchestration/v1/${fx.demoProject}${p}`;
const get = (p: string, headers = fx.demo) => fx.t.inject({ method: 'GET', url: url(p), headers });

const TEMPLATE = {
  heat_template_version: '2016-04-08',
  parameters: { val: { type: 'string', default: 'test' } },
  resources: {
    a: { type: 'Test::Api::Thing', properties: { value: { get_param: 'val' } } },
    b: { type: 'Test::Api::Thing', depends_on: ['a'] },
  },
  outputs: { out: { value: { get_attr: ['a', 'output'] } } },
};

async function create(name: string): Promise<string> {
  const res = await fx.t.inject({
    method: 'POST',
    url: url('/stacks'),
    headers: fx.demo,
    payload: { stack_name: name, template: TEMPLATE },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().stack.id as string;
  for (let i = 0; i < 200; i++) {
    const s = (await get(`/stacks/${name}/${id}`)).json().stack;
    if (s.stack_status !== 'CREATE_IN_PROGRESS') {
      assert.equal(s.stack_status, 'CREATE_COMPLETE', s.stack_status_reason);
      break;
    }
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
  assert.equal(res.json().error.type, type);
  if (message !== undefined) assert.equal(res.json().error.message, message);
}

test('resource list: shape, required_by, filters, detail, bad filters', async () => {
  const id = await create('rl');
  const list = (await get(`/stacks/rl/${id}/resources`)).json().resources;
  const a = list.find((r: any) => r.resource_name === 'a');
  assert.equal(a.logical_resource_id, 'a');
  assert.equal(a.resource_status, 'CREATE_COMPLETE');
  assert.equal(a.resource_type, 'Test::Api::Thing');
  assert.deepEqual(a.required_by, ['b']);
  assert.match(a.physical_resource_id, /^rl-a-[a-z0-9]{12}$/);
  assert.deepEqual(
    a.links.map((l: any) => l.rel),
    ['self', 'stack'],
  );
  assert.match(a.links[0].href, new RegExp(`/stacks/rl/${id}/resources/a$`));
  assert.equal(a.attributes, undefined);
  const none = (await get(`/stacks/rl/${id}/resources?type=OS::Nova::Server`)).json();
  assert.deepEqual(none.resources, []);
  const byName = (await get(`/stacks/rl/${id}/resources?name=b&status=CREATE_COMPLETE`)).json();
  assert.deepEqual(
    byName.resources.map((r: any) => r.resource_name),
    ['b'],
  );
  const detail = (await get(`/stacks/rl/${id}/resources?with_detail=true&name=a`)).json();
  assert.deepEqual(detail.resources[0].attributes, { output: 'test', show: null });
  assert.equal(detail.resources[0].description, '');
  errorOf(
    await get(`/stacks/rl/${id}/resources?foo=1`),
    400,
    'HTTPBadRequest',
    "Invalid filter parameters ['foo']",
  );
  errorOf(
    await get(`/stacks/rl/${id}/resources?nested_depth=x`),
    400,
    'HTTPBadRequest',
    "Only integer is acceptable by 'nested_depth'.",
  );
  const redirect = await get('/stacks/rl/resources');
  assert.equal(redirect.statusCode, 302);
});

test('resource show, metadata, not found', async () => {
  const id = await create('rs');
  const shown = (await get(`/stacks/rs/${id}/resources/a?with_attr=extra`)).json().resource;
  assert.equal(shown.attributes.output, 'test');
  assert.equal(shown.attributes.extra, null);
  const meta = (await get(`/stacks/rs/${id}/resources/a/metadata`)).json();
  assert.deepEqual(meta, { metadata: {} });
  errorOf(
    await get(`/stacks/rs/${id}/resources/zz`),
    404,
    'ResourceNotFound',
    'The Resource (zz) could not be found in Stack rs.',
  );
});

test('mark unhealthy and signal', async () => {
  const id = await create('mu');
  const patch = (payload: unknown) =>
    fx.t.inject({
      method: 'PATCH',
      url: url(`/stacks/mu/${id}/resources/a`),
      headers: fx.demo,
      payload: payload as object,
    });
  const ok = await patch({ mark_unhealthy: true, resource_status_reason: 'resource deleted' });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.body, 'null');
  const shown = (await get(`/stacks/mu/${id}/resources/a`)).json().resource;
  assert.equal(shown.resource_status, 'CHECK_FAILED');
  assert.equal(shown.resource_status_reason, 'resource deleted');
  errorOf(
    await patch({ mark_unhealthy: true, x: 1 }),
    400,
    'HTTPBadRequest',
    "Invalid keys in resource mark unhealthy {'x'}",
  );
  errorOf(
    await patch({}),
    400,
    'HTTPBadRequest',
    'Missing mandatory (mark_unhealthy) key from mark unhealthy request',
  );
  errorOf(await patch({ mark_unhealthy: { toString: 'x' } }), 400, 'HTTPBadRequest');
  const reset = await patch({ mark_unhealthy: false });
  assert.equal(reset.statusCode, 200);
  assert.equal(
    (await get(`/stacks/mu/${id}/resources/a`)).json().resource.resource_status,
    'CHECK_COMPLETE',
  );
  const signal = await fx.t.inject({
    method: 'POST',
    url: url(`/stacks/mu/${id}/resources/a/signal`),
    headers: fx.demo,
  });
  errorOf(signal, 400, 'ResourceActionNotSupported', 'signal is not supported for resource.');
});

test('events: stack and resource lists, markers, sort, show', async () => {
  const id = await create('ev');
  const all = (await get(`/stacks/ev/${id}/events?sort_dir=asc`)).json().events;
  assert.equal(all[0].resource_name, 'ev');
  assert.equal(all[0].resource_status, 'CREATE_IN_PROGRESS');
  assert.equal(all[0].resource_status_reason, 'Stack CREATE started');
  assert.equal(all[0].physical_resource_id, id);
  assert.deepEqual(Object.keys(all[0]).sort(), [
    'event_time',
    'id',
    'links',
    'logical_resource_id',
    'physical_resource_id',
    'resource_name',
    'resource_status',
    'resource_status_reason',
  ]);
  assert.equal(all[all.length - 1].resource_status, 'CREATE_COMPLETE');
  const desc = (await get(`/stacks/ev/${id}/events`)).json().events;
  assert.deepEqual(
    desc.map((e: any) => e.id),
    all.map((e: any) => e.id).reverse(),
  );
  const after = (
    await get(`/stacks/ev/${id}/events?sort_dir=asc&marker=${all[1].id}&limit=2`)
  ).json().events;
  assert.deepEqual(
    after.map((e: any) => e.id),
    [all[2].id, all[3].id],
  );
  const perRes = (await get(`/stacks/ev/${id}/resources/a/events?sort_dir=asc`)).json().events;
  assert.deepEqual(
    perRes,
    all.filter((e: any) => e.resource_name === 'a'),
  );
  const filtered = (
    await get(`/stacks/ev/${id}/events?resource_status=COMPLETE&resource_action=CREATE`)
  ).json().events;
  assert.ok(filtered.every((e: any) => e.resource_status === 'CREATE_COMPLETE'));
  const one = (await get(`/stacks/ev/${id}/resources/a/events/${perRes[0].id}`)).json().event;
  assert.equal(one.resource_type, 'Test::Api::Thing');
  assert.deepEqual(one.resource_properties, {});
  errorOf(
    await get(`/stacks/ev/${id}/resources/zz/events`),
    404,
    'HTTPNotFound',
    'No events found for resource zz',
  );
  errorOf(
    await get(`/stacks/ev/${id}/resources/a/events/nope`),
    404,
    'HTTPNotFound',
    'No event nope found',
  );
  errorOf(
    await get(`/stacks/ev/${id}/events?limit=x`),
    400,
    'HTTPBadRequest',
    "Only integer is acceptable by 'limit'.",
  );
  assert.equal((await get(`/stacks/ev/${id}/events?sort_keys=__proto__`)).statusCode, 200);
});

test('validate: Heat shape, lenient about missing values', async () => {
  const post = (payload: unknown) =>
    fx.t.inject({
      method: 'POST',
      url: url('/validate'),
      headers: fx.demo,
      payload: payload as object,
    });
  const res = await post({
    template: {
      heat_template_version: '2016-04-08',
      description: 'd',
      parameters: {
        n: {
          type: 'number',
          default: 10,
          constraints: [{ range: { min: 1 }, description: 'pos' }],
        },
        s: { type: 'string', hidden: true, label: 'S' },
      },
      parameter_groups: [{ label: 'g', parameters: ['n'] }],
      resources: { a: { type: 'Test::Api::Thing' } },
    },
    parameters: { n: '5' },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), {
    Description: 'd',
    Parameters: {
      n: {
        Type: 'Number',
        Description: '',
        NoEcho: 'false',
        Label: 'n',
        Default: 10,
        Value: '5',
        MinValue: 1,
        ConstraintDescription: 'pos',
      },
      s: { Type: 'String', Description: '', NoEcho: 'true', Label: 'S' },
    },
    ParameterGroups: [{ label: 'g', parameters: ['n'] }],
    Environment: {
      parameters: { n: '5' },
      resource_registry: { resources: {} },
      parameter_defaults: {},
      event_sinks: [],
    },
  });
  const bad = await post({ template: { heat_template_version: '2012-01-01' } });
  errorOf(bad, 400, 'HTTPBadRequest');
  assert.match(bad.json().error.message, /^The template version is invalid/);
  errorOf(await post({}), 400, 'HTTPBadRequest', 'No template specified');
});

test('template versions and their functions', async () => {
  const versions = (await get('/template_versions')).json().template_versions;
  const v = versions.find((x: any) => x.version === 'heat_template_version.2016-04-08');
  assert.equal(v.type, 'hot');
  const fns = (await get('/template_versions/heat_template_version.2016-04-08/functions')).json();
  const getFile = fns.template_functions.find((f: any) => f.functions === 'get_file');
  assert.equal(getFile.description, 'A function for including a file inline.');
  const withCond = (
    await get('/template_versions/heat_template_version.pike/functions?with_condition_func=true')
  ).json();
  assert.ok(withCond.template_functions.some((f: any) => f.functions === 'equals'));
  errorOf(
    await get('/template_versions/nope/functions'),
    404,
    'NotFound',
    'Template with version nope not found',
  );
});

test('resource types: list, show, generated template', async () => {
  const list = (await get('/resource_types')).json().resource_types;
  assert.ok(list.includes('Test::Api::Thing'));
  const described = (await get('/resource_types?with_description=true&name=Test::Api')).json();
  assert.deepEqual(described.resource_types, [
    { resource_type: 'Test::Api::Thing', description: 'A thing for API tests.' },
  ]);
  const shown = (await get('/resource_types/Test::Api::Thing')).json();
  assert.deepEqual(shown.support_status, {
    status: 'SUPPORTED',
    message: null,
    version: '5.0.0',
    previous_status: null,
  });
  assert.deepEqual(shown.properties.value, {
    type: 'string',
    description: 'The value.',
    default: 'v',
    required: false,
    update_allowed: true,
    immutable: false,
  });
  assert.deepEqual(shown.properties.size.constraints, [
    { range: { min: 1, max: 9 }, description: 'small' },
  ]);
  assert.deepEqual(shown.attributes.show, {
    description: 'Detailed information about resource.',
    type: 'map',
  });
  const hot = (await get('/resource_types/Test::Api::Thing/template?template_type=hot')).json();
  assert.equal(hot.heat_template_version, '2016-10-14');
  assert.equal(hot.description, 'Initial template of Thing');
  assert.deepEqual(hot.resources.Thing.properties.value, { get_param: 'value' });
  assert.deepEqual(hot.outputs.output.value, { get_attr: ['Thing', 'output'] });
  const cfn = (await get('/resource_types/Test::Api::Thing/template')).json();
  assert.equal(cfn.HeatTemplateFormatVersion, '2012-12-12');
  errorOf(
    await get('/resource_types/Test::Api::Thing/template?template_type=xml'),
    400,
    'HTTPBadRequest',
    'Template type is not supported: Invalid template type "xml", valid types are: cfn, hot.',
  );
  errorOf(
    await get('/resource_types/No::Such'),
    404,
    'EntityNotFound',
    'The Resource Type (No::Such) could not be found.',
  );
});

test('build info and services', async () => {
  assert.deepEqual((await get('/build_info')).json(), {
    api: { revision: 'unknown' },
    engine: { revision: 'unknown' },
  });
  errorOf(await get('/services'), 403, 'HTTPForbidden');
  const admin = await fx.t.inject({
    method: 'GET',
    url: `/orchestration/v1/${fx.adminProject}/services`,
    headers: fx.admin,
  });
  const svc = admin.json().services[0];
  assert.equal(svc.binary, 'heat-engine');
  assert.equal(svc.status, 'up');
  assert.match(svc.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
});

test('validate: template resources join the registry; show_nested gives NestedParameters', async () => {
  const random = [
    'heat_template_version: 2014-10-16',
    'description: the stack description',
    'parameters:',
    '  aparam: {type: number, default: 10, description: the param description}',
    'resources:',
    '  myres: {type: Test::Api::Thing, properties: {value: {get_param: aparam}}}',
  ].join('\n');
  const parent = [
    'heat_template_version: 2014-10-16',
    'description: the parent template',
    'parameters:',
    '  pparam: {type: number, default: 5, description: the param description}',
    'resources:',
    '  nres: {type: mynested.yaml, properties: {aparam: {get_param: pparam}}}',
  ].join('\n');
  const files = {
    'mynested.yaml': random.replace('Test::Api::Thing', 'mynested2.yaml'),
    'mynested2.yaml': random,
  };
  const post = (query: string) =>
    fx.t.inject({
      method: 'POST',
      url: url(`/validate${query}`),
      headers: fx.demo,
      payload: { template: parent, files },
    });
  const aparam = {
    Default: 10,
    Description: 'the param description',
    Label: 'aparam',
    NoEcho: 'false',
    Type: 'Number',
  };
  const environment = {
    event_sinks: [],
    parameter_defaults: {},
    parameters: {},
    resource_registry: { 'mynested.yaml': 'mynested.yaml', resources: {} },
  };
  const pparam = { ...aparam, Default: 5, Label: 'pparam' };
  assert.deepEqual((await post('')).json(), {
    Description: 'the parent template',
    Parameters: { pparam },
    Environment: environment,
  });
  assert.deepEqual((await post('?show_nested=true')).json(), {
    Description: 'the parent template',
    Parameters: { pparam },
    NestedParameters: {
      nres: {
        Description: 'the stack description',
        Parameters: { aparam: { ...aparam, Value: 5 } },
        NestedParameters: {
          myres: {
            Description: 'the stack description',
            Parameters: { aparam },
            Type: 'mynested2.yaml',
          },
        },
        Type: 'mynested.yaml',
      },
    },
    Environment: environment,
  });
});

test('signal: a wait condition handle records it as an event; hooks and bad details are 400s', async () => {
  const made = await fx.t.inject({
    method: 'POST',
    url: url('/stacks'),
    headers: fx.demo,
    payload: {
      stack_name: 'sig',
      template: {
        heat_template_version: '2016-04-08',
        resources: {
          h: { type: 'OS::Heat::WaitConditionHandle' },
          a: { type: 'Test::Api::Thing' },
        },
      },
    },
  });
  assert.equal(made.statusCode, 201, made.body);
  const id = made.json().stack.id;
  for (let i = 0; i < 200; i++) {
    const s = (await get(`/stacks/sig/${id}`)).json().stack;
    if (s.stack_status !== 'CREATE_IN_PROGRESS') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const signal = (name: string, payload?: unknown) =>
    fx.t.inject({
      method: 'POST',
      url: url(`/stacks/sig/${id}/resources/${name}/signal`),
      headers: fx.demo,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const ok = await signal('h', { status: 'SUCCESS', data: 'x' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.body, 'null');
  const events = (await get(`/stacks/sig/${id}/resources/h/events?sort_dir=asc`)).json().events;
  const last = events[events.length - 1];
  assert.equal(last.resource_status, 'SIGNAL_COMPLETE');
  assert.match(last.resource_status_reason, /^Signal: /);
  const hook = await signal('a', { unset_hook: 'pre-create' });
  errorOf(hook, 400, 'InvalidBreakPointHook');
  assert.match(
    hook.json().error.message,
    /^The "pre-create" hook is not defined on Thing "a" \[sig-a-/,
  );
  const badHook = await signal('a', { unset_hook: 'sometime' });
  assert.match(badHook.json().error.message, /^Invalid hook type "sometime" for Thing "a"/);
  errorOf(
    await signal('a'),
    400,
    'ResourceActionNotSupported',
    'signal is not supported for resource.',
  );
  errorOf(
    await signal('zz'),
    404,
    'ResourceNotFound',
    'The Resource (zz) could not be found in Stack sig.',
  );
  const bad = await signal('h', { status: 'MAYBE' });
  assert.ok(bad.statusCode >= 400 && bad.statusCode < 500, bad.body);
});
