import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { metaDataJson } from '../../src/compute/qemu/config-drive.js';
import { initramfs } from '../../src/compute/qemu/cpio.js';
import { moduleDepends } from '../../src/compute/qemu/kernel-modules.js';
import { qemuArgs, type QemuLaunch } from '../../src/compute/qemu/qemu-args.js';
import { DEFAULT_USER_NET, userNetFor } from '../../src/compute/qemu/user-net.js';

test('the user network hands the fixed IP out first, its own addresses outside the lease range', () => {
  assert.deepEqual(userNetFor('192.168.7.20', 24, '192.168.7.1'), {
    net: '192.168.7.0/24',
    host: '192.168.7.1',
    dns: '192.168.7.2',
    dhcpStart: '192.168.7.20',
    exact: true,
  });
  // The gateway would be inside the 16 leases from the fixed IP: QEMU's host address moves.
  const near = userNetFor('10.0.0.3', 24, '10.0.0.4');
  assert.equal(near.dhcpStart, '10.0.0.3');
  assert.equal(near.host, '10.0.0.1');
  assert.equal(near.dns, '10.0.0.2');
  assert.equal(userNetFor('10.0.0.2', 24, null).host, '10.0.0.1');
  assert.equal(userNetFor('10.0.0.1', 24, null).host, '10.0.0.17');
});

test('a subnet QEMU cannot place its addresses in falls back to the default user network', () => {
  assert.deepEqual(userNetFor('10.0.0.5', 30, '10.0.0.6'), DEFAULT_USER_NET);
  assert.deepEqual(userNetFor('fd00::5', 64, null), DEFAULT_USER_NET);
  assert.deepEqual(userNetFor('10.0.0.255', 24, null), DEFAULT_USER_NET);
  assert.deepEqual(userNetFor('300.1.1.1', 24, null), DEFAULT_USER_NET);
});

test('the QEMU command line: named block nodes, QMP, serial file, forwards, commas escaped', () => {
  const launch: QemuLaunch = {
    name: 'vm1',
    accel: 'tcg',
    memoryMb: 128,
    vcpus: 1,
    directBoot: { kernel: '/k', initrd: '/i', cmdline: 'console=ttyS0' },
    disks: [{ id: 'vda', path: '/data/a,b.qcow2', readonly: false }],
    configDrive: '/data/cd.iso',
    nics: [
      {
        mac: 'fa:16:3e:00:00:01',
        net: userNetFor('10.1.0.5', 24, '10.1.0.1'),
        forwards: [{ hostAddress: '127.0.0.1', hostPort: 2222, guestPort: 22 }],
      },
    ],
    consoleLog: '/run/console.log',
    qmpSocket: '/run/qmp.sock',
    pidFile: '/run/qemu.pid',
  };
  const args = qemuArgs(launch);
  const after = (flag: string): string[] =>
    args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ''] : []));
  assert.ok(args.includes('-nodefaults'));
  assert.deepEqual(after('-machine'), ['pc,accel=tcg']);
  assert.deepEqual(after('-serial'), ['chardev:serial0']);
  assert.deepEqual(after('-chardev'), ['file,id=serial0,path=/run/console.log,append=on']);
  assert.deepEqual(after('-qmp'), ['unix:/run/qmp.sock,server=on,wait=off']);
  assert.deepEqual(after('-append'), ['console=ttyS0']);
  assert.ok(
    after('-blockdev').includes(
      'driver=file,filename=/data/a,,b.qcow2,node-name=vda-file,read-only=off',
    ),
  );
  assert.ok(after('-device').includes('virtio-blk-pci,drive=vda-qcow2,id=vda'));
  assert.ok(after('-device').includes('ide-cd,drive=config-drive,bus=ide.1,id=config-drive-cd'));
  assert.match(
    after('-netdev')[0] ?? '',
    /dhcpstart=10\.1\.0\.5,.*hostfwd=tcp:127\.0\.0\.1:2222-:22$/,
  );
});

test('the initramfs is a gzipped cpio newc archive ending with its trailer', () => {
  const cpio = gunzipSync(
    initramfs([
      { kind: 'dir', path: 'bin' },
      { kind: 'file', path: 'init', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
      { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
    ]),
  );
  const text = cpio.toString('latin1');
  assert.equal(text.slice(0, 6), '070701');
  assert.equal(cpio.length % 4, 0);
  // init: a regular file, mode 0100755, size 10, its name then its data on 4-byte boundaries.
  const at = text.indexOf('init\0');
  const hdr = text.slice(at - 110, at);
  assert.equal(hdr.slice(14, 22), (0o100755).toString(16).padStart(8, '0'));
  assert.equal(parseInt(hdr.slice(54, 62), 16), 10);
  assert.ok(text.includes('busybox'));
  assert.ok(text.includes('TRAILER!!!\0'));
});

test("a module's dependencies come from its .modinfo", () => {
  const ko = Buffer.from('\x7fELF...\0license=GPL\0depends=virtio,virtio_ring\0name=virtio_blk\0');
  assert.deepEqual(moduleDepends(ko), ['virtio', 'virtio_ring']);
  assert.deepEqual(moduleDepends(Buffer.from('\0depends=\0name=x\0')), []);
});

test("the config drive's meta_data.json has Nova's fields", () => {
  const md = JSON.parse(
    metaDataJson({
      uuid: 'u-1',
      name: 'vm 1',
      hostname: 'vm-1',
      publicKeys: { k1: 'ssh-ed25519 AAAA x\n' },
      meta: { a: 'b' },
      userData: null,
    }),
  ) as Record<string, unknown>;
  assert.equal(md.uuid, 'u-1');
  assert.equal(md.hostname, 'vm-1');
  assert.deepEqual(md.public_keys, { k1: 'ssh-ed25519 AAAA x\n' });
  assert.deepEqual(md.keys, [{ name: 'k1', type: 'ssh', data: 'ssh-ed25519 AAAA x\n' }]);
  assert.deepEqual(md.meta, { a: 'b' });
});
