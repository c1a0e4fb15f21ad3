// The qemu compute driver end to end through Debian's openstack CLI: pocketstack serve
// --compute-driver qemu puts the tiny image in Glance, a server boots it and prints its ready
// line on the console, stop ends its QEMU, start boots it again (port 22 now also on its
// floating IP), a live image snapshot carries a marker written over ssh into a second server,
// which powers itself off (SHUTOFF), and delete ends the QEMUs. The whole test holds the shared
// bench lock: the server's accelerator probe and every boot run inside it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openstackJson, openstackOk } from '../helpers/server.js';
import {
  READY,
  consoleHas,
  createServer,
  isQemu,
  qemuPid,
  skip,
  sshPort,
  status,
  useDriverBench,
} from './driver-kit.js';
import { guestSsh } from './guest-kit.js';

const bench = useDriverBench();

test(
  'qemu driver: boot, console, stop, start, live snapshot with a marker, delete',
  { skip },
  async () => {
    const s = bench.server!;
    const keyFile = bench.keyFile;
    const images = await openstackJson<{ Name: string }[]>(s, ['image', 'list']);
    const names = images.map((i) => i.Name).sort();
    for (const n of ['pocketstack-tiny', 'pocketstack-tiny-kernel', 'pocketstack-tiny-ramdisk'])
      assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const tiny = await openstackJson<{ properties: Record<string, string>; disk_format: string }>(
      s,
      ['image', 'show', 'pocketstack-tiny'],
    );
    assert.equal(tiny.disk_format, 'qcow2');
    assert.ok(tiny.properties.kernel_id && tiny.properties.ramdisk_id);

    const started = Date.now();
    const vm1 = await createServer(s, 'vm1');
    assert.equal(vm1.status, 'ACTIVE');
    const activeMs = Date.now() - started;
    const first = await consoleHas(s, 'vm1', READY);
    assert.match(first, /ready hostname=vm1 ip=10\.0\.0\.\d+ ssh=22 user=cirros/);
    console.log(`# vm1 ACTIVE in ${activeMs} ms, ready in ${Date.now() - started} ms`);

    // The marker goes in over ssh, through the guest's forwarded port 22.
    const marker = `marker-${Date.now()}`;
    const wrote = await guestSsh(
      keyFile,
      sshPort(s, vm1.id),
      'cirros',
      `echo ${marker} > marker; sync; cat marker`,
    );
    assert.equal(wrote.trim(), marker);

    // A floating IP (in 127.100.0.0/24, local without configuration) forwards port 22 from the
    // next boot on.
    const fip = await openstackJson<{ floating_ip_address: string }>(s, [
      'floating',
      'ip',
      'create',
      'ext-net',
    ]);
    await openstackOk(s, ['server', 'add', 'floating', 'ip', 'vm1', fip.floating_ip_address]);

    const pid1 = qemuPid(s, vm1.id);
    assert.ok(pid1 && isQemu(pid1));
    await openstackOk(s, ['server', 'stop', 'vm1']);
    await status(s, 'vm1', 'SHUTOFF');
    assert.equal(isQemu(pid1), false, 'QEMU ended at stop');

    await openstackOk(s, ['server', 'start', 'vm1']);
    await status(s, 'vm1', 'ACTIVE');
    await consoleHas(s, 'vm1', READY, 2);
    const viaFip = await guestSsh(keyFile, 22, 'cirros', 'cat marker', fip.floating_ip_address);
    assert.equal(viaFip.trim(), marker);

    // A live snapshot of the running guest, then a second server from it reads the marker.
    const snap = await openstackJson<{ status: string }>(s, [
      'server',
      'image',
      'create',
      '--wait',
      '--name',
      'snap1',
      'vm1',
    ]);
    assert.equal(snap.status, 'active');
    const ud = path.join(s.dataDir, 'ud.sh');
    fs.writeFileSync(ud, '#!/bin/sh\necho "MARK=$(cat /home/cirros/marker)" > /dev/ttyS0\n');
    const vm2 = await createServer(s, 'vm2', { image: 'snap1', userData: ud });
    assert.equal(vm2.status, 'ACTIVE');
    await consoleHas(s, 'vm2', `MARK=${marker}`);

    // A guest that powers itself off goes to SHUTOFF, as Nova's power-state sync does.
    const port2 = sshPort(s, vm2.id);
    await guestSsh(keyFile, port2, 'cirros', 'sudo poweroff').catch(() => '');
    await status(s, 'vm2', 'SHUTOFF');

    const pids = [qemuPid(s, vm1.id), qemuPid(s, vm2.id)];
    await openstackOk(s, ['server', 'delete', '--wait', 'vm1', 'vm2']);
    for (const pid of pids) assert.ok(pid === null || !isQemu(pid), 'QEMU ended at delete');
  },
);
