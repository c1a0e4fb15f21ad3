/**
 * QEMU's user-mode network (slirp) for one NIC: the guest's subnet, the addresses QEMU itself
 * answers on (gateway, DNS) and the first address its DHCP server hands out. With one guest per
 * network the first lease is `dhcpstart`, so the guest gets its port's fixed IP when the subnet
 * lets QEMU place its own two addresses beside it.
 */
export interface UserNet {
  /** `net=` as address/prefix. */
  net: string;
  host: string;
  dns: string;
  dhcpStart: string;
  /** False when the fixed IP could not be given and QEMU's default network is used instead. */
  exact: boolean;
}

export const DEFAULT_USER_NET: UserNet = {
  net: '10.0.2.0/24',
  host: '10.0.2.2',
  dns: '10.0.2.3',
  dhcpStart: '10.0.2.15',
  exact: false,
};

function toInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/**
 * The user network that gives `fixedIp` (in a subnet of `prefix` bits, gateway `gateway` when
 * the subnet has one) to the guest. QEMU checks that its host, DNS and DHCP start addresses lie
 * in `net` (net/slirp.c); the DHCP range is 16 addresses from the start, so the DNS address is
 * kept out of it. A subnet too small for that, or not IPv4, gets QEMU's default network.
 */
export function userNetFor(fixedIp: string, prefix: number, gateway?: string | null): UserNet {
  const ip = toInt(fixedIp);
  if (ip === null || !Number.isInteger(prefix) || prefix < 8 || prefix > 28)
    return DEFAULT_USER_NET;
  const size = 2 ** (32 - prefix);
  const base = ip - (ip % size);
  const first = base + 1;
  const last = base + size - 2;
  if (ip < first || ip > last) return DEFAULT_USER_NET;
  const inRange = (n: number): boolean => n >= first && n <= last;
  const taken = (n: number): boolean => n >= ip && n < ip + 16;
  const gw = gateway ? toInt(gateway) : null;
  const host = gw !== null && inRange(gw) && !taken(gw) ? gw : null;
  const pick = (avoid: number | null): number | null => {
    for (let n = first; n <= last; n++) if (!taken(n) && n !== avoid) return n;
    return null;
  };
  const hostAddr = host ?? pick(null);
  const dns = hostAddr === null ? null : pick(hostAddr);
  if (hostAddr === null || dns === null) return DEFAULT_USER_NET;
  return {
    net: `${toIp(base)}/${prefix}`,
    host: toIp(hostAddr),
    dns: toIp(dns),
    dhcpStart: fixedIp,
    exact: true,
  };
}
