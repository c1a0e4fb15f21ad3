// Port list baseline: a bare Fastify + better-sqlite3 server over ROWS ports of one project, each
// with one fixed IP and one security group, answering the page shapes of GET
// /network/v2.0/ports?limit=100: the first 100 by id, and the 100 after a marker id (keyset).
// The tables have pocketstack's columns (migration 010), and each port is shown with the same
// attributes as a member sees them, links included, so both serialise the same JSON. As a floor
// should, it has the index its page query needs: (project_id, id), so a page reads 100 index
// entries in order instead of sorting the project's ports (migration 010 indexes project_id
// alone). No auth, no hooks, no logging: the floor for the stack.
// Usage: node dist/bench/baseline-port-server.js DBFILE [ROWS]
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const file = process.argv[2];
const rows = Number(process.argv[3] ?? 10_000);
if (!file) throw new Error('usage: baseline-port-server DBFILE [ROWS]');
const PROJECT = randomUUID().replaceAll('-', '');
const LIMIT = 100;

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.exec(`CREATE TABLE IF NOT EXISTS ports (
  id TEXT PRIMARY KEY, project_id TEXT NOT NULL, network_id TEXT NOT NULL, name TEXT NOT NULL,
  description TEXT NOT NULL, mac_address TEXT NOT NULL, admin_state_up INTEGER NOT NULL,
  status TEXT NOT NULL, device_id TEXT NOT NULL, device_owner TEXT NOT NULL,
  port_security_enabled INTEGER NOT NULL, binding_host_id TEXT NOT NULL,
  binding_vnic_type TEXT NOT NULL, binding_vif_type TEXT NOT NULL, binding_profile TEXT NOT NULL,
  binding_vif_details TEXT NOT NULL, allowed_address_pairs TEXT NOT NULL,
  extra_dhcp_opts TEXT NOT NULL, dns_name TEXT NOT NULL, revision_number INTEGER NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (network_id, mac_address));
  CREATE INDEX IF NOT EXISTS ports_project_id ON ports (project_id, id);
  CREATE TABLE IF NOT EXISTS ip_allocations (subnet_id TEXT NOT NULL, ip_key TEXT NOT NULL,
  ip_address TEXT NOT NULL, network_id TEXT NOT NULL, port_id TEXT NOT NULL,
  PRIMARY KEY (subnet_id, ip_key));
  CREATE INDEX IF NOT EXISTS ip_allocations_port ON ip_allocations (port_id);
  CREATE TABLE IF NOT EXISTS port_security_groups (port_id TEXT NOT NULL,
  security_group_id TEXT NOT NULL, PRIMARY KEY (port_id, security_group_id));`);
const insertPort = db.prepare(`INSERT INTO ports VALUES (?, ?, ?, '', '', ?, 1, 'DOWN', '', '', 1,
  '', 'normal', 'unbound', '{}', '{}', '[]', '[]', '', 0, ?, ?)`);
const insertIp = db.prepare('INSERT INTO ip_allocations VALUES (?, ?, ?, ?, ?)');
const insertGroup = db.prepare('INSERT INTO port_security_groups VALUES (?, ?)');
db.transaction(() => {
  const [network, subnet, group] = [randomUUID(), randomUUID(), randomUUID()];
  for (let i = 0; i < rows; i++) {
    const id = randomUUID();
    const at = new Date().toISOString();
    const mac = `fa:16:3e:${[16, 8, 0].map((s) => ((i >> s) & 0xff).toString(16).padStart(2, '0')).join(':')}`;
    const ip = `10.0.${(i + 2) >> 8}.${(i + 2) & 0xff}`;
    insertPort.run(id, PROJECT, network, mac, at, at);
    insertIp.run(subnet, String(i + 2).padStart(32, '0'), ip, network, id);
    insertGroup.run(id, group);
  }
})();

const first = db.prepare('SELECT * FROM ports WHERE project_id = ? ORDER BY id LIMIT ?');
const after = db.prepare('SELECT * FROM ports WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?');
const marks = Array.from({ length: LIMIT }, () => '?').join(', ');
const ipsOf = db.prepare(
  `SELECT port_id, subnet_id, ip_address FROM ip_allocations WHERE port_id IN (${marks}) ORDER BY ip_key`,
);
const groupsOf = db.prepare(
  `SELECT port_id, security_group_id FROM port_security_groups WHERE port_id IN (${marks})`,
);

type Row = Record<string, string | number>;
const seconds = (at: unknown): string => String(at).slice(0, 19) + 'Z';

/** The ports of a page with their addresses and groups, as a member sees them. */
function view(ports: Row[]): Record<string, unknown>[] {
  const ids = ports.map((p) => p.id);
  const pad = Array.from({ length: LIMIT - ids.length }, () => '');
  const ips = new Map(ids.map((id) => [id, [] as { subnet_id: string; ip_address: string }[]]));
  for (const r of ipsOf.all(...ids, ...pad) as Row[])
    ips.get(r.port_id)!.push({ subnet_id: String(r.subnet_id), ip_address: String(r.ip_address) });
  const groups = new Map(ids.map((id) => [id, [] as string[]]));
  for (const r of groupsOf.all(...ids, ...pad) as Row[])
    groups.get(r.port_id)!.push(String(r.security_group_id));
  return ports.map((p) => {
    const fixed = ips.get(p.id)!;
    return {
      id: p.id,
      name: p.name,
      network_id: p.network_id,
      mac_address: p.mac_address,
      admin_state_up: p.admin_state_up === 1,
      status: p.status,
      device_id: p.device_id,
      device_owner: p.device_owner,
      fixed_ips: fixed,
      security_groups: groups.get(p.id)!,
      port_security_enabled: p.port_security_enabled === 1,
      allowed_address_pairs: JSON.parse(String(p.allowed_address_pairs)) as unknown,
      extra_dhcp_opts: JSON.parse(String(p.extra_dhcp_opts)) as unknown,
      dns_name: p.dns_name,
      dns_assignment: fixed.map((f) => {
        const host = `host-${f.ip_address.replace(/[.:]/g, '-')}`;
        return { ip_address: f.ip_address, hostname: host, fqdn: `${host}.openstacklocal.` };
      }),
      ip_allocation: 'immediate',
      propagate_uplink_status: false,
      project_id: p.project_id,
      tenant_id: p.project_id,
      description: p.description,
      tags: [],
      created_at: seconds(p.created_at),
      updated_at: seconds(p.updated_at),
      revision_number: p.revision_number,
      'binding:vnic_type': p.binding_vnic_type,
    };
  });
}

const app = Fastify();
app.get<{ Querystring: { marker?: string } }>('/v2.0/ports', async (req) => {
  const { marker } = req.query;
  const page = (
    marker === undefined ? first.all(PROJECT, LIMIT) : after.all(PROJECT, marker, LIMIT)
  ) as Row[];
  const self = `http://${req.headers.host}/v2.0/ports?limit=${LIMIT}`;
  const links = [{ rel: 'previous', href: `${self}&marker=${page[0]?.id}&page_reverse=True` }];
  if (page.length === LIMIT)
    links.unshift({ rel: 'next', href: `${self}&marker=${page.at(-1)?.id}` });
  return { ports: view(page), ports_links: links };
});
// Not measured: hands the bench the ids it may use as markers.
app.get('/ids', async () => db.prepare('SELECT id FROM ports').pluck().all() as string[]);

const url = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`baseline port server listening on ${url}`);
process.once('SIGTERM', () => process.exit(0));
