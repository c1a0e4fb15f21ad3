import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { assertFault, testApp, type TestApp } from '../helpers/app.js';
import { fingerprint } from '../../src/services/compute/key-material.js';

let t: TestApp;
let demo: Record<string, string>;
let admin: Record<string, string>;
let demoUser: string;
let demoProject: string;
const c = '/compute/v2.1';
before(async () => {
  t = await testApp();
  demo = { 'x-auth-token': await t.token('demo') };
  admin = { 'x-auth-token': await t.token('admin') };
  demoUser = (await t.app.identity.directory.findUser('demo', 'default')).id;
  demoProject = (await t.app.identity.directory.findProject('demo', 'default')).id;
});
after(() => t.close());

const mv = (version: string) => ({ 'openstack-api-version': `compute ${version}` });
const create = (keypair: Record<string, unknown>, headers = demo) =>
  t.inject({ method: 'POST', url: `${c}/os-keypairs`, headers, payload: { keypair } });

test('generated key pairs: status codes, fields and type by microversion; 2.92 needs a public key', async () => {
  const old = await create({ name: 'gen-21' });
  assert.equal(old.statusCode, 200);
  const kp = old.json().keypair;
  assert.match(kp.private_key, /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.match(kp.public_key, /^ssh-rsa AAAA\S+ Generated-by-Nova$/);
  assert.equal(kp.fingerprint, fingerprint('ssh', kp.public_key));
  assert.equal(kp.user_id, demoUser);
  assert.ok(!('type' in kp));
  const v22 = await create({ name: 'gen-22' }, { ...demo, ...mv('2.2') });
  assert.equal(v22.statusCode, 201);
  assert.equal(v22.json().keypair.type, 'ssh');
  assertFault(
    await create({ name: 'gen-292' }, { ...demo, ...mv('2.92') }),
    400,
    'badRequest',
    /'public_key' is a required property/,
  );

  const shown = (
    await t.inject({ method: 'GET', url: `${c}/os-keypairs/gen-21`, headers: demo })
  ).json().keypair;
  assert.equal(shown.deleted, false);
  assert.equal(typeof shown.id, 'number');
  assert.ok(!('private_key' in shown));
  assert.equal(
    (await t.inject({ method: 'DELETE', url: `${c}/os-keypairs/gen-21`, headers: demo }))
      .statusCode,
    202,
  );
  assert.equal(
    (
      await t.inject({
        method: 'DELETE',
        url: `${c}/os-keypairs/gen-22`,
        headers: { ...demo, ...mv('2.2') },
      })
    ).statusCode,
    204,
  );
  assertFault(
    await t.inject({ method: 'DELETE', url: `${c}/os-keypairs/gen-22`, headers: demo }),
    404,
    'itemNotFound',
    `Keypair gen-22 not found for user ${demoUser}`,
  );
});

test("imported keys are checked as keys; names follow Nova's rules; a name is taken once per user", async () => {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(jwk.x!, 'base64url');
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const pub = `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')} me@here`;
  const made = await create({ name: 'imported', public_key: pub });
  assert.equal(made.statusCode, 200, made.body);
  assert.ok(!('private_key' in made.json().keypair));
  const invalid = 'Keypair data is invalid: failed to generate fingerprint';
  for (const bad of [
    'ssh-rsa JUNK nova@ubuntu',
    ' ',
    `ssh-rsa ${'A'.repeat(2048)} x`,
    pub.replace('ssh-ed25519 ', 'ssh-rsa '),
  ]) {
    assertFault(await create({ name: 'bad', public_key: bad }), 400, 'badRequest', invalid);
  }
  for (const name of ['', 'k'.repeat(256), 'key_/.\\@:', ' lead'])
    assertFault(
      await create({ name, public_key: pub }),
      400,
      'badRequest',
      /field\/attribute name/,
    );
  assert.equal(
    (await create({ name: 'me@host.name', public_key: pub }, { ...demo, ...mv('2.92') }))
      .statusCode,
    201,
  );
  assertFault(
    await create({ name: 'imported', public_key: pub }),
    409,
    'conflictingRequest',
    "Key pair 'imported' already exists.",
  );
  assert.equal(
    (await create({ name: 'imported', public_key: pub }, admin)).statusCode,
    200,
    'another user may use the name',
  );
});

test('admins act for another user from 2.10; members may not; paging from 2.35', async () => {
  const v210 = { ...admin, ...mv('2.10') };
  const made = await t.inject({
    method: 'POST',
    url: `${c}/os-keypairs`,
    headers: v210,
    payload: { keypair: { name: 'for-demo', user_id: demoUser } },
  });
  assert.equal(made.statusCode, 201, made.body);
  assert.equal(made.json().keypair.user_id, demoUser);
  const names = (await t.inject({ method: 'GET', url: `${c}/os-keypairs`, headers: demo }))
    .json()
    .keypairs.map((k: any) => k.keypair.name);
  assert.ok(names.includes('for-demo'));
  assertFault(
    await t.inject({
      method: 'GET',
      url: `${c}/os-keypairs?user_id=someone`,
      headers: { ...demo, ...mv('2.10') },
    }),
    403,
    'forbidden',
  );
  const page = await t.inject({
    method: 'GET',
    url: `${c}/os-keypairs?limit=1&marker=for-demo`,
    headers: { ...demo, ...mv('2.35') },
  });
  assert.deepEqual(
    page.json().keypairs.map((k: any) => k.keypair.name),
    ['imported'],
    'the name after for-demo',
  );
  assertFault(
    await t.inject({
      method: 'GET',
      url: `${c}/os-keypairs?marker=nope`,
      headers: { ...demo, ...mv('2.35') },
    }),
    400,
    'badRequest',
    'Marker nope could not be found.',
  );
});

test('the key_pairs quota: counted per user, passing it is a 403', async () => {
  const put = await t.inject({
    method: 'PUT',
    url: `${c}/os-quota-sets/${demoProject}?user_id=${demoUser}`,
    headers: admin,
    payload: { quota_set: { key_pairs: 1, force: true } },
  });
  assert.equal(put.statusCode, 200, put.body);
  assertFault(
    await create({ name: 'one-too-many' }),
    403,
    'forbidden',
    'Quota exceeded, too many key pairs.',
  );
  const detail = (
    await t.inject({
      method: 'GET',
      url: `${c}/os-quota-sets/${demoProject}/detail?user_id=${demoUser}`,
      headers: admin,
    })
  ).json().quota_set;
  assert.equal(detail.key_pairs.in_use, 3, 'imported, me@host.name and for-demo');
  await t.inject({
    method: 'DELETE',
    url: `${c}/os-quota-sets/${demoProject}?user_id=${demoUser}`,
    headers: admin,
  });
});
