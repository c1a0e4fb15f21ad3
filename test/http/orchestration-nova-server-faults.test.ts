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
});
