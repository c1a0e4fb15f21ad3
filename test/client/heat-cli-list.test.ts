import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, type RunningServer } from '../helpers/server.js';
import { eventLines, heatCli, settled, type HeatCli, type Row } from '../helpers/heat-cli.js';

/**
 * `stack list` with its filters, sorting and paging, `--long`, `--nested`, `--deleted`,
 * `--all-projects` as admin, and `stack delete [--wait] [-y]`, through Debian's CLI.
 */
let server: RunningServer;
let cli: HeatCli;

const TINY = `heat_template_version: 2016-10-14
resources:
  r:
    type: OS::Heat::RandomString
`;
const FAILING = `heat_template_version: 2016-10-14
resources:
  broken:
    type: OS::Heat::TestResource
    properties: {fail: true}
`;

before(async () => {
  server = await startServer();
  cli = heatCli(server, 'heat-cli-list');
});
after(async () => {
  await server?.stop();
  fs.rmSync(cli.dir, { recursive: true, force: true });
});

const names = (list: Row[]) => list.map((s) => s['Stack Name'] as string);

test('stack list: columns, --property, --tags, --sort, --limit/--marker, --long, --all-projects', async () => {
  const tiny = cli.file('tiny.yaml', TINY);
  const failing = cli.file('failing.yaml', FAILING);
  await cli.createWaiting(['stack', 'create', '-t', tiny, '--tags', 'a,b', 'ls-one']);
  await cli.createWaiting(['stack', 'create', '-t', tiny, '--tags', 'b', 'ls-two']);
  assert.equal(
    (await cli.run(['stack', 'create', '-t', failing, '--wait', '--poll', '1', 'ls-bad'])).code,
    1,
  );

  const all = await cli.json<Row[]>(['stack', 'list']);
  assert.deepEqual(Object.keys(all[0]!), [
    'ID',
    'Stack Name',
    'Stack Status',
    'Creation Time',
    'Updated Time',
  ]);
  // Newest first, as Heat sorts by default.
  assert.deepEqual(names(all), ['ls-bad', 'ls-two', 'ls-one']);
  assert.deepEqual(
    all.map((s) => s['Stack Status']),
    ['CREATE_FAILED', 'CREATE_COMPLETE', 'CREATE_COMPLETE'],
  );

  assert.deepEqual(names(await cli.json(['stack', 'list', '--property', 'status=FAILED'])), [
    'ls-bad',
  ]);
  assert.deepEqual(names(await cli.json(['stack', 'list', '--property', 'name=ls-two'])), [
    'ls-two',
  ]);
  assert.deepEqual(names(await cli.json(['stack', 'list', '--tags', 'a,b'])), ['ls-one']);
  assert.deepEqual(names(await cli.json(['stack', 'list', '--tags', 'a,b', '--tag-mode', 'any'])), [
    'ls-two',
    'ls-one',
  ]);
  assert.deepEqual(names(await cli.json(['stack', 'list', '--tags', 'a', '--tag-mode', 'not'])), [
    'ls-bad',
    'ls-two',
  ]);
  assert.deepEqual(names(await cli.json(['stack', 'list', '--sort', 'stack_name:asc'])), [
    'ls-bad',
    'ls-one',
    'ls-two',
  ]);
  const first = await cli.json<Row[]>(['stack', 'list', '--limit', '1']);
  assert.deepEqual(names(first), ['ls-bad']);
  const next = await cli.json<Row[]>(['stack', 'list', '--limit', '2', '--marker', first[0]!.ID]);
  assert.deepEqual(names(next), ['ls-two', 'ls-one']);
  const short = await cli.json<Row[]>(['stack', 'list', '--short']);
  assert.deepEqual(Object.keys(short[0]!), ['ID', 'Stack Name', 'Stack Status']);

  // --long asks for every project's stacks (global_tenant): refused to a project member.
  const long = await cli.run(['stack', 'list', '--long']);
  assert.equal(long.code, 1);
  assert.equal(long.stderr.trim(), 'ERROR: Access was denied to this resource.');
  const admin = await cli.json<Row[]>(['stack', 'list', '--all-projects'], { admin: true });
  assert.deepEqual(Object.keys(admin[0]!), [
    'ID',
    'Stack Name',
    'Project',
    'Stack Status',
    'Creation Time',
    'Updated Time',
  ]);
  assert.deepEqual(names(admin), ['ls-bad', 'ls-two', 'ls-one']);
  assert.match(admin[0]!.Project, /^[0-9a-f]{32}$/);
  const adminLong = await cli.json<Row[]>(['stack', 'list', '--long'], { admin: true });
  assert.equal(adminLong[0]!['Stack Owner'], 'demo');
  // An admin (context is_admin) lists every project's stacks even without global_tenant.
  const plain = await cli.json<Row[]>(['stack', 'list'], { admin: true });
  assert.deepEqual(names(plain), ['ls-bad', 'ls-two', 'ls-one']);
  assert.ok('Project' in plain[0]!);
});

test('stack delete --wait -y, stack list --deleted, and the texts for unknown stacks', async () => {
  const tiny = cli.file('tiny-del.yaml', TINY);
  const { stack } = await cli.createWaiting(['stack', 'create', '-t', tiny, 'del-one']);
  await cli.createWaiting(['stack', 'create', '-t', tiny, 'del-two']);
  // --wait polls the stack's events until its name no longer resolves: a delete this quick
  // may be over before the first poll, so the lines printed are some prefix of these.
  const out = await cli.ok(['stack', 'delete', '--wait', '-y', 'del-one']);
  const expected = [
    '[del-one]: DELETE_IN_PROGRESS  Stack DELETE started',
    '[del-one.r]: DELETE_IN_PROGRESS  state changed',
    '[del-one.r]: DELETE_COMPLETE  state changed',
    '[del-one]: DELETE_COMPLETE  Stack DELETE completed successfully',
  ];
  const lines = eventLines(out);
  assert.deepEqual(lines, expected.slice(0, lines.length));
  const events = eventLines(await cli.ok(['stack', 'event', 'list', stack.id]));
  assert.deepEqual(events.slice(-4), expected);
  assert.equal(
    (await cli.run(['stack', 'show', 'del-one'])).stderr.trim(),
    'Stack not found: del-one',
  );
  assert.ok(!names(await cli.json(['stack', 'list'])).includes('del-one'));
  const deleted = await cli.json<Row[]>(['stack', 'list', '--deleted']);
  const gone = deleted.find((s) => s.ID === stack.id)!;
  assert.equal(gone['Stack Status'], 'DELETE_COMPLETE');
  assert.match(gone['Deletion Time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // The stack is still shown by id, DELETE_COMPLETE, as Heat shows a deleted stack.
  const byId = await cli.json(['stack', 'show', stack.id]);
  assert.equal(byId.stack_status, 'DELETE_COMPLETE');

  // Without --wait the delete returns at once; one unknown name fails the command.
  const mixed = await cli.run(['stack', 'delete', '-y', 'del-two', 'del-nope']);
  assert.equal(mixed.code, 1);
  // heatclient prints the miss on stdout, and fails the command with the count on stderr.
  assert.equal(mixed.stdout.trim(), 'Stack not found: del-nope');
  assert.equal(mixed.stderr.trim(), 'Unable to delete 1 of the 2 stacks.');
  await until(async () => !names(await cli.json(['stack', 'list'])).includes('del-two'));
});

test('stack list --nested shows nested stacks with their parent', async (t) => {
  const parent = cli.file(
    'parent.yaml',
    `heat_template_version: 2016-10-14
resources:
  group:
    type: OS::Heat::ResourceGroup
    properties:
      count: 2
      resource_def:
        type: OS::Heat::RandomString
`,
  );
  const created = await cli.run(['stack', 'create', '-t', parent, '--wait', 'nest-parent']);
  if (created.code !== 0 && /ResourceGroup/.test(created.stderr)) {
    t.skip('OS::Heat::ResourceGroup is not on main yet');
    return;
  }
  assert.equal(created.code, 0, created.stderr);
  const top = await cli.json<Row[]>(['stack', 'list']);
  assert.ok(names(top).includes('nest-parent'));
  assert.ok(!names(top).some((n) => n.startsWith('nest-parent-group-')));
  const nested = await cli.json<Row[]>(['stack', 'list', '--nested']);
  const child = nested.find((s) => String(s['Stack Name']).startsWith('nest-parent-group-'))!;
  assert.ok(child, JSON.stringify(nested));
  const parentId = nested.find((s) => s['Stack Name'] === 'nest-parent')!.ID;
  assert.equal(child.Parent, parentId);
  const depth = await cli.json<Row[]>([
    'stack',
    'resource',
    'list',
    '--nested-depth',
    '1',
    'nest-parent',
  ]);
  assert.equal(depth.filter((r) => r.resource_type === 'OS::Heat::RandomString').length, 2);
  assert.ok(depth.every((r) => typeof r.stack_name === 'string'));
  await settled(cli, 'nest-parent');
});

async function until(probe: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail('timed out');
}
