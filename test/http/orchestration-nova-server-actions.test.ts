import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NOVA_TYPES } from '../../src/services/orchestration/resources/nova/index.js';
import type { ResourceType } from '../../src/services/orchestration/resources/types.js';
import { useApp } from '../helpers/app.js';
import { serverKit } from '../helpers/servers.js';
import { heatKit } from './orchestration-nova-kit.js';

const fx = useApp();
const k = serverKit(fx);
const h = heatKit(fx);
const SERVER = NOVA_TYPES.find((t) => t.type === 'OS::Nova::Server') as ResourceType;

const DEFAULTS = {
  flavor_update_policy: 'RESIZE',
  image_update_policy: 'REBUILD',
  security_groups: [],
  metadata: {},
  user_data: '',
  user_data_update_policy: 'REPLACE',
};

describe('OS::Nova::Server actions: suspend, resume, snapshot, resize', () => {
  before(() => k.unlimited());

  test('suspend, resume, snapshot (an image of the server) and the restore properties', async () => {
    const image = await k.image();
    const r = await h.rc('srv');
    const props = { ...DEFAULTS, image, flavor: '1', networks: [{ allocate_network: 'none' }] };
    const id = await h.create(SERVER, r, props);
    await SERVER.suspend!(r, id);
    assert.equal((await k.waitServer(id, 'SUSPENDED')).status, 'SUSPENDED');
    assert.equal(
      (await h.failure(SERVER.check!(r, id))).message,
      "'status': expected 'ACTIVE', got 'SUSPENDED'",
    );
    await SERVER.resume!(r, id);
    await k.waitServer(id, 'ACTIVE');
    const data = await SERVER.snapshot!(r, id);
    const imageId = data.snapshot_image_id as string;
    const img = await fx.t.inject({
      method: 'GET',
      url: `/image/v2/images/${imageId}`,
      headers: fx.demo,
    });
    assert.equal(img.json().status, 'active');
    assert.equal(img.json().name, 'st-srv-abcdefghijkl');
    const restored = SERVER.restoreProperties!({ ...props, name: null }, data);
    assert.equal(restored.image, imageId);
    assert.equal('name' in restored, false);
    // The stack snapshot deleted: its image goes; twice is fine.
    await SERVER.deleteSnapshot!(r, data);
    await SERVER.deleteSnapshot!(r, data);
    const gone = await fx.t.inject({
      method: 'GET',
      url: `/image/v2/images/${imageId}`,
      headers: fx.demo,
    });
    assert.equal(gone.statusCode, 404);
    await h.remove(SERVER, r, id, props);
  });

  test('flavor change resizes in place and confirms; REPLACE policy asks for a new server', async () => {
    const image = await k.image();
    const r = await h.rc('srv');
    const props = { ...DEFAULTS, image, flavor: '1', networks: [{ allocate_network: 'none' }] };
    const id = await h.create(SERVER, r, props);
    const next = { ...props, flavor: 'm1.small' };
    await SERVER.update!(r, id, next, props, ['flavor']);
    const s = await k.waitServer(id, 'ACTIVE');
    assert.equal(s.flavor.id, '2');
    const replace = { ...next, flavor: '1', flavor_update_policy: 'REPLACE' };
    assert.equal(SERVER.needsReplace!(replace, next, ['flavor']), true);
    assert.equal(SERVER.needsReplace!(next, props, ['flavor']), false);
    assert.equal(SERVER.needsReplace!({ ...next, user_data: 'x' }, next, ['user_data']), true);
    assert.equal(
      SERVER.needsReplace!({ ...next, user_data_update_policy: 'IGNORE' }, next, ['user_data']),
      false,
    );
    assert.equal(
      (await h.failure(SERVER.update!(r, id, replace, next, ['flavor']))).message,
      'The Resource srv requires replacement.',
    );
    await h.remove(SERVER, r, id, props);
  });
});
