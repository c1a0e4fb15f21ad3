import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { passwordAuth, type AppFixture } from './app.js';

type Headers = Record<string, string>;
type Res = { statusCode: number; body: string; headers: Record<string, unknown>; json(): any };

/**
 * Requests against /compute/v2.1 for server tests, and servers made as a user makes them: an
 * image uploaded through Glance, POST /servers, then GET until ACTIVE.
 */
export function computeClient(app: AppFixture) {
  const call =
    (method: 'GET' | 'POST' | 'PUT' | 'DELETE') =>
    (path: string, payload?: unknown, headers: Headers = app.demo, mv?: string): Promise<Res> =>
      app.t.inject({
        method,
        url: `/compute/v2.1/${path}`,
        headers: { ...headers, ...(mv ? { 'openstack-api-version': `compute ${mv}` } : {}) },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
  let image: string | undefined;

  async function uploadImage(): Promise<string> {
    if (image) return image;
    const made = await app.t.inject({
      method: 'POST',
      url: '/image/v2/images',
      headers: app.admin,
      payload: {
        name: 'cirros',
        disk_format: 'raw',
        container_format: 'bare',
        visibility: 'public',
      },
    });
    assert.equal(made.statusCode, 201, made.body);
    const id = made.json().id as string;
    const put = await app.t.inject({
      method: 'PUT',
      url: `/image/v2/images/${id}/file`,
      headers: { ...app.admin, 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(1024 * 1024, 1),
    });
    assert.equal(put.statusCode, 204, put.body);
    image = id;
    return id;
  }

  async function waitFor(id: string, status: string, headers: Headers = app.demo): Promise<any> {
    for (let i = 0; i < 400; i++) {
      const res = await call('GET')(`servers/${id}`, undefined, headers);
      assert.equal(res.statusCode, 200, res.body);
      const s = res.json().server;
      if (s.status === status && s['OS-EXT-STS:task_state'] === null) return s;
      assert.notEqual(s.status, 'ERROR', JSON.stringify(s.fault));
      await sleep(20);
    }
    throw new Error(`server ${id} never reached ${status}`);
  }

  return {
    get: (path: string, headers: Headers = app.demo, mv?: string) =>
      call('GET')(path, undefined, headers, mv),
    post: call('POST'),
    put: call('PUT'),
    del: (path: string, headers: Headers = app.demo, mv?: string) =>
      call('DELETE')(path, undefined, headers, mv),
    waitFor,
    uploadImage,
    /** A server of the caller's project, ACTIVE; its create response's request id too. */
    async server(
      extra: Record<string, unknown> = {},
      headers: Headers = app.demo,
      hints?: Record<string, unknown>,
    ): Promise<{ id: string; requestId: string }> {
      const res = await call('POST')(
        'servers',
        {
          server: { name: 'vm', imageRef: await uploadImage(), flavorRef: '1', ...extra },
          ...(hints ? { 'os:scheduler_hints': hints } : {}),
        },
        headers,
      );
      assert.equal(res.statusCode, 202, res.body);
      const id = res.json().server.id as string;
      await waitFor(id, 'ACTIVE', headers);
      return { id, requestId: res.headers['x-compute-request-id'] as string };
    },
    /** A token of a member of a new project (`name`), a different project from demo's. */
    async otherProject(name: string): Promise<Headers> {
      const post = (url: string, payload: object) =>
        app.t.inject({ method: 'POST', url, headers: app.admin, payload });
      const project = (
        await post('/identity/v3/projects', { project: { name, domain_id: 'default' } })
      ).json().project.id;
      const user = (
        await post('/identity/v3/users', {
          user: { name, password: name, domain_id: 'default', default_project_id: project },
        })
      ).json().user.id;
      const roles = await app.t.inject({
        method: 'GET',
        url: '/identity/v3/roles?name=member',
        headers: app.admin,
      });
      const role = roles.json().roles[0].id;
      await app.t.inject({
        method: 'PUT',
        url: `/identity/v3/projects/${project}/users/${user}/roles/${role}`,
        headers: app.admin,
      });
      const auth = await app.t.inject({
        method: 'POST',
        url: '/identity/v3/auth/tokens',
        payload: passwordAuth(name, name, name),
      });
      assert.equal(auth.statusCode, 201, auth.body);
      return { 'x-auth-token': auth.headers['x-subject-token'] as string };
    },
  };
}
