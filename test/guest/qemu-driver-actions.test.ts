// Server actions on a real guest through the openstack CLI: pause and unpause, suspend and
// resume (a pause here: QEMU has no managed save without libvirt), reboot --hard (system_reset)
// and a soft reboot (ACPI power-off and a new boot); the states follow and the guest answers ssh
// after each. Holds the shared bench lock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openstackJson, openstackOk } from '../helpers/server.js';
import {
  READY,
  bootReady,
  consoleHas,
  skip,
  sshPort,
  status,
  useDriverBench,
} from './driver-kit.js';
import { guestSsh } from './guest-kit.js';

const bench = useDriverBench();

test('pause, suspend, hard and soft reboot act on the real guest', { skip }, async () => {
  const s = bench.server!;
  await bootReady(s, 'a1');
  const { id } = await openstackJson<{ id: string }>(s, ['server', 'show', 'a1']);
  const echo = (): Promise<string> => guestSsh(bench.keyFile, sshPort(s, id), 'cirros', 'echo up');
  const settle = (want: string): Promise<string> => status(s, 'a1', want);

  await openstackOk(s, ['server', 'pause', 'a1']);
  await settle('PAUSED');
  await openstackOk(s, ['server', 'unpause', 'a1']);
  await settle('ACTIVE');
  assert.equal((await echo()).trim(), 'up');

  await openstackOk(s, ['server', 'suspend', 'a1']);
  await settle('SUSPENDED');
  await openstackOk(s, ['server', 'resume', 'a1']);
  await settle('ACTIVE');
  assert.equal((await echo()).trim(), 'up');

  await openstackOk(s, ['server', 'reboot', '--hard', 'a1']);
  await settle('ACTIVE');
  await consoleHas(s, 'a1', READY, 2);
  await openstackOk(s, ['server', 'reboot', 'a1']);
  await settle('ACTIVE');
  await consoleHas(s, 'a1', READY, 3);
  assert.equal((await echo()).trim(), 'up');
  await openstackOk(s, ['server', 'delete', '--wait', 'a1']);
});
