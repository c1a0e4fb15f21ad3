import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, SYSTEM_PATH, type RunningServer } from '../helpers/server.js';
import { heatCli, type HeatCli, type Row } from '../helpers/heat-cli.js';

/**
 * Heat's informational commands through Debian's CLI (template validate, template versions
 * and functions, resource types, services), `stack create --dry-run`, and openstacksdk's
 * orchestration proxy (test/client/sdk_heat.py).
 */
let server: RunningServer;
let cli: HeatCli;
const SCRIPT = path.resolve(fileURLToPath(import.meta.url), '../../../../test/client/sdk_heat.py');

const TEMPLATE = `heat_template_version: 2016-10-14
description: Validated
parameters:
  length:
    type: number
    label: Length
    description: How long
    default: 8
    constraints:
      - range: {min: 4, max: 32}
  flavor:
    type: string
    constraints:
      - allowed_values: [small, large]
resources:
  rand:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: length}
`;

before(async () => {
  server = await startServer();
  cli = heatCli(server, 'heat-cli-info');
});
after(async () => {
  await server?.stop();
  fs.rmSync(cli.dir, { recursive: true, force: true });
});

test('orchestration template validate: parameters as Heat describes them, and its errors', async () => {
  const t = cli.file('valid.yaml', TEMPLATE);
  const out = await cli.json(['orchestration', 'template', 'validate', '-t', t]);
  assert.equal(out.Description, 'Validated');
  assert.deepEqual(out.Parameters.length, {
    Type: 'Number',
    Description: 'How long',
    NoEcho: 'false',
    Label: 'Length',
    Default: 8,
    MinValue: 4,
    MaxValue: 32,
  });
  assert.deepEqual(out.Parameters.flavor, {
    Type: 'String',
    Description: '',
    NoEcho: 'false',
    Label: 'flavor',
    AllowedValues: ['small', 'large'],
  });
  assert.deepEqual(out.Environment.parameters, {});

  const withParam = await cli.json([
    'orchestration',
    'template',
    'validate',
    '-t',
    t,
    '--parameter',
    'flavor=small',
  ]);
  assert.equal(withParam.Parameters.flavor.Value, 'small');
  assert.deepEqual(withParam.Environment.parameters, { flavor: 'small' });

  const badType = cli.file(
    'bad-type.yaml',
    TEMPLATE.replace('OS::Heat::RandomString', 'OS::No::Such'),
  );
  const r1 = await cli.run(['orchestration', 'template', 'validate', '-t', badType]);
  assert.equal(r1.code, 1);
  assert.equal(
    r1.stderr.trim(),
    'ERROR: Failed to validate: resources.rand: The Resource Type (OS::No::Such) could not be found.',
  );
  const badVersion = cli.file('bad-version.yaml', TEMPLATE.replace('2016-10-14', '2012-01-01'));
  const r2 = await cli.run(['orchestration', 'template', 'validate', '-t', badVersion]);
  assert.match(
    r2.stderr.trim(),
    /^ERROR: The template version is invalid: "heat_template_version: 2012-01-01". "heat_template_version" should be one of: 2013-05-23, /,
  );
  const unknownParam = await cli.run([
    'orchestration',
    'template',
    'validate',
    '-t',
    t,
    '--parameter',
    'colour=red',
  ]);
  assert.equal(
    unknownParam.stderr.trim(),
    'ERROR: The Parameter (colour) was not defined in template.',
  );
});

test('orchestration template version list and function list', async () => {
  const versions = await cli.json<Row[]>(['orchestration', 'template', 'version', 'list']);
  assert.deepEqual(Object.keys(versions[0]!), ['Version', 'Type', 'Aliases']);
  const byVersion = new Map(versions.map((v) => [v.Version, v]));
  assert.deepEqual(byVersion.get('AWSTemplateFormatVersion.2010-09-09'), {
    Version: 'AWSTemplateFormatVersion.2010-09-09',
    Type: 'cfn',
    Aliases: '',
  });
  assert.equal(
    byVersion.get('heat_template_version.2021-04-16')!.Aliases,
    'heat_template_version.wallaby',
  );
  assert.equal(byVersion.get('heat_template_version.2016-10-14')!.Type, 'hot');
  assert.equal(versions.filter((v) => v.Type === 'hot').length, 11);

  const fns = await cli.json<Row[]>([
    'orchestration',
    'template',
    'function',
    'list',
    'heat_template_version.2016-10-14',
  ]);
  assert.deepEqual(Object.keys(fns[0]!), ['Functions', 'Description']);
  const names = fns.map((f) => f.Functions);
  for (const f of ['get_param', 'get_attr', 'list_join', 'yaql', 'map_replace', 'repeat']) {
    assert.ok(names.includes(f), f);
  }
  assert.ok(names.includes('if'));
  assert.ok(!names.includes('equals'), 'a condition function, listed only with --with_conditions');
  const withCond = await cli.json<Row[]>(
    ['orchestration', 'template', 'function', 'list', '--with_conditions'].concat([
      'heat_template_version.2016-10-14',
    ]),
  );
  assert.ok(withCond.some((f) => f.Functions === 'equals'));
  const missing = await cli.run(['orchestration', 'template', 'function', 'list', '2016-10-14']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim(), 'Template version not found: 2016-10-14');
});

test('orchestration resource type list/show and service list', async () => {
  const types = await cli.json<Row[]>(['orchestration', 'resource', 'type', 'list']);
  const names = types.map((r) => r['Resource Type']);
  for (const t of ['OS::Nova::Server', 'OS::Neutron::Port', 'OS::Heat::RandomString']) {
    assert.ok(names.includes(t), t);
  }
  assert.deepEqual(names, [...names].sort());
  const filtered = await cli.json<Row[]>([
    'orchestration',
    'resource',
    'type',
    'list',
    '--filter',
    'name=OS::Neutron::Router',
  ]);
  assert.ok(filtered.every((r) => String(r['Resource Type']).startsWith('OS::Neutron::Router')));
  assert.ok(filtered.length >= 1);
  const long = await cli.json<Row[]>(['orchestration', 'resource', 'type', 'list', '--long']);
  assert.deepEqual(Object.keys(long[0]!), ['Resource Type', 'Description']);

  const shown = await cli.json([
    'orchestration',
    'resource',
    'type',
    'show',
    'OS::Heat::RandomString',
  ]);
  assert.equal(shown.resource_type, 'OS::Heat::RandomString');
  assert.deepEqual(shown.properties.length, {
    type: 'integer',
    description: 'Length of the string to generate.',
    default: 32,
    required: false,
    constraints: [{ range: { min: 1, max: 512 } }],
    update_allowed: false,
    immutable: false,
  });
  assert.equal(
    shown.attributes.value.description,
    'The random string generated by this resource. This value is also available by referencing the resource.',
  );
  const hot = await cli.json([
    'orchestration',
    'resource',
    'type',
    'show',
    '--template-type',
    'hot',
    'OS::Heat::RandomString',
  ]);
  assert.equal(hot.heat_template_version, '2016-10-14');
  assert.deepEqual(hot.resources.RandomString.type, 'OS::Heat::RandomString');
  const missing = await cli.run(['orchestration', 'resource', 'type', 'show', 'OS::No::Such']);
  assert.equal(missing.stderr.trim(), 'Resource type not found: OS::No::Such');

  const services = await cli.json<Row[]>(['orchestration', 'service', 'list'], { admin: true });
  assert.equal(services.length, 1);
  assert.equal(services[0]!.Binary, 'heat-engine');
  assert.equal(services[0]!.Topic, 'engine');
  assert.equal(services[0]!.Status, 'up');
  assert.match(services[0]!['Updated At'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
  const refused = await cli.run(['orchestration', 'service', 'list']);
  assert.equal(refused.stderr.trim(), 'ERROR: Access was denied to this resource.');
});

test('stack create --dry-run previews the stack without making it', async (t) => {
  const tmpl = cli.file('preview.yaml', TEMPLATE);
  const r = await cli.run([
    'stack',
    'create',
    '--dry-run',
    '-t',
    tmpl,
    '--parameter',
    'flavor=large',
    'dry-stack',
    '-f',
    'json',
  ]);
  if (r.code !== 0 && /could not be found/.test(r.stderr)) {
    t.skip(`stack preview is not on main yet (${r.stderr.trim()})`);
    return;
  }
  assert.equal(r.code, 0, r.stderr);
  const preview = JSON.parse(r.stdout) as Row;
  assert.equal(preview.stack_name, 'dry-stack');
  // heatclient formats parameters with its json_formatter: a JSON text even under -f json.
  const params = (
    typeof preview.parameters === 'string' ? JSON.parse(preview.parameters) : preview.parameters
  ) as Row;
  assert.equal(params.flavor, 'large');
  assert.equal(params['OS::stack_id'], 'None');
  assert.equal(
    (await cli.run(['stack', 'show', 'dry-stack'])).stderr.trim(),
    'Stack not found: dry-stack',
  );

  // update --dry-run: the resource_changes of a real stack, one column per kind of change.
  await cli.createWaiting([
    'stack',
    'create',
    '-t',
    tmpl,
    '--parameter',
    'flavor=large',
    'dry-real',
  ]);
  const changes = await cli.json<Record<string, unknown>>([
    'stack',
    'update',
    '--dry-run',
    '-t',
    tmpl,
    '--parameter',
    'flavor=small',
    'dry-real',
  ]);
  assert.deepEqual(Object.keys(changes), ['added', 'deleted', 'replaced', 'unchanged', 'updated']);
  const unchanged = (
    typeof changes.unchanged === 'string' ? JSON.parse(changes.unchanged) : changes.unchanged
  ) as Row[];
  assert.deepEqual(
    unchanged.map((r) => r.resource_name),
    ['rand'],
  );
  assert.equal((await cli.json(['stack', 'show', 'dry-real'])).parameters.flavor, 'large');
});

test('openstacksdk: create_stack, wait_for_status, get_stack, stacks, delete_stack', async () => {
  const { code, stdout, stderr } = await new Promise<{
    code: number;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    execFile(
      '/usr/bin/python3',
      [SCRIPT],
      {
        env: {
          PATH: SYSTEM_PATH,
          HOME: process.env.HOME ?? '/tmp',
          LANG: 'C.UTF-8',
          OS_CLIENT_CONFIG_FILE: path.join(server.dataDir, 'clouds.yaml'),
        },
        timeout: 180_000,
      },
      (err, out, errOut) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          stdout: out,
          stderr: errOut,
        }),
    );
  });
  assert.equal(code, 0, `sdk_heat.py failed:\n${stderr}`);
  const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Row;
  assert.deepEqual(summary, { value_length: 16, listed: 1, ok: true });
});
