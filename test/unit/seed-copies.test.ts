import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SEED_DIR } from '../helpers/seed.js';

/** ../shared/seed next to the checkout, when this machine has it. */
const SHARED = path.resolve(SEED_DIR, '..', '..', '..', '..', 'shared', 'seed');

test('the repository holds the seed templates exactly as ../shared/seed has them', (t) => {
  for (const name of ['heat-snapshot_image_example.yaml', 'heat-snapshot_volume_example.yaml']) {
    const ours = fs.readFileSync(path.join(SEED_DIR, name));
    assert.ok(ours.length > 0);
    const theirs = path.join(SHARED, name);
    if (!fs.existsSync(theirs)) {
      t.diagnostic(`${SHARED} is not on this machine: compared nothing`);
      continue;
    }
    assert.ok(ours.equals(fs.readFileSync(theirs)), `${name} differs from ../shared/seed`);
  }
});
