// Server list baseline: a bare Fastify + better-sqlite3 server over ROWS servers of one project,
// answering GET /servers/detail?limit=25[&marker=ID] as Nova 2.1 shapes it: newest first
// (created_at desc, id desc, keyset after the marker), each server with its metadata and
// addresses (read for the page's 25 ids in one query each) and the same fields and links as
// pocketstack's view, so both serialise comparable JSON (servers-detail-list prints the sizes).
// It has the index its page needs: (project_id, created_at, id). No auth, no hooks, no logging:
// the floor for the stack.
// Usage: node dist/bench/servers-baseline-server.js DBFILE [ROWS]
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const file = process.argv[2];
const rows = Number(process.argv[3] ?? 10_000);
if (!file) throw new Error('usage: servers-baseline-server DBFILE [ROWS]');
const PROJECT = randomUUID().replaceAll('-', '');
const USER = randomUUID().replaceAll('-', '');
const LIMIT = 25;

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.exec(`CREATE TABLE IF NOT EXISTS servers (id TEXT PRIMARY KEY, project_id TEXT NOT NULL,
  user_id TEXT NOT NULL, name TEXT NOT NULL, vm_state TEXT NOT NULL, task_state TEXT,
  power_state INTEGER NOT NULL, image_id TEXT NOT NULL, flavor_id TEXT NOT NULL,
  key_name TEXT, config_drive TEXT NOT NULL, availability_zone TEXT NOT NULL,
  access_ip_v4 TEXT NOT NULL, access_ip_v6 TEXT NOT NULL, host TEXT, launched_at TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS servers_page ON servers (project_id, created_at, id);
  CREATE TABLE IF NOT EXISTS server_metadata (server_id TEXT NOT NULL, key TEXT NOT NULL,
  value TEXT NOT NULL, PRIMARY KEY (server_id, key));
  CREATE TABLE IF NOT EXISTS addresses (server_id TEXT NOT NULL, network TEXT NOT NULL,
  addr TEXT NOT NULL, mac TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS addresses_server ON addresses (server_id);`);
const insert = db.prepare(`INSERT INTO servers VALUES (?, ?, ?, ?, 'active', NULL, 1, ?, '1',
  NULL, '', 'nova', '', '', 'host', ?, ?, ?)`);
db.transaction(() => {
  const image = randomUUID();
  const t0 = Date.now() - rows * 1000;
  for (let i = 0; i < rows; i++) {
    const at = new Date(t0 + i * 1000).toISOString();
    insert.run(randomUUID(), PROJECT, USER, `bench-${i}`, image, at, at, at);
  }
})();

const first = db.prepare(
  'SELECT * FROM servers WHERE project_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
);
// A row-value comparison, as pocketstack's keyset pages use: SQLite runs it as a range of the
// index, where the OR of two conditions made it walk the index from the newest row down to the
// marker (a cost growing with the marker's depth that pocketstack's pages do not pay).
const after = db.prepare(`SELECT * FROM servers WHERE project_id = ? AND (created_at, id) < (?, ?)
  ORDER BY created_at DESC, id DESC LIMIT ?`);
const byId = db.prepare('SELECT created_at FROM servers WHERE id = ?');
const marks = Array.from({ length: LIMIT }, () => '?').join(', ');
const metaOf = db.prepare(`SELECT * FROM server_metadata WHERE server_id IN (${marks})`);
const addrOf = db.prepare(`SELECT * FROM addresses WHERE server_id IN (${marks})`);

type Row = Record<string, string | number | null>;
const seconds = (at: unknown): string => String(at).slice(0, 19) + 'Z';

function view(base: string, servers: Row[]): Record<string, unknown>[] {
  const ids = servers.map((s) => s.id);
  const pad = Array.from({ length: LIMIT - ids.length }, () => '');
  const meta = new Map(ids.map((id) => [id, {} as Record<string, string>]));
  for (const r of metaOf.all(...ids, ...pad) as Row[])
    meta.get(r.server_id)![r.key!] = String(r.value);
  const addrs = new Map(ids.map((id) => [id, {} as Record<string, unknown[]>]));
  for (const r of addrOf.all(...ids, ...pad) as Row[])
    (addrs.get(r.server_id)![r.network!] ??= []).push({
      version: 4,
      addr: r.addr,
      'OS-EXT-IPS:type': 'fixed',
      'OS-EXT-IPS-MAC:mac_addr': r.mac,
    });
  return servers.map((s) => ({
    id: s.id,
    name: s.name,
    status: 'ACTIVE',
    tenant_id: s.project_id,
    user_id: s.user_id,
    metadata: meta.get(s.id),
    hostId: 'f'.repeat(56),
    image: {
      id: s.image_id,
      links: [{ rel: 'bookmark', href: `${base}/compute/images/${s.image_id}` }],
    },
    flavor: {
      id: s.flavor_id,
      links: [{ rel: 'bookmark', href: `${base}/compute/flavors/${s.flavor_id}` }],
    },
    created: seconds(s.created_at),
    updated: seconds(s.updated_at),
    addresses: addrs.get(s.id),
    accessIPv4: s.access_ip_v4,
    accessIPv6: s.access_ip_v6,
    links: [
      { rel: 'self', href: `${base}/compute/v2.1/servers/${s.id}` },
      { rel: 'bookmark', href: `${base}/compute/servers/${s.id}` },
    ],
    'OS-DCF:diskConfig': 'MANUAL',
    'OS-EXT-AZ:availability_zone': s.availability_zone,
    config_drive: s.config_drive,
    key_name: s.key_name,
    'OS-SRV-USG:launched_at': String(s.launched_at).replace('Z', '000'),
    'OS-SRV-USG:terminated_at': null,
    security_groups: [],
    'OS-EXT-STS:task_state': s.task_state,
    'OS-EXT-STS:vm_state': s.vm_state,
    'OS-EXT-STS:power_state': s.power_state,
    'os-extended-volumes:volumes_attached': [],
  }));
}

const app = Fastify({ logger: false });
app.get('/ids', () => (db.prepare('SELECT id FROM servers').all() as Row[]).map((r) => r.id));
app.get<{ Querystring: { marker?: string } }>('/servers/detail', (req) => {
  const base = `http://${req.headers.host}`;
  const m = req.query.marker;
  let page: Row[];
  if (m) {
    const at = (byId.get(m) as Row | undefined)?.created_at;
    page = after.all(PROJECT, at, m, LIMIT) as Row[];
  } else page = first.all(PROJECT, LIMIT) as Row[];
  const servers = view(base, page);
  const last = page[page.length - 1];
  return {
    servers,
    servers_links: last
      ? [
          {
            rel: 'next',
            href: `${base}/compute/v2.1/servers/detail?limit=${LIMIT}&marker=${last.id}`,
          },
        ]
      : [],
  };
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`baseline listening on ${address}`);
