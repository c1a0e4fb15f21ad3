import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eui64,
  formatAddress,
  formatCidr,
  isLoopback,
  isMulticast,
  lastOf,
  overlaps,
  parseAddress,
  parseCidr,
  usableRange,
} from '../../src/services/network/ip.js';
import { mergeRanges, rangeToCidrs, subtractRanges } from '../../src/services/network/ip-ranges.js';

const v6 = (text: string) => parseAddress(text)!.value;
const fmt6 = (value: bigint) => formatAddress({ version: 6, value });

test('IPv4: dotted quads only; leading zeros and short forms are not addresses', () => {
  assert.deepEqual(parseAddress('10.0.0.1'), { version: 4, value: 0x0a000001n });
  assert.equal(formatAddress({ version: 4, value: 0xffffffffn }), '255.255.255.255');
  for (const bad of ['10.0.0', '10.0.0.256', '010.0.0.1', '1.2.3.4 ', '', '10/8', 'a.b.c.d']) {
    assert.equal(parseAddress(bad), null, bad);
  }
  for (const notText of [null, 42, { toString: 'x' }, ['10.0.0.1']]) {
    assert.equal(parseAddress(notText), null);
  }
});

test('IPv6: every written form reads; printing follows RFC 5952', () => {
  const cases: [string, string][] = [
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8::', '2001:db8::'],
    ['::', '::'],
    ['::1', '::1'],
    // One zero group stays a 0, the longest run is compressed, the first of equal runs wins.
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['fe80::ffff:ffff:ffff:ffff', 'fe80::ffff:ffff:ffff:ffff'],
  ];
  for (const [input, printed] of cases) assert.equal(fmt6(v6(input)), printed, input);
  for (const bad of ['1::2::3', '12345::', ':::', '1:2:3:4:5:6:7:8:9', 'g::1', '1:2:3:4:5:6:7']) {
    assert.equal(parseAddress(bad), null, bad);
  }
});

test('CIDRs: the network address, whether host bits were set, the last address', () => {
  const c = parseCidr('10.0.0.77/24')!;
  assert.equal(formatCidr(c), '10.0.0.0/24');
  assert.equal(c.hostBits, true);
  assert.equal(parseCidr('10.0.0.0/24')!.hostBits, false);
  assert.equal(formatAddress({ version: 4, value: lastOf(c) }), '10.0.0.255');
  assert.equal(formatCidr(parseCidr('2001:DB8::1/64')!), '2001:db8::/64');
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '::/129', '10.0.0.0/-1', '10.0.0.0/ 8', 7]) {
    assert.equal(parseCidr(bad), null, String(bad));
  }
});

test('usable range, overlap, loopback and multicast as netaddr and Neutron read them', () => {
  const r = usableRange(parseCidr('10.0.0.0/30')!);
  assert.deepEqual([r.first, r.last], [0x0a000001n, 0x0a000002n]);
  const r31 = usableRange(parseCidr('10.0.0.0/31')!);
  assert.deepEqual([r31.first, r31.last], [0x0a000000n, 0x0a000001n]);
  assert.ok(overlaps(parseCidr('10.0.0.0/8')!, parseCidr('10.1.0.0/16')!));
  assert.ok(!overlaps(parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/24')!));
  assert.ok(!overlaps(parseCidr('::/0')!, parseCidr('0.0.0.0/0')!), 'versions never overlap');
  assert.ok(isLoopback(parseCidr('127.0.0.0/24')!));
  assert.ok(!isLoopback(parseCidr('126.0.0.0/7')!));
  assert.ok(isLoopback(parseCidr('::1/128')!));
  assert.ok(isMulticast(parseCidr('224.0.0.0/24')!));
  assert.ok(isMulticast(parseCidr('ff02::/64')!));
  assert.ok(!isMulticast(parseCidr('10.0.0.0/8')!));
});

test('EUI-64: the MAC around ff:fe with the universal/local bit flipped, on the prefix', () => {
  // oslo.utils' own example: get_ipv6_addr_by_EUI64('2001:db8::', '00:16:3e:33:44:55').
  const prefix = parseCidr('2001:db8::/64')!;
  assert.equal(fmt6(eui64(prefix, '00:16:3e:33:44:55')!), '2001:db8::216:3eff:fe33:4455');
  assert.equal(fmt6(eui64(prefix, 'fa:16:3e:00:00:01')!), '2001:db8::f816:3eff:fe00:1');
  assert.equal(eui64(prefix, 'not-a-mac'), null);
  assert.equal(eui64(parseCidr('10.0.0.0/24')!, 'fa:16:3e:00:00:01'), null);
});

test('ranges: merged, subtracted and cut into CIDRs as netaddr IPSets are', () => {
  const merged = mergeRanges([
    { first: 10n, last: 20n },
    { first: 0n, last: 4n },
    { first: 5n, last: 9n },
    { first: 15n, last: 30n },
  ]);
  assert.deepEqual(merged, [{ first: 0n, last: 30n }]);
  assert.deepEqual(
    subtractRanges(
      [{ first: 0n, last: 99n }],
      [
        { first: 10n, last: 19n },
        { first: 0n, last: 0n },
        { first: 90n, last: 120n },
      ],
    ),
    [
      { first: 1n, last: 9n },
      { first: 20n, last: 89n },
    ],
  );
  const cidrs = rangeToCidrs(parseAddress('10.0.0.1')!.value, parseAddress('10.0.0.6')!.value, 4);
  assert.deepEqual(cidrs.map(formatCidr), [
    '10.0.0.1/32',
    '10.0.0.2/31',
    '10.0.0.4/31',
    '10.0.0.6/32',
  ]);
  const whole = rangeToCidrs(0n, (1n << 32n) - 1n, 4);
  assert.deepEqual(whole.map(formatCidr), ['0.0.0.0/0']);
});
