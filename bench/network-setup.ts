// Helpers of the port benches: a network with a /16 subnet, a port quota that allows the count,
// and ports made through the real API (so rows, addresses and groups are exactly the server's).
import path from 'node:path';
import Database from 'better-sqlite3';
import { token } from './common.js';

export type Json = Record<string, any>;

/** One JSON request; a 4xx/5xx throws with the body, so a bench never measures errors. */
export async function api(
  url: string,
  tok: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<Json> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: {
      'x-auth-token': tok,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as Json;
}

/** The project a token is scoped to. */
export async function projectOf(url: string, tok: string): Promise<string> {
  const res = await fetch(`${url}/identity/v3/auth/tokens`, {
    headers: { 'x-auth-token': tok, 'x-subject-token': tok },
  });
  return ((await res.json()) as Json).token.project.id as string;
}

/**
 * A new project `name` in which user demo is a member, and a token of demo's scoped to it: a
 * second project as a member sees it, for measures that must not share demo's port count.
 */
export async function memberProject(url: string, name: string): Promise<string> {
  const admin = await token(url, 'admin');
  const project = (
    await api(url, admin, 'POST', '/identity/v3/projects', {
      project: { name, domain_id: 'default' },
    })
  ).project as Json;
  const user = ((await api(url, admin, 'GET', '/identity/v3/users?name=demo')).users as Json[])[0]!;
  const role = (
    (await api(url, admin, 'GET', '/identity/v3/roles?name=member')).roles as Json[]
  )[0]!;
  await api(
    url,
    admin,
    'PUT',
    `/identity/v3/projects/${project.id}/users/${user.id}/roles/${role.id}`,
  );
  const res = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'demo', domain: { name: 'Default' }, password: 'demo' } },
        },
        scope: { project: { id: project.id } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`auth failed: ${res.status} ${await res.text()}`);
  return res.headers.get('x-subject-token')!;
}

/** A network and one IPv4 subnet on it (Neutron's default pool: the CIDR minus gateway). */
export async function networkWithSubnet(
  url: string,
  tok: string,
  name: string,
  cidr: string,
): Promise<{ networkId: string; subnetId: string }> {
  const net = (await api(url, tok, 'POST', '/network/v2.0/networks', { network: { name } }))
    .network as Json;
  const sub = (
    await api(url, tok, 'POST', '/network/v2.0/subnets', {
      subnet: { network_id: net.id, ip_version: 4, cidr, name: `${name}-subnet` },
    })
  ).subnet as Json;
  return { networkId: net.id as string, subnetId: sub.id as string };
}

/**
 * Sets the project's port quota to `limit` (Neutron's default is 500). A finite limit, not -1,
 * so that every create still pays for its quota check as a real project's would. Through the
 * quota API (PUT /v2.0/quotas/{project_id}, admin) where the server has it; on a build without
 * it, by writing the quota row into the server's database (WAL: the server reads it on its next
 * check; it caches no limits).
 */
export async function setPortQuota(
  url: string,
  dataDir: string,
  projectId: string,
  limit: number,
): Promise<void> {
  const admin = await token(url, 'admin');
  const res = await fetch(`${url}/network/v2.0/quotas/${projectId}`, {
    method: 'PUT',
    headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
    body: JSON.stringify({ quota: { port: limit } }),
  });
  if (res.ok) return;
  if (res.status !== 404) throw new Error(`PUT quotas: ${res.status} ${await res.text()}`);
  const db = new Database(path.join(dataDir, 'pocketstack.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(
      `INSERT INTO network_quotas (project_id, resource, hard_limit) VALUES (?, 'port', ?)
       ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = excluded.hard_limit`,
    ).run(projectId, limit);
  } finally {
    db.close();
  }
}

let macs = 0;

/**
 * A MAC no other port of this process has: fa:16:3e and a counter. The benches name the MAC
 * because the server, on this build, answers MacAddressInUse when the one it draws at random
 * clashes, which among 10,000 ports on a network is all but certain (birthday bound over 2^24);
 * Neutron draws again. The server checks a given MAC for a clash as it would a drawn one.
 */
function nextMac(): string {
  const n = macs++;
  return `fa:16:3e:${[16, 8, 0].map((s) => ((n >> s) & 0xff).toString(16).padStart(2, '0')).join(':')}`;
}

/** POST /network/v2.0/ports on the network, no fixed_ips (one address from the subnet). */
export async function createPort(url: string, tok: string, networkId: string): Promise<string> {
  const body = { port: { network_id: networkId, mac_address: nextMac() } };
  const port = (await api(url, tok, 'POST', '/network/v2.0/ports', body)).port as Json;
  return port.id as string;
}

/** Creates `count` ports, `concurrency` requests in flight; returns their ids. */
export async function populatePorts(
  url: string,
  tok: string,
  networkId: string,
  count: number,
  concurrency: number,
): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      ids.push(await createPort(url, tok, networkId));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}
