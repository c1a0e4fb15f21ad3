import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFault, useApp } from '../helpers/app.js';

/**
 * Requests that race for one server or for a project's last quota slot: the invariant lives in
 * one conditional UPDATE or one transaction, so exactly one wins whatever the interleaving.
 */
const app = useApp();
const c = '/compute/v2.1';
// 2.37 for `networks: none`: no ports, so the races are about the server alone.
const mv237 = { 'openstack-api-version': 'compute 2.37' };

async function makeImage(): Promise<string> {
  const made = await app.t.inject({
    method: 'POST',
    url: '/image/v2/images',
    headers: app.demo,
    payload: { name: 'race-base', disk_format: 'raw', container_format: 'bare' },
  });
  const id = made.json().id as string;
  const put = await app.t.inject({
    method: 'PUT',
    url: `/image/v2/images/${id}/file`,
    headers: { ...app.demo, 'content-type': 'application/octet-stream' },
    payload: Buffer.alloc(1024 * 1024, 0x5a),
  });
  assert.equal(put.statusCode, 204);
  return id;
}

function createServer(imageRef: string, name: string) {
  return app.t.inject({
    method: 'POST',
    url: `${c}/servers`,
    headers: { ...app.demo, ...mv237 },
    payload: { server: { name, imageRef, flavorRef: '1', networks: 'none' } },
  });
}

async function waitFor(id: string, done: (s: any) => boolean): Promise<any> {
  let server: any;
  for (let i = 0; i < 500; i++) {
    const res = await app.t.inject({ method: 'GET', url: `${c}/servers/${id}`, headers: app.demo });
    server = res.json().server;
    if (done(server)) return server;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`server ${id}: ${server?.status}/${server?.['OS-EXT-STS:task_state']}`);
}

const idle = (s: any) => s['OS-EXT-STS:task_state'] === null && s.status !== 'BUILD';

test('two createImage at once on one server: one 202, the other Nova 409 naming the snapshot task_state', async () => {
  const image = await makeImage();
  const res = await createServer(image, 'snap-race');
  assert.equal(res.statusCode, 202);
  const id = res.json().server.id as string;
  assert.equal((await waitFor(id, idle)).status, 'ACTIVE');

  for (let round = 0; round < 3; round++) {
    const snap = (name: string) =>
      app.t.inject({
        method: 'POST',
        url: `${c}/servers/${id}/action`,
        headers: app.demo,
        payload: { createImage: { name } },
      });
    const [a, b] = await Promise.all([snap(`race-${round}-a`), snap(`race-${round}-b`)]);
    const codes = [a.statusCode, b.statusCode].sort();
    assert.deepEqual(codes, [202, 409], `round ${round}: ${a.body} ${b.body}`);
    const lost = a.statusCode === 409 ? a : b;
    assertFault(
      lost,
      409,
      'conflictingRequest',
      // Both requests pass the first check and make their image; the loser's conditional
      // UPDATE names the state it lost to, read in its transaction: the winner's
      // image_snapshot_pending, or image_snapshot when the winner's task has already begun.
      new RegExp(
        `^Cannot 'createImage' instance ${id} while it is in task_state image_snapshot(_pending)?$`,
      ),
    );
    await waitFor(id, idle);
    // Only the winner's image exists: the loser's queued image was removed again.
    const images = await app.t.inject({
      method: 'GET',
      url: `/image/v2/images?name=in:race-${round}-a,race-${round}-b`,
      headers: app.demo,
    });
    const listed = images.json().images as any[];
    assert.equal(listed.length, 1, JSON.stringify(listed.map((i) => i.name)));
    assert.equal(listed[0].status, 'active');
  }
});

test('creates racing for the last instances of a quota: never more servers than the quota', async () => {
  const image = await makeImage();
  const before = await app.t.inject({ method: 'GET', url: `${c}/servers`, headers: app.demo });
  const have = before.json().servers.length as number;
  const quota = have + 2;
  const put = await app.t.inject({
    method: 'PUT',
    url: `${c}/os-quota-sets/${app.demoProject}`,
    headers: app.admin,
    payload: { quota_set: { instances: quota } },
  });
  assert.equal(put.statusCode, 200);
  try {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => createServer(image, `quota-race-${i}`)),
    );
    const won = results.filter((r) => r.statusCode === 202);
    const lost = results.filter((r) => r.statusCode !== 202);
    assert.equal(won.length, 2, 'two slots are left');
    for (const r of lost)
      assertFault(
        r,
        403,
        'forbidden',
        `Quota exceeded for instances: Requested 1, but already used ${quota} of ${quota} instances`,
      );
    const after = await app.t.inject({
      method: 'GET',
      url: `${c}/servers/detail`,
      headers: app.demo,
    });
    assert.equal(after.json().servers.length, quota);
    for (const r of won) await waitFor(r.json().server.id, idle);
  } finally {
    await app.t.inject({
      method: 'PUT',
      url: `${c}/os-quota-sets/${app.demoProject}`,
      headers: app.admin,
      payload: { quota_set: { instances: 10 } },
    });
  }
});
