import type { Db } from '../../store/db.js';
import type { SubnetPoolRow } from '../../store/network-schema.js';
import { conflict, NeutronFault } from './errors.js';
import { bitsOf, formatCidr, parseCidr, type Cidr, type IpVersion } from './ip.js';
import { mergeRanges, rangeOf, rangeToCidrs, subtractRanges } from './ip-ranges.js';

/**
 * Subnet pool arithmetic (neutron/ipam/subnet_alloc.py): reading a pool's prefixes and bounds,
 * and allocating a subnet's CIDR from what the pool has free.
 */

function bounds(type: string, value: number, base: string, baseValue: number): NeutronFault {
  return new NeutronFault(
    400,
    'IllegalSubnetPoolPrefixBounds',
    `Illegal prefix bounds: ${type}=${value}, ${base}=${baseValue}.`,
  );
}

/**
 * SubnetPoolReader: the prefixes, all of one version, compacted into CIDRs; the prefix-length
 * bounds with their defaults (min 8 or 64, max 32 or 128, default = min) and their order.
 */
export function readPool(p: {
  prefixes: string[];
  min_prefixlen?: number;
  max_prefixlen?: number;
  default_prefixlen?: number;
}): { ip_version: IpVersion; prefixes: string[]; min: number; max: number; dflt: number } {
  if (p.prefixes.length === 0) {
    throw new NeutronFault(400, 'EmptySubnetPoolPrefixList', 'Empty subnet pool prefix list.');
  }
  const cidrs = p.prefixes.map((t) => parseCidr(t)!);
  const version = cidrs[0]!.version;
  if (cidrs.some((c) => c.version !== version)) {
    throw new NeutronFault(
      400,
      'PrefixVersionMismatch',
      'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.',
    );
  }
  const prefixes = mergeRanges(cidrs.map(rangeOf))
    .flatMap((r) => rangeToCidrs(r.first, r.last, version))
    .map(formatCidr);
  const min = p.min_prefixlen ?? (version === 4 ? 8 : 64);
  const max = p.max_prefixlen ?? bitsOf(version);
  const dflt = p.default_prefixlen ?? min;
  if (min > max) throw bounds('min_prefixlen', min, 'max_prefixlen', max);
  if (max > bitsOf(version)) throw bounds('max_prefixlen', max, 'ip_version_max', bitsOf(version));
  if (dflt < min) throw bounds('default_prefixlen', dflt, 'min_prefixlen', min);
  if (dflt > max) throw bounds('default_prefixlen', dflt, 'max_prefixlen', max);
  return { ip_version: version, prefixes, min, max, dflt };
}

/** A subnet allocated from a pool: its CIDR, and whether the pool chose it. */
export interface PoolRequest {
  projectId: string;
  /** A specific CIDR, or any of `prefixlen` (the pool's default when undefined). */
  cidr?: Cidr;
  prefixlen?: number;
}

/**
 * SubnetAllocator.allocate_subnet inside the subnet's transaction: the prefix length within
 * the pool's bounds, the project's prefix quota, then the first fitting block of what is
 * free (smallest free blocks first) or the requested CIDR if one free block holds it.
 * Neutron answers a full pool with a 500; this answers 409 with Neutron's type and text.
 */
export async function allocateFromPool(
  tx: Db,
  pool: SubnetPoolRow,
  req: PoolRequest,
): Promise<Cidr> {
  const version = pool.ip_version as IpVersion;
  const prefixlen = req.cidr?.prefixlen ?? req.prefixlen ?? pool.default_prefixlen;
  if (prefixlen > pool.max_prefixlen) {
    throw new NeutronFault(
      400,
      'MaxPrefixSubnetAllocationError',
      `Unable to allocate subnet with prefix length ${prefixlen}, maximum allowed prefix is ${pool.max_prefixlen}.`,
    );
  }
  if (prefixlen < pool.min_prefixlen) {
    throw new NeutronFault(
      400,
      'MinPrefixSubnetAllocationError',
      `Unable to allocate subnet with prefix length ${prefixlen}, minimum allowed prefix is ${pool.min_prefixlen}.`,
    );
  }
  const allocated = await tx
    .selectFrom('subnets')
    .select(['cidr', 'project_id'])
    .where('subnetpool_id', '=', pool.id)
    .execute();
  if (pool.default_quota) {
    const unit = version === 4 ? 32 : 64;
    const used = allocated
      .filter((s) => s.project_id === req.projectId)
      .reduce((n, s) => n + 2 ** (unit - parseCidr(s.cidr)!.prefixlen), 0);
    if (used + 2 ** (unit - prefixlen) > pool.default_quota) {
      throw conflict('SubnetPoolQuotaExceeded', 'Per-tenant subnet pool prefix quota exceeded.');
    }
  }
  const prefixes = (JSON.parse(pool.prefixes) as string[]).map((t) => rangeOf(parseCidr(t)!));
  const free = subtractRanges(
    prefixes,
    allocated.map((s) => rangeOf(parseCidr(s.cidr)!)),
  )
    .flatMap((r) => rangeToCidrs(r.first, r.last, version))
    .sort((a, b) => b.prefixlen - a.prefixlen);
  if (req.cidr) {
    const want = rangeOf(req.cidr);
    const block = free.find((b) => b.network <= want.first && rangeOf(b).last >= want.last);
    if (block) return req.cidr;
    throw allocationError('Cannot allocate requested subnet from the available set of prefixes');
  }
  const block = free.find((b) => b.prefixlen <= prefixlen);
  if (!block) {
    throw allocationError(`Insufficient prefix space to allocate subnet size /${prefixlen}`);
  }
  return { version, network: block.network, prefixlen };
}

function allocationError(reason: string): NeutronFault {
  return conflict('SubnetAllocationError', `Failed to allocate subnet: ${reason}.`);
}
