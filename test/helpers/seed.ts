import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's copy of the seed (test/fixtures/seed), from source or compiled tests. */
export const SEED_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  ...(fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`) ? ['..'] : []),
  'test',
  'fixtures',
  'seed',
);

/** One of the seed's two Heat templates: `image` or `volume`. */
export function seedTemplate(kind: 'image' | 'volume'): string {
  return path.join(SEED_DIR, `heat-snapshot_${kind}_example.yaml`);
}
