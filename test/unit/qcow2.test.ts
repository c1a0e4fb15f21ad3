import { test } from 'node:test';
import assert from 'node:assert/strict';
import { virtualSize } from '../../src/blocks/qcow2.js';

function qcow2Header(size: bigint, version = 3): Buffer {
  const b = Buffer.alloc(512);
  b.writeUInt32BE(0x514649fb, 0);
  b.writeUInt32BE(version, 4);
  b.writeBigUInt64BE(size, 24);
  return b;
}

test('qcow2 virtual size comes from the header', () => {
  assert.equal(virtualSize('qcow2', qcow2Header(10n * 1024n ** 3n), 196_624), 10 * 1024 ** 3);
  assert.equal(virtualSize('qcow2', qcow2Header(1024n, 2), 512), 1024);
});

test('raw virtual size is the file size', () => {
  assert.equal(virtualSize('raw', Buffer.from('abc'), 3), 3);
});

test('data that is not what its format claims has no virtual size', () => {
  assert.equal(
    virtualSize('qcow2', Buffer.from('not a qcow2 header at all, just some bytes'), 42),
    null,
  );
  assert.equal(virtualSize('qcow2', qcow2Header(1n, 7), 512), null);
  assert.equal(virtualSize('vmdk', Buffer.alloc(512), 512), null);
});
