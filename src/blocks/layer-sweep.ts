import fsp from 'node:fs/promises';
import path from 'node:path';
import { LayerNotFound } from './layer-errors.js';
import { LAYER_NAME, TEMP_PREFIX, type LayerFiles } from './layer-files.js';
import type { LayerRef } from './layer-refs.js';

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
export interface SweepResult {
  /** Ids of the layers removed. */
  removed: string[];
  /** External files (physical paths) a removed layer was backed by and no remaining layer is. */
  released: string[];
}

export async function sweep(
  files: LayerFiles,
  roots: Iterable<string> | (() => Promise<Iterable<string>>),
  opts: SweepOptions = {},
): Promise<SweepResult> {
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
  // The order makes creation safe without a lock. A listed layer was created before the listing,
  // so its id joined its `creating` scope before the pending set is read here. Either that scope
  // is still open (the layer is pending) or it has closed, and then the row referencing the layer
  // was committed before the roots are read below.
  const pending = files.pending();
  const rootIds = typeof roots === 'function' ? await roots() : roots;
  // What each layer reads comes from the index (one query), not from its header: a row is
  // written before its file appears, so every listed layer has one unless it predates the index
  // (reconciled at start-up) or this store keeps its index in memory; those read their header.
  const refs = await files.index.all();
  const backing = (id: string) => backingOf(files, id, refs);

  const live = new Set<string>();
  const liveExternal = new Set<string>();
  for (const root of [...rootIds, ...pending, ...young]) {
    let id: string | null = root;
    // A pending layer created after the listing is followed too: what it reads stays.
    while (id !== null && (layers.has(id) || pending.has(id)) && !live.has(id)) {
      live.add(id);
      const under = await backing(id);
      if (under && 'path' in under) liveExternal.add(under.path);
      id = under && 'layerId' in under ? under.layerId : null;
    }
  }

  const removed: string[] = [];
  const dropped = new Set<string>();
  for (const id of layers) {
    if (live.has(id)) continue;
    // Only for the report: a header that cannot be read does not stop the removal.
    const under = await backing(id).catch(() => null);
    if (under && 'path' in under) dropped.add(under.path);
    await fsp.rm(files.pathOf(id), { force: true });
    removed.push(id);
  }
  // Rows after files: the index may list a layer that is gone, never miss one that is there.
  await files.index.remove(removed);
  for (const name of temps) {
    if (!young.has(name)) await fsp.rm(path.join(files.realDir, name), { force: true });
  }
  return { removed: removed.sort(), released: [...dropped].filter((p) => !liveExternal.has(p)) };
}

/**
 * Removes the given layers, which rows just stopped referencing, and then the layers under them,
 * each only if nothing keeps it: no root (`rooted` reports which of the ids a row references),
 * no open `creating` scope, no layer reading it. The work is the length of the chains freed,
 * whatever the size of the store; garbage nobody released (a crash) is the full sweep's.
 *
 * Safe beside tasks in parallel for the same reasons as the sweep: the pending set is read before
 * the roots, so a layer whose scope closes meanwhile has committed its row before the roots are
 * read; a layer made on top of a released one writes its index row before its file, and a layer
 * is only removed after its own readers' rows are gone. Releases must not run concurrently with
 * each other (the caller serialises them) or with a full sweep's removal of the same layers
 * (harmless: removal is idempotent).
 */
export async function release(
  files: LayerFiles,
  ids: Iterable<string>,
  rooted: (ids: string[]) => Promise<Set<string>>,
): Promise<SweepResult> {
  const removed: string[] = [];
  const dropped = new Set<string>();
  const queue = [...ids];
  const seen = new Set<string>();
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (files.pending().has(id)) continue;
    if ((await rooted([id])).has(id)) continue;
    if (await files.index.isRead({ layerId: id })) continue;
    const ref = await files.index.refOf(id);
    // No row: a layer from before the index. Its header says what it reads; gone means nothing.
    const under =
      ref !== undefined
        ? targetOf(files, ref)
        : await backingOf(files, id, new Map()).catch(() => null);
    await fsp.rm(files.pathOf(id), { force: true });
    await files.index.remove([id]);
    removed.push(id);
    if (under && 'layerId' in under) queue.push(under.layerId);
    if (under && 'path' in under) dropped.add(under.path);
  }
  const released: string[] = [];
  for (const p of dropped) {
    // The index keeps external names as LayerFiles.refOf writes them: relative, no './'.
    if (!(await files.index.isRead({ external: path.relative(files.realDir, p) })))
      released.push(p);
  }
  return { removed: removed.sort(), released };
}

function targetOf(files: LayerFiles, ref: LayerRef): { layerId: string } | { path: string } | null {
  if (ref === null) return null;
  if ('layerId' in ref) return ref;
  return { path: path.resolve(files.realDir, ref.external) };
}

/**
 * What a layer is backed by: another layer, an external file, or null (none, or removed
 * meanwhile). From the index when it has the layer's row, else from the header.
 */
async function backingOf(
  files: LayerFiles,
  id: string,
  refs: Map<string, LayerRef>,
): Promise<{ layerId: string } | { path: string } | null> {
  const ref = refs.get(id);
  if (ref !== undefined) return targetOf(files, ref);
  const header = await files.header(id).catch((err: unknown) => {
    if (err instanceof LayerNotFound) return null;
    throw err;
  });
  return header?.backingFile ? files.classify(header.backingFile) : null;
}

/** See LayerStore.reconcileIndex. */
export async function reconcileIndex(
  files: LayerFiles,
): Promise<{ added: number; dropped: number }> {
  const indexed = await files.index.ids();
  const present = new Set<string>();
  let added = 0;
  for (const name of await fsp.readdir(files.realDir)) {
    const id = LAYER_NAME.exec(name)?.[1];
    if (!id) continue;
    present.add(id);
    if (indexed.has(id)) continue;
    // A file that is gone or does not parse reads nothing qemu could open: no row. If it is
    // garbage the sweep removes it; if a root reaches it, the chain fails loudly where it is read.
    const header = await files.header(id).catch(() => null);
    if (!header) continue;
    await files.index.add(id, files.refOf(header.backingFile));
    added++;
  }
  const gone = [...indexed].filter((id) => !present.has(id));
  await files.index.remove(gone);
  return { added, dropped: gone.length };
}
