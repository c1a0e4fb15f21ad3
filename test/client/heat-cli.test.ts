import { seedTemplate } from '../helpers/seed.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, type RunningServer } from '../helpers/server.js';
import { eventLines, heatCli, settled, type HeatCli, type Row } from '../helpers/heat-cli.js';

/**
 * Heat's stack commands through Debian's `openstack` CLI (python3-heatclient): create with
 * every option the issue lists, failures with and without rollback, parameter constraints,
 * list filters, show, outputs, template, environment, delete.
 */
let server: RunningServer;
let cli: HeatCli;

export const SMALL = `heat_template_version: 2016-10-14
description: A small test stack
parameters:
  length:
    type: number
    default: 8
    constraints:
      - range: {min: 4, max: 32}
  label:
    type: string
    default: plain
resources:
  rand:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: length}
  joined:
    type: OS::Heat::Value
    properties:
      value: {list_join: ['-', [{get_param: label}, {get_attr: [rand, value]}]]}
outputs:
  joined:
    description: The label and the random string
    value: {get_attr: [joined, value]}
  label:
    value: {get_param: label}
`;

const FAILING = `heat_template_version: 2016-10-14
resources:
  fine:
    type: OS::Heat::RandomString
  broken:
    type: OS::Heat::TestResource
    depends_on: fine
    properties:
      fail: true
`;

before(async () => {
  server = await startServer();
  cli = heatCli(server, 'heat-cli');
});
after(async () => {
  await server?.stop();
  fs.rmSync(cli.dir, { recursive: true, force: true });
});

test('stack create with -e, --parameter, --tags, --timeout, --wait; show, outputs, template', async () => {
  const t = cli.file('small.yaml', SMALL);
  const env = cli.file('small-env.yaml', 'parameters:\n  length: 12\n');
  const { events, stack } = await cli.createWaiting(
    ['stack', 'create', '-t', t, '-e', env, '--parameter', 'label=hello']
      .concat(['--tags', 'red,blue', '--timeout', '10'])
      .concat(['cs-create']),
  );
  assert.deepEqual(Object.keys(stack), [
    'id',
    'stack_name',
    'description',
    'creation_time',
    'updated_time',
    'stack_status',
    'stack_status_reason',
  ]);
  assert.equal(stack.stack_name, 'cs-create');
  assert.equal(stack.description, 'A small test stack');
  assert.equal(stack.stack_status, 'CREATE_COMPLETE');
  assert.equal(stack.stack_status_reason, 'Stack CREATE completed successfully');
  assert.match(stack.creation_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(stack.updated_time, null);
  const lines = eventLines(events);
  assert.equal(lines[0], '[cs-create]: CREATE_IN_PROGRESS  Stack CREATE started');
  assert.equal(lines.at(-1), '[cs-create]: CREATE_COMPLETE  Stack CREATE completed successfully');
  for (const r of ['rand', 'joined']) {
    assert.ok(lines.includes(`[cs-create.${r}]: CREATE_IN_PROGRESS  state changed`), events);
    assert.ok(lines.includes(`[cs-create.${r}]: CREATE_COMPLETE  state changed`), events);
  }
  // The Value waits for the RandomString it reads.
  assert.ok(
    lines.indexOf('[cs-create.rand]: CREATE_COMPLETE  state changed') <
      lines.indexOf('[cs-create.joined]: CREATE_IN_PROGRESS  state changed'),
  );

  const shown = await cli.json(['stack', 'show', 'cs-create']);
  assert.equal(shown.id, stack.id);
  assert.deepEqual(shown.tags, ['red', 'blue']);
  assert.equal(shown.timeout_mins, 10);
  assert.equal(shown.disable_rollback, true);
  assert.equal(shown.stack_owner, 'demo');
  assert.equal(shown.parent, null);
  assert.equal(shown.deletion_time, null);
  assert.deepEqual(shown.capabilities, []);
  assert.deepEqual(shown.notification_topics, []);
  // -e's parameter and --parameter; parameters come back as strings, with Heat's pseudo ones.
  assert.equal(shown.parameters.length, '12');
  assert.equal(shown.parameters.label, 'hello');
  assert.equal(shown.parameters['OS::stack_name'], 'cs-create');
  assert.equal(shown.parameters['OS::stack_id'], stack.id);
  const link = (shown.links as Row[])[0]!;
  assert.equal(link.rel, 'self');
  assert.ok(String(link.href).endsWith(`/stacks/cs-create/${stack.id}`), link.href);
  const outputs = new Map((shown.outputs as Row[]).map((o) => [o.output_key, o]));
  assert.match(outputs.get('joined')!.output_value, /^hello-[A-Za-z0-9]{12}$/);
  assert.equal(outputs.get('joined')!.description, 'The label and the random string');
  assert.equal(outputs.get('label')!.description, 'No description given');

  // stack output list / show
  assert.deepEqual(await cli.json(['stack', 'output', 'list', 'cs-create']), [
    { output_key: 'joined', description: 'The label and the random string' },
    { output_key: 'label', description: 'No description given' },
  ]);
  assert.deepEqual(await cli.json(['stack', 'output', 'show', 'cs-create', 'label']), {
    description: 'No description given',
    output_key: 'label',
    output_value: 'hello',
  });
  const missing = await cli.run(['stack', 'output', 'show', 'cs-create', 'nope']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim(), 'Stack cs-create or output nope not found.');

  // stack template show: the template as given (YAML); environment show: the merged env.
  const tmpl = await cli.ok(['stack', 'template', 'show', 'cs-create']);
  assert.match(tmpl, /^description: A small test stack$/m);
  assert.match(tmpl, /^heat_template_version: '2016-10-14'$/m);
  assert.match(tmpl, /^ {4}type: OS::Heat::RandomString$/m);
  const env2 = await cli.ok(['stack', 'environment', 'show', 'cs-create']);
  // -e's parameters and --parameter merged into the stack's environment, as Heat stores it.
  assert.equal(
    env2,
    'parameters:\n  label: hello\n  length: 12\nresource_registry:\n  resources: {}\nparameter_defaults: {}\n',
  );

  // Unknown stacks: heatclient's own texts on Heat's 404s.
  const unknown = await cli.run(['stack', 'show', 'cs-nope']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr.trim(), 'Stack not found: cs-nope');
  // A second stack of the same name: Heat's 409.
  const again = await cli.run(['stack', 'create', '-t', t, 'cs-create']);
  assert.equal(again.code, 1);
  assert.equal(again.stderr.trim(), 'ERROR: The Stack (cs-create) already exists.');
});

test('a failed create: CREATE_FAILED with the reason and exit 1, or rolled back', async () => {
  const t = cli.file('failing.yaml', FAILING);
  const failed = await cli.run(['stack', 'create', '-t', t, '--wait', '--poll', '1', 'cs-failed']);
  assert.equal(failed.code, 1);
  assert.equal(failed.stderr, '\n Stack cs-failed CREATE_FAILED \n\n');
  const lines = eventLines(failed.stdout);
  assert.ok(
    lines.includes(
      '[cs-failed.broken]: CREATE_FAILED  ValueError: resources.broken: Test Resource failed broken',
    ),
    failed.stdout,
  );
  assert.equal(
    lines.at(-1),
    '[cs-failed]: CREATE_FAILED  Resource CREATE failed: ValueError: resources.broken: Test Resource failed broken',
  );
  const shown = await cli.json(['stack', 'show', 'cs-failed']);
  assert.equal(shown.stack_status, 'CREATE_FAILED');
  assert.equal(
    shown.stack_status_reason,
    'Resource CREATE failed: ValueError: resources.broken: Test Resource failed broken',
  );
  const res = await cli.json<Row[]>(['stack', 'resource', 'list', 'cs-failed']);
  assert.deepEqual(res.map((r) => `${r.resource_name} ${r.resource_status}`).sort(), [
    'broken CREATE_FAILED',
    'fine CREATE_COMPLETE',
  ]);
  const broken = await cli.json(['stack', 'resource', 'show', 'cs-failed', 'broken']);
  assert.equal(
    broken.resource_status_reason,
    'ValueError: resources.broken: Test Resource failed broken',
  );

  // --enable-rollback: the failure, then a rollback that deletes what was made.
  const rolled = await cli.run(['stack', 'create', '-t', t, '--enable-rollback', 'cs-rolled']);
  assert.equal(rolled.code, 0, rolled.stderr);
  const after = await settled(cli, 'cs-rolled');
  assert.equal(after.stack_status, 'ROLLBACK_COMPLETE');
  assert.equal(after.stack_status_reason, 'Stack ROLLBACK completed successfully');
  assert.equal(after.disable_rollback, false);
  const log = eventLines(await cli.ok(['stack', 'event', 'list', 'cs-rolled']));
  const stackEvents = log.filter((l) => l.startsWith('[cs-rolled]'));
  assert.deepEqual(stackEvents, [
    '[cs-rolled]: CREATE_IN_PROGRESS  Stack CREATE started',
    '[cs-rolled]: CREATE_FAILED  Resource CREATE failed: ValueError: resources.broken: Test Resource failed broken',
    '[cs-rolled]: ROLLBACK_IN_PROGRESS  Stack ROLLBACK started',
    '[cs-rolled]: ROLLBACK_COMPLETE  Stack ROLLBACK completed successfully',
  ]);
  assert.ok(log.includes('[cs-rolled.fine]: DELETE_COMPLETE  state changed'), log.join('\n'));
});

test("parameters failing their constraints: Heat's 400 texts, nothing created", async () => {
  const t = cli.file('seed-image.yaml', fs.readFileSync(seedTemplate('image'), 'utf8'));
  const noKey = await cli.run(
    ['stack', 'create', '-t', t, '--parameter', 'key_name=cs-nokey'].concat([
      '--parameter',
      'image=cs-noimage',
      'cs-bad',
    ]),
  );
  assert.equal(noKey.code, 1);
  assert.equal(
    noKey.stderr.trim(),
    "ERROR: Parameter 'key_name' is invalid: Error validating value 'cs-nokey': The Key (cs-nokey) could not be found.",
  );
  await cli.ok(['keypair', 'create', 'cs-key']);
  const noImage = await cli.run(
    ['stack', 'create', '-t', t, '--parameter', 'key_name=cs-key'].concat([
      '--parameter',
      'image=cs-noimage',
      'cs-bad',
    ]),
  );
  assert.equal(noImage.code, 1);
  assert.equal(
    noImage.stderr.trim(),
    "ERROR: Parameter 'image' is invalid: Error validating value 'cs-noimage': No images matching {'name': 'cs-noimage'}.",
  );
  const missing = await cli.run([
    'stack',
    'create',
    '-t',
    t,
    '--parameter',
    'key_name=cs-key',
    'cs-bad',
  ]);
  assert.equal(missing.stderr.trim(), 'ERROR: The Parameter (image) was not provided.');
  const small = cli.file('small-range.yaml', SMALL);
  const range = await cli.run([
    'stack',
    'create',
    '-t',
    small,
    '--parameter',
    'length=2',
    'cs-bad',
  ]);
  assert.equal(
    range.stderr.trim(),
    "ERROR: Parameter 'length' is invalid: 2 is out of range (min: 4, max: 32)",
  );
  const extra = await cli.run([
    'stack',
    'create',
    '-t',
    small,
    '--parameter',
    'colour=red',
    'cs-bad',
  ]);
  assert.equal(extra.stderr.trim(), 'ERROR: The Parameter (colour) was not defined in template.');
  const show = await cli.run(['stack', 'show', 'cs-bad']);
  assert.equal(show.stderr.trim(), 'Stack not found: cs-bad');
});
