import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch } from '../../src/services/image/patch.js';
import { parsePatch, PATCH_V20, PATCH_V21 } from '../../src/services/image/routes/patch-body.js';
import type { Image } from '../../src/services/image/model.js';
import type { RequestContext } from '../../src/context.js';
import { BadRequest, Conflict, Forbidden, UnsupportedMediaType } from '../../src/errors.js';

const member: RequestContext = {
  requestId: 'req-1',
  userId: 'u',
  userName: 'demo',
  userDomainId: 'default',
  projectId: 'p',
  projectName: 'demo',
  domainId: 'default',
  roles: ['member', 'reader'],
  isAdmin: false,
  token: 't',
};

function image(): Image {
  return {
    row: {
      id: '00000000-0000-4000-8000-000000000000',
      name: 'a',
      status: 'queued',
      visibility: 'shared',
      protected: 0,
      os_hidden: 0,
      checksum: null,
      os_hash_algo: null,
      os_hash_value: null,
      owner: 'p',
      size: null,
      virtual_size: null,
      container_format: null,
      disk_format: null,
      min_disk: 0,
      min_ram: 0,
      file_id: null,
      created_at: '',
      updated_at: '',
    },
    properties: { color: 'red' },
    tags: [],
  };
}

test('only the two json-patch media types are accepted', () => {
  assert.throws(() => parsePatch('application/json', []), UnsupportedMediaType);
  assert.equal(parsePatch(PATCH_V21, []).v20, false);
  assert.equal(parsePatch(`${PATCH_V20}; charset=utf-8`, []).v20, true);
});

test('v2.0 bodies name the operation as the key', () => {
  const { ops } = parsePatch(PATCH_V20, [{ replace: '/name', value: 'b' }]);
  assert.deepEqual(ops, [{ op: 'replace', name: 'name', value: 'b' }]);
});

test('add overwrites under v2.1 and conflicts under v2.0', () => {
  const { ops } = parsePatch(PATCH_V21, [{ op: 'add', path: '/color', value: 'blue' }]);
  assert.equal(applyPatch(member, image(), ops, false).properties.color, 'blue');
  assert.throws(() => applyPatch(member, image(), ops, true), Conflict);
});

test('replace or remove of a missing property is a 409', () => {
  const { ops } = parsePatch(PATCH_V21, [{ op: 'remove', path: '/shape' }]);
  assert.throws(() => applyPatch(member, image(), ops, false), /Property shape does not exist/);
});

test('read-only, reserved and base properties are guarded', () => {
  const apply = (o: object) => applyPatch(member, image(), parsePatch(PATCH_V21, [o]).ops, false);
  assert.throws(() => apply({ op: 'replace', path: '/status', value: 'active' }), Forbidden);
  assert.throws(() => apply({ op: 'add', path: '/os_glance_x', value: '1' }), /reserved/);
  assert.throws(() => apply({ op: 'remove', path: '/name' }), /may not be removed/);
  assert.throws(
    () => apply({ op: 'replace', path: '/visibility', value: 'public' }),
    /publicize_image/,
  );
  assert.throws(() => apply({ op: 'replace', path: '/owner', value: 'other' }), Forbidden);
  assert.throws(() => apply({ op: 'add', path: '/color', value: 5 }), /is not of type 'string'/);
});

test('JSON pointer escapes are honoured', () => {
  const next = applyPatch(
    member,
    image(),
    parsePatch(PATCH_V21, [{ op: 'add', path: '/a~1b~0c', value: 'v' }]).ops,
    false,
  );
  assert.equal(next.properties['a/b~c'], 'v');
});

test('pointers as Glance validates them, with its texts', () => {
  const path = (p: unknown) => () => parsePatch(PATCH_V21, [{ op: 'add', path: p, value: 'v' }]);
  const bad = (p: unknown, message: string) =>
    assert.throws(path(p), (e: Error) => e instanceof BadRequest && e.message === message);
  bad('name', 'Pointer `name` does not start with "/".');
  bad('/a//b', 'Pointer `/a//b` contains adjacent "/".');
  bad('/a/', 'Pointer `/a/` end with "/".');
  bad('/a~2', 'Pointer `/a~2` contains "~" not part of a recognized escape sequence.');
  bad('/a/b', "Invalid JSON pointer for this resource: '/a/b'");
  bad({ toString: 'x' }, "Pointer `{'toString': 'x'}` does not start with \"/\".");
  assert.throws(
    () => parsePatch(PATCH_V21, [{ op: { toString: 'x' }, path: '/a', value: 'v' }]),
    (e: Error) =>
      e.message ===
      "Invalid operation: `{'toString': 'x'}`. It must be one of the following: add, remove, replace.",
  );
});

test('a property named like a prototype member is an ordinary property', () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const { ops } = parsePatch(PATCH_V21, [{ op: 'add', path: `/${name}`, value: 'v' }]);
    const next = applyPatch(member, image(), ops, false);
    assert.equal(Object.getOwnPropertyDescriptor(next.properties, name)?.value, 'v');
  }
});
