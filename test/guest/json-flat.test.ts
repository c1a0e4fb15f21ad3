// The guest's JSON flattener (guest-scripts.ts JSON_FLAT) run by the same busybox awk the guest
// runs, on meta_data.json as Nova and pocketstack write it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { metaDataJson } from '../../src/compute/qemu/config-drive.js';
import { unpackedPackage } from '../../src/compute/qemu/debian-package.js';
import { JSON_FLAT } from '../../src/compute/qemu/guest-scripts.js';
import { guestCacheDir } from './guest-kit.js';

// The guest's busybox: Debian's busybox-static unpacked into the guest cache, not installed.
const BUSYBOX = await unpackedPackage(guestCacheDir(), 'busybox-static')
  .then((p) => path.join(p.root, 'bin', 'busybox'))
  .catch(() => '');
const skip = BUSYBOX
  ? false
  : 'busybox-static cannot be fetched: apt-get update is needed once (the guest image needs it)';

function flat(json: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-json-flat-'));
  try {
    fs.writeFileSync(path.join(dir, 'flat.awk'), JSON_FLAT);
    fs.writeFileSync(path.join(dir, 'in.json'), json);
    const out = execFileSync(BUSYBOX, ['awk', '-f', 'flat.awk', 'in.json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return out.split('\n').filter(Boolean);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('meta_data.json flattens to the lines the boot script reads', { skip }, () => {
  const lines = flat(
    metaDataJson({
      uuid: 'u-1',
      name: 'vm "one"',
      hostname: 'vm-1',
      publicKeys: { k1: 'ssh-ed25519 AAAAC3 a@b\n', 'k 2': 'ssh-rsa AAAAB3 c@d\n' },
      meta: { path: 'a\\b/c', n: '1' },
      userData: null,
    }),
  );
  assert.ok(lines.includes('uuid\tu-1'));
  assert.ok(lines.includes('hostname\tvm-1'));
  assert.ok(lines.includes('name\tvm "one"'));
  assert.ok(lines.includes('public_keys/k1\tssh-ed25519 AAAAC3 a@b'));
  assert.ok(lines.includes('public_keys/k 2\tssh-rsa AAAAB3 c@d'));
  assert.ok(lines.includes('keys/0/name\tk1'));
  assert.ok(lines.includes('meta/path\ta\\b/c'));
  assert.ok(lines.includes('launch_index\t0'));
});

test('nesting, arrays, literals and unicode escapes', { skip }, () => {
  const lines = flat('{"a": [1, true, null, {"b": "x\\u00e9y"}], "c": {"d": {"e": -2.5e3}}}');
  assert.deepEqual(lines, ['a/0\t1', 'a/1\ttrue', 'a/2\tnull', 'a/3/b\tx?y', 'c/d/e\t-2.5e3']);
});
