/**
 * IP protocols as Neutron's security groups name them (neutron_lib/constants.py
 * IP_PROTOCOL_MAP, neutron/common/_constants.py): the names a rule accepts, their numbers,
 * which take a port range, and which are IPv6-only.
 */
export const PROTOCOL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['ah', 51],
  ['dccp', 33],
  ['egp', 8],
  ['esp', 50],
  ['gre', 47],
  ['hopopt', 0],
  ['icmp', 1],
  ['igmp', 2],
  ['ip', 0],
  ['ipip', 4],
  ['ipv6-encap', 41],
  ['ipv6-frag', 44],
  ['ipv6-icmp', 58],
  // Kept by Neutron for older clients; an IPv6 rule stores it as ipv6-icmp.
  ['icmpv6', 58],
  ['ipv6-nonxt', 59],
  ['ipv6-opts', 60],
  ['ipv6-route', 43],
  ['ospf', 89],
  ['pgm', 113],
  ['rsvp', 46],
  ['sctp', 132],
  ['tcp', 6],
  ['udp', 17],
  ['udplite', 136],
  ['vrrp', 112],
]);

/** Number (as text) -> name; a later name wins, as in Python's dict, except the legacy alias. */
const NAMES_BY_NUMBER: ReadonlyMap<string, string> = new Map(
  [...PROTOCOL_NUMBERS].filter(([name]) => name !== 'icmpv6').map(([n, v]) => [String(v), n]),
);

/** Python's repr of sg_supported_protocols, as SecurityGroupRuleInvalidProtocol prints it. */
export const SUPPORTED_PROTOCOLS_TEXT = `[None, ${[...PROTOCOL_NUMBERS.keys()].map((n) => `'${n}'`).join(', ')}]`;

/** The protocols whose rules take a port range, in the order Neutron lists them. */
export const PORT_PROTOCOL_NAMES = ['dccp', 'sctp', 'tcp', 'udp', 'udplite'];
const PORT_PROTOCOL_NUMBERS = [33, 132, 6, 17, 136];

/** Protocols (names and numbers) an IPv4 rule may not use. */
export const IPV6_ONLY = new Set([
  'ipv6-encap',
  'ipv6-frag',
  'ipv6-icmp',
  'icmpv6',
  'ipv6-nonxt',
  'ipv6-opts',
  'ipv6-route',
  '41',
  '44',
  '58',
  '59',
  '60',
  '43',
]);

/** _get_ip_proto_number: a stored protocol (name or number text) as its number. */
export function protocolNumber(protocol: string): number {
  const name = protocol === 'icmpv6' ? 'ipv6-icmp' : protocol;
  return PROTOCOL_NUMBERS.get(name) ?? Number(protocol);
}

export function takesPorts(number: number): boolean {
  return PORT_PROTOCOL_NUMBERS.includes(number);
}

export function isIcmp(number: number): boolean {
  return number === 1 || number === 58;
}

/**
 * _get_ip_proto_name_and_num: the name and number a protocol stands for, so that `tcp` and `6`
 * are one rule when duplicates are looked for; for IPv6 the legacy ICMP forms are ipv6-icmp.
 */
export function protocolKey(protocol: string, ethertype: string): string {
  let p = protocol;
  if (ethertype === 'IPv6') {
    if (p === 'icmp' || p === 'icmpv6') p = 'ipv6-icmp';
    else if (p === '1') p = '58';
  }
  const number = PROTOCOL_NUMBERS.get(p);
  if (number !== undefined) return `${p}/${number}`;
  const name = NAMES_BY_NUMBER.get(p);
  return name !== undefined ? `${name}/${p}` : `${p}/${p}`;
}
