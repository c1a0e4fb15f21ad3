// List baseline: a bare Fastify + better-sqlite3 server over a table of ROWS image-like rows,
// answering the same two page shapes as GET /image/v2/images: the first 25 by created_at desc,
// and the 25 after a marker id (keyset). No auth, no hooks, no logging: the floor for the stack.
// Usage: node dist/bench/baseline-list-server.js DBFILE [ROWS]
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const file = process.argv[2];
const rows = Number(process.argv[3] ?? 10_000);
if (!file) throw new Error('usage: baseline-list-server DBFILE [ROWS]');

const db = new Database(file);
db.pragma('journal_mode = WAL');
// The same columns as pocketstack's images table, so both serialise rows of the same width.
db.exec(`CREATE TABLE IF NOT EXISTS images (
  id TEXT PRIMARY KEY, name TEXT, status TEXT NOT NULL, visibility TEXT NOT NULL,
  protected INTEGER NOT NULL DEFAULT 0, os_hidden INTEGER NOT NULL DEFAULT 0,
  checksum TEXT, os_hash_algo TEXT, os_hash_value TEXT, owner TEXT, size INTEGER, virtual_size INTEGER,
  container_format TEXT, disk_format TEXT, min_disk INTEGER NOT NULL DEFAULT 0, min_ram INTEGER NOT NULL DEFAULT 0,
  file_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS images_created ON images (created_at, id);`);
const insert =
  db.prepare(`INSERT INTO images (id, name, status, visibility, owner, container_format, disk_format, created_at, updated_at)
  VALUES (?, ?, 'queued', 'shared', 'demo', 'bare', 'raw', ?, ?)`);
db.transaction(() => {
  const t0 = Date.now() - rows;
  for (let i = 0; i < rows; i++) {
    const at = new Date(t0 + i).toISOString();
    insert.run(randomUUID(), `bench-${i}`, at, at);
  }
})();

const first = db.prepare('SELECT * FROM images ORDER BY created_at DESC, id DESC LIMIT 25');
const marker = db.prepare('SELECT created_at, id FROM images WHERE id = ?');
const after = db.prepare(
  'SELECT * FROM images WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT 25',
);

const app = Fastify();
app.get<{ Querystring: { marker?: string } }>('/images', async (req, reply) => {
  if (req.query.marker === undefined) return { images: first.all() };
  const m = marker.get(req.query.marker) as { created_at: string; id: string } | undefined;
  if (!m) return reply.code(400).send({ error: 'no such marker' });
  return { images: after.all(m.created_at, m.id) };
});
// Not measured: hands the bench the ids it may use as markers.
app.get('/ids', async () => db.prepare('SELECT id FROM images').pluck().all() as string[]);

const url = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`baseline list server listening on ${url}`);
process.once('SIGTERM', () => process.exit(0));
