import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GLANCE_CONSTRAINTS,
  NOVA_CONSTRAINTS,
  NOVA_TYPES,
} from '../../src/services/orchestration/resources/nova/index.js';
import type { ResourceType } from '../../src/services/orchestration/resources/types.js';
import { useApp } from '../helpers/app.js';
import { serverKit } from '../helpers/servers.js';
import { heatKit } from './orchestration-nova-kit.js';

const fx = useApp();
const k = serverKit(fx);
const h = heatKit(fx);
const type = (name: string) => NOVA_TYPES.find((t) => t.type === name) as ResourceType;

/** A public key made by Nova for a throwaway pair. */
async function publicKey(): Promise<string> {
  const r = await h.rc();
  const made = await r.services.compute.createKeyPair(r.ctx, { name: 'tmp', type: 'ssh' });
  await r.services.compute.deleteKeyPair(r.ctx, undefined, 'tmp');
  return made.keypair.public_key;
}

describe('OS::Nova::KeyPair', () => {
  const KP = type('OS::Nova::KeyPair');

  test('with a public key: the name is the id, public_key read back, private_key empty; delete twice', async () => {
    const r = await h.rc('kp');
    const key = await publicKey();
    const props = { name: 'heat-key', public_key: key, save_private_key: true };
    await KP.validate!(r, props);
    const id = await h.create(KP, r, props);
    assert.equal(id, 'heat-key');
    assert.equal(await KP.attribute(r, id, 'public_key', { ...props, public_key: undefined }), key);
    assert.equal(await KP.attribute(r, id, 'private_key', props), '');
    await KP.check!(r, id);
    await h.remove(KP, r, id, props);
    assert.deepEqual(await h.failure(KP.check!(r, id)), {
      type: 'EntityNotFound',
      message: 'The Key (heat-key) could not be found.',
    });
    await h.remove(KP, r, id, props);
  });

  test("an admin's key pair for another user, named by user name", async () => {
    const r = await h.rc('kp', ['admin']);
    const props = { name: 'for-demo', public_key: await publicKey(), user: 'demo' };
    const id = await h.create(KP, r, props);
    const demo = await h.rc();
    const kp = await demo.services.compute.getKeyPair(demo.ctx, undefined, id);
    assert.equal(kp.user_id, demo.ctx.userId);
    assert.equal(
      await KP.attribute(r, id, 'public_key', { ...props, public_key: '' }),
      kp.public_key,
    );
    await h.remove(KP, r, id, props);
    assert.equal(
      await NOVA_CONSTRAINTS.get('nova.keypair')!(demo, id),
      'The Key (for-demo) could not be found.',
    );
  });

  test('without a public key: refused as Heat refuses it against Nova 2.92+', async () => {
    const r = await h.rc('kp');
    assert.deepEqual(await h.failure(KP.validate!(r, { name: 'x', save_private_key: true })), {
      type: 'StackValidationFailed',
      message: 'The public_key property is required by the nova API version currently used.',
    });
  });

  test('a generated key (when the engine lets one through) is kept when asked', async () => {
    const r = await h.rc('kp');
    const props = { name: 'gen', save_private_key: true };
    const id = await KP.create(r, props);
    const priv = (await KP.attribute(r, id!, 'private_key', props)) as string;
    assert.match(priv, /PRIVATE KEY/);
    assert.equal(
      await KP.attribute(r, id!, 'private_key', { ...props, save_private_key: false }),
      '',
    );
    await h.remove(KP, r, id!, props);
  });
});

describe('OS::Nova::Flavor', () => {
  const FLAVOR = type('OS::Nova::Flavor');
  const defaults = {
    disk: 0,
    swap: 0,
    ephemeral: 0,
    rxtx_factor: 1.0,
    is_public: true,
    tenants: [],
  };

  test("a member's stack gets Nova's 403", async () => {
    const r = await h.rc('flavor');
    const err = await h.failure(FLAVOR.create(r, { ...defaults, ram: 512, vcpus: 1 }));
    assert.match(err.message, /Policy doesn't allow os_compute_api:os-flavor-manage:create/);
  });

  test('an admin: private flavor shared with the stack project, extra specs updated in place, deleted twice', async () => {
    const r = await h.rc('flavor', ['admin']);
    const props = {
      ...defaults,
      ram: 512,
      vcpus: 1,
      is_public: false,
      extra_specs: { 'hw:a': 'b' },
    };
    const id = await h.create(FLAVOR, r, props);
    const f = await r.services.compute.getFlavor(r.ctx, id);
    assert.equal(f.row.name, 'st-flavor-abcdefghijkl');
    assert.equal(await FLAVOR.attribute(r, id, 'is_public', props), false);
    assert.deepEqual(await FLAVOR.attribute(r, id, 'extra_specs', props), { 'hw:a': 'b' });
    assert.deepEqual(await r.services.compute.flavorAccess(r.ctx, id), [fx.adminProject]);
    const next = { ...props, extra_specs: { 'hw:c': 'd' }, tenants: [fx.demoProject] };
    await FLAVOR.update!(r, id, next, props, ['extra_specs', 'tenants']);
    assert.deepEqual(await FLAVOR.attribute(r, id, 'extra_specs', next), { 'hw:c': 'd' });
    assert.deepEqual(await r.services.compute.flavorAccess(r.ctx, id), [fx.demoProject]);
    await h.remove(FLAVOR, r, id, next);
    await h.remove(FLAVOR, r, id, next);
  });
});

describe('OS::Nova::ServerGroup', () => {
  const GROUP = type('OS::Nova::ServerGroup');

  test('named by the name property or the physical name, first policy, rules; delete twice', async () => {
    const r = await h.rc('group');
    const id = await h.create(GROUP, r, {
      policies: ['anti-affinity'],
      rules: { max_server_per_host: 2 },
    });
    const shown = (await GROUP.show!(r, id)) as Record<string, unknown>;
    assert.equal(shown.name, 'st-group-abcdefghijkl');
    assert.equal(shown.policy, 'anti-affinity');
    assert.deepEqual(shown.rules, { max_server_per_host: 2 });
    await h.remove(GROUP, r, id, {});
    await h.remove(GROUP, r, id, {});
    const named = await h.create(GROUP, r, { name: 'g', policies: ['affinity'] });
    assert.equal(((await GROUP.show!(r, named)) as Record<string, unknown>).name, 'g');
    await h.remove(GROUP, r, named, {});
  });
});

describe('custom constraints: glance and nova', () => {
  before(() => k.unlimited());

  test('glance.image: by id, then by name; none or several with the client texts', async () => {
    const r = await h.rc();
    const check = GLANCE_CONSTRAINTS.get('glance.image')!;
    const id = await k.image();
    assert.equal(await check(r, id), null);
    await k.image();
    assert.equal(await check(r, 'img'), "No images unique match found for {'name': 'img'}.");
    const unique = await fx.t.inject({
      method: 'POST',
      url: '/image/v2/images',
      headers: fx.demo,
      payload: { name: 'only-one', disk_format: 'raw', container_format: 'bare' },
    });
    assert.equal(unique.statusCode, 201);
    assert.equal(await check(r, 'only-one'), null);
    assert.equal(await check(r, 'nope'), "No images matching {'name': 'nope'}.");
    const missing = '8a4a1b4e-36f9-4f3f-9a0e-4b4b4b4b4b4b';
    assert.equal(await check(r, missing), `No images matching {'name': '${missing}'}.`);
  });

  test('nova.keypair, nova.flavor, nova.server', async () => {
    const r = await h.rc();
    const kp = NOVA_CONSTRAINTS.get('nova.keypair')!;
    assert.equal(await kp(r, 'nope'), 'The Key (nope) could not be found.');
    assert.equal(await kp(r, ''), null);
    await r.services.compute.createKeyPair(r.ctx, { name: 'mine', type: 'ssh' });
    assert.equal(await kp(r, 'mine'), null);
    const flavor = NOVA_CONSTRAINTS.get('nova.flavor')!;
    assert.equal(await flavor(r, 'm1.small'), null);
    assert.equal(await flavor(r, '1'), null);
    assert.equal(
      await flavor(r, 'm1.huge2'),
      "No Flavor matching {'name': 'm1.huge2'}. (HTTP 404)",
    );
    const server = NOVA_CONSTRAINTS.get('nova.server')!;
    assert.equal(await server(r, 'x'), 'The Server (x) could not be found.');
  });
});
