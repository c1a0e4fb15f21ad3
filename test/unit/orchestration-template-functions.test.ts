import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Template, type Scope } from '../../src/services/orchestration/template/index.js';
import { HeatFault } from '../../src/services/orchestration/errors.js';

const noFiles = new Map<string, string>();
const fault = (type: string, message: string | RegExp) => (e: unknown) => {
  assert.ok(e instanceof HeatFault, String(e));
  assert.equal(e.type, type);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
};

const PARAMS = {
  p: { type: 'string' },
  n: { type: 'number' },
  m: { type: 'json' },
  l: { type: 'comma_delimited_list' },
  env: { type: 'string' },
};
const VALUES: Record<string, unknown> = {
  p: 'v',
  n: 3,
  m: { a: [1, 2], k: 'x' },
  l: ['a', 'b'],
  env: 'prod',
};

function scope(): Scope {
  return {
    stackId: 'sid',
    stackName: 'st',
    projectId: 'pid',
    region: 'RegionOne',
    parameter: (n) => VALUES[n],
    resourceId: (n) => `${n}-id`,
    attribute: (n, a, p) => ({ n, a, p }),
    condition: (n) => n === 'yes',
    file: (n) => (n === 'f.txt' ? 'content' : undefined),
  };
}

function hot(version: string, extra: Record<string, unknown> = {}): Template {
  return Template.load(
    {
      heat_template_version: version,
      parameters: PARAMS,
      resources: { r: { type: 'X' } },
      ...extra,
    },
    noFiles,
  );
}

/** Load a template whose resource `a` has property `p` set to `value`. */
function withProp(version: string, value: unknown): Template {
  return Template.load(
    { heat_template_version: version, resources: { a: { type: 'X', properties: { p: value } } } },
    noFiles,
  );
}

test('each version has its own function set', () => {
  // 2014-10-16 has no repeat: it is data there, resolved as a map.
  const t14 = hot('2014-10-16');
  const rep = { repeat: { template: 'x', for_each: { a: ['1'] } } };
  assert.deepEqual(t14.resolve(rep, scope()), rep);
  assert.deepEqual(hot('2015-04-30').resolve(rep, scope()), ['x']);
  // CFN forms: present in 2013-05-23, removed after, Fn::Select kept until 2015-10-15.
  assert.equal(hot('2013-05-23').resolve({ 'Fn::Join': ['-', ['a', 'b']] }, scope()), 'a-b');
  assert.equal(hot('2013-05-23').resolve({ Ref: 'p' }, scope()), 'v');
  assert.equal(hot('2013-05-23').resolve({ Ref: 'r' }, scope()), 'r-id');
  assert.equal(hot('2014-10-16').resolve({ 'Fn::Select': ['1', ['a', 'b']] }, scope()), 'b');
  for (const [v, fn] of [
    ['2014-10-16', 'Fn::Join'],
    ['2014-10-16', 'Ref'],
    ['2015-10-15', 'Fn::Select'],
    ['2021-04-16', 'Fn::Base64'],
  ]) {
    assert.throws(
      () => withProp(v!, { [fn!]: ['a', 'b'] }),
      fault(
        'StackValidationFailed',
        `resources.a.properties.p.${fn}: The template version is invalid: The function ${fn} is not supported in this version of HOT.`,
      ),
    );
  }
  assert.equal(hot('2015-04-30').functionList(false).length, 10);
  const newton = hot('2016-10-14')
    .functionList(true)
    .map((f) => f.functions);
  assert.ok(newton.includes('equals') && newton.includes('if') && !newton.includes('Ref'));
  const f = hot('2016-04-08')
    .functionList(false)
    .find((x) => x.functions === 'get_file');
  assert.equal(f?.description, 'A function for including a file inline.');
});

test('get_param and get_attr', () => {
  const t = hot('2015-10-15');
  const s = scope();
  assert.equal(t.resolve({ get_param: ['m', 'k'] }, s), 'x');
  assert.equal(t.resolve({ get_param: ['m', 'a', '0'] }, s), 1);
  assert.equal(t.resolve({ get_param: ['m', 'missing'] }, s), '');
  assert.equal(t.resolve({ get_param: ['l', 5] }, s), '');
  assert.equal(t.resolve({ get_param: 'OS::stack_id' }, s), undefined);
  assert.throws(
    () => t.resolve({ get_param: 'nope' }, s),
    fault('UserParameterMissing', 'The Parameter (nope) was not provided.'),
  );
  assert.throws(
    () => t.resolve({ get_param: ['m', 'a', 'x'] }, s),
    fault(
      'StackValidationFailed',
      "Path components in 'get_param' must be a string that can be parsed into an integer.",
    ),
  );
  assert.deepEqual(t.resolve({ get_attr: ['r', 'first', 0] }, s), { n: 'r', a: 'first', p: [0] });
  assert.deepEqual(t.resolve({ get_attr: ['r'] }, s), { n: 'r', a: null, p: [] });
  assert.deepEqual(t.attributeRefs({ x: [{ get_attr: ['r', 'a'] }, { get_attr: ['r'] }] }), [
    { resource: 'r', attribute: 'a' },
    { resource: 'r', attribute: null },
  ]);
  assert.throws(
    () => withProp('2014-10-16', { get_attr: ['r'] }),
    fault(
      'StackValidationFailed',
      'resources.a.properties.p.get_attr: Arguments to "get_attr" must be of the form [resource_name, attribute, (path), ...]',
    ),
  );
  assert.throws(
    () => withProp('2015-10-15', { get_attr: [] }),
    fault(
      'StackValidationFailed',
      'resources.a.properties.p.get_attr: Arguments to "get_attr" can be of the next forms: [resource_name] or [resource_name, attribute, (path), ...]',
    ),
  );
  assert.throws(
    () => withProp('2015-10-15', { get_attr: ['nope', 'x'] }),
    fault(
      'InvalidTemplateReference',
      'The specified reference "nope" (in a.Properties.p) is incorrect.',
    ),
  );
  assert.throws(
    () =>
      Template.load(
        {
          heat_template_version: '2015-10-15',
          resources: { a: { type: 'X', properties: { l: [{ k: { get_resource: 'b' } }] } } },
        },
        noFiles,
      ),
    fault(
      'InvalidTemplateReference',
      'The specified reference "b" (in a.Properties.l[0].k) is incorrect.',
    ),
  );
});

test('str_replace per version: numbers, None, maps and the strict forms', () => {
  const s = scope();
  const old = hot('2015-04-30');
  assert.equal(
    old.resolve(
      { str_replace: { template: 'a b c d', params: { a: 1, b: 2.5, c: true, d: null } } },
      s,
    ),
    '1 2.5 True ',
  );
  assert.throws(
    () => old.resolve({ str_replace: { template: 'a', params: { a: [1] } } }, s),
    fault(
      'StackValidationFailed',
      '"str_replace" params must be strings or numbers, param a is not valid',
    ),
  );
  const t = hot('2017-09-01');
  assert.equal(
    t.resolve({ str_replace: { template: 'v=a', params: { a: [1, 'x'] } } }, s),
    'v=[1, "x"]',
  );
  // Longer keys first, then lexical order; replaced text is not searched again.
  assert.equal(
    t.resolve({ str_replace: { template: 'foobar', params: { foo: 'bar', bar: 'X' } } }, s),
    'barX',
  );
  assert.equal(t.resolve({ str_replace: { template: 'ab', params: { a: 'b', b: 'a' } } }, s), 'ba');
  assert.throws(
    () => t.resolve({ str_replace_vstrict: { template: 'a', params: { a: '' } } }, s),
    fault(
      'StackValidationFailed',
      'str_replace_vstrict has an undefined or empty value for param a, must be a defined non-empty value',
    ),
  );
  assert.throws(
    () => withProp('2015-04-30', { str_replace: { template: 'x' } }),
    fault(
      'StackValidationFailed',
      `resources.a.properties.p.str_replace: '"str_replace" syntax should be str_replace:\\n              template: This is var1 template var2\\n              params:\\n                var1: a\\n                var2: string'`,
    ),
  );
  assert.throws(
    () => withProp('2015-04-30', { str_replace: { template: 'x', params: [] } }),
    fault(
      'StackValidationFailed',
      'resources.a.properties.p.str_replace: "str_replace" parameters must be a mapping',
    ),
  );
});

test('list_join, str_split, digest', () => {
  const s = scope();
  const t14 = hot('2014-10-16');
  assert.throws(
    () => t14.resolve({ list_join: [',', ['a', 1]] }, s),
    fault('StackValidationFailed', 'Items to join must be strings not 1'),
  );
  const t = hot('2016-04-08');
  assert.equal(t.resolve({ list_join: [',', ['a', { b: 1 }], null, ['c']] }, s), 'a,{"b": 1},c');
  assert.throws(
    () => t.resolve({ list_join: [',', 'abc'] }, s),
    fault('StackValidationFailed', '"list_join" must operate on a list'),
  );
  assert.throws(
    () => withProp('2016-04-08', { list_join: [','] }),
    fault(
      'StackValidationFailed',
      'resources.a.properties.p.list_join: Incorrect arguments to "list_join" should be: "list_join" : [ " ", [ "str1", "str2"] ...]',
    ),
  );
  assert.deepEqual(t.resolve({ str_split: [',', 'a,b'] }, s), ['a', 'b']);
  assert.throws(
    () => t.resolve({ str_split: [',', 'a,b', 5] }, s),
    fault('StackValidationFailed', 'Incorrect index to "str_split" should be between 0 and 1'),
  );
  assert.equal(
    t.resolve({ digest: ['sha256', 'abc'] }, s),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
  assert.throws(
    () => t.resolve({ digest: ['md5'] }, s),
    fault('StackValidationFailed', 'Function "digest" usage: ["<algorithm>", "<value>"]'),
  );
});

test('repeat, map_merge, map_replace, filter, list_concat, contains, make_url', () => {
  const s = scope();
  const t = hot('2017-09-01');
  const loop = { template: { k: '%a%-%b%' }, for_each: { '%a%': ['1', '2'], '%b%': ['x', 'y'] } };
  assert.deepEqual(t.resolve({ repeat: loop }, s), [
    { k: '1-x' },
    { k: '1-y' },
    { k: '2-x' },
    { k: '2-y' },
  ]);
  assert.deepEqual(t.resolve({ repeat: { ...loop, permutations: false } }, s), [
    { k: '1-x' },
    { k: '2-y' },
  ]);
  assert.throws(
    () =>
      t.resolve(
        { repeat: { template: 'a', for_each: { a: ['1'], b: ['1', '2'] }, permutations: false } },
        s,
      ),
    fault(
      'StackValidationFailed',
      'For repeat, the length of for_each values should be equal if no nested loop.',
    ),
  );
  assert.deepEqual(
    t.resolve({ repeat: { template: 'k-%k%', for_each: { '%k%': { x: 1, y: 2 } } } }, s),
    ['k-x', 'k-y'],
  );
  assert.deepEqual(
    t.resolve(
      {
        map_replace: [
          { k1: 'v1', k2: 'v2' },
          { keys: { k1: 'K1' }, values: { v2: 'V2' } },
        ],
      },
      s,
    ),
    { K1: 'v1', k2: 'V2' },
  );
  assert.throws(
    () => t.resolve({ map_replace: [{ k1: 'v1', k2: 'v2' }, { keys: { k1: 'k2' } }] }, s),
    fault('StackValidationFailed', 'key replacement k2 collides with a key in the input map'),
  );
  assert.deepEqual(
    t.resolve(
      {
        filter: [
          [null, 1],
          [1, 2, null],
        ],
      },
      s,
    ),
    [2],
  );
  assert.throws(
    () => t.resolve({ list_concat: [[1], 'x'] }, s),
    fault(
      'StackValidationFailed',
      'Incorrect arguments: Items to concat must be lists. [[1], "x"] contains an item that is not a list: "x"',
    ),
  );
  assert.equal(t.resolve({ contains: ['a', ['a', 'b']] }, s), true);
  assert.equal(
    t.resolve(
      { make_url: { scheme: 'http', host: 'h', port: 80, path: '/a b', query: { q: 'x y' } } },
      s,
    ),
    'http://h:80/a%20b?q=x+y',
  );
  assert.throws(
    () => withProp('2017-09-01', { make_url: { bogus: 1 } }),
    fault(
      'StackValidationFailed',
      'resources.a.properties.p.make_url: Invalid arguments to "make_url": bogus',
    ),
  );
  assert.throws(
    () => withProp('2017-09-01', { filter: [1] }),
    fault(
      'StackValidationFailed',
      'resources.a.properties.p.filter: "filter" expected 2 arguments of the form [values, sequence] but got 1 arguments instead',
    ),
  );
});

test('if and conditions', () => {
  const conditions = {
    yes: true,
    prod: { equals: [{ get_param: 'env' }, 'prod'] },
    not_prod: { not: 'prod' },
    both: { and: ['prod', { not: 'not_prod' }] },
  };
  const t = hot('2018-08-31', { conditions });
  assert.deepEqual(
    [...t.evaluateConditions((n) => VALUES[n])],
    [
      ['yes', true],
      ['prod', true],
      ['not_prod', false],
      ['both', true],
    ],
  );
  assert.equal(t.resolve({ if: ['yes', 'a', 'b'] }, scope()), 'a');
  assert.equal(t.resolve({ if: [{ equals: [1, 2] }, 'a', 'b'] }, scope()), 'b');
  assert.throws(
    () => hot('2018-08-31', { conditions, outputs: { o: { value: { if: ['nope', 1, 2] } } } }),
    fault('StackValidationFailed', 'outputs.o.value.if: Invalid condition "nope"'),
  );
  assert.throws(
    () => hot('2016-10-14', { conditions: { c: { equals: [{ get_attr: ['r', 'x'] }, 1] } } }),
    fault(
      'StackValidationFailed',
      'conditions.c.equals[0].get_attr: The function "get_attr" is invalid in this context',
    ),
  );
  assert.throws(
    () => hot('2016-10-14', { conditions: { c: { and: ['x'] } } }),
    fault(
      'StackValidationFailed',
      'conditions.c.and: The minimum number of condition arguments to "and" is 2.',
    ),
  );
  const loop = hot('2016-10-14', { conditions: { a: { not: 'b' }, b: { not: 'a' } } });
  assert.throws(
    () => loop.evaluateConditions(() => null),
    fault('StackValidationFailed', /Circular definition for condition "[ab]"/),
  );
  // 2021-04-16: an `if` without a false value drops the item.
  const w = hot('2021-04-16', { conditions });
  assert.deepEqual(
    w.resolve({ a: { if: ['not_prod', 1] }, b: [{ if: ['not_prod', 1] }, 2] }, scope()),
    {
      b: [2],
    },
  );
  assert.throws(
    () => hot('2016-10-14', { conditions: { c: 'yes' } }).evaluateConditions(() => null),
    fault(
      'StackValidationFailed',
      'Condition validation error: The definition of condition "c" is invalid: yes',
    ),
  );
});

test('CFN templates', () => {
  const t = Template.load(
    {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { Size: { Type: 'Number', Default: 1, MinValue: 1 } },
      Mappings: { M: { k: { v: 'found' } } },
      Conditions: { Big: { 'Fn::Equals': [{ Ref: 'Size' }, 2] } },
      Resources: {
        A: { Type: 'X', Properties: { s: { Ref: 'Size' } } },
        B: { Type: 'X', DependsOn: 'A', Properties: { a: { 'Fn::GetAtt': ['A', 'x'] } } },
      },
      Outputs: { O: { Value: { 'Fn::Join': [',', [{ Ref: 'A' }, 'z']] } } },
    },
    noFiles,
  );
  const s = { ...scope(), parameter: (n: string) => (n === 'Size' ? 1 : undefined) };
  assert.deepEqual(
    t.resources.map((r) => [r.name, [...r.requires]]),
    [
      ['A', []],
      ['B', ['A']],
    ],
  );
  assert.equal(t.resolve(t.outputs[0]!.value, s), 'A-id,z');
  assert.equal(t.resolve({ 'Fn::FindInMap': ['M', 'k', 'v'] }, s), 'found');
  assert.equal(t.resolve({ 'Fn::Select': ['k', { k: 'v' }] }, s), 'v');
  assert.equal(t.resolve({ 'Fn::Base64': 'x' }, s), 'x');
  assert.deepEqual([...t.evaluateConditions((n) => (n === 'Size' ? 1 : null))], [['Big', false]]);
  assert.deepEqual(t.resolve({ 'Fn::GetAZs': '' }, s), ['nova']);
  assert.throws(
    () => Template.load({ HeatTemplateFormatVersion: '2013-01-01' }, noFiles),
    fault(
      'InvalidTemplateVersion',
      'The template version is invalid: "HeatTemplateFormatVersion: 2013-01-01". "HeatTemplateFormatVersion" should be: 2012-12-12',
    ),
  );
});

test('template function lists by version name, resource conditions and waves', async () => {
  const { templateFunctions, dependencyOrder } =
    await import('../../src/services/orchestration/template/index.js');
  const fns = templateFunctions('heat_template_version.2016-04-08', false);
  assert.ok(fns.some((f) => f.functions === 'map_merge'));
  assert.ok(!fns.some((f) => f.functions === 'Fn::Select'));
  const newton = templateFunctions('heat_template_version.newton', true).map((f) => f.functions);
  assert.deepEqual(newton.slice(-4), ['equals', 'not', 'and', 'or']);
  assert.throws(
    () => templateFunctions('heat_template_version.1999', false),
    fault('NotFound', 'Template with version heat_template_version.1999 not found'),
  );
  const t = Template.load(
    {
      heat_template_version: '2016-10-14',
      parameters: { env: { type: 'string' } },
      conditions: { prod: { equals: [{ get_param: 'env' }, 'prod'] } },
      resources: {
        a: { type: 'X', condition: 'prod' },
        b: { type: 'X', depends_on: ['a'], condition: { not: 'prod' } },
        c: { type: 'X', properties: { p: { if: ['prod', { get_resource: 'a' }, 'none'] } } },
      },
    },
    noFiles,
  );
  const s = { ...scope(), condition: () => false, parameter: () => 'dev' };
  assert.deepEqual(
    t.resources.map((r) => t.conditionEnabled(r.condition, s)),
    [false, true, true],
  );
  assert.deepEqual(dependencyOrder(t), [['a'], ['b', 'c']]);
  assert.deepEqual(dependencyOrder(t, new Set(['b', 'c'])), [['b', 'c']]);
  assert.deepEqual(t.resolve(t.resources[2]!.properties, s), { p: 'none' });
  assert.throws(
    () =>
      Template.load(
        { heat_template_version: '2016-10-14', resources: { a: { type: 'X', condition: 'nope' } } },
        noFiles,
      ),
    fault('StackValidationFailed', 'resources.a.condition: Invalid condition "nope"'),
  );
  assert.throws(
    () =>
      Template.load(
        {
          heat_template_version: '2016-10-14',
          resources: { a: { type: 'X', deletion_policy: 'Keep' } },
        },
        noFiles,
      ),
    fault('StackValidationFailed', 'Invalid deletion policy "Keep"'),
  );
  assert.equal(
    Template.load(
      {
        heat_template_version: '2016-10-14',
        resources: { a: { type: 'X', deletion_policy: 'retain' } },
      },
      noFiles,
    ).resources[0]!.deletionPolicy,
    'Retain',
  );
  assert.throws(
    () =>
      Template.load(
        {
          heat_template_version: '2015-04-30',
          resources: { a: { type: 'X', deletion_policy: 'retain' } },
        },
        noFiles,
      ),
    fault('StackValidationFailed', 'Invalid deletion policy "retain"'),
  );
  assert.throws(
    () =>
      Template.load(
        { heat_template_version: '2015-04-30', resources: { a: { type: 'X', Properties: {} } } },
        noFiles,
      ),
    fault(
      'StackValidationFailed',
      '"Properties" is not a valid keyword inside a resource definition',
    ),
  );
  assert.throws(
    () => Template.load({ heat_template_version: '2015-04-30', resources: { a: {} } }, noFiles),
    fault('StackValidationFailed', 'Each resource must contain a type key.'),
  );
  assert.throws(
    () =>
      Template.load(
        {
          heat_template_version: '2015-04-30',
          parameters: { a: { type: 'string' } },
          resources: { a: { type: 'X' } },
        },
        noFiles,
      ),
    fault('StackValidationFailed', "Duplicate names {'a'}"),
  );
  assert.throws(
    () =>
      Template.load(
        {
          heat_template_version: '2015-04-30',
          resources: { a: { type: 'X' } },
          outputs: { o: { description: 'd' } },
        },
        noFiles,
      ),
    fault(
      'StackValidationFailed',
      'Output validation error: outputs.o: Each output definition must contain a value key.',
    ),
  );
  assert.throws(
    () =>
      Template.load(
        {
          heat_template_version: '2015-04-30',
          outputs: { o: { value: { get_attr: ['nope', 'x'] } } },
        },
        noFiles,
      ),
    fault(
      'StackValidationFailed',
      'outputs.o.value.get_attr: The specified reference "nope" (in unknown) is incorrect.',
    ),
  );
});

test('resource_facade through the scope, conditions section given as null', () => {
  const t = hot('2016-10-14');
  assert.throws(
    () => t.resolve({ resource_facade: 'metadata' }, scope()),
    fault('NotSupported', 'resource_facade is not supported.'),
  );
  const s = { ...scope(), facade: (a: string) => ({ from: a }) };
  assert.deepEqual(t.resolve({ resource_facade: 'metadata' }, s), { from: 'metadata' });
  assert.throws(
    () => withProp('2016-10-14', { resource_facade: 'bogus' }),
    fault(
      'StackValidationFailed',
      'resources.a.properties.p.resource_facade: Incorrect arguments to "resource_facade" should be one of: metadata, deletion_policy, update_policy',
    ),
  );
  assert.throws(
    () => Template.load({ heat_template_version: '2016-10-14', conditions: null }, noFiles),
    fault(
      'StackValidationFailed',
      'Conditions validation error: Condition definitions must be a map. Found a NoneType instead',
    ),
  );
});

test('conditions reading parameters the template lacks', () => {
  const t = hot('2016-10-14', { conditions: { c: { equals: [{ get_param: 'zzz' }, 1] } } });
  assert.throws(
    () => t.evaluateConditions(() => null),
    fault('UserParameterMissing', 'The Parameter (zzz) was not provided.'),
  );
  const cfn = Template.load(
    {
      AWSTemplateFormatVersion: '2010-09-09',
      Conditions: { C: { 'Fn::Equals': [{ Ref: 'Nope' }, 1] } },
    },
    noFiles,
  );
  assert.throws(
    () => cfn.evaluateConditions(() => null),
    fault('InvalidTemplateReference', 'The specified reference "Nope" (in unknown) is incorrect.'),
  );
  assert.throws(
    () => cfn.resolve({ Ref: 'Nope' }, scope()),
    fault('InvalidTemplateReference', 'The specified reference "Nope" (in unknown) is incorrect.'),
  );
});
