import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { openSqlite, type Db } from '../../src/store/db.js';
import { TaskRunner, type TaskRunnerOptions } from '../../src/tasks/runner.js';

// The runner over a real SQLite database (a file per test), with handlers that record what ran.

const quiet = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
} as unknown as FastifyBaseLogger;

async function database(t: TestContext): Promise<{ db: Db; file: string }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pocketstack-tasks-'));
  const file = path.join(dir, 'tasks.db');
  const db = await openSqlite(file);
  t.after(async () => {
    await db.destroy();
    await fsp.rm(dir, { recursive: true, force: true });
  });
  return { db, file };
}

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));

/**
 * A runner whose `volume.extend` tasks are `{newSize}` = a task number, serial on the key and
 * owned by the project that `keys` gives for the target id.
 */
function runner(
  db: Db,
  keys: Map<string, { key: string; project: string }>,
  run: (target: string, n: number) => Promise<void>,
  opts: TaskRunnerOptions = {},
): { tasks: TaskRunner; failed: string[] } {
  const tasks = new TaskRunner(db, quiet, opts);
  const failed: string[] = [];
  tasks.register('volume.extend', {
    scope: async (_ex, id) => {
      const k = keys.get(id);
      return { key: k?.key ?? id, projectId: k?.project ?? null };
    },
    run: (id, payload) => run(id, payload.newSize),
    fail: async (id) => {
      failed.push(id);
    },
  });
  return { tasks, failed };
}

test('tasks on one key run one at a time, in the order they were enqueued', async (t) => {
  const { db } = await database(t);
  const keys = new Map<string, { key: string; project: string }>();
  const order: number[] = [];
  let inside = 0;
  let most = 0;
  const { tasks } = runner(db, keys, async (_id, n) => {
    inside++;
    most = Math.max(most, inside);
    await tick(n % 3); // uneven durations must not reorder a line
    order.push(n);
    inside--;
  });
  for (let n = 0; n < 8; n++) {
    keys.set(`t${n}`, { key: 'volume:a', project: 'p' });
    await tasks.enqueue(db, 'volume.extend', `t${n}`, { newSize: n });
  }
  tasks.kick();
  await tasks.idle();
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(most, 1);
  assert.equal((await db.selectFrom('tasks').selectAll().execute()).length, 0);
});

test('tasks on different keys run in parallel, no more than the pool at once', async (t) => {
  const { db } = await database(t);
  const keys = new Map<string, { key: string; project: string }>();
  let inside = 0;
  let most = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const { tasks } = runner(
    db,
    keys,
    async () => {
      inside++;
      most = Math.max(most, inside);
      // The first three wait until all three have started: only parallel runs get past.
      if (inside === 3) release();
      await gate;
      inside--;
    },
    { concurrency: 3 },
  );
  for (let n = 0; n < 7; n++) {
    keys.set(`v${n}`, { key: `volume:${n}`, project: 'p' });
    await tasks.enqueue(db, 'volume.extend', `v${n}`, { newSize: n });
  }
  tasks.kick();
  await tasks.idle();
  assert.equal(most, 3);
});

test('projects take turns: one task of B runs before the rest of A’s hundred', async (t) => {
  const { db } = await database(t);
  const keys = new Map<string, { key: string; project: string }>();
  const order: string[] = [];
  const { tasks } = runner(
    db,
    keys,
    async (id) => {
      order.push(id);
      await tick();
    },
    { concurrency: 2 },
  );
  for (let n = 0; n < 100; n++) {
    keys.set(`a${n}`, { key: `volume:a${n}`, project: 'project-a' });
    await tasks.enqueue(db, 'volume.extend', `a${n}`, { newSize: n });
  }
  keys.set('b0', { key: 'volume:b0', project: 'project-b' });
  await tasks.enqueue(db, 'volume.extend', 'b0', { newSize: 0 });
  keys.set('c0', { key: 'volume:c0', project: 'project-c' });
  await tasks.enqueue(db, 'volume.extend', 'c0', { newSize: 0 });
  tasks.kick();
  await tasks.idle();
  assert.equal(order.length, 102);
  // Round-robin from the start: A, B, C, then A's remaining ones.
  assert.deepEqual(order.slice(0, 3).sort(), ['a0', 'b0', 'c0']);
});

test('a failing task calls fail(), is removed, and holds neither its line nor others', async (t) => {
  const { db } = await database(t);
  const keys = new Map<string, { key: string; project: string }>();
  const ran: string[] = [];
  const { tasks, failed } = runner(db, keys, async (id) => {
    if (id === 'bad') throw new Error('disk on fire');
    ran.push(id);
  });
  for (const id of ['bad', 'after', 'other']) {
    keys.set(id, { key: id === 'other' ? 'volume:2' : 'volume:1', project: 'p' });
    await tasks.enqueue(db, 'volume.extend', id, { newSize: 1 });
  }
  tasks.kick();
  await tasks.idle();
  assert.deepEqual(failed, ['bad']);
  assert.deepEqual(ran.sort(), ['after', 'other']);
  assert.equal((await db.selectFrom('tasks').selectAll().execute()).length, 0);
});

test('a task left in the table, claimed or not, runs when a new runner starts', async (t) => {
  const { db, file } = await database(t);
  const keys = new Map([['v1', { key: 'volume:v1', project: 'p' }]]);
  // The first runner's process dies while the task runs: its claim stays in the table.
  const first = runner(db, keys, () => new Promise<void>(() => undefined));
  await first.tasks.enqueue(db, 'volume.extend', 'v1', { newSize: 5 });
  first.tasks.kick();
  for (let i = 0; i < 200; i++) {
    const row = await db.selectFrom('tasks').select('claimed_by').executeTakeFirst();
    if (row?.claimed_by) break;
    await tick();
  }
  assert.ok((await db.selectFrom('tasks').select('claimed_by').executeTakeFirst())?.claimed_by);
  // A row from before task scopes (migration 007): no key, no project.
  await db
    .insertInto('tasks')
    .values({
      kind: 'volume.extend',
      target_id: 'old',
      payload: JSON.stringify({ newSize: 7 }),
      created_at: new Date().toISOString(),
      serial_key: null,
      project_id: null,
      claimed_by: null,
      claimed_at: null,
    })
    .execute();

  const restarted = await openSqlite(file);
  t.after(() => restarted.destroy());
  const ran: Array<[string, number]> = [];
  const second = runner(restarted, keys, async (id, n) => {
    ran.push([id, n]);
  });
  second.tasks.kick();
  await second.tasks.idle();
  assert.deepEqual(ran.sort(), [
    ['old', 7],
    ['v1', 5],
  ]);
  assert.equal((await restarted.selectFrom('tasks').selectAll().execute()).length, 0);
});

test('enqueue inside a transaction that rolls back leaves no task', async (t) => {
  const { db } = await database(t);
  const ran: string[] = [];
  const { tasks } = runner(db, new Map(), async (id) => {
    ran.push(id);
  });
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await tasks.enqueue(trx, 'volume.extend', 'v1', { newSize: 1 });
      throw new Error('the state change failed');
    }),
  );
  tasks.kick();
  await tasks.idle();
  assert.deepEqual(ran, []);
});
