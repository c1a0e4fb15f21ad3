import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, type RunningServer } from '../helpers/server.js';
import {
  background,
  eventLines,
  heatCli,
  settled,
  splitWaited,
  until,
  type HeatCli,
  type Row,
} from '../helpers/heat-cli.js';

/**
 * Stack actions on a real server through Debian's CLI (suspend/resume: the server SUSPENDED,
 * then ACTIVE) and `stack event list --follow` while a stack creates.
 */
let server: RunningServer;
let cli: HeatCli;

before(async () => {
  server = await startServer();
  cli = heatCli(server, 'heat-cli-actions');
});
after(async () => {
  await server?.stop();
  fs.rmSync(cli.dir, { recursive: true, force: true });
});

const physical = async (stack: string, res: string) =>
  (await cli.json(['stack', 'resource', 'show', stack, res])).physical_resource_id as string;

test('stack suspend/resume: the server SUSPENDED, then ACTIVE again', async () => {
  const base = cli.file('base.raw', '\x11'.repeat(1024 * 1024));
  await cli.json(
    [
      'image',
      'create',
      '--disk-format',
      'raw',
      '--container-format',
      'bare',
      '--file',
      base,
    ].concat(['up-image']),
  );
  const t = cli.file(
    'server.yaml',
    `heat_template_version: 2018-08-31
resources:
  vm:
    type: OS::Nova::Server
    properties:
      image: up-image
      flavor: m1.small
      networks: [{network: private}]
`,
  );
  await cli.createWaiting(['stack', 'create', '-t', t, 'up-server']);
  const vm = await physical('up-server', 'vm');
  const suspended = splitWaited(
    await cli.ok(['stack', 'suspend', '--wait', '-f', 'json', 'up-server']),
  );
  assert.deepEqual(eventLines(suspended.events), [
    '[up-server]: SUSPEND_IN_PROGRESS  Stack SUSPEND started',
    '[up-server.vm]: SUSPEND_IN_PROGRESS  state changed',
    '[up-server.vm]: SUSPEND_COMPLETE  state changed',
    '[up-server]: SUSPEND_COMPLETE  Stack SUSPEND completed successfully',
  ]);
  assert.equal((await cli.json(['server', 'show', vm])).status, 'SUSPENDED');
  const resumed = await cli.json<Row[]>(['stack', 'resume', 'up-server']);
  assert.match(resumed[0]!['Stack Status'], /^RESUME_(IN_PROGRESS|COMPLETE)$/);
  assert.equal((await settled(cli, 'up-server')).stack_status, 'RESUME_COMPLETE');
  assert.equal((await cli.json(['server', 'show', vm])).status, 'ACTIVE');
  const shown = await cli.json(['stack', 'show', 'up-server']);
  assert.equal(shown.stack_status, 'RESUME_COMPLETE');
});

test('stack event list --follow prints events as a stack creates, until interrupted', async () => {
  const t = cli.file(
    'follow.yaml',
    `heat_template_version: 2016-10-14
resources:
  first:
    type: OS::Heat::TestResource
    properties: {action_wait_secs: {create: 3}}
  second:
    type: OS::Heat::TestResource
    depends_on: first
`,
  );
  await cli.ok(['stack', 'create', '-t', t, 'up-follow']);
  // heatclient's --follow loops every 5 s until Ctrl-C: it never ends by itself.
  const follow = background(server, ['stack', 'event', 'list', '--follow', 'up-follow']);
  const done = await settled(cli, 'up-follow');
  assert.equal(done.stack_status, 'CREATE_COMPLETE');
  await until('the last event printed', async () =>
    /CREATE_COMPLETE {2}Stack CREATE completed successfully/.test(follow.output())
      ? true
      : undefined,
  );
  const { code, stdout } = await follow.stop();
  assert.equal(code, 0);
  assert.deepEqual(eventLines(stdout), [
    '[up-follow]: CREATE_IN_PROGRESS  Stack CREATE started',
    '[up-follow.first]: CREATE_IN_PROGRESS  state changed',
    '[up-follow.first]: CREATE_COMPLETE  state changed',
    '[up-follow.second]: CREATE_IN_PROGRESS  state changed',
    '[up-follow.second]: CREATE_COMPLETE  state changed',
    '[up-follow]: CREATE_COMPLETE  Stack CREATE completed successfully',
  ]);
});
