import fsp from 'node:fs/promises';
import path from 'node:path';
import { LayerNotFound } from './layer-errors.js';
import { LAYER_NAME, TEMP_PREFIX, type LayerFiles } from './layer-files.js';

export interface SweepOptions {
  /**
   * Files modified less than this long ago count as roots. This covers the window in which a
   * layer exists but the caller has not yet committed the row that references it (createHead or
   * snapshot returned, transaction not yet done). A background sweep must keep it longer than
   * that window; a start-up sweep, before anything runs, may pass 0. Default 10 minutes.
   */
  graceMs?: number;
}

const DEFAULT_GRACE_MS = 10 * 60_000;

/**
 * Mark-and-sweep over the layer directory. Marks every root, every young file and everything
 * their backing chains reach (chains are read from the headers), then removes unmarked layers and
 * stale temp files. Marking finishes before anything is removed, and a header that cannot be read
 * on a marked chain aborts the sweep: when in doubt, nothing is deleted. Files created after the
 * directory listing are not seen, hence never removed.
 */
export async function sweep(files: LayerFiles, roots: Iterable<string>, opts: SweepOptions = {}): Promise<string[]> {
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  const youngSince = Date.now() - graceMs;
  const layers = new Set<string>();
  const temps: string[] = [];
  const young = new Set<string>();
  for (const name of await fsp.readdir(files.realDir)) {
    const id = LAYER_NAME.exec(name)?.[1];
    if (!id && !name.startsWith(TEMP_PREFIX)) continue; // not ours: left alone
    if (id) layers.add(id);
    else if (!files.busy.has(name)) temps.push(name);
    if (graceMs > 0) {
      const st = await fsp.stat(path.join(files.realDir, name)).catch(() => null);
      if (st && st.mtimeMs >= youngSince) young.add(id ?? name);
    }
  }

  const live = new Set<string>();
  for (const root of [...roots, ...young]) {
    let id: string | null = root;
    while (id !== null && layers.has(id) && !live.has(id)) {
      live.add(id);
      id = await backingLayer(files, id);
    }
  }

  const removed: string[] = [];
  for (const id of layers) {
    if (live.has(id)) continue;
    await fsp.rm(files.pathOf(id), { force: true });
    removed.push(id);
  }
  for (const name of temps) {
    if (!young.has(name)) await fsp.rm(path.join(files.realDir, name), { force: true });
  }
  return removed.sort();
}

/** The layer a layer is backed by; null for none, an external file, or a file removed meanwhile. */
async function backingLayer(files: LayerFiles, id: string): Promise<string | null> {
  const header = await files.header(id).catch((err: unknown) => {
    if (err instanceof LayerNotFound) return null;
    throw err;
  });
  if (!header?.backingFile) return null;
  const target = files.classify(header.backingFile);
  return 'layerId' in target ? target.layerId : null;
}

/**
 * Physical paths of the external files (Glance image files) that some layer in the directory is
 * backed by: the image store must keep them. Run it after a sweep, so garbage does not pin them.
 */
export async function externalBackings(files: LayerFiles): Promise<Set<string>> {
  const used = new Set<string>();
  for (const name of await fsp.readdir(files.realDir)) {
    const id = LAYER_NAME.exec(name)?.[1];
    if (!id) continue;
    const header = await files.header(id).catch((err: unknown) => {
      if (err instanceof LayerNotFound) return null;
      throw err;
    });
    if (!header?.backingFile) continue;
    const target = files.classify(header.backingFile);
    if ('path' in target) used.add(target.path);
  }
  return used;
}
