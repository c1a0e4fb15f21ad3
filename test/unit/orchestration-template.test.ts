import { seedTemplate } from '../helpers/seed.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  Template,
  dependencyOrder,
  parseTemplateText,
  validateParameters,
  parametersForShow,
  emptyEnvironment,
  parseEnvironment,
  ResourceRegistry,
  templateVersions,
  type Scope,
} from '../../src/services/orchestration/template/index.js';
import { HeatFault } from '../../src/services/orchestration/errors.js';

const seed = (n: string): unknown =>
  parseTemplateText(readFileSync(seedTemplate(n as 'image' | 'volume'), 'utf8'));
const noFiles = new Map<string, string>();
const fault = (type: string, message: string | RegExp) => (e: unknown) => {
  assert.ok(e instanceof HeatFault, String(e));
  assert.equal(e.type, type);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
};

function scope(params: Record<string, unknown>, ids: Record<string, string> = {}): Scope {
  return {
    stackId: 'sid',
    stackName: 'st',
    projectId: 'pid',
    region: 'RegionOne',
    parameter: (n) => {
      if (!Object.hasOwn(params, n))
        throw new HeatFault('UserParameterMissing', `The Parameter (${n}) was not provided.`);
      return params[n];
    },
    resourceId: (n) => ids[n] ?? null,
    attribute: (n, a, p) => ({ n, a, p }),
    condition: () => true,
    file: (n) => (n === 'f.txt' ? 'content' : undefined),
  };
}

for (const name of ['image', 'volume']) {
  test(`seed ${name} template loads with its requires edges and waves`, () => {
    const t = Template.load(seed(name), noFiles);
    const by = new Map(t.resources.map((r) => [r.name, r]));
    assert.ok(by.has('my_instance'));
    const port = by.get('example_port')!;
    assert.ok(port.requires.has('example_net') || port.requires.has('example_subnet'));
    assert.ok(port.requires.has('allow_ssh'));
    assert.ok(by.get('my_instance')!.requires.has('example_port'));
    const waves = dependencyOrder(t);
    const wave = (n: string) => waves.findIndex((w) => w.includes(n));
    assert.ok(wave('example_port') > wave('example_net'));
    assert.ok(wave('my_instance') > wave('example_port'));
    // Every property resolves: parameters, resource ids, the flow-style get_resource.
    const values: Record<string, unknown> = {
      key_name: 'K',
      image: 'IMG',
      snapshot: 'SNAP',
      public_network: 'ext-net',
    };
    const s = scope(values, Object.fromEntries(t.resources.map((r) => [r.name, `${r.name}-id`])));
    const props = new Map(
      t.resources.map((r) => [r.name, t.resolve(r.properties, s) as Record<string, unknown>]),
    );
    assert.deepEqual(props.get('example_port')!['security_groups'], ['allow_ssh-id', 'default']);
    assert.deepEqual(props.get('my_instance')!['networks'], [{ port: 'example_port-id' }]);
    assert.deepEqual(props.get('example_router')!['external_gateway_info'], { network: 'ext-net' });
    assert.deepEqual(props.get('floating_ip')!['port_id'], 'example_port-id');
    assert.equal(t.version.value, '2014-10-16');
    assert.equal(t.parameters.find((p) => p.name === 'public_network')!.default, 'ext-net');
  });
}

const hot = (v: string, extra: Record<string, unknown>) => ({ heat_template_version: v, ...extra });

test('versions and their errors', () => {
  assert.equal(templateVersions().length, 13);
  assert.throws(
    () => Template.load({ heat_template_version: '2000-01-01' }, noFiles),
    fault(
      'InvalidTemplateVersion',
      /^The template version is invalid: "heat_template_version: 2000-01-01". "heat_template_version" should be one of: 2013-05-23, /,
    ),
  );
  assert.throws(
    () => Template.load({ foo: 1 }, noFiles),
    fault(
      'InvalidTemplateVersion',
      'The template version is invalid: Template version was not provided',
    ),
  );
  assert.throws(
    () => Template.load(hot('2015-04-30', { bogus: {} }), noFiles),
    fault('InvalidTemplateSection', 'The template section is invalid: bogus'),
  );
  assert.throws(
    () =>
      Template.load(
        hot('2015-04-30', { resources: { a: { type: 'X', depends_on: 'b' } } }),
        noFiles,
      ),
    fault('InvalidTemplateReference', 'The specified reference "b" (in a) is incorrect.'),
  );
  assert.throws(
    () =>
      Template.load(
        hot('2015-04-30', {
          resources: { a: { type: 'X', properties: { p: { 'Fn::Join': ['', []] } } } },
        }),
        noFiles,
      ),
    fault(
      'StackValidationFailed',
      'resources.a.properties.p.Fn::Join: The template version is invalid: The function Fn::Join is not supported in this version of HOT.',
    ),
  );
  assert.throws(
    () =>
      Template.load(
        hot('2015-04-30', {
          resources: { a: { type: 'X', depends_on: 'b' }, b: { type: 'X', depends_on: 'a' } },
        }),
        noFiles,
      ),
    fault('CircularDependencyException', /^Circular Dependency Found: /),
  );
  assert.throws(
    () =>
      Template.load(
        hot('2015-04-30', {
          resources: { a: { type: 'X', properties: { p: { list_join: 'x' } } } },
        }),
        noFiles,
      ),
    fault(
      'StackValidationFailed',
      'resources.a.properties.p.list_join: Incorrect arguments to "list_join" should be: "list_join" : [ " ", [ "str1", "str2"]]',
    ),
  );
});

test('functions resolve as Heat does', () => {
  const t = Template.load(
    hot('2017-09-01', {
      parameters: { p: { type: 'string' }, n: { type: 'number' }, m: { type: 'json' } },
      resources: { r: { type: 'X' } },
    }),
    noFiles,
  );
  const s = scope({ p: 'v', n: 3, m: { a: [1, 2] } }, { r: 'rid' });
  assert.equal(t.resolve({ get_param: 'p' }, s), 'v');
  assert.deepEqual(t.resolve({ get_param: ['m', 'a', 1] }, s), 2);
  assert.equal(t.resolve({ get_resource: 'r' }, s), 'rid');
  assert.equal(
    t.resolve({ str_replace: { template: 'a $x $y', params: { $x: 1, $y: null } } }, s),
    'a 1 ',
  );
  assert.equal(
    t.resolve({ str_replace: { template: 'm=$m', params: { $m: { b: 1, a: 2 } } } }, s),
    'm={"a": 2, "b": 1}',
  );
  assert.equal(t.resolve({ list_join: [',', ['a', 'b'], ['c']] }, s), 'a,b,c');
  assert.deepEqual(
    t.resolve(
      { repeat: { template: 'x-%a%-%b%', for_each: { '%a%': ['1', '2'], '%b%': ['y'] } } },
      s,
    ),
    ['x-1-y', 'x-2-y'],
  );
  assert.deepEqual(t.resolve({ map_merge: [{ a: 1 }, { a: 2, b: 3 }] }, s), { a: 2, b: 3 });
  assert.deepEqual(t.resolve({ str_split: [',', 'a,b,c', 1] }, s), 'b');
  assert.equal(t.resolve({ digest: ['md5', 'abc'] }, s), '900150983cd24fb0d6963f7d28e17f72');
  assert.deepEqual(
    t.resolve(
      {
        list_concat_unique: [
          [1, 2],
          [2, 3],
        ],
      },
      s,
    ),
    [1, 2, 3],
  );
  assert.equal(t.resolve({ get_file: 'f.txt' }, s), 'content');
  assert.throws(
    () => t.resolve({ get_file: 'nope' }, s),
    fault(
      'StackValidationFailed',
      'No content found in the "files" section for get_file path: nope',
    ),
  );
  assert.throws(
    () => t.resolve({ str_replace_strict: { template: 'a', params: { b: 'x' } } }, s),
    fault('StackValidationFailed', 'The following params were not found in the template: b'),
  );
});

test('conditions per version', () => {
  const t = Template.load(
    hot('2016-10-14', {
      parameters: { env: { type: 'string', default: 'prod' } },
      conditions: {
        prod: { equals: [{ get_param: 'env' }, 'prod'] },
        dev: { not: 'prod' },
        both: { and: ['prod', true] },
      },
    }),
    noFiles,
  );
  const c = t.evaluateConditions(() => 'prod');
  assert.deepEqual(
    [...c],
    [
      ['prod', true],
      ['dev', false],
      ['both', true],
    ],
  );
});

test('parameters: types, constraints and texts', async () => {
  const t = Template.load(
    hot('2017-02-24', {
      parameters: {
        s: { type: 'string', constraints: [{ length: { min: 2 } }] },
        n: {
          type: 'number',
          default: 4,
          constraints: [{ range: { max: 10 } }, { modulo: { step: 2, offset: 0 } }],
        },
        l: { type: 'comma_delimited_list', default: 'a,b' },
        j: { type: 'json', default: '{"x": 1}' },
        b: { type: 'boolean', default: 'yes', hidden: true },
        image: { type: 'string', constraints: [{ custom_constraint: 'glance.image' }] },
      },
    }),
    noFiles,
  );
  const check = async (_n: string, v: unknown) =>
    v === 'bad' ? `No images matching {'name': 'bad'}.` : null;
  const pseudo = { stackId: 'sid', stackName: 'st', projectId: 'pid', region: 'R' };
  const vals = await validateParameters(
    t,
    { s: 'ab', image: 'ok' },
    emptyEnvironment(),
    check,
    pseudo,
    { strict: true },
  );
  assert.equal(vals.get('n'), 4);
  assert.deepEqual(vals.get('l'), ['a', 'b']);
  assert.deepEqual(vals.get('j'), { x: 1 });
  assert.equal(vals.get('b'), true);
  assert.equal(vals.get('OS::stack_id'), 'sid');
  assert.equal(parametersForShow(t, vals)['b'], '******');
  await assert.rejects(
    validateParameters(t, { s: 'ab', image: 'bad' }, emptyEnvironment(), check, pseudo, {
      strict: true,
    }),
    fault(
      'StackValidationFailed',
      "Parameter 'image' is invalid: Error validating value 'bad': No images matching {'name': 'bad'}.",
    ),
  );
  await assert.rejects(
    validateParameters(t, { s: 'ab' }, emptyEnvironment(), check, pseudo, { strict: true }),
    fault('UserParameterMissing', 'The Parameter (image) was not provided.'),
  );
  await assert.rejects(
    validateParameters(t, { s: 'ab', image: 'ok', zz: 1 }, emptyEnvironment(), check, pseudo, {
      strict: true,
    }),
    fault('UnknownUserParameter', 'The Parameter (zz) was not defined in template.'),
  );
  await assert.rejects(
    validateParameters(t, { s: 'a', image: 'ok' }, emptyEnvironment(), check, pseudo, {
      strict: true,
    }),
    fault(
      'StackValidationFailed',
      "Parameter 's' is invalid: length (1) is out of range (min: 2, max: None)",
    ),
  );
  await assert.rejects(
    validateParameters(t, { s: 'ab', image: 'ok', n: 3 }, emptyEnvironment(), check, pseudo, {
      strict: true,
    }),
    fault(
      'StackValidationFailed',
      "Parameter 'n' is invalid: 3 is not a multiple of 2 with an offset of 0",
    ),
  );
});

test('environments and the registry', () => {
  assert.throws(
    () => parseEnvironment({ bogus: {} }),
    fault(
      'HTTPBadRequest',
      'Environment not in valid format: environment has wrong section "bogus"',
    ),
  );
  const env = parseEnvironment({
    parameters: { image: 'x' },
    resource_registry: {
      'My::T': 'OS::Heat::None',
      'OS::Networking::*': 'OS::Neutron::*',
      'Nested::T': 'n.yaml',
    },
  });
  const reg = new ResourceRegistry(
    env.resource_registry,
    new Set(['OS::Heat::None', 'OS::Neutron::Net']),
    new Map([['f.yaml', '']]),
  );
  assert.deepEqual(reg.lookup('My::T', 'a'), { kind: 'builtin', type: 'OS::Heat::None' });
  assert.deepEqual(reg.lookup('OS::Networking::Net', 'a'), {
    kind: 'builtin',
    type: 'OS::Neutron::Net',
  });
  assert.deepEqual(reg.lookup('Nested::T', 'a'), { kind: 'template', file: 'n.yaml' });
  assert.deepEqual(reg.lookup('f.yaml', 'a'), { kind: 'template', file: 'f.yaml' });
  assert.equal(reg.lookup('Nope', 'a'), null);
});

test('hostile templates: deep nesting and __proto__ keys do not crash or pollute', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 5000; i++) deep = [deep];
  assert.throws(
    () =>
      Template.load(
        hot('2015-04-30', { resources: { a: { type: 'X', properties: { p: deep } } } }),
        noFiles,
      ),
    fault('StackValidationFailed', /too deep/),
  );
  const body = JSON.parse(
    '{"heat_template_version": "2015-04-30", "resources": {"__proto__": {"type": "X"}}}',
  );
  const t = Template.load(body, noFiles);
  assert.equal(t.resources[0]!.name, '__proto__');
  assert.equal(({} as Record<string, unknown>)['type'], undefined);
});
