import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

const external = (flags: Record<string, string>, env: Record<string, string> = {}) =>
  loadConfig(flags, env).externalNetwork;

test('the external network defaults to ext-net on a loopback /24, gateway first, pool the rest', () => {
  assert.deepEqual(external({}), {
    name: 'ext-net',
    cidr: '127.100.0.0/24',
    gateway: '127.100.0.1',
    poolStart: '127.100.0.2',
    poolEnd: '127.100.0.254',
  });
});

test('flags win over the environment for the external network', () => {
  const env = {
    POCKETSTACK_EXTERNAL_NETWORK: 'public',
    POCKETSTACK_EXTERNAL_CIDR: '127.50.0.0/16',
  };
  assert.equal(external({}, env).name, 'public');
  assert.equal(external({}, env).cidr, '127.50.0.0/16');
  assert.equal(external({ 'external-network': 'outside' }, env).name, 'outside');
});

test('an explicit gateway and pool are kept; a gateway inside the default pool splits it', () => {
  const c = external({
    'external-cidr': '127.10.0.0/24',
    'external-gateway': '127.10.0.254',
    'external-pool': '127.10.0.10-127.10.0.20',
  });
  assert.deepEqual(c, {
    name: 'ext-net',
    cidr: '127.10.0.0/24',
    gateway: '127.10.0.254',
    poolStart: '127.10.0.10',
    poolEnd: '127.10.0.20',
  });
  const mid = external({ 'external-cidr': '127.10.0.0/24', 'external-gateway': '127.10.0.100' });
  assert.equal(mid.poolStart, '127.10.0.101');
  assert.equal(mid.poolEnd, '127.10.0.254');
  const small = external({ 'external-cidr': '127.10.0.0/30' });
  assert.deepEqual(
    [small.gateway, small.poolStart, small.poolEnd],
    ['127.10.0.1', '127.10.0.2', '127.10.0.2'],
  );
});

test('bad external network options are refused with the reason', () => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ 'external-cidr': 'nonsense' }, /invalid external CIDR/],
    [{ 'external-cidr': '127.100.0.1/24' }, /invalid external CIDR/],
    [{ 'external-cidr': '2001:db8::/64' }, /invalid external CIDR/],
    [{ 'external-cidr': '127.100.0.0/31' }, /invalid external CIDR/],
    [{ 'external-cidr': '127.100.0.0/33' }, /invalid external CIDR/],
    [{ 'external-gateway': '10.0.0.1' }, /external gateway must be a usable address/],
    [{ 'external-gateway': '127.100.0.255' }, /external gateway must be a usable address/],
    [{ 'external-pool': '127.100.0.10' }, /invalid external pool/],
    [{ 'external-pool': '127.100.0.10-127.100.1.20' }, /external pool end must be/],
    [{ 'external-pool': '127.100.0.0-127.100.0.20' }, /external pool start must be/],
    [{ 'external-pool': '127.100.0.30-127.100.0.20' }, /start is after its end/],
    [{ 'external-pool': '127.100.0.1-127.100.0.20' }, /holds the gateway 127.100.0.1/],
    [{ 'external-network': 'x'.repeat(256) }, /invalid external network name/],
  ];
  for (const [flags, message] of bad) {
    assert.throws(
      () => loadConfig(flags, {}),
      (e: Error) => e instanceof ConfigError && message.test(e.message),
      JSON.stringify(flags),
    );
  }
  assert.throws(() => loadConfig({}, { POCKETSTACK_EXTERNAL_NETWORK: '' }), ConfigError);
});
