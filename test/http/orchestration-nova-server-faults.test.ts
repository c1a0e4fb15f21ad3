import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NOVA_TYPES } from '../../src/services/orchestration/resources/nova/index.js';
import type { ResourceType } from '../../src/services/orchestration/resources/types.js';
import { useApp } from '../helpers/app.js';
import { l3Client } from '../helpers/network-l3.js';
import { serverKit } from '../helpers/servers.js';
import { heatKit } from './orchestration-nova-kit.js';

const fx = useApp();
const k = serverKit(fx);
const n = l3Client(fx);
const h = heatKit(fx);
const SERVER = NOVA_TYPES.find((t) => t.type === 'OS::Nova::Server') as ResourceType;
const DEFAULTS = { security_groups: [], metadata: {}, user_data: '' };

describe('OS::Nova::Server: networks by subnet, and failures', () => {
  before(() => k.unlimited());

  test('a subnet entry gets a port Heat makes (named <resource>-port-<n>), deleted with the server', async () => {
    const image = await k.image();
    const net = await n.network({ name: 'net-a' });
    const subnet = await n.subnet(net.id, '10.1.0.0/24');
    const r = await h.rc('web');
    const props = {
      ...DEFAULTS,
      image,
      flavor: '1',
      security_groups: ['default'],
      networks: [{ network: 'net-a', subnet: subnet.id, fixed_ip: '10.1.0.50' }],
    };
    const id = await h.create(SERVER, r, props);
    const ports = JSON.parse(r.data.get('internal_ports')!) as Array<{ id: string }>;
    assert.equal(ports.length, 1);
    const port = (await n.get(`ports/${ports[0]!.id}`)).json().port;
    assert.equal(port.name, 'web-port-0');
    assert.equal(port.device_id, id);
    assert.deepEqual(port.fixed_ips, [{ subnet_id: subnet.id, ip_address: '10.1.0.50' }]);
    assert.deepEqual(await SERVER.attribute(r, id, 'networks', props), {
      'net-a': ['10.1.0.50'],
      [net.id]: ['10.1.0.50'],
    });
    await h.remove(SERVER, r, id, props);
    assert.equal((await n.get(`ports/${ports[0]!.id}`)).statusCode, 404);
  });

  test("a subnet of another network is refused with Heat's text", async () => {
    const a = await n.network({ name: 'net-b' });
    const b = await n.network({ name: 'net-c' });
    const sub = await n.subnet(b.id, '10.2.0.0/24');
    const r = await h.rc('web');
    const err = await h.failure(
      SERVER.create(r, {
        ...DEFAULTS,
        image: await k.image(),
        flavor: '1',
        networks: [{ network: a.id, subnet: sub.id }],
      }),
    );
    assert.deepEqual(err, {
      type: 'StackValidationFailed',
      message: `Specified subnet ${sub.id} does not belongs to network ${a.id}.`,
    });
  });

  test("a server that goes to ERROR fails with nova.py's text, and can be deleted", async () => {
    const admin = await h.rc('x', ['admin']);
    const flavor = await admin.services.compute.createFlavor(admin.ctx, {
      name: 'huge',
      ram: 64,
      vcpus: 1,
      disk: 1000000,
      ephemeral: 0,
      swap: 0,
      rxtxFactor: 1,
      isPublic: true,
      description: null,
    });
    const r = await h.rc('big');
    const props = {
      ...DEFAULTS,
      image: await k.image(),
      flavor: 'huge',
      networks: [{ allocate_network: 'none' }],
    };
    const id = (await SERVER.create(r, props))!;
    let err: { type: string; message: string } | undefined;
    await h.poll('ERROR', async () => {
      try {
        return await SERVER.checkCreateComplete!(r, id, props);
      } catch (e) {
        err = { type: (e as { type: string }).type, message: (e as Error).message };
        return true;
      }
    });
    assert.equal(err?.type, 'ResourceInError');
    assert.match(
      err!.message,
      /^Went to status ERROR due to "Message: No valid host was found\..*, Code: 500"$/,
    );
    await h.remove(SERVER, r, id, props);
    await admin.services.compute.deleteFlavor(admin.ctx, flavor.row.id);
  });

  test('user data: RAW as given; HEAT_CFNTOOLS and SOFTWARE_CONFIG in a MIME multipart', async () => {
    const image = await k.image();
    const r = await h.rc('ud');
    const base = { ...DEFAULTS, image, flavor: '1', networks: [{ allocate_network: 'none' }] };
    const stored = async (id: string) => {
      const row = (await r.services.compute.servers.get(r.ctx, id)).row;
      return Buffer.from(row.user_data ?? '', 'base64').toString('utf8');
    };
    const raw = await SERVER.create(r, {
      ...base,
      user_data: '#!/bin/sh\necho é\n',
      user_data_format: 'RAW',
    });
    assert.equal(await stored(raw!), '#!/bin/sh\necho é\n');
    const cfn = await SERVER.create(r, {
      ...base,
      user_data: 'echo hi',
      user_data_format: 'HEAT_CFNTOOLS',
    });
    const mime = await stored(cfn!);
    assert.match(
      mime,
      /^Content-Type: multipart\/mixed; boundary="(={15}\d{19}==)"\nMIME-Version: 1.0\n\n--\1\n/,
    );
    assert.match(mime, /Content-Type: text\/x-cfninitdata; charset="us-ascii"\n/);
    assert.match(
      mime,
      /Content-Disposition: attachment; filename="cfn-userdata"\n\necho hi\n--={15}\d{19}==--\n$/,
    );
    const sc = await SERVER.create(r, {
      ...base,
      user_data: 'é',
      user_data_format: 'SOFTWARE_CONFIG',
    });
    const scMime = await stored(sc!);
    assert.match(scMime, /Content-Type: text\/plain; charset="utf-8"\n/);
    assert.match(scMime, /Content-Transfer-Encoding: base64\n/);
    assert.match(scMime, /filename=""\n\nw6k=\n/);
    const none = await SERVER.create(r, { ...base, user_data: '', user_data_format: 'RAW' });
    assert.equal((await r.services.compute.servers.get(r.ctx, none!)).row.user_data, null);
    for (const id of [raw, cfn, sc, none]) await h.remove(SERVER, r, id!, base);
  });

  test("networks and personality checks with Heat's texts", async () => {
    const r = await h.rc('web');
    const base = { ...DEFAULTS, image: 'x', flavor: 'nope' };
    const message = async (props: Record<string, unknown>) =>
      (await h.failure(SERVER.validate!(r, { ...base, ...props }))).message;
    assert.equal(
      await message({ networks: [{ port: 'p' }], security_groups: ['default'] }),
      'Cannot define the following properties at the same time: security_groups, networks/port.',
    );
    assert.equal(
      await message({ networks: [{ fixed_ip: '10.0.0.1' }] }),
      'One of the properties "network", "port", "allocate_network" or "subnet" should be set for the specified network of server "web".',
    );
    assert.equal(
      await message({ networks: [{ allocate_network: 'auto', network: 'n' }] }),
      'Can not specify "allocate_network" with other keys of networks at the same time.',
    );
    assert.equal(
      await message({ networks: [{ port: 'p', fixed_ip: '10.0.0.1' }] }),
      'Cannot define the following properties at the same time: networks/fixed_ip, networks/port.',
    );
    assert.equal(
      await message({ personality: { '/etc/motd': 'hi' } }),
      'Cannot use the personality parameter as nova no longer supports it. Use user_data instead.',
    );
  });
});

describe('OS::Nova::Server: image and networks updated in place', () => {
  before(() => k.unlimited());

  test('a new image rebuilds; a new network entry attaches an interface, a removed one detaches it', async () => {
    const first = await k.image();
    const second = await k.image(Buffer.alloc(1 << 20, 0x22));
    const a = await n.network({ name: 'upd-a' });
    await n.subnet(a.id, '10.3.0.0/24');
    const b = await n.network({ name: 'upd-b' });
    await n.subnet(b.id, '10.4.0.0/24');
    const r = await h.rc('upd');
    const props = { ...DEFAULTS, image: first, flavor: '1', networks: [{ network: 'upd-a' }] };
    const id = await h.create(SERVER, r, props);
    const next = { ...props, image: second, networks: [{ network: 'upd-b', fixed_ip: null }] };
    await SERVER.update!(r, id, next, props, ['image', 'networks']);
    const s = await k.waitServer(id, 'ACTIVE');
    assert.equal(s.image.id, second);
    assert.deepEqual(Object.keys(s.addresses), ['upd-b']);
    await h.remove(SERVER, r, id, next);
  });
});
