// After a kill -9 of pocketstack with the qemu driver: its guest's QEMU is gone with it
// (pdeathsig), and the restarted pocketstack boots the server recorded RUNNING again, which
// prints its ready line anew; a server recorded SHUTOFF stays off. Holds the shared bench lock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openstackJson, openstackOk, startServer } from '../helpers/server.js';
import {
  DRIVER_ENV,
  READY,
  consoleHas,
  createServer,
  isQemu,
  qemuPid,
  skip,
  status,
  until,
  useDriverBench,
} from './driver-kit.js';

const bench = useDriverBench({ keyPair: false });

test(
  'kill -9 and restart: the RUNNING guest boots again, the SHUTOFF one stays off',
  { skip },
  async () => {
    let s = bench.server!;
    const create = (name: string) => createServer(s, name, { keyName: null });
    const up = await create('up');
    const down = await create('down');
    await consoleHas(s, 'up', READY, 1);
    await consoleHas(s, 'down', READY, 1);
    await openstackOk(s, ['server', 'stop', 'down']);
    await status(s, 'down', 'SHUTOFF');

    const pid = qemuPid(s, up.id);
    assert.ok(pid !== null && isQemu(pid));
    await s.stop('SIGKILL');
    await until('the QEMU to end with its parent', () =>
      Promise.resolve(isQemu(pid) ? undefined : true),
    );

    s = bench.server = await startServer({ dataDir: s.dataDir, env: DRIVER_ENV });
    const again = await openstackJson<{ status: string; 'OS-EXT-STS:power_state': number }>(s, [
      'server',
      'show',
      'up',
    ]);
    assert.equal(again.status, 'ACTIVE');
    assert.equal(again['OS-EXT-STS:power_state'], 1); // Running
    await consoleHas(s, 'up', READY, 2);
    const pid2 = qemuPid(s, up.id);
    assert.ok(pid2 !== null && pid2 !== pid && isQemu(pid2));

    const off = await openstackJson<{ status: string }>(s, ['server', 'show', 'down']);
    assert.equal(off.status, 'SHUTOFF');
    assert.equal(qemuPid(s, down.id), null);
    await openstackOk(s, ['server', 'delete', '--wait', 'up', 'down']);
    assert.equal(isQemu(pid2), false);
  },
);
