import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite } from '../../src/store/db.js';
import { SoftwareConfigs } from '../../src/services/orchestration/software-configs.js';
import { heatTypes } from '../../src/services/orchestration/resources/heat/index.js';
import { parseMultipart } from '../../src/services/orchestration/resources/heat/mime.js';
import type { ResourceType } from '../../src/services/orchestration/resources/types.js';
import { resourceContext, withDefaults } from '../helpers/heat-resources.js';

// The config resource types store their configs through the software configs class.

async function setup() {
  const configs = new SoftwareConfigs(await openSqlite(':memory:'));
  const types = heatTypes(configs, { resourceByRef: async () => null });
  const type = (name: string): ResourceType => types.find((t) => t.type === name)!;
  return { configs, type };
}

test('SoftwareConfig: a config named by the physical name; config attribute; show; delete', async () => {
  const { configs, type } = await setup();
  const sc = type('OS::Heat::SoftwareConfig');
  const rc = resourceContext('cfg');
  const props = withDefaults(sc, {
    config: '#!/bin/sh\necho hi',
    inputs: [{ name: 'in1' }],
    outputs: [{ name: 'out1' }],
  });
  const id = (await sc.create(rc, props))!;
  const stored = await configs.get(rc.ctx, id);
  assert.equal(stored.name, 'st-cfg-abcdefghijkl');
  assert.equal(stored.group, 'Heat::Ungrouped');
  assert.deepEqual(stored.inputs, [{ name: 'in1', type: 'String' }]);
  assert.deepEqual(stored.options, {});
  assert.equal(await sc.attribute(rc, id, 'config', props), '#!/bin/sh\necho hi');
  assert.equal(((await sc.show!(rc, id)) as { id: string }).id, id);
  assert.equal(sc.update, undefined);
  await sc.delete(rc, id, props);
  assert.equal(await sc.attribute(rc, id, 'config', props), null);
  await sc.delete(rc, id, props);
});

test('StructuredConfig keeps its map; CloudConfig stores #cloud-config YAML', async () => {
  const { configs, type } = await setup();
  const rc = resourceContext('s');
  const st = type('OS::Heat::StructuredConfig');
  assert.equal(st.properties.config!.type, 'map');
  const sid = (await st.create(rc, withDefaults(st, { config: { b: [1], a: 'x' } })))!;
  assert.deepEqual((await configs.get(rc.ctx, sid)).config, { b: [1], a: 'x' });

  const cc = type('OS::Heat::CloudConfig');
  const props = { cloud_config: { users: [{ name: 'bob' }], package_update: true } };
  const cid = (await cc.create(rc, props))!;
  const stored = await configs.get(rc.ctx, cid);
  assert.equal(stored.group, 'Heat::Ungrouped');
  assert.equal(stored.config, '#cloud-config\npackage_update: true\nusers:\n- name: bob\n');
});

test('MultipartMime: inline parts and referenced configs as Python email writes them', async () => {
  const { configs, type } = await setup();
  const rc = resourceContext('mime');
  const other = await configs.create(rc.ctx, { name: 'o', group: 'g', config: 'referenced\n' });
  const mm = type('OS::Heat::MultipartMime');
  const props = withDefaults(mm, {
    parts: [
      { config: '#!/bin/sh\necho hi', filename: 'boot.sh' },
      { config: other.id, subtype: 'x-shellscript' },
      { config: 'ünï', type: 'text' },
    ],
  });
  const id = (await mm.create(rc, props))!;
  const text = (await configs.get(rc.ctx, id)).config as string;
  const b = /boundary="(={15}\d{19}==)"/.exec(text)![1]!;
  assert.equal(
    text,
    `Content-Type: multipart/mixed; boundary="${b}"\nMIME-Version: 1.0\n\n` +
      `--${b}\nContent-Type: text/boot; charset="us-ascii"\nMIME-Version: 1.0\n` +
      'Content-Transfer-Encoding: 7bit\nContent-Disposition: attachment; filename="boot.sh"\n\n' +
      `#!/bin/sh\necho hi\n--${b}\nContent-Type: text/x-shellscript; charset="us-ascii"\n` +
      'MIME-Version: 1.0\nContent-Transfer-Encoding: 7bit\n\nreferenced\n\n' +
      `--${b}\nContent-Type: text/plain; charset="utf-8"\nMIME-Version: 1.0\n` +
      `Content-Transfer-Encoding: base64\n\nw7xuw68=\n\n--${b}--\n`,
  );
  assert.deepEqual(parseMultipart(text), [
    { text: '#!/bin/sh\necho hi', subtype: 'boot', filename: 'boot.sh' },
    { text: 'referenced\n', subtype: 'x-shellscript', filename: null },
    { text: 'w7xuw68=\n', subtype: 'plain', filename: null },
  ]);

  // A multipart part is split and its parts appended.
  const nested = withDefaults(mm, {
    group: 'script',
    parts: [{ config: id, type: 'multipart' }, { config: 'last' }],
  });
  const nid = (await mm.create(resourceContext('outer'), nested))!;
  const outer = await configs.get(rc.ctx, nid);
  assert.equal(outer.group, 'script');
  const parts = parseMultipart(outer.config as string);
  assert.deepEqual(
    parts.map((p) => [p.text, p.subtype, p.filename]),
    [
      ['#!/bin/sh\necho hi', 'boot', 'boot.sh'],
      ['referenced\n', 'x-shellscript', null],
      ['w7xuw68=\n', 'plain', null],
      ['last', 'plain', null],
    ],
  );
});
