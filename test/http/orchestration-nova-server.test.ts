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

/** The engine's defaults for what the seed leaves out. */
const DEFAULTS = {
  flavor_update_policy: 'RESIZE',
  image_update_policy: 'REBUILD',
  security_groups: [],
  metadata: {},
  user_data: '',
  user_data_update_policy: 'REPLACE',
};

async function keyName(): Promise<string> {
  const r = await h.rc();
  const made = await r.services.compute.createKeyPair(r.ctx, { name: 'K', type: 'ssh' });
  return made.keypair.name;
}

async function portOnNewNet(): Promise<{ net: any; port: any }> {
  const net = await n.network({ name: 'example-net' });
  await n.subnet(net.id, '10.0.0.0/24', { name: 'example_subnet' });
  const port = await n.port(net.id);
  return { net, port };
}

describe('OS::Nova::Server', () => {
  let key: string;
  before(async () => {
    await k.unlimited();
    key = await keyName();
  });

  test("the seed's image shape: image, port, key, flavor by name, RAW; attributes; update; delete twice", async () => {
    const image = await k.image();
    const { net, port } = await portOnNewNet();
    const r = await h.rc('my_instance');
    const props = {
      ...DEFAULTS,
      image,
      flavor: 'm1.small',
      user_data_format: 'RAW',
      user_data: '#!/bin/sh\necho hi\n',
      key_name: key,
      networks: [{ port: port.id }],
    };
    const id = await h.create(SERVER, r, props);
    const s = await k.waitServer(id, 'ACTIVE');
    assert.equal(s.name, 'st-my_instance-abcdefghijkl');
    assert.equal(s.flavor.id, '2');
    assert.equal(s.image.id, image);
    assert.equal(s.key_name, 'K');

    const ip = port.fixed_ips[0].ip_address as string;
    assert.deepEqual(await SERVER.attribute(r, id, 'networks', props), {
      'example-net': [ip],
      [net.id]: [ip],
    });
    assert.equal(await SERVER.attribute(r, id, 'first_address', props), ip);
    assert.equal(await SERVER.attribute(r, id, 'name', props), 'st-my_instance-abcdefghijkl');
    assert.equal(await SERVER.attribute(r, id, 'instance_name', props), null);
    const addresses = (await SERVER.attribute(r, id, 'addresses', props)) as Record<string, any>;
    const a = addresses['example-net'][0];
    assert.equal(a.addr, ip);
    assert.deepEqual(a.version, [4]);
    assert.equal(a['OS-EXT-IPS:type'], 'fixed');
    assert.equal(a['OS-EXT-IPS-MAC:mac_addr'], port.mac_address);
    assert.equal(a.port, port.id);
    assert.equal(a.network.id, net.id);
    assert.equal(a.subnets[0].cidr, '10.0.0.0/24');
    assert.deepEqual(addresses[net.id], addresses['example-net']);
    assert.deepEqual(await SERVER.attribute(r, id, 'console_urls', props), {});

    const next = { ...props, name: 'renamed', metadata: { a: 'b', n: 1 } };
    await SERVER.update!(r, id, next, props, ['name', 'metadata']);
    const after = await k.waitServer(id, 'ACTIVE');
    assert.equal(after.name, 'renamed');
    assert.deepEqual(after.metadata, { a: 'b', n: '1' });
    await SERVER.check!(r, id);

    await h.remove(SERVER, r, id, next);
    const gone = await fx.t.inject({
      method: 'GET',
      url: `${k.c}/servers/${id}`,
      headers: fx.demo,
    });
    assert.equal(gone.statusCode, 404);
    await h.remove(SERVER, r, id, next);
    // The port was the template's: it stays, free again.
    const p = await n.get(`ports/${port.id}`);
    assert.equal(p.json().port.device_id, '');
  });

  test("the seed's volume-snapshot shape: legacy block_device_mapping with snapshot_id, the new volume kept", async () => {
    const image = await k.image(Buffer.alloc(1 << 20, 0x5a));
    const vol = await k.volume({ size: 1, imageRef: image });
    const snap = await fx.t.inject({
      method: 'POST',
      url: `${k.vb()}/snapshots`,
      headers: fx.demo,
      payload: { snapshot: { volume_id: vol, name: 'snap' } },
    });
    assert.equal(snap.statusCode, 202, snap.body);
    const snapId = snap.json().snapshot.id as string;
    await k.until('snapshot available', async () => {
      const got = await fx.t.inject({
        method: 'GET',
        url: `${k.vb()}/snapshots/${snapId}`,
        headers: fx.demo,
      });
      return got.json().snapshot.status === 'available' ? true : undefined;
    });
    const { port } = await portOnNewNet();
    const r = await h.rc('my_instance');
    // "false" as the seed writes it is a boolean once the engine has read the schema.
    const props = {
      ...DEFAULTS,
      flavor: 'm1.small',
      user_data_format: 'RAW',
      key_name: key,
      block_device_mapping: [
        { device_name: 'vda', snapshot_id: snapId, delete_on_termination: false },
      ],
      networks: [{ port: port.id }],
    };
    const id = await h.create(SERVER, r, props);
    const s = await k.waitServer(id, 'ACTIVE');
    assert.equal(s.image, '');
    const root = s['os-extended-volumes:volumes_attached'][0].id as string;
    const v = await k.showVolume(root);
    assert.equal(v.snapshot_id, snapId);
    assert.equal(v.status, 'in-use');
    assert.match(v.attachments[0].device, /vda$/);
    // A stack snapshot of it: Nova's image of a volume-backed server, waited for.
    const data = await SERVER.snapshot!(r, id);
    const img = await fx.t.inject({
      method: 'GET',
      url: `/image/v2/images/${data.snapshot_image_id as string}`,
      headers: fx.demo,
    });
    assert.equal(img.json().status, 'active');
    assert.ok(img.json().block_device_mapping, 'the image maps the root volume snapshot');

    await h.remove(SERVER, r, id, props);
    await k.until('root volume available', async () =>
      (await k.showVolume(root)).status === 'available' ? true : undefined,
    );
    const snapAfter = await fx.t.inject({
      method: 'GET',
      url: `${k.vb()}/snapshots/${snapId}`,
      headers: fx.demo,
    });
    assert.equal(snapAfter.statusCode, 200);
  });

  test("block device mapping checks with Heat's texts", async () => {
    const r = await h.rc('my_instance');
    const base = { ...DEFAULTS, flavor: 'm1.small' };
    assert.deepEqual(await h.failure(SERVER.validate!(r, base)), {
      type: 'StackValidationFailed',
      message: 'Neither image nor bootable volume is specified for instance my_instance',
    });
    assert.equal(
      (
        await h.failure(
          SERVER.validate!(r, {
            ...base,
            block_device_mapping: [{ device_name: 'vda', volume_id: 'a', snapshot_id: 'b' }],
          }),
        )
      ).message,
      'Cannot define the following properties at the same time: volume_id, snapshot_id.',
    );
    assert.equal(
      (
        await h.failure(
          SERVER.validate!(r, { ...base, block_device_mapping: [{ device_name: 'vdb' }] }),
        )
      ).message,
      'Either volume_id or snapshot_id must be specified for device mapping vdb',
    );
    assert.equal(
      (
        await h.failure(
          SERVER.validate!(r, {
            ...base,
            image: 'x',
            block_device_mapping_v2: [{ volume_id: 'v' }],
          }),
        )
      ).message,
      'Multiple bootable sources for instance my_instance.',
    );
  });

  test('flavor and image by name; a missing one fails with the client texts', async () => {
    const r = await h.rc('my_instance');
    const props = { ...DEFAULTS, flavor: 'm1.nope', image: 'nope', networks: [] };
    assert.deepEqual(await h.failure(SERVER.create(r, props)), {
      type: 'NotFound',
      message: "No Flavor matching {'name': 'm1.nope'}. (HTTP 404)",
    });
    assert.equal(
      (await h.failure(SERVER.create(r, { ...props, flavor: 'm1.small' }))).message,
      "No images matching {'name': 'nope'}.",
    );
  });
});
