import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppFixture } from './app.js';

/** Helpers for tests that need servers, images and volumes made through the APIs. */
export function serverKit(fx: AppFixture) {
  const c = '/compute/v2.1';
  const vb = () => `/volume/v3/${fx.demoProject}`;
  const OCTET = { 'content-type': 'application/octet-stream' };

  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 600; i++) {
      const got = await probe();
      if (got !== undefined) return got;
      await sleep(20);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  return {
    c,
    vb,
    until,
    /** An active raw image of `bytes` (1 MiB of 0x11 by default). */
    async image(bytes: Buffer = Buffer.alloc(1 << 20, 0x11)): Promise<string> {
      const made = await fx.t.inject({
        method: 'POST',
        url: '/image/v2/images',
        headers: fx.demo,
        payload: { name: 'img', disk_format: 'raw', container_format: 'bare' },
      });
      assert.equal(made.statusCode, 201, made.body);
      const id = made.json().id as string;
      const put = await fx.t.inject({
        method: 'PUT',
        url: `/image/v2/images/${id}/file`,
        headers: { ...fx.demo, ...OCTET },
        payload: bytes,
      });
      assert.equal(put.statusCode, 204, put.body);
      return id;
    },
    async volume(body: Record<string, unknown> = { size: 1 }, headers = fx.demo): Promise<string> {
      const res = await fx.t.inject({
        method: 'POST',
        url: `${vb()}/volumes`,
        headers,
        payload: { volume: body },
      });
      assert.equal(res.statusCode, 202, res.body);
      const id = res.json().volume.id as string;
      await until('volume available', async () =>
        (await this.showVolume(id)).status === 'available' ? true : undefined,
      );
      return id;
    },
    async showVolume(id: string, headers = fx.demo): Promise<Record<string, any>> {
      const res = await fx.t.inject({ method: 'GET', url: `${vb()}/volumes/${id}`, headers });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().volume;
    },
    async volumeGone(id: string): Promise<void> {
      await until('volume gone', async () => {
        const res = await fx.t.inject({
          method: 'GET',
          url: `${vb()}/volumes/${id}`,
          headers: fx.demo,
        });
        return res.statusCode === 404 ? true : undefined;
      });
    },
    /** POST /servers; waits for ACTIVE (or the status named). */
    async server(
      body: Record<string, unknown>,
      opts: { headers?: Record<string, string>; status?: string } = {},
    ): Promise<Record<string, any>> {
      const headers = opts.headers ?? fx.demo;
      const res = await fx.t.inject({
        method: 'POST',
        url: `${c}/servers`,
        headers,
        payload: { server: { name: 'vm', flavorRef: '1', networks: [], ...body } },
      });
      assert.equal(res.statusCode, 202, res.body);
      const id = res.json().server.id as string;
      return this.waitServer(id, opts.status ?? 'ACTIVE', headers);
    },
    async waitServer(id: string, status: string, headers = fx.demo): Promise<Record<string, any>> {
      return until(`server ${status}`, async () => {
        const res = await fx.t.inject({ method: 'GET', url: `${c}/servers/${id}`, headers });
        assert.equal(res.statusCode, 200, res.body);
        const s = res.json().server;
        if (s.status === 'ERROR' && status !== 'ERROR')
          throw new Error(`server went to ERROR: ${JSON.stringify(s.fault)}`);
        return s.status === status ? s : undefined;
      });
    },
    async deleteServer(id: string, headers = fx.demo): Promise<void> {
      const res = await fx.t.inject({ method: 'DELETE', url: `${c}/servers/${id}`, headers });
      assert.equal(res.statusCode, 204, res.body);
      await until('server gone', async () => {
        const got = await fx.t.inject({ method: 'GET', url: `${c}/servers/${id}`, headers });
        return got.statusCode === 404 ? true : undefined;
      });
    },
    /** Lifts the demo project's volume, snapshot and compute limits for files that make many. */
    async unlimited(): Promise<void> {
      const cinder = await fx.t.inject({
        method: 'PUT',
        url: `/volume/v3/${fx.adminProject}/os-quota-sets/${fx.demoProject}`,
        headers: fx.admin,
        payload: { quota_set: { volumes: -1, gigabytes: -1, snapshots: -1 } },
      });
      assert.equal(cinder.statusCode, 200, cinder.body);
      const nova = await fx.t.inject({
        method: 'PUT',
        url: `${c}/os-quota-sets/${fx.demoProject}`,
        headers: fx.admin,
        payload: { quota_set: { instances: -1, cores: -1, ram: -1 } },
      });
      assert.equal(nova.statusCode, 200, nova.body);
    },
  };
}
