import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { systemContext, type RequestContext } from '../../src/context.js';
import { Forbidden } from '../../src/errors.js';
import { passwordAuth, testApp, useApp } from '../helpers/app.js';

/**
 * Callers that are not HTTP (Heat, bootstrap) go through IdentityService's methods: the same
 * policy applies, and a change made there ends what a cached token validation knew.
 */
const f = useApp();

async function adminCtx(): Promise<RequestContext> {
  const admin = await f.t.app.identity.userByName('admin', 'default');
  return systemContext(f.adminProject, admin.id);
}

/** A user with role member on a project of its own, made through the service. */
async function member(name: string) {
  const identity = f.t.app.identity;
  const ctx = await adminCtx();
  const project = await identity.createProject(ctx, { name: `${name}-p` });
  const user = await identity.createUser(ctx, { name, password: 'pw' });
  const [role] = await identity.listRoles(ctx, { name: 'member' });
  const target = { type: 'project' as const, id: project.id };
  await identity.grant(ctx, target, user.id, role!.id);
  const res = await f.t.inject({
    method: 'POST',
    url: '/identity/v3/auth/tokens',
    payload: {
      auth: {
        identity: { methods: ['password'], password: { user: { id: user.id, password: 'pw' } } },
        scope: { project: { id: project.id } },
      },
    },
  });
  assert.equal(res.statusCode, 201);
  return {
    ctx,
    user,
    project,
    role: role!,
    target,
    token: res.headers['x-subject-token'] as string,
  };
}

/** Uses the token against another service, which validates it through the cache. */
async function status(token: string): Promise<number> {
  const res = await f.t.inject({
    method: 'GET',
    url: '/image/v2/images',
    headers: { 'x-auth-token': token },
  });
  return res.statusCode;
}

describe('changes made through the service end cached validations', () => {
  test('disabling a user', async () => {
    const m = await member('svc-disable');
    assert.equal(await status(m.token), 200);
    assert.equal(await status(m.token), 200); // now cached
    await f.t.app.identity.updateUser(m.ctx, m.user.id, { enabled: false });
    assert.equal(await status(m.token), 401);
  });

  test('revoking the role the token was scoped with', async () => {
    const m = await member('svc-revoke');
    assert.equal(await status(m.token), 200);
    await f.t.app.identity.revokeGrant(m.ctx, m.target, m.user.id, m.role.id);
    assert.equal(await status(m.token), 401);
  });

  test('disabling the project', async () => {
    const m = await member('svc-project');
    assert.equal(await status(m.token), 200);
    await f.t.app.identity.updateProject(m.ctx, m.project.id, { enabled: false });
    assert.equal(await status(m.token), 401);
  });

  test("the directory's own methods invalidate too", async () => {
    const m = await member('svc-directory');
    assert.equal(await status(m.token), 200);
    await f.t.app.identity.directory.deleteUser(m.user.id);
    assert.equal(await status(m.token), 401);
  });
});

test('policy applies to callers that are not HTTP', async () => {
  const demo = await f.t.app.identity.userByName('demo', 'default');
  const ctx = { ...systemContext(f.demoProject, demo.id), roles: ['member'], isAdmin: false };
  await assert.rejects(
    f.t.app.identity.createProject(ctx, { name: 'not-allowed' }),
    (err) =>
      err instanceof Forbidden &&
      err.message ===
        'You are not authorized to perform the requested action: identity:create_project.',
  );
  // A user may still read itself.
  assert.equal((await f.t.app.identity.getUser(ctx, demo.id)).name, 'demo');
});

test('bootstrap with a new password ends the cached token of that user', async () => {
  const t = await testApp();
  try {
    const token = await t.token('demo');
    const images = () =>
      t.inject({ method: 'GET', url: '/image/v2/images', headers: { 'x-auth-token': token } });
    assert.equal((await images()).statusCode, 200);
    await t.app.identity.bootstrap({ admin: 'admin', demo: 'changed' });
    assert.equal((await images()).statusCode, 401);
    const again = await t.inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: passwordAuth('demo', 'changed', 'demo'),
    });
    assert.equal(again.statusCode, 201);
  } finally {
    await t.close();
  }
});
