import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { assertFault, passwordAuth, useApp } from '../helpers/app.js';
import { fingerprint } from '../../src/services/compute/key-material.js';

const app = useApp();
const c = '/compute/v2.1';
const demoUser = async () => (await app.t.app.identity.userByName('demo', 'default')).id;

const mv = (version: string) => ({ 'openstack-api-version': `compute ${version}` });
const create = (keypair: Record<string, unknown>, headers = app.demo) =>
  app.t.inject({ method: 'POST', url: `${c}/os-keypairs`, headers, payload: { keypair } });

test('generated key pairs: status codes, fields and type by microversion; 2.92 needs a public key', async () => {
  const old = await create({ name: 'gen-21' });
  assert.equal(old.statusCode, 200);
  const kp = old.json().keypair;
  assert.match(kp.private_key, /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.match(kp.public_key, /^ssh-rsa AAAA\S+ Generated-by-Nova$/);
  assert.equal(kp.fingerprint, fingerprint('ssh', kp.public_key));
  assert.equal(kp.user_id, await demoUser());
  assert.ok(!('type' in kp));
  const v22 = await create({ name: 'gen-22' }, { ...app.demo, ...mv('2.2') });
  assert.equal(v22.statusCode, 201);
  assert.equal(v22.json().keypair.type, 'ssh');
  assertFault(
    await create({ name: 'gen-292' }, { ...app.demo, ...mv('2.92') }),
    400,
    'badRequest',
    /'public_key' is a required property/,
  );

  const shown = (
    await app.t.inject({ method: 'GET', url: `${c}/os-keypairs/gen-21`, headers: app.demo })
  ).json().keypair;
  assert.equal(shown.deleted, false);
  assert.equal(typeof shown.id, 'number');
  assert.ok(!('private_key' in shown));
  assert.equal(
    (await app.t.inject({ method: 'DELETE', url: `${c}/os-keypairs/gen-21`, headers: app.demo }))
      .statusCode,
    202,
  );
  assert.equal(
    (
      await app.t.inject({
        method: 'DELETE',
        url: `${c}/os-keypairs/gen-22`,
        headers: { ...app.demo, ...mv('2.2') },
      })
    ).statusCode,
    204,
  );
  assertFault(
    await app.t.inject({ method: 'DELETE', url: `${c}/os-keypairs/gen-22`, headers: app.demo }),
    404,
    'itemNotFound',
    `Keypair gen-22 not found for user ${await demoUser()}`,
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
    (await create({ name: 'me@host.name', public_key: pub }, { ...app.demo, ...mv('2.92') }))
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
    (await create({ name: 'imported', public_key: pub }, app.admin)).statusCode,
    200,
    'another user may use the name',
  );
});

/** An OpenSSH ed25519 public key, made fresh. */
function ed25519(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(jwk.x!, 'base64url');
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')} x`;
}

/** A user of the demo project of its own, so that its key pairs are only this test's. */
async function newMember(name: string): Promise<{ id: string; headers: Record<string, string> }> {
  const made = await app.t.inject({
    method: 'POST',
    url: '/identity/v3/users',
    headers: app.admin,
    payload: { user: { name, domain_id: 'default', password: name } },
  });
  assert.equal(made.statusCode, 201, made.body);
  const user = made.json().user as { id: string };
  const roles = await app.t.inject({
    method: 'GET',
    url: '/identity/v3/roles?name=member',
    headers: app.admin,
  });
  const role = roles.json().roles[0].id as string;
  const granted = await app.t.inject({
    method: 'PUT',
    url: `/identity/v3/projects/${app.demoProject}/users/${user.id}/roles/${role}`,
    headers: app.admin,
  });
  assert.equal(granted.statusCode, 204, granted.body);
  const res = await app.t.inject({
    method: 'POST',
    url: '/identity/v3/auth/tokens',
    payload: passwordAuth(name, name, 'demo'),
  });
  assert.equal(res.statusCode, 201, res.body);
  return { id: user.id, headers: { 'x-auth-token': res.headers['x-subject-token'] as string } };
}

test('admins act for another user from 2.10; members may not; paging from 2.35', async () => {
  const member = await newMember('kp-paging');
  const v210 = { ...app.admin, ...mv('2.10') };
  for (const name of ['a-first', 'b-for-member', 'c-last']) {
    const made = await app.t.inject({
      method: 'POST',
      url: `${c}/os-keypairs`,
      headers: v210,
      payload: { keypair: { name, user_id: member.id, public_key: ed25519() } },
    });
    assert.equal(made.statusCode, 201, made.body);
    assert.equal(made.json().keypair.user_id, member.id);
  }
  const names = (
    await app.t.inject({ method: 'GET', url: `${c}/os-keypairs`, headers: member.headers })
  )
    .json()
    .keypairs.map((k: any) => k.keypair.name);
  assert.deepEqual(names, ['a-first', 'b-for-member', 'c-last']);
  assertFault(
    await app.t.inject({
      method: 'GET',
      url: `${c}/os-keypairs?user_id=someone`,
      headers: { ...member.headers, ...mv('2.10') },
    }),
    403,
    'forbidden',
    "Policy doesn't allow os_compute_api:os-keypairs:index to be performed.",
  );
  const page = await app.t.inject({
    method: 'GET',
    url: `${c}/os-keypairs?limit=1&marker=a-first`,
    headers: { ...member.headers, ...mv('2.35') },
  });
  assert.deepEqual(
    page.json().keypairs.map((k: any) => k.keypair.name),
    ['b-for-member'],
    'the name after a-first',
  );
  const admins = await app.t.inject({
    method: 'GET',
    url: `${c}/os-keypairs?user_id=${member.id}&marker=b-for-member`,
    headers: { ...app.admin, ...mv('2.35') },
  });
  assert.deepEqual(
    admins.json().keypairs.map((k: any) => k.keypair.name),
    ['c-last'],
  );
  assertFault(
    await app.t.inject({
      method: 'GET',
      url: `${c}/os-keypairs?marker=nope`,
      headers: { ...member.headers, ...mv('2.35') },
    }),
    400,
    'badRequest',
    'Marker nope could not be found.',
  );
});

test('the key_pairs quota: counted per user, passing it is a 403', async () => {
  const member = await newMember('kp-quota');
  const put = await app.t.inject({
    method: 'PUT',
    url: `${c}/os-quota-sets/${app.demoProject}?user_id=${member.id}`,
    headers: app.admin,
    payload: { quota_set: { key_pairs: 1, force: true } },
  });
  assert.equal(put.statusCode, 200, put.body);
  const first = await create({ name: 'the-one', public_key: ed25519() }, member.headers);
  assert.equal(first.statusCode, 200, first.body);
  assertFault(
    await create({ name: 'one-too-many' }, member.headers),
    403,
    'forbidden',
    'Quota exceeded, too many key pairs.',
  );
  const detail = (
    await app.t.inject({
      method: 'GET',
      url: `${c}/os-quota-sets/${app.demoProject}/detail?user_id=${member.id}`,
      headers: app.admin,
    })
  ).json().quota_set;
  assert.deepEqual(detail.key_pairs, { limit: 1, in_use: 1, reserved: 0 });
  await app.t.inject({
    method: 'DELETE',
    url: `${c}/os-quota-sets/${app.demoProject}?user_id=${member.id}`,
    headers: app.admin,
  });
});

test('public_key null is refused as Nova refuses it, not taken as absent', async () => {
  for (const version of ['2.1', '2.2', '2.10', '2.92']) {
    assertFault(
      await create({ name: 'null-key', public_key: null }, { ...app.demo, ...mv(version) }),
      400,
      'badRequest',
      "Invalid input for field/attribute public_key. Value: None. None is not of type 'string'",
    );
  }
});
