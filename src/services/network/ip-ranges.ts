import { bitsOf, lastOf, type Cidr, type IpVersion } from './ip.js';

/**
 * Sets of addresses as sorted ranges, the part of netaddr's IPSet that subnet pools use:
 * merging prefixes, taking allocated CIDRs out, and cutting what is left into CIDRs.
 */
/** An inclusive range of addresses of one version. */
export interface Range {
  first: bigint;
  last: bigint;
}

/** Sorts and joins overlapping or adjacent ranges (what netaddr's IPSet.compact() leaves). */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const prev = out.at(-1);
    if (prev && r.first <= prev.last + 1n) {
      if (r.last > prev.last) prev.last = r.last;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}

/** `from` minus `minus`, both merged first. */
export function subtractRanges(from: readonly Range[], minus: readonly Range[]): Range[] {
  const cut = mergeRanges(minus);
  const out: Range[] = [];
  for (const r of mergeRanges(from)) {
    let start = r.first;
    for (const c of cut) {
      if (c.last < start || c.first > r.last) continue;
      if (c.first > start) out.push({ first: start, last: c.first - 1n });
      start = c.last + 1n;
      if (start > r.last) break;
    }
    if (start <= r.last) out.push({ first: start, last: r.last });
  }
  return out;
}

/** The range a CIDR spans. */
export function rangeOf(c: Cidr): Range {
  return { first: c.network, last: lastOf(c) };
}

/** The CIDRs that exactly cover [first, last], largest first from the low end (netaddr's
 * iprange_to_cidrs). */
export function rangeToCidrs(first: bigint, last: bigint, version: IpVersion): Cidr[] {
  const bits = bitsOf(version);
  const out: Cidr[] = [];
  let start = first;
  while (start <= last) {
    let size = 0;
    while (
      size < bits &&
      (start & ((1n << BigInt(size + 1)) - 1n)) === 0n &&
      start + (1n << BigInt(size + 1)) - 1n <= last
    ) {
      size++;
    }
    out.push({ version, network: start, prefixlen: bits - size });
    start += 1n << BigInt(size);
  }
  return out;
}
