import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyQcow2 } from '../../src/blocks/qcow2-create.js';

/** qemu-img itself is the judge: check finds no errors and info reads what was meant. */
test('in-process empty qcow2 images pass qemu-img check, with and without a backing file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-qcow2-'));
  try {
    execFileSync('truncate', ['-s', '100G', path.join(dir, 'base.raw')]);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(dir, 'base.qcow2'), '5T']);
    const cases = [
      { size: 512, backing: undefined },
      { size: 1024 ** 3, backing: undefined },
      { size: 100 * 1024 ** 3, backing: { name: './base.raw', format: 'raw' } },
      // 5 TiB needs an L1 table of more than one cluster.
      { size: 5 * 1024 ** 4, backing: { name: 'base.qcow2', format: 'qcow2' } },
    ];
    for (const { size, backing } of cases) {
      const file = path.join(dir, 'head.qcow2');
      fs.writeFileSync(file, emptyQcow2(size, backing));
      execFileSync('qemu-img', ['check', '-q', file], { cwd: dir });
      const info = JSON.parse(
        execFileSync('qemu-img', ['info', '--output=json', file], { cwd: dir }).toString(),
      );
      assert.equal(info.format, 'qcow2');
      assert.equal(info['virtual-size'], size);
      assert.equal(info['backing-filename'], backing?.name);
      assert.equal(info['backing-filename-format'], backing?.format);
      // Same length as qemu-img's own output for the same arguments.
      const theirs = path.join(dir, 'theirs.qcow2');
      const args = [
        'create',
        '-q',
        '-f',
        'qcow2',
        ...(backing ? ['-u', '-b', backing.name, '-F', backing.format] : []),
        theirs,
        String(size),
      ];
      execFileSync('qemu-img', args, { cwd: dir });
      assert.equal(fs.statSync(file).size, fs.statSync(theirs).size);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
