/**
 * IP addresses and CIDRs as Neutron (through netaddr) reads and prints them. An address is a
 * 128-bit bigint and its version; `keyOf` turns it into 32 hex digits, the form the IPAM tables
 * store, so that text order is address order on every database.
 */
export type IpVersion = 4 | 6;

export interface Address {
  version: IpVersion;
  value: bigint;
}

export interface Cidr {
  version: IpVersion;
  /** The network address (host bits zero). */
  network: bigint;
  prefixlen: number;
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function parseV4(text: string): bigint | null {
  if (!IPV4.test(text)) return null;
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(part), 0n);
}

function parseV6(text: string): bigint | null {
  if (text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): bigint[] | null => {
    if (half === '') return [];
    const out: bigint[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (v4 === null) return null;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        out.push(BigInt(`0x${p}`));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<bigint>(missing).fill(0n), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Reads an address; null when it is not one. IPv4 is dotted quad only, as netaddr's default. */
export function parseAddress(text: unknown): Address | null {
  if (typeof text !== 'string') return null;
  const v4 = parseV4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseV6(text);
  return v6 === null ? null : { version: 6, value: v6 };
}

/** netaddr's str(): dotted quad, or RFC 5952's compressed lowercase IPv6. */
export function formatAddress(a: Address): string {
  if (a.version === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 0xffn)).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  // The longest run of two or more zero groups (the first of equals) becomes '::'.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Reads `a.b.c.d/n` or `x::/n`; `strict` refuses host bits (Neutron's subnet CIDRs allow them
 * and drop them, so callers decide). */
export function parseCidr(text: unknown): (Cidr & { hostBits: boolean }) | null {
  if (typeof text !== 'string') return null;
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const addr = parseAddress(text.slice(0, slash));
  const len = text.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(len)) return null;
  const prefixlen = Number(len);
  if (prefixlen > BITS[addr.version]) return null;
  const mask = maskOf(addr.version, prefixlen);
  return {
    version: addr.version,
    network: addr.value & mask,
    prefixlen,
    hostBits: (addr.value & ~mask & allOnes(addr.version)) !== 0n,
  };
}

function allOnes(version: IpVersion): bigint {
  return (1n << BigInt(BITS[version])) - 1n;
}

function maskOf(version: IpVersion, prefixlen: number): bigint {
  const bits = BigInt(BITS[version]);
  return allOnes(version) ^ ((1n << (bits - BigInt(prefixlen))) - 1n);
}

export function formatCidr(c: Cidr): string {
  return `${formatAddress({ version: c.version, value: c.network })}/${c.prefixlen}`;
}

/** The last address of a CIDR (its broadcast address for IPv4). */
export function lastOf(c: Cidr): bigint {
  return c.network | (allOnes(c.version) ^ maskOf(c.version, c.prefixlen));
}

export function contains(c: Cidr, a: Address): boolean {
  return a.version === c.version && a.value >= c.network && a.value <= lastOf(c);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.network <= lastOf(b) && b.network <= lastOf(a);
}

/** Addresses of a CIDR that can be given to ports: IPv4 keeps out network and broadcast
 * addresses (except on /31 and /32), IPv6 the subnet-router anycast address. */
export function usableRange(c: Cidr): { first: bigint; last: bigint } {
  const last = lastOf(c);
  if (c.version === 4) {
    return c.prefixlen >= 31
      ? { first: c.network, last }
      : { first: c.network + 1n, last: last - 1n };
  }
  return c.prefixlen === 128 ? { first: c.network, last } : { first: c.network + 1n, last };
}

/** The IPAM tables' key: 32 hex digits, the same width for both versions. */
export function keyOf(value: bigint): string {
  return value.toString(16).padStart(32, '0');
}

export function valueOfKey(key: string): bigint {
  return BigInt(`0x${key}`);
}

/** A MAC address as six octets; null when it is not `aa:bb:cc:dd:ee:ff` (or `-` separated). */
function macOctets(mac: string): number[] | null {
  if (!/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/.test(mac)) return null;
  return mac.split(/[:-]/).map((h) => parseInt(h, 16));
}

/**
 * The modified EUI-64 address a SLAAC host takes on a prefix (RFC 4291 appendix A), as
 * oslo.utils' get_ipv6_addr_by_EUI64 computes it: the MAC split by ff:fe, its universal/local
 * bit flipped, added to the prefix's network address.
 */
export function eui64(prefix: Cidr, mac: string): bigint | null {
  const m = macOctets(mac);
  if (!m || prefix.version !== 6) return null;
  const iid = [m[0]! ^ 0x02, m[1]!, m[2]!, 0xff, 0xfe, m[3]!, m[4]!, m[5]!].reduce(
    (acc, b) => (acc << 8n) | BigInt(b),
    0n,
  );
  return (prefix.network + iid) & allOnes(6);
}

/** netaddr's IPNetwork.is_multicast(): the network address is a multicast one. */
export function isMulticast(c: Cidr): boolean {
  return c.version === 4 ? c.network >> 28n === 0xen : c.network >> 120n === 0xffn;
}

/** netaddr's IPNetwork.is_loopback(): the whole CIDR lies in 127.0.0.0/8 or is ::1/128. */
export function isLoopback(c: Cidr): boolean {
  if (c.version === 6) return c.prefixlen === 128 && c.network === 1n;
  return c.prefixlen >= 8 && c.network >> 24n === 127n;
}

/** The width of an address of a version, in bits. */
export function bitsOf(version: IpVersion): number {
  return BITS[version];
}
