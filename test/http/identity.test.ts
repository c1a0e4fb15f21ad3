import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { passwordAuth, useApp, type TestApp } from '../helpers/app.js';

const f = useApp();
const inject: TestApp['inject'] = (opts) => f.t.inject(opts);
const AUTH_401 = {
  error: {
    code: 401,
    title: 'Unauthorized',
    message: 'The request you have made requires authentication.',
  },
};

describe('version documents', () => {
  test('the root answers 300 with versions.values and a Location', async () => {
    const res = await inject({ method: 'GET', url: '/identity' });
    assert.equal(res.statusCode, 300);
    const v = res.json().versions.values[0];
    assert.equal(v.id, 'v3.14');
    assert.equal(v.status, 'stable');
    assert.match(v.links[0].href, /\/identity\/v3\/$/);
    assert.match(res.headers.location as string, /\/identity\/v3\/$/);
  });

  test('/v3 answers 200 without a token', async () => {
    const res = await inject({ method: 'GET', url: '/identity/v3' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().version.media_types, undefined);
    assert.equal(
      res.json().version['media-types'][0].type,
      'application/vnd.openstack.identity-v3+json',
    );
  });

  test('every response carries a request id', async () => {
    const res = await inject({ method: 'GET', url: '/identity/v3' });
    assert.match(res.headers['x-openstack-request-id'] as string, /^req-[0-9a-f-]{36}$/);
  });
});

describe('POST /v3/auth/tokens', () => {
  test('password auth with a project scope returns a token, roles and the catalog', async () => {
    const res = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: passwordAuth('admin', 'admin', 'admin'),
    });
    assert.equal(res.statusCode, 201);
    assert.ok(res.headers['x-subject-token']);
    const token = res.json().token;
    assert.deepEqual(token.methods, ['password']);
    assert.equal(token.project.name, 'admin');
    assert.deepEqual(token.project.domain, { id: 'default', name: 'Default' });
    assert.deepEqual(token.roles.map((r: { name: string }) => r.name).sort(), [
      'admin',
      'member',
      'reader',
    ]);
    assert.match(token.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(token.audit_ids[0].length, 22);
    const types = token.catalog.map((s: { type: string }) => s.type).sort();
    assert.deepEqual(types, [
      'block-storage',
      'compute',
      'identity',
      'image',
      'network',
      'orchestration',
      'volumev3',
    ]);
    for (const service of token.catalog) {
      assert.deepEqual(service.endpoints.map((e: { interface: string }) => e.interface).sort(), [
        'admin',
        'internal',
        'public',
      ]);
      for (const e of service.endpoints) {
        assert.equal(e.region, 'RegionOne');
        assert.equal(e.region_id, 'RegionOne');
      }
    }
  });

  test('?nocatalog leaves the catalog out', async () => {
    const res = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens?nocatalog',
      payload: passwordAuth('demo', 'demo', 'demo'),
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().token.catalog, undefined);
  });

  test('unscoped, domain and system scopes', async () => {
    const unscoped = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: passwordAuth('demo', 'demo'),
    });
    assert.equal(unscoped.statusCode, 201);
    // demo's default project is demo, so no scope means demo's project, as in Keystone.
    assert.equal(unscoped.json().token.project.name, 'demo');
    const body = passwordAuth('admin', 'admin') as { auth: Record<string, unknown> };
    body.auth.scope = 'unscoped';
    const explicit = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: body,
    });
    assert.equal(explicit.json().token.project, undefined);
    assert.equal(explicit.json().token.roles, undefined);
    body.auth.scope = { system: { all: true } };
    const system = await inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload: body });
    assert.equal(system.statusCode, 201);
    assert.deepEqual(system.json().token.system, { all: true });
    body.auth.scope = { domain: { id: 'default' } };
    // admin holds no role on the domain itself.
    const domain = await inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload: body });
    assert.equal(domain.statusCode, 401);
  });

  test('token auth rescopes and keeps the expiry', async () => {
    const first = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: passwordAuth('admin', 'admin'),
    });
    const id = first.headers['x-subject-token'] as string;
    const res = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: {
        auth: {
          identity: { methods: ['token'], token: { id } },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      },
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().token.expires_at, first.json().token.expires_at);
    assert.deepEqual(res.json().token.methods.sort(), ['password', 'token']);
  });

  test('wrong password, unknown user, project without a role: Keystone 401', async () => {
    for (const payload of [
      passwordAuth('demo', 'wrong', 'demo'),
      passwordAuth('nobody', 'x', 'demo'),
      passwordAuth('demo', 'demo', 'admin'),
    ]) {
      const res = await inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), AUTH_401);
    }
  });

  test('malformed bodies are 400s', async () => {
    const bad = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      headers: { 'content-type': 'application/json' },
      payload: '{"auth": ',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 400);
    const missing = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: { auth: {} },
    });
    assert.equal(missing.statusCode, 400);
    // No method names no user: Keystone's plain 401 ("User not found by auth plugin").
    const noMethods = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: { auth: { identity: { methods: [] } } },
    });
    assert.equal(noMethods.statusCode, 401);
  });
});

describe('token validation and revocation', () => {
  test('GET and HEAD validate, DELETE revokes, a revoked token is a 401', async () => {
    const admin = await f.t.token('admin');
    const res = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: passwordAuth('demo', 'demo', 'demo'),
    });
    const subject = res.headers['x-subject-token'] as string;
    const get = await inject({
      method: 'GET',
      url: '/identity/v3/auth/tokens',
      headers: { 'x-auth-token': admin, 'x-subject-token': subject },
    });
    assert.equal(get.statusCode, 200);
    assert.equal(get.json().token.user.name, 'demo');
    const head = await inject({
      method: 'HEAD',
      url: '/identity/v3/auth/tokens',
      headers: { 'x-auth-token': admin, 'x-subject-token': subject },
    });
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    const del = await inject({
      method: 'DELETE',
      url: '/identity/v3/auth/tokens',
      headers: { 'x-auth-token': admin, 'x-subject-token': subject },
    });
    assert.equal(del.statusCode, 204);
    const again = await inject({
      method: 'GET',
      url: '/identity/v3/auth/tokens',
      headers: { 'x-auth-token': admin, 'x-subject-token': subject },
    });
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().error.message, `Could not find token: ${subject}.`);
    const use = await inject({
      method: 'GET',
      url: '/image/v2/images',
      headers: { 'x-auth-token': subject },
    });
    assert.equal(use.statusCode, 401);
    assert.deepEqual(use.json(), AUTH_401);
    assert.match(use.headers['www-authenticate'] as string, /^Keystone uri=/);
  });

  test("a user may validate its own token but not another user's", async () => {
    const demo = await f.t.token('demo');
    const admin = await f.t.token('admin');
    const own = await inject({
      method: 'GET',
      url: '/identity/v3/auth/tokens',
      headers: { 'x-auth-token': demo, 'x-subject-token': demo },
    });
    assert.equal(own.statusCode, 200);
    const other = await inject({
      method: 'GET',
      url: '/identity/v3/auth/tokens',
      headers: { 'x-auth-token': demo, 'x-subject-token': admin },
    });
    assert.equal(other.statusCode, 403);
  });

  test('an expired token is a 401', async () => {
    const res = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: passwordAuth('demo', 'demo', 'demo'),
    });
    const token = res.headers['x-subject-token'] as string;
    const idHash = createHash('sha256').update(token).digest('hex');
    await f.t.db
      .updateTable('tokens')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('id_hash', '=', idHash)
      .execute();
    f.t.app.identity.forgetCachedTokens();
    const use = await inject({
      method: 'GET',
      url: '/image/v2/images',
      headers: { 'x-auth-token': token },
    });
    assert.equal(use.statusCode, 401);
    assert.deepEqual(use.json(), AUTH_401);
  });

  test('missing and bogus tokens are 401s', async () => {
    assert.equal((await inject({ method: 'GET', url: '/identity/v3/projects' })).statusCode, 401);
    assert.equal(
      (
        await inject({
          method: 'GET',
          url: '/identity/v3/projects',
          headers: { 'x-auth-token': 'bogus' },
        })
      ).statusCode,
      401,
    );
  });
});

describe('admin API (what Tempest dynamic credentials use)', () => {
  test('create a project and a user, grant a role, authenticate, clean up', async () => {
    const admin = { 'x-auth-token': await f.t.token('admin') };
    const domains = await inject({
      method: 'GET',
      url: '/identity/v3/domains?name=Default',
      headers: admin,
    });
    assert.equal(domains.json().domains[0].id, 'default');
    const p = await inject({
      method: 'POST',
      url: '/identity/v3/projects',
      headers: admin,
      payload: { project: { name: 'tp', domain_id: 'default', description: 'x' } },
    });
    assert.equal(p.statusCode, 201);
    const project = p.json().project;
    const dup = await inject({
      method: 'POST',
      url: '/identity/v3/projects',
      headers: admin,
      payload: { project: { name: 'tp' } },
    });
    assert.equal(dup.statusCode, 409);
    const u = await inject({
      method: 'POST',
      url: '/identity/v3/users',
      headers: admin,
      payload: { user: { name: 'tu', password: 'p@ss', domain_id: 'default' } },
    });
    assert.equal(u.statusCode, 201);
    const user = u.json().user;
    const roles = await inject({ method: 'GET', url: '/identity/v3/roles', headers: admin });
    const member = roles.json().roles.find((r: { name: string }) => r.name === 'member');
    const grantUrl = `/identity/v3/projects/${project.id}/users/${user.id}/roles/${member.id}`;
    for (let i = 0; i < 2; i++) {
      const grant = await inject({ method: 'PUT', url: grantUrl, headers: admin });
      assert.equal(grant.statusCode, 204);
      assert.equal(grant.body, '');
    }
    assert.equal((await inject({ method: 'HEAD', url: grantUrl, headers: admin })).statusCode, 204);
    const assignments = await inject({
      method: 'GET',
      url: `/identity/v3/role_assignments?user.id=${user.id}`,
      headers: admin,
    });
    assert.equal(assignments.json().role_assignments[0].scope.project.id, project.id);
    const auth = await inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { id: user.id, password: 'p@ss' } },
          },
          scope: { project: { id: project.id } },
        },
      },
    });
    assert.equal(auth.statusCode, 201);
    const userToken = auth.headers['x-subject-token'] as string;
    assert.equal(
      (await inject({ method: 'DELETE', url: `/identity/v3/users/${user.id}`, headers: admin }))
        .statusCode,
      204,
    );
    assert.equal(
      (
        await inject({
          method: 'GET',
          url: '/image/v2/images',
          headers: { 'x-auth-token': userToken },
        })
      ).statusCode,
      401,
    );
    assert.equal(
      (
        await inject({
          method: 'DELETE',
          url: `/identity/v3/projects/${project.id}`,
          headers: admin,
        })
      ).statusCode,
      204,
    );
    const gone = await inject({
      method: 'GET',
      url: `/identity/v3/projects/${project.id}`,
      headers: admin,
    });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.message, `Could not find project: ${project.id}.`);
  });

  test('a member may not use the admin API', async () => {
    const res = await inject({
      method: 'GET',
      url: '/identity/v3/projects',
      headers: { 'x-auth-token': await f.t.token('demo') },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(
      res.json().error.message,
      'You are not authorized to perform the requested action: identity:list_projects.',
    );
  });

  test('bad admin bodies are 400s', async () => {
    const admin = { 'x-auth-token': await f.t.token('admin') };
    for (const payload of [
      {},
      { project: { name: '' } },
      { project: { name: 5 } },
      { project: { name: 'x'.repeat(65) } },
    ]) {
      const res = await inject({
        method: 'POST',
        url: '/identity/v3/projects',
        headers: admin,
        payload,
      });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
    }
  });
});
