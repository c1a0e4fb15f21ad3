import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ResourceRegistry,
  Template,
  mergeEnvironmentFiles,
  mergeEnvironments,
  parseEnvironment,
  parseTemplateText,
  templateVersions,
} from '../../src/services/orchestration/template/index.js';
import { HeatFault } from '../../src/services/orchestration/errors.js';

const fault = (type: string, message: string | RegExp) => (e: unknown) => {
  assert.ok(e instanceof HeatFault, String(e));
  assert.equal(e.type, type);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
};
const BUILTINS = new Set(['OS::Heat::None', 'OS::Neutron::Net', 'OS::Nova::Server']);

test('environments: sections, YAML text and merging', () => {
  assert.throws(
    () => parseEnvironment({ bogus: {} }),
    fault(
      'HTTPBadRequest',
      'Environment not in valid format: environment has wrong section "bogus"',
    ),
  );
  assert.throws(
    () => parseEnvironment({ parameters: null }),
    fault(
      'HTTPBadRequest',
      'Environment not in valid format: environment has empty section "parameters"',
    ),
  );
  assert.throws(
    () => parseEnvironment('- a'),
    fault(
      'HTTPBadRequest',
      'Environment not in valid format: The environment is not a valid YAML mapping data type.',
    ),
  );
  const env = parseEnvironment(
    'parameters:\n  image: cirros\nparameter_defaults: {flavor: m1.tiny}\n',
  );
  assert.deepEqual(env.parameters, { image: 'cirros' });
  assert.deepEqual(env.event_sinks, []);
  const merged = mergeEnvironments(
    parseEnvironment({
      parameters: { a: 1, b: 2 },
      resource_registry: { resources: { r: { 'X::Y': 'a.yaml' } } },
    }),
    parseEnvironment({
      parameters: { b: 3 },
      resource_registry: { resources: { s: { 'X::Y': 'b.yaml' } } },
    }),
  );
  assert.deepEqual(merged.parameters, { a: 1, b: 3 });
  assert.deepEqual(Object.keys(merged.resource_registry['resources'] as object), ['r', 's']);
});

test('environment_files merge on the server with merge strategies', () => {
  const t = Template.load(
    {
      heat_template_version: '2017-02-24',
      parameters: {
        s: { type: 'string' },
        l: { type: 'comma_delimited_list' },
        j: { type: 'json' },
        b: { type: 'boolean' },
      },
    },
    new Map(),
  );
  const files = new Map([
    [
      'e1.yaml',
      'parameter_merge_strategies: {s: merge, l: merge, j: deep_merge}\nparameters: {s: a, l: x, j: {k: {a: 1}}}',
    ],
    ['e2.yaml', 'parameters: {s: b, l: y, j: {k: {b: 2}}}'],
    ['e3.yaml', 'parameter_merge_strategies: {s: overwrite}\nparameters: {s: c}'],
    ['e4.yaml', 'parameter_merge_strategies: {b: merge}\nparameters: {b: true}'],
    ['e5.yaml', "parameter_merge_strategies: {b: merge}\nparameters: {b: 'true'}"],
    ['bad.yaml', 'foo: {}'],
  ]);
  const base = parseEnvironment({ parameters: { s: 'cli' } });
  const env = mergeEnvironmentFiles(['e1.yaml'], files, parseEnvironment({}), t.parameters);
  const env2 = mergeEnvironmentFiles(
    ['e1.yaml', 'e2.yaml'],
    files,
    parseEnvironment({}),
    t.parameters,
  );
  assert.deepEqual(env.parameters, { s: 'a', l: 'x', j: { k: { a: 1 } } });
  assert.deepEqual(env2.parameters, { s: 'ab', l: 'x,y', j: { k: { a: 1, b: 2 } } });
  // Heat merges the files over the request's own parameters, per the files' strategies.
  assert.equal(
    mergeEnvironmentFiles(['e1.yaml'], files, base, t.parameters).parameters['s'],
    'clia',
  );
  assert.equal(mergeEnvironmentFiles(['e3.yaml'], files, base, t.parameters).parameters['s'], 'c');
  assert.throws(
    () => mergeEnvironmentFiles(['e1.yaml', 'e3.yaml'], files, base, t.parameters),
    fault(
      'ConflictingMergeStrategyForParam',
      "Conflicting merge strategy 'overwrite' for parameter 's' in file 'e3.yaml'.",
    ),
  );
  assert.throws(
    () => mergeEnvironmentFiles(['e5.yaml', 'e5.yaml'], files, base, t.parameters),
    fault('InvalidMergeStrategyForParam', "Invalid merge strategy 'merge' for parameter 'b'."),
  );
  // A value that is not text or a list cannot be merged (parse_param's bare ValueError).
  assert.throws(
    () => mergeEnvironmentFiles(['e4.yaml', 'e4.yaml'], files, base, t.parameters),
    fault('ValueError', 'Invalid parameter in environment .'),
  );
  assert.throws(
    () => mergeEnvironmentFiles(['bad.yaml'], files, base, t.parameters),
    fault('ValueError', 'environment has wrong section "foo"'),
  );
});

test('the resource registry: aliases, per-resource entries, wildcards, files', () => {
  const env = parseEnvironment({
    resource_registry: {
      'My::T': 'OS::Heat::None',
      'OS::Networking::*': 'OS::Neutron::*',
      'Nested::T': 'n.yaml',
      'Chain::A': 'My::T',
      'Loop::A': 'Loop::B',
      'Loop::B': 'Loop::A',
      resources: { special: { 'OS::Nova::Server': 'OS::Heat::None' } },
    },
  });
  const reg = new ResourceRegistry(env.resource_registry, BUILTINS, new Map([['inline', 'x']]), {
    'Global::Alias': 'OS::Nova::Server',
  });
  assert.deepEqual(reg.lookup('My::T', 'a'), { kind: 'builtin', type: 'OS::Heat::None' });
  assert.deepEqual(reg.lookup('Chain::A', 'a'), { kind: 'builtin', type: 'OS::Heat::None' });
  assert.deepEqual(reg.lookup('OS::Networking::Net', 'a'), {
    kind: 'builtin',
    type: 'OS::Neutron::Net',
  });
  assert.deepEqual(reg.lookup('Nested::T', 'a'), { kind: 'template', file: 'n.yaml' });
  assert.deepEqual(reg.lookup('f.template', 'a'), { kind: 'template', file: 'f.template' });
  assert.deepEqual(reg.lookup('inline', 'a'), { kind: 'template', file: 'inline' });
  assert.deepEqual(reg.lookup('OS::Nova::Server', 'a'), {
    kind: 'builtin',
    type: 'OS::Nova::Server',
  });
  assert.deepEqual(reg.lookup('OS::Nova::Server', 'special'), {
    kind: 'builtin',
    type: 'OS::Heat::None',
  });
  assert.deepEqual(reg.lookup('Global::Alias', 'a'), { kind: 'builtin', type: 'OS::Nova::Server' });
  assert.equal(reg.lookup('Loop::A', 'a'), null);
  assert.equal(reg.lookup('Nope', 'a'), null);
  assert.equal(reg.lookup('__proto__', 'constructor'), null);
});

test('template text: YAML as PyYAML reads it, JSON, and Heat errors', () => {
  const t = parseTemplateText(
    'heat_template_version: 2015-04-30\nresources:\n  a: {type: X, properties: {d: 2015-01-01, y: y, o: on}}\n',
  ) as { resources: { a: { properties: Record<string, unknown> } } };
  assert.deepEqual(t.resources.a.properties, { d: '2015-01-01', y: 'y', o: true });
  assert.deepEqual(parseTemplateText('{"heat_template_version": "2015-04-30"}'), {
    heat_template_version: '2015-04-30',
  });
  assert.throws(
    () => parseTemplateText('a: 1'),
    fault('HTTPBadRequest', 'Template not in valid format: Template format version not found.'),
  );
  assert.throws(
    () => parseTemplateText('[1]'),
    fault(
      'HTTPBadRequest',
      'Template not in valid format: The template is not a JSON object or YAML mapping.',
    ),
  );
  assert.throws(
    () => parseTemplateText('heat_template_version: 2015-04-30\n a: [\n'),
    fault(
      'HTTPBadRequest',
      /^Template not in valid format: Error parsing template \[root stack\] /,
    ),
  );
  assert.throws(
    () => parseTemplateText('#'.repeat(524289)),
    fault(
      'RequestLimitExceeded',
      'Request limit exceeded: Template size (524289 bytes) exceeds maximum allowed size (524288 bytes).',
    ),
  );
  const versions = templateVersions();
  assert.deepEqual(versions[0], {
    version: 'AWSTemplateFormatVersion.2010-09-09',
    type: 'cfn',
    aliases: [],
  });
  assert.deepEqual(
    versions.find((v) => v.version === 'heat_template_version.2016-10-14')?.aliases,
    ['heat_template_version.newton'],
  );
});

test('hostile templates are refused with 4xx texts, never a crash or pollution', () => {
  // Deep nesting in JSON and YAML.
  const deep =
    '{"heat_template_version": "2015-04-30", "x": ' + '['.repeat(50000) + ']'.repeat(50000) + '}';
  assert.throws(
    () => Template.load(parseTemplateText(deep), new Map()),
    fault('StackValidationFailed', 'Template nesting is too deep.'),
  );
  assert.throws(
    () =>
      parseTemplateText(
        'heat_template_version: 2015-04-30\nx: ' + '['.repeat(20000) + ']'.repeat(20000),
      ),
    (e) => e instanceof HeatFault && e.status === 400,
  );
  // Alias bombs.
  const bomb = ['heat_template_version: 2015-04-30', 'a: &a [x,x,x,x,x,x,x,x,x]'];
  for (const n of 'bcdefgh')
    bomb.push(
      `${n}: &${n} [${Array(9)
        .fill('*' + String.fromCharCode(n.charCodeAt(0) - 1))
        .join(',')}]`,
    );
  assert.throws(
    () => parseTemplateText(bomb.join('\n')),
    (e) => e instanceof HeatFault && e.status === 400,
  );
  // __proto__ and constructor as names stay data.
  const body = parseTemplateText(
    'heat_template_version: 2016-10-14\n__proto__: {polluted: 1}\n',
  ) as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.throws(
    () => Template.load(body, new Map()),
    fault('InvalidTemplateSection', 'The template section is invalid: __proto__'),
  );
  const t = Template.load(
    JSON.parse(
      '{"heat_template_version": "2016-10-14", "parameters": {"constructor": {"type": "string", "default": "x"}},' +
        ' "resources": {"__proto__": {"type": "X", "properties": {"toString": {"get_param": "constructor"}}}}}',
    ),
    new Map(),
  );
  assert.equal(t.resources[0]!.name, '__proto__');
  // A value where a string is expected.
  assert.throws(
    () =>
      Template.load(
        { heat_template_version: '2015-04-30', resources: { a: { type: { toString: 'x' } } } },
        new Map(),
      ),
    fault('StackValidationFailed', 'Resource a type type must be string'),
  );
  assert.throws(
    () => Template.load({ heat_template_version: { toString: 'x' } }, new Map()),
    fault(
      'InvalidTemplateVersion',
      'The template version is invalid: Template version was not provided',
    ),
  );
  // Huge lists: repeat refuses to build more than it may.
  const big = Array.from({ length: 1000 }, (_, i) => String(i));
  const rt = Template.load({ heat_template_version: '2015-04-30' }, new Map());
  const scope = {
    stackId: '',
    stackName: '',
    projectId: '',
    region: '',
    parameter: () => null,
    resourceId: () => null,
    attribute: () => null,
    condition: () => true,
    file: () => undefined,
  };
  assert.throws(
    () => rt.resolve({ repeat: { template: 'x', for_each: { a: big, b: big } } }, scope),
    fault('StackValidationFailed', 'The result of "repeat" is too large.'),
  );
  const params = Object.fromEntries(big.map((k) => [`k${k}`, k]));
  assert.equal(rt.resolve({ str_replace: { template: 'k1 k999', params } }, scope), '1 999');
  // Circular and self references.
  assert.throws(
    () =>
      Template.load(
        {
          heat_template_version: '2015-04-30',
          resources: { a: { type: 'X', properties: { p: { get_resource: 'a' } } } },
        },
        new Map(),
      ),
    fault('CircularDependencyException', 'Circular Dependency Found: {X "a": {X "a"}}'),
  );
});
