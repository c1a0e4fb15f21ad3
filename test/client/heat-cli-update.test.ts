import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, type RunningServer } from '../helpers/server.js';
import {
  eventLines,
  heatCli,
  settled,
  splitWaited,
  until,
  type HeatCli,
  type Row,
} from '../helpers/heat-cli.js';

/**
 * Changing stacks through Debian's CLI: update in place and by replacement, --existing,
 * cancel (rollback), check, suspend/resume of a server, and the resource and event commands.
 */
let server: RunningServer;
let cli: HeatCli;

const UPD = (replace: boolean) => `heat_template_version: 2016-10-14
parameters:
  label: {type: string, default: one}
resources:
  item:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: label}
      update_replace: ${replace}
  other:
    type: OS::Heat::RandomString
    metadata: {role: helper, size: 3}
outputs:
  label:
    value: {get_attr: [item, output]}
`;

before(async () => {
  server = await startServer();
  cli = heatCli(server, 'heat-cli-upd');
});
after(async () => {
  await server?.stop();
  fs.rmSync(cli.dir, { recursive: true, force: true });
});

const physical = async (stack: string, res: string) =>
  (await cli.json(['stack', 'resource', 'show', stack, res])).physical_resource_id as string;
const output = async (stack: string, key: string) =>
  (await cli.json(['stack', 'output', 'show', stack, key])).output_value as string;

test('stack update: in place, --existing, then a replacement seen in resource list', async () => {
  const inPlace = cli.file('upd.yaml', UPD(false));
  const replacing = cli.file('upd-replace.yaml', UPD(true));
  const { stack } = await cli.createWaiting(['stack', 'create', '-t', inPlace, 'up-one']);
  const before = await physical('up-one', 'item');
  const otherId = await physical('up-one', 'other');

  const out = splitWaited(
    await cli.ok(
      ['stack', 'update', '-t', inPlace, '--parameter', 'label=two', '--wait', '-f', 'json'].concat(
        ['up-one'],
      ),
    ),
  );
  assert.equal(out.stack.stack_status, 'UPDATE_COMPLETE');
  assert.equal(out.stack.stack_status_reason, 'Stack UPDATE completed successfully');
  assert.equal(out.stack.id, stack.id);
  assert.match(out.stack.updated_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const lines = eventLines(out.events);
  assert.deepEqual(lines, [
    '[up-one]: UPDATE_IN_PROGRESS  Stack UPDATE started',
    '[up-one.item]: UPDATE_IN_PROGRESS  state changed',
    '[up-one.item]: UPDATE_COMPLETE  state changed',
    '[up-one]: UPDATE_COMPLETE  Stack UPDATE completed successfully',
  ]);
  assert.equal(await physical('up-one', 'item'), before, 'updated in place');
  // Heat stamps an updated resource's updated_time as its update starts.
  const item = await cli.json(['stack', 'resource', 'show', 'up-one', 'item']);
  assert.ok(item.updated_time >= out.stack.updated_time, JSON.stringify(item));
  assert.equal(await output('up-one', 'label'), 'two');

  // --existing (PATCH): the template and parameters given before are kept.
  // (Only create has --poll: later updates are followed with stack show, not --wait's 5 s polls.)
  const patched = await cli.json(['stack', 'update', '--existing', 'up-one']);
  assert.match(patched.stack_status, /^UPDATE_(IN_PROGRESS|COMPLETE)$/);
  assert.equal((await settled(cli, 'up-one')).stack_status, 'UPDATE_COMPLETE');
  assert.equal(await output('up-one', 'label'), 'two');
  const kept = await cli.json(['stack', 'show', 'up-one']);
  assert.equal(kept.parameters.label, 'two');

  // A property that cannot change in place: a new physical resource replaces the old one.
  await cli.ok([
    'stack',
    'update',
    '-t',
    replacing,
    '--existing',
    '--parameter',
    'label=three',
    'up-one',
  ]);
  assert.equal((await settled(cli, 'up-one')).stack_status, 'UPDATE_COMPLETE');
  const after = await physical('up-one', 'item');
  assert.notEqual(after, before);
  const list = await cli.json<Row[]>(['stack', 'resource', 'list', 'up-one']);
  assert.deepEqual(list.map((r) => `${r.resource_name} ${r.resource_status}`).sort(), [
    'item CREATE_COMPLETE',
    'other CREATE_COMPLETE',
  ]);
  assert.equal(list.find((r) => r.resource_name === 'item')!.physical_resource_id, after);
  assert.equal(await physical('up-one', 'other'), otherId);
  assert.equal(await output('up-one', 'label'), 'three');
  const events = eventLines(await cli.ok(['stack', 'event', 'list', 'up-one']));
  const tail = events.slice(
    events.lastIndexOf('[up-one]: UPDATE_IN_PROGRESS  Stack UPDATE started'),
  );
  assert.deepEqual(tail, [
    '[up-one]: UPDATE_IN_PROGRESS  Stack UPDATE started',
    '[up-one.item]: CREATE_IN_PROGRESS  state changed',
    '[up-one.item]: CREATE_COMPLETE  state changed',
    '[up-one.item]: DELETE_IN_PROGRESS  state changed',
    '[up-one.item]: DELETE_COMPLETE  state changed',
    '[up-one]: UPDATE_COMPLETE  Stack UPDATE completed successfully',
  ]);

  // A failing update with --rollback enabled goes back to what was there.
  const failing = cli.file(
    'upd-fail.yaml',
    UPD(false).replace('update_replace: false', 'fail: true'),
  );
  const r = await cli.run(['stack', 'update', '-t', failing, '--rollback', 'enabled', 'up-one']);
  assert.equal(r.code, 0, r.stderr);
  const rolled = await settled(cli, 'up-one');
  assert.equal(rolled.stack_status, 'ROLLBACK_COMPLETE');
  assert.equal(await output('up-one', 'label'), 'three');
});

test('stack cancel of a slow update rolls it back; cancel refused when nothing runs', async () => {
  const t = cli.file(
    'slow.yaml',
    `heat_template_version: 2016-10-14
parameters:
  label: {type: string, default: one}
resources:
  slow:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: label}
      action_wait_secs: {update: 600}
`,
  );
  await cli.createWaiting(['stack', 'create', '-t', t, 'up-cancel']);
  const refused = await cli.run(['stack', 'cancel', 'up-cancel']);
  assert.equal(refused.code, 1);
  assert.equal(
    refused.stderr.trim(),
    "Stack up-cancel with status 'create_complete' not in cancelable state",
  );
  const started = await cli.json([
    'stack',
    'update',
    '-t',
    t,
    '--parameter',
    'label=two',
    'up-cancel',
  ]);
  assert.equal(started.stack_status, 'UPDATE_IN_PROGRESS');
  await until('the update to reach the resource', async () => {
    const r = await cli.json(['stack', 'resource', 'show', 'up-cancel', 'slow']);
    return r.resource_status === 'UPDATE_IN_PROGRESS' ? true : undefined;
  });
  const cancelled = await cli.run(['stack', 'cancel', '--wait', 'up-cancel', '-f', 'json']);
  assert.equal(cancelled.code, 0, cancelled.stdout + cancelled.stderr);
  const shown = await settled(cli, 'up-cancel');
  assert.equal(shown.stack_status, 'ROLLBACK_COMPLETE');
  assert.equal(shown.stack_status_reason, 'Stack ROLLBACK completed successfully');
  const stackEvents = eventLines(await cli.ok(['stack', 'event', 'list', 'up-cancel'])).filter(
    (l) => l.startsWith('[up-cancel]'),
  );
  assert.deepEqual(stackEvents.slice(-3), [
    '[up-cancel]: UPDATE_IN_PROGRESS  Stack UPDATE started',
    '[up-cancel]: ROLLBACK_IN_PROGRESS  Stack ROLLBACK started',
    '[up-cancel]: ROLLBACK_COMPLETE  Stack ROLLBACK completed successfully',
  ]);
  assert.equal(shown.parameters.label, 'one');
});

test('stack check; resource show, metadata, mark unhealthy; per-resource events', async () => {
  const t = cli.file('check.yaml', UPD(false));
  await cli.createWaiting(['stack', 'create', '-t', t, 'up-check']);
  const out = await cli.ok(['stack', 'check', '--wait', 'up-check']);
  const lines = eventLines(out);
  assert.equal(lines[0], '[up-check]: CHECK_IN_PROGRESS  Stack CHECK started');
  assert.equal(
    lines.at(-1),
    "[up-check]: CHECK_COMPLETE  Stack CHECK completed successfully. 'CHECK' not fully supported (see resources)",
  );
  // Types without a check are marked checked with Heat's reason.
  assert.ok(
    lines.includes(
      '[up-check.other]: CHECK_COMPLETE  CHECK not supported for OS::Heat::RandomString',
    ),
    out,
  );

  const shown = await cli.json(['stack', 'resource', 'show', 'up-check', 'other']);
  assert.deepEqual(Object.keys(shown).sort(), [
    'attributes',
    'creation_time',
    'description',
    'links',
    'logical_resource_id',
    'physical_resource_id',
    'required_by',
    'resource_name',
    'resource_status',
    'resource_status_reason',
    'resource_type',
    'updated_time',
  ]);
  assert.equal(shown.resource_type, 'OS::Heat::RandomString');
  assert.equal(shown.logical_resource_id, 'other');
  assert.match(shown.physical_resource_id, /^up-check-other-[a-z2-7]{12}$/);
  assert.equal(typeof shown.attributes.value, 'string');
  assert.deepEqual(
    (shown.links as Row[]).map((l) => l.rel),
    ['self', 'stack'],
  );
  assert.deepEqual(await cli.json(['stack', 'resource', 'metadata', 'up-check', 'other']), {
    role: 'helper',
    size: 3,
  });
  const nope = await cli.run(['stack', 'resource', 'show', 'up-check', 'nope']);
  assert.equal(nope.stderr.trim(), 'Stack or resource not found: up-check nope');

  await cli.ok(['stack', 'resource', 'mark', 'unhealthy', 'up-check', 'other', 'disk gone']);
  const marked = await cli.json(['stack', 'resource', 'show', 'up-check', 'other']);
  assert.equal(marked.resource_status, 'CHECK_FAILED');
  assert.equal(marked.resource_status_reason, 'disk gone');
  const filtered = await cli.json<Row[]>([
    'stack',
    'resource',
    'list',
    '--filter',
    'status=FAILED',
    'up-check',
  ]);
  assert.deepEqual(
    filtered.map((r) => r.resource_name),
    ['other'],
  );
  const byType = await cli.json<Row[]>([
    'stack',
    'resource',
    'list',
    '--filter',
    'type=OS::Heat::TestResource',
    'up-check',
  ]);
  assert.deepEqual(
    byType.map((r) => r.resource_name),
    ['item'],
  );
  await cli.ok(['stack', 'resource', 'mark', 'unhealthy', '--reset', 'up-check', 'other']);
  const reset = await cli.json(['stack', 'resource', 'show', 'up-check', 'other']);
  assert.equal(reset.resource_status, 'CHECK_COMPLETE');

  // Events of one resource, as a table.
  const events = await cli.json<Row[]>([
    'stack',
    'event',
    'list',
    '--resource',
    'item',
    'up-check',
  ]);
  assert.deepEqual(
    events.map((e) => `${e.resource_name} ${e.resource_status} ${e.resource_status_reason}`),
    [
      'item CREATE_IN_PROGRESS state changed',
      'item CREATE_COMPLETE state changed',
      // TestResource has no handle_check either: one event, Heat's reason.
      'item CHECK_COMPLETE CHECK not supported for OS::Heat::TestResource',
    ],
  );
  const one = await cli.json(['stack', 'event', 'show', 'up-check', 'item', events[0]!.id]);
  assert.equal(one.resource_status, 'CREATE_IN_PROGRESS');
  assert.equal(one.logical_resource_id, 'item');
});
