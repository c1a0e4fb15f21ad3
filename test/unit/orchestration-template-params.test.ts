import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Template,
  emptyEnvironment,
  parametersForShow,
  parseEnvironment,
  validateParameters,
} from '../../src/services/orchestration/template/index.js';
import { HeatFault } from '../../src/services/orchestration/errors.js';

const noFiles = new Map<string, string>();
const pseudo = { stackId: 'sid', stackName: 'st', projectId: 'pid', region: 'R' };
const fault = (type: string, message: string | RegExp) => (e: unknown) => {
  assert.ok(e instanceof HeatFault, String(e));
  assert.equal(e.type, type);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
};
const images = async (name: string, v: unknown) =>
  name === 'glance.image' && v !== 'cirros' ? `No images matching {'name': '${String(v)}'}.` : null;

function tpl(params: Record<string, unknown>, version = '2018-03-02'): Template {
  return Template.load({ heat_template_version: version, parameters: params }, noFiles);
}

async function value(schema: Record<string, unknown>, given: unknown, version?: string) {
  const t = tpl({ x: schema }, version);
  const v = await validateParameters(
    t,
    given === undefined ? {} : { x: given },
    emptyEnvironment(),
    images,
    pseudo,
    {
      strict: true,
    },
  );
  return v.get('x');
}

const rejects = (
  schema: Record<string, unknown>,
  given: unknown,
  type: string,
  message: string | RegExp,
) => assert.rejects(value(schema, given), fault(type, message));

test('every type converts its value', async () => {
  assert.equal(await value({ type: 'string' }, 5), '5');
  assert.equal(await value({ type: 'number' }, '42'), 42);
  assert.equal(await value({ type: 'number' }, ' 2.5 '), 2.5);
  assert.deepEqual(await value({ type: 'comma_delimited_list' }, 'a,b ,c'), ['a', 'b ', 'c']);
  assert.deepEqual(await value({ type: 'comma_delimited_list' }, [1, 'x']), ['1', 'x']);
  assert.deepEqual(await value({ type: 'comma_delimited_list', default: '' }, undefined), []);
  assert.deepEqual(await value({ type: 'json' }, '{"a": [1]}'), { a: [1] });
  assert.deepEqual(await value({ type: 'json' }, { a: 1 }), { a: 1 });
  assert.equal(await value({ type: 'boolean' }, 'Yes'), true);
  assert.equal(await value({ type: 'boolean' }, 0), false);
  await rejects(
    { type: 'number' },
    'abc',
    'StackValidationFailed',
    "Parameter 'x' is invalid: could not convert string to float: 'abc'",
  );
  await rejects(
    { type: 'boolean' },
    'maybe',
    'StackValidationFailed',
    "Parameter 'x' is invalid: Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'",
  );
  await rejects(
    { type: 'json' },
    '{bad',
    'StackValidationFailed',
    /^Parameter 'x' is invalid: Value must be valid JSON: /,
  );
});

test('every constraint kind, with its message and a description replacing it', async () => {
  await rejects(
    { type: 'string', constraints: [{ length: { min: 2, max: 3 } }] },
    'abcd',
    'StackValidationFailed',
    "Parameter 'x' is invalid: length (4) is out of range (min: 2, max: 3)",
  );
  await rejects(
    { type: 'number', constraints: [{ range: { min: 1 } }] },
    '0',
    'StackValidationFailed',
    "Parameter 'x' is invalid: 0 is out of range (min: 1, max: None)",
  );
  await rejects(
    { type: 'number', constraints: [{ modulo: { step: 2, offset: 1 } }] },
    '4',
    'StackValidationFailed',
    "Parameter 'x' is invalid: 4 is not a multiple of 2 with an offset of 1",
  );
  assert.equal(
    await value({ type: 'number', constraints: [{ modulo: { step: 2, offset: 1 } }] }, '5'),
    5,
  );
  await rejects(
    { type: 'string', constraints: [{ allowed_values: ['a', 'b'] }] },
    'c',
    'StackValidationFailed',
    'Parameter \'x\' is invalid: "c" is not an allowed value ["a", "b"]',
  );
  assert.equal(await value({ type: 'number', constraints: [{ allowed_values: [1, 2] }] }, '2'), 2);
  await rejects(
    { type: 'comma_delimited_list', constraints: [{ allowed_values: ['a'] }] },
    'a,b',
    'StackValidationFailed',
    'Parameter \'x\' is invalid: ["a", "b"] is not an allowed value ["a"]',
  );
  await rejects(
    { type: 'string', constraints: [{ allowed_pattern: '[a-z]*' }] },
    '234',
    'StackValidationFailed',
    'Parameter \'x\' is invalid: "234" does not match pattern "[a-z]*"',
  );
  await rejects(
    { type: 'json', constraints: [{ length: { max: 1 } }] },
    '{"a": 1, "b": 2}',
    'StackValidationFailed',
    "Parameter 'x' is invalid: length (2) is out of range (min: None, max: 1)",
  );
  await rejects(
    { type: 'string', constraints: [{ custom_constraint: 'glance.image' }] },
    'nope',
    'StackValidationFailed',
    "Parameter 'x' is invalid: Error validating value 'nope': No images matching {'name': 'nope'}.",
  );
  assert.equal(
    await value({ type: 'string', constraints: [{ custom_constraint: 'glance.image' }] }, 'cirros'),
    'cirros',
  );
  await rejects(
    { type: 'string', constraints: [{ length: { min: 5 }, description: 'Too short.' }] },
    'ab',
    'StackValidationFailed',
    "Parameter 'x' is invalid: Too short.",
  );
});

test('schema errors', () => {
  assert.throws(
    () => tpl({ x: { type: 'string', foo: 1 } }),
    fault('InvalidSchemaError', "Invalid key 'foo' for parameter (x)"),
  );
  assert.throws(
    () => tpl({ x: { description: 'd' } }),
    fault('InvalidSchemaError', 'Missing parameter type for parameter: x'),
  );
  assert.throws(
    () => tpl({ x: { type: 'str' } }),
    fault('InvalidSchemaError', 'Invalid type (str)'),
  );
  assert.throws(
    () => tpl({ x: { type: 'string', constraints: [{ range: { min: 1 } }] } }),
    fault('InvalidSchemaError', "Parameter 'x' is invalid: Range constraint invalid for string"),
  );
  assert.throws(
    () =>
      tpl(
        { x: { type: 'number', constraints: [{ modulo: { step: 2, offset: 0 } }] } },
        '2016-10-14',
      ),
    fault('InvalidSchemaError', 'No constraint expressed'),
  );
  assert.throws(
    () => tpl({ x: { type: 'number', constraints: [{ modulo: { step: 2, offset: 3 } }] } }),
    fault('InvalidSchemaError', 'offset must be smaller (by absolute value) than step.'),
  );
  assert.throws(
    () => tpl({ x: { type: 'string', tags: 'a' } }),
    fault('InvalidSchemaError', 'Tags property should be a list for parameter: x'),
  );
  assert.throws(
    () => tpl({ x: { type: 'string', tags: ['a'] } }, '2017-09-01'),
    fault('InvalidSchemaError', "Invalid key 'tags' for parameter (x)"),
  );
});

test('where values come from, defaults, pseudo parameters and stack show', async () => {
  const t = tpl({
    a: { type: 'string', default: 'tmpl' },
    b: { type: 'string', default: 'tmpl' },
    c: { type: 'string', default: 'tmpl' },
    d: { type: 'string', default: 'tmpl' },
    l: { type: 'comma_delimited_list', default: ['x', 'y'] },
    j: { type: 'json', default: { k: [1] } },
    h: { type: 'string', default: 'secret', hidden: true },
    n: { type: 'number', default: '3' },
  });
  const env = parseEnvironment({
    parameters: { a: 'env', b: 'env' },
    parameter_defaults: { b: 'pd', c: 'pd' },
  });
  const v = await validateParameters(t, { a: 'req' }, env, images, pseudo, { strict: true });
  assert.deepEqual([...v.keys()].slice(0, 3), ['OS::stack_id', 'OS::project_id', 'OS::stack_name']);
  assert.deepEqual([v.get('a'), v.get('b'), v.get('c'), v.get('d')], ['req', 'env', 'pd', 'tmpl']);
  assert.deepEqual(parametersForShow(t, v), {
    'OS::stack_id': 'sid',
    'OS::project_id': 'pid',
    'OS::stack_name': 'st',
    a: 'req',
    b: 'env',
    c: 'pd',
    d: 'tmpl',
    l: 'x,y',
    j: '{"k": [1]}',
    h: '******',
    n: '3',
  });
  await assert.rejects(
    validateParameters(t, {}, parseEnvironment({ parameters: { zz: 1 } }), images, pseudo, {
      strict: true,
    }),
    fault('UnknownUserParameter', 'The Parameter (zz) was not defined in template.'),
  );
  assert.ok(
    await validateParameters(t, { zz: 1 }, emptyEnvironment(), images, pseudo, { strict: false }),
  );
  const bad = tpl({ x: { type: 'number', default: 0, constraints: [{ range: { min: 1 } }] } });
  await assert.rejects(
    validateParameters(bad, { x: 5 }, emptyEnvironment(), images, pseudo, { strict: true }),
    fault(
      'InvalidSchemaError',
      "Parameter 'x' is invalid: Invalid default 0 (0 is out of range (min: 1, max: None))",
    ),
  );
  const cfn = Template.load(
    {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { K: { Type: 'String', NoEcho: 'true', AllowedValues: ['a'] } },
    },
    noFiles,
  );
  const cv = await validateParameters(cfn, { K: 'a' }, emptyEnvironment(), images, pseudo, {
    strict: true,
  });
  assert.equal(cv.get('AWS::StackId'), 'arn:openstack:heat::pid:stacks/st/sid');
  assert.equal(cv.get('AWS::Region'), 'ap-southeast-1');
  assert.equal(parametersForShow(cfn, cv)['K'], '******');
  await assert.rejects(
    validateParameters(cfn, { K: 'b' }, emptyEnvironment(), images, pseudo, { strict: true }),
    fault('StackValidationFailed', 'Parameter \'K\' is invalid: "b" is not an allowed value ["a"]'),
  );
});

test('parameter groups', () => {
  const load = (groups: unknown) =>
    Template.load(
      {
        heat_template_version: '2015-04-30',
        parameters: { a: { type: 'string' } },
        parameter_groups: groups,
      },
      noFiles,
    );
  assert.ok(load([{ label: 'g', parameters: ['a'] }]));
  assert.ok(load({}));
  assert.throws(
    () => load({ a: 1 }),
    fault(
      'StackValidationFailed',
      'Parameter Groups error: parameter_groups: The parameter_groups should be a list.',
    ),
  );
  assert.throws(
    () => load([{ label: 'g' }]),
    fault(
      'StackValidationFailed',
      'Parameter Groups error: parameter_groups.g: The parameters must be provided for each parameter group.',
    ),
  );
  assert.throws(
    () => load([{ parameters: ['b'] }]),
    fault(
      'StackValidationFailed',
      'Parameter Groups error: parameter_groups.: The grouped parameter b does not reference a valid parameter.',
    ),
  );
  assert.throws(
    () =>
      load([
        { label: 'x', parameters: ['a'] },
        { label: 'y', parameters: ['a'] },
      ]),
    fault(
      'StackValidationFailed',
      'Parameter Groups error: parameter_groups.y: The a parameter must be assigned to one parameter group only.',
    ),
  );
});

test('immutable parameters on update', async () => {
  const { checkImmutableParameters } =
    await import('../../src/services/orchestration/template/index.js');
  const t = tpl({ a: { type: 'string', immutable: true }, b: { type: 'string' } });
  const old = new Map<string, unknown>([
    ['a', 'x'],
    ['b', 'y'],
  ]);
  assert.doesNotThrow(() =>
    checkImmutableParameters(
      old,
      t,
      new Map([
        ['a', 'x'],
        ['b', 'z'],
      ]),
      { b: 'z' },
    ),
  );
  assert.throws(
    () => checkImmutableParameters(old, t, new Map([['a', 'q']]), { a: 'q' }),
    fault(
      'ImmutableParameterModified',
      'The following parameters are immutable and may not be updated: a',
    ),
  );
});

test('the validate view as the heat-tempest-plugin expects it', async () => {
  const { validateView, parseTemplateText } =
    await import('../../src/services/orchestration/template/index.js');
  const text = [
    'heat_template_version: 2014-10-16',
    'description: the stack description',
    'parameters:',
    '  aparam:',
    '    type: number',
    '    default: 10',
    '    description: the param description',
    '  cparam:',
    '    type: string',
    '    default: secret',
    '    hidden: true',
    '    constraints:',
    '      - length: {min: 2}',
    '        description: at least 2',
    '      - allowed_pattern: "[a-z]+"',
    'parameter_groups:',
    '- label: str_params',
    '  parameters: [cparam]',
    'resources:',
    '  myres:',
    '    type: OS::Heat::RandomString',
    '    properties:',
    '      length: {get_param: aparam}',
  ].join('\n');
  const t = Template.load(parseTemplateText(text), noFiles);
  const env = parseEnvironment({
    parameters: { aparam: 5 },
    resource_registry: { 'OS::Heat::RandomString': 'OS::Heat::None' },
  });
  assert.deepEqual(validateView(t, env), {
    Description: 'the stack description',
    Parameters: {
      aparam: {
        Type: 'Number',
        Description: 'the param description',
        NoEcho: 'false',
        Label: 'aparam',
        Default: 10,
        Value: 5,
      },
      cparam: {
        Type: 'String',
        Description: '',
        NoEcho: 'true',
        Label: 'cparam',
        Default: 'secret',
        MinLength: 2,
        AllowedPattern: '[a-z]+',
        ConstraintDescription: 'at least 2',
      },
    },
    ParameterGroups: [{ label: 'str_params', parameters: ['cparam'] }],
    Environment: {
      parameters: { aparam: 5 },
      resource_registry: { resources: {}, 'OS::Heat::RandomString': 'OS::Heat::None' },
      parameter_defaults: {},
      event_sinks: [],
    },
  });
});

test('stack environment show hides hidden parameters', async () => {
  const { environmentForShow } = await import('../../src/services/orchestration/template/index.js');
  const t = tpl({ pw: { type: 'string', hidden: true }, u: { type: 'string' } });
  const env = parseEnvironment({
    parameters: { pw: 'secret', u: 'me' },
    parameter_defaults: { pw: 'd' },
  });
  assert.deepEqual(environmentForShow(t, env), {
    resource_registry: { resources: {} },
    parameters: { pw: '******', u: 'me' },
    parameter_defaults: { pw: '******' },
    event_sinks: [],
    encrypted_param_names: [],
  });
});
