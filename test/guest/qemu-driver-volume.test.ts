// Volumes and the qemu driver through the openstack CLI: `server add volume` hot-plugs the
// volume into the running guest (a new virtio disk it writes to over ssh), `server remove
// volume` unplugs it, and a second guest the volume is attached to reads the same bytes. Holds
// the shared bench lock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningServer } from '../helpers/server.js';
import { openstackOk } from '../helpers/server.js';
import { bootReady, skip, status, until, useDriverBench } from './driver-kit.js';
import { guestSsh } from './guest-kit.js';

const bench = useDriverBench();

function volumeStatus(s: RunningServer, want: string): Promise<string> {
  return status(s, 'data', want, 'volume');
}

test(
  'a volume hot-plugged into one guest, written, unplugged, read by another',
  { skip },
  async () => {
    const s = bench.server!;
    const keyFile = bench.keyFile;
    const p1 = await bootReady(s, 'w1');
    await openstackOk(s, ['volume', 'create', '--size', '1', 'data']);
    await volumeStatus(s, 'available');
    await openstackOk(s, ['server', 'add', 'volume', 'w1', 'data']);
    await volumeStatus(s, 'in-use');
    const marker = `vol-${Date.now()}`;
    const seen = await until('vdb in w1', async () => {
      const out = await guestSsh(keyFile, p1, 'cirros', 'ls /dev/vdb 2>/dev/null || true');
      return out.includes('/dev/vdb') ? out : undefined;
    });
    assert.match(seen, /\/dev\/vdb/);
    await guestSsh(
      keyFile,
      p1,
      'cirros',
      `echo ${marker} | sudo dd of=/dev/vdb conv=fsync 2>/dev/null`,
    );
    await openstackOk(s, ['server', 'remove', 'volume', 'w1', 'data']);
    await volumeStatus(s, 'available');
    const gone = await guestSsh(keyFile, p1, 'cirros', 'ls /dev/vdb 2>/dev/null || echo gone');
    assert.match(gone, /gone/);

    const p2 = await bootReady(s, 'w2');
    await openstackOk(s, ['server', 'add', 'volume', 'w2', 'data']);
    await volumeStatus(s, 'in-use');
    const read = await until('the marker on w2', async () => {
      const out = await guestSsh(
        keyFile,
        p2,
        'cirros',
        'sudo head -c 64 /dev/vdb 2>/dev/null || true',
      );
      return out.includes(marker) ? out : undefined;
    });
    assert.ok(read.includes(marker));
    await openstackOk(s, ['server', 'delete', '--wait', 'w1', 'w2']);
  },
);
