import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openSqlite, type Db } from '../../src/store/db.js';

export interface TestApp {
  app: App;
  dataDir: string;
  /** A connection of the test's own to the app's database, for checks of what was stored. */
  db: Db;
  /** A project-scoped token for demo (member) or admin (admin). */
  token(who: 'demo' | 'admin'): Promise<string>;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The whole application in-process, for app.inject() tests, on a fresh data directory. */
export async function testApp(dataDir?: string): Promise<TestApp> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pocketstack-http-'));
  const config = loadConfig(
    { 'data-dir': dir, 'log-level': process.env.TEST_LOG_LEVEL ?? 'silent', port: '0' },
    {},
  );
  const app = await createApp(config);
  const db = await openSqlite(path.join(dir, 'pocketstack.db'));
  const tokens = new Map<string, string>();
  return {
    app,
    dataDir: dir,
    db,
    async token(who) {
      const cached = tokens.get(who);
      if (cached) return cached;
      const res = await app.http.inject({
        method: 'POST',
        url: '/identity/v3/auth/tokens',
        payload: passwordAuth(who, who, who),
      });
      if (res.statusCode !== 201) throw new Error(`auth failed: ${res.statusCode} ${res.body}`);
      const token = res.headers['x-subject-token'] as string;
      tokens.set(who, token);
      return token;
    },
    inject: (opts) => app.http.inject(opts),
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

export function passwordAuth(
  user: string,
  password: string,
  project?: string,
): Record<string, unknown> {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: user, domain: { name: 'Default' }, password } },
      },
      ...(project ? { scope: { project: { name: project, domain: { name: 'Default' } } } } : {}),
    },
  };
}

/** Asserts a Nova/Cinder fault body: {"<fault>": {"code": status, "message": ...}}. */
export function assertFault(
  res: { statusCode: number; json(): any },
  status: number,
  fault: string,
  message?: string | RegExp,
): void {
  assert.equal(res.statusCode, status);
  const body = res.json()[fault];
  assert.ok(body, `expected a ${fault} body, got ${JSON.stringify(res.json())}`);
  assert.equal(body.code, status);
  if (typeof message === 'string') assert.equal(body.message, message);
  else if (message) assert.match(body.message, message);
}

/** What a test file shares: the app, and token headers for demo (member) and admin. */
export interface AppFixture {
  t: TestApp;
  demo: Record<string, string>;
  admin: Record<string, string>;
  /** The demo and admin project ids. */
  demoProject: string;
  adminProject: string;
}

/**
 * One app per test file, made before its first test and closed after its last. Every test
 * makes what it needs, so tests do not depend on each other's order.
 */
export function useApp(): AppFixture {
  const fixture = {} as AppFixture;
  before(async () => {
    fixture.t = await testApp();
    fixture.demo = { 'x-auth-token': await fixture.t.token('demo') };
    fixture.admin = { 'x-auth-token': await fixture.t.token('admin') };
    const identity = fixture.t.app.identity;
    fixture.demoProject = (await identity.projectByName('demo', 'default')).id;
    fixture.adminProject = (await identity.projectByName('admin', 'default')).id;
  });
  after(() => fixture.t.close());
  return fixture;
}
