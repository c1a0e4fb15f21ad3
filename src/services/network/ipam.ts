import type { Db } from '../../store/db.js';
import { formatAddress, keyOf, valueOfKey, type IpVersion } from './ip.js';

/**
 * IP address management over three tables: a subnet's allocation pools, what is still free in
 * them as ranges, and the allocations. Every function runs inside the caller's transaction, so
 * an allocation and the port that holds it commit together or not at all.
 *
 * What stays true: an address is in `ip_allocations` at most once per subnet (its primary key),
 * and a free range never holds an allocated address. Taking the next free address is one index
 * lookup and a conditional update of one range, whatever the number of ports.
 */
export interface Pool {
  first: bigint;
  last: bigint;
}

export interface Allocation {
  subnetId: string;
  ip: string;
}

/** Replaces a subnet's pools and rebuilds its free ranges: the pools minus what is allocated. */
export async function setPools(
  tx: Db,
  subnetId: string,
  version: IpVersion,
  pools: Pool[],
): Promise<void> {
  await tx.deleteFrom('subnet_allocation_pools').where('subnet_id', '=', subnetId).execute();
  await tx.deleteFrom('ip_free_ranges').where('subnet_id', '=', subnetId).execute();
  const sorted = [...pools].sort((a, b) => (a.first < b.first ? -1 : 1));
  for (const p of sorted) {
    await tx
      .insertInto('subnet_allocation_pools')
      .values({
        subnet_id: subnetId,
        first_ip: formatAddress({ version, value: p.first }),
        last_ip: formatAddress({ version, value: p.last }),
        first_key: keyOf(p.first),
        last_key: keyOf(p.last),
      })
      .execute();
  }
  // Each pool minus what is allocated inside it, read in address order by the primary key: a
  // walk over the pool's allocations, not over every address of the subnet.
  for (const p of sorted) {
    const used = await tx
      .selectFrom('ip_allocations')
      .select('ip_key')
      .where('subnet_id', '=', subnetId)
      .where('ip_key', '>=', keyOf(p.first))
      .where('ip_key', '<=', keyOf(p.last))
      .orderBy('ip_key')
      .execute();
    let start = p.first;
    for (const { ip_key } of used) {
      const ip = valueOfKey(ip_key);
      if (ip > start) await insertRange(tx, subnetId, start, ip - 1n);
      start = ip + 1n;
    }
    if (start <= p.last) await insertRange(tx, subnetId, start, p.last);
  }
}

async function insertRange(tx: Db, subnetId: string, first: bigint, last: bigint): Promise<void> {
  await tx
    .insertInto('ip_free_ranges')
    .values({ subnet_id: subnetId, first_key: keyOf(first), last_key: keyOf(last) })
    .execute();
}

/**
 * Takes the lowest free address of a subnet's pools for a port; null when the pools are used
 * up. The range is shrunk by a conditional update on the value read, so on a database where
 * another writer got there first, the loop reads again instead of handing the address out twice.
 */
export async function allocateNext(
  tx: Db,
  subnet: { id: string; network_id: string; ip_version: number },
  portId: string,
): Promise<string | null> {
  for (;;) {
    const range = await tx
      .selectFrom('ip_free_ranges')
      .select(['first_key', 'last_key'])
      .where('subnet_id', '=', subnet.id)
      .orderBy('first_key')
      .limit(1)
      .executeTakeFirst();
    if (!range) return null;
    const value = valueOfKey(range.first_key);
    const taken =
      range.first_key === range.last_key
        ? await tx
            .deleteFrom('ip_free_ranges')
            .where('subnet_id', '=', subnet.id)
            .where('first_key', '=', range.first_key)
            .executeTakeFirst()
            .then((r) => Number(r.numDeletedRows))
        : await tx
            .updateTable('ip_free_ranges')
            .set({ first_key: keyOf(value + 1n) })
            .where('subnet_id', '=', subnet.id)
            .where('first_key', '=', range.first_key)
            .executeTakeFirst()
            .then((r) => Number(r.numUpdatedRows));
    if (taken !== 1) continue;
    const ip = formatAddress({ version: subnet.ip_version as IpVersion, value });
    await record(tx, subnet, value, ip, portId);
    return ip;
  }
}

/**
 * Takes a requested address (which may lie outside the pools, as Neutron allows). Returns false
 * when it is already allocated; the primary key refuses a racing second insert either way.
 */
export async function allocateAddress(
  tx: Db,
  subnet: { id: string; network_id: string; ip_version: number },
  value: bigint,
  portId: string,
): Promise<boolean> {
  const key = keyOf(value);
  const existing = await tx
    .selectFrom('ip_allocations')
    .select('port_id')
    .where('subnet_id', '=', subnet.id)
    .where('ip_key', '=', key)
    .executeTakeFirst();
  if (existing) return false;
  const range = await tx
    .selectFrom('ip_free_ranges')
    .select(['first_key', 'last_key'])
    .where('subnet_id', '=', subnet.id)
    .where('first_key', '<=', key)
    .where('last_key', '>=', key)
    .executeTakeFirst();
  if (range) {
    await tx
      .deleteFrom('ip_free_ranges')
      .where('subnet_id', '=', subnet.id)
      .where('first_key', '=', range.first_key)
      .execute();
    const first = valueOfKey(range.first_key);
    const last = valueOfKey(range.last_key);
    if (first < value) await insertRange(tx, subnet.id, first, value - 1n);
    if (value < last) await insertRange(tx, subnet.id, value + 1n, last);
  }
  const ip = formatAddress({ version: subnet.ip_version as IpVersion, value });
  await record(tx, subnet, value, ip, portId);
  return true;
}

async function record(
  tx: Db,
  subnet: { id: string; network_id: string },
  value: bigint,
  ip: string,
  portId: string,
): Promise<void> {
  await tx
    .insertInto('ip_allocations')
    .values({
      subnet_id: subnet.id,
      ip_key: keyOf(value),
      ip_address: ip,
      network_id: subnet.network_id,
      port_id: portId,
    })
    .execute();
}

/**
 * Gives an allocation back. An address inside a pool becomes free again, joined to the free
 * ranges next to it so that ranges do not fragment as ports come and go.
 */
export async function release(tx: Db, subnetId: string, ipKey: string): Promise<void> {
  await tx
    .deleteFrom('ip_allocations')
    .where('subnet_id', '=', subnetId)
    .where('ip_key', '=', ipKey)
    .execute();
  const inPool = await tx
    .selectFrom('subnet_allocation_pools')
    .select(['first_key', 'last_key'])
    .where('subnet_id', '=', subnetId)
    .where('first_key', '<=', ipKey)
    .where('last_key', '>=', ipKey)
    .executeTakeFirst();
  if (!inPool) return;
  const value = valueOfKey(ipKey);
  let first = value;
  let last = value;
  if (ipKey !== inPool.first_key) {
    const before = await tx
      .selectFrom('ip_free_ranges')
      .select('first_key')
      .where('subnet_id', '=', subnetId)
      .where('last_key', '=', keyOf(value - 1n))
      .executeTakeFirst();
    if (before) {
      first = valueOfKey(before.first_key);
      await tx
        .deleteFrom('ip_free_ranges')
        .where('subnet_id', '=', subnetId)
        .where('first_key', '=', before.first_key)
        .execute();
    }
  }
  if (ipKey !== inPool.last_key) {
    const after = await tx
      .selectFrom('ip_free_ranges')
      .select('last_key')
      .where('subnet_id', '=', subnetId)
      .where('first_key', '=', keyOf(value + 1n))
      .executeTakeFirst();
    if (after) {
      last = valueOfKey(after.last_key);
      await tx
        .deleteFrom('ip_free_ranges')
        .where('subnet_id', '=', subnetId)
        .where('first_key', '=', keyOf(value + 1n))
        .execute();
    }
  }
  await insertRange(tx, subnetId, first, last);
}

/** Releases every address a port holds. */
export async function releasePort(tx: Db, portId: string): Promise<void> {
  const held = await tx
    .selectFrom('ip_allocations')
    .select(['subnet_id', 'ip_key'])
    .where('port_id', '=', portId)
    .execute();
  for (const a of held) await release(tx, a.subnet_id, a.ip_key);
}

/** The addresses of ports, in allocation order per subnet: port id -> fixed_ips. */
export async function fixedIpsOf(
  db: Db,
  portIds: readonly string[],
): Promise<Map<string, { subnet_id: string; ip_address: string }[]>> {
  const out = new Map<string, { subnet_id: string; ip_address: string }[]>(
    portIds.map((id) => [id, []]),
  );
  for (let i = 0; i < portIds.length; i += 500) {
    const rows = await db
      .selectFrom('ip_allocations')
      .select(['port_id', 'subnet_id', 'ip_address'])
      .where('port_id', 'in', portIds.slice(i, i + 500))
      .orderBy('ip_key')
      .execute();
    for (const r of rows) {
      out.get(r.port_id)?.push({ subnet_id: r.subnet_id, ip_address: r.ip_address });
    }
  }
  return out;
}
