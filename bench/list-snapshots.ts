// GET /volume/v3/{project}/snapshots/detail?limit=25 with 10,000 snapshots, 16 connections:
// requests/s and p99 for the first page and for a page after a random marker.
//
// The 10,000 snapshot rows are inserted straight into the database while the server is
// stopped: listing reads only rows, and creating them through the API would also create
// 10,000 qcow2 heads (2 GB) that the list never touches. The volume they belong to is real.
import path from 'node:path';
import Database from 'better-sqlite3';
import autocannon from 'autocannon';
import { envInt, fix, machineNote, removeDir, startPocketstack, tempDir, token } from './common.js';

const COUNT = envInt('BENCH_SNAPSHOTS', 10_000);
const DURATION = envInt('BENCH_DURATION', 10);

async function main(): Promise<void> {
  console.log(
    `list-snapshots: ${COUNT} snapshots, 16 connections, ${DURATION} s per measure (${await machineNote()})`,
  );
  const dir = tempDir('bench-snaps-');
  const dataDir = path.join(dir, 'data');
  let server = await startPocketstack(dataDir, { POCKETSTACK_LOG_LEVEL: 'warn' });
  try {
    let tok = await token(server.url);
    const who = await fetch(`${server.url}/identity/v3/auth/tokens`, {
      headers: { 'x-auth-token': tok, 'x-subject-token': tok },
    });
    const project = ((await who.json()) as { token: { project: { id: string } } }).token.project.id;
    const base = `/volume/v3/${project}`;
    const created = await fetch(`${server.url}${base}/volumes`, {
      method: 'POST',
      headers: { 'x-auth-token': tok, 'content-type': 'application/json' },
      body: JSON.stringify({ volume: { size: 1, name: 'bench' } }),
    });
    const volume = ((await created.json()) as { volume: { id: string; user_id: string } }).volume;
    await server.stop();

    const db = new Database(path.join(dataDir, 'pocketstack.db'));
    const insert = db.prepare(
      `insert into snapshots (id, project_id, user_id, volume_id, name, description, size, status, layer, created_at, updated_at)
       values (?, ?, ?, ?, ?, null, 1, 'available', null, ?, null)`,
    );
    const ids: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < COUNT; i++) {
        const id = crypto.randomUUID();
        ids.push(id);
        insert.run(
          id,
          project,
          volume.user_id,
          volume.id,
          `snap-${i}`,
          new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
        );
      }
    })();
    db.close();

    server = await startPocketstack(dataDir, { POCKETSTACK_LOG_LEVEL: 'warn' });
    tok = await token(server.url);
    const measure = async (label: string, pathOf: () => string): Promise<void> => {
      const r = await autocannon({
        url: server.url,
        connections: 16,
        duration: DURATION,
        headers: { 'x-auth-token': tok },
        requests: [{ setupRequest: (req) => ({ ...req, path: pathOf() }) }],
      });
      if (r.errors || r.non2xx)
        throw new Error(`${label}: ${r.errors} errors, ${r.non2xx} non-2xx`);
      console.log(
        `  ${label.padEnd(22)} ${fix(r.requests.average).padStart(8)} req/s  p99 ${r.latency.p99} ms`,
      );
    };
    console.log('list-snapshots results:');
    await measure('first page', () => `${base}/snapshots/detail?limit=25`);
    await measure(
      'random-marker page',
      () =>
        `${base}/snapshots/detail?limit=25&marker=${ids[Math.floor(Math.random() * ids.length)]}`,
    );
  } finally {
    await server.stop();
    removeDir(dir);
  }
}

await main();
