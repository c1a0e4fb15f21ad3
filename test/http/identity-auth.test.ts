import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordAuth, useApp } from '../helpers/app.js';

/** /v3/auth/{catalog,projects,domains,system}: what the caller's own token may reach. */
const f = useApp();

async function get(url: string, headers: Record<string, string>) {
  return f.t.inject({ method: 'GET', url: `/identity/v3${url}`, headers });
}

/** A fresh user with only the grants a test gives it, and an unscoped token for it. */
async function freshUser(name: string) {
  const admin = f.admin;
  const u = await f.t.inject({
    method: 'POST',
    url: '/identity/v3/users',
    headers: admin,
    payload: { user: { name, password: 'pw', domain_id: 'default' } },
  });
  assert.equal(u.statusCode, 201);
  const id = u.json().user.id as string;
  const roles = await get('/roles?name=reader', admin);
  const reader = roles.json().roles[0].id as string;
  const token = async (): Promise<Record<string, string>> => {
    const res = await f.t.inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: passwordAuth(name, 'pw'),
    });
    assert.equal(res.statusCode, 201);
    return { 'x-auth-token': res.headers['x-subject-token'] as string };
  };
  return { id, reader, token };
}

test('/v3/auth/system lists the system for a user with a system role', async () => {
  const res = await get('/auth/system', f.admin);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json().system, [{ all: true }]);
  assert.match(res.json().links.self, /\/identity\/v3\/auth\/system$/);
});

test('/v3/auth/system is empty without one, and follows a system grant', async () => {
  const u = await freshUser('auth-system-user');
  const headers = await u.token();
  assert.deepEqual((await get('/auth/system', headers)).json().system, []);
  const grant = await f.t.inject({
    method: 'PUT',
    url: `/identity/v3/system/users/${u.id}/roles/${u.reader}`,
    headers: f.admin,
  });
  assert.equal(grant.statusCode, 204);
  assert.deepEqual((await get('/auth/system', headers)).json().system, [{ all: true }]);
});

test('/v3/auth/projects lists enabled projects the caller has a role on', async () => {
  const res = await get('/auth/projects', f.demo);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(
    res.json().projects.map((p: { name: string }) => p.name),
    ['demo'],
  );
  assert.match(res.json().links.self, /\/identity\/v3\/auth\/projects$/);
});

test('/v3/auth/domains lists domains the caller has a role on', async () => {
  const u = await freshUser('auth-domain-user');
  const headers = await u.token();
  assert.deepEqual((await get('/auth/domains', headers)).json().domains, []);
  await f.t.inject({
    method: 'PUT',
    url: `/identity/v3/domains/default/users/${u.id}/roles/${u.reader}`,
    headers: f.admin,
  });
  const res = await get('/auth/domains', headers);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(
    res.json().domains.map((d: { id: string }) => d.id),
    ['default'],
  );
});

test('/v3/auth/catalog answers a project-scoped token and refuses others', async () => {
  const scoped = await get('/auth/catalog', f.demo);
  assert.equal(scoped.statusCode, 200);
  assert.ok(scoped.json().catalog.some((s: { type: string }) => s.type === 'identity'));
  assert.deepEqual(Object.keys(scoped.json().links), ['self']);
  const u = await freshUser('auth-catalog-user');
  // Keystone: "A project-scoped token is required", a Forbidden shown as the generic text.
  const unscoped = await get('/auth/catalog', await u.token());
  assert.equal(unscoped.statusCode, 403);
  assert.equal(
    unscoped.json().error.message,
    'You are not authorized to perform the requested action.',
  );
});
