import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BackingNotSealed, InvalidResize, InvalidSize, LayerSealed } from './layer-errors.js';
import { CorruptLayer } from './layer-header.js';
import {
  inspectExternal,
  isDiskSize,
  LayerFiles,
  syncFile,
  type LayerStoreOptions,
} from './layer-files.js';
import * as io from './layer-io.js';
import {
  reconcileIndex,
  release,
  sweep,
  type SweepOptions,
  type SweepResult,
} from './layer-sweep.js';
import { emptyQcow2 } from './qcow2-create.js';

export * from './layer-errors.js';
export { CorruptLayer };
export { QemuImgFailed } from './qemu-img.js';
export type { LayerStoreOptions, SweepOptions, SweepResult };
export { MemoryLayerIndex, SqlLayerIndex, type LayerIndex, type LayerRef } from './layer-refs.js';

/** What a new head sits on: a sealed layer of this store, or an immutable file outside it. */
export type Backing = { layerId: string } | { path: string; format: 'raw' | 'qcow2' };

export interface LayerInfo {
  id: string;
  virtualSize: number;
  /** Bytes the file takes on disk (this layer only, not its chain). */
  actualSize: number;
  /** As written in the header: relative to the layer directory. */
  backingFile: string | null;
  backingFormat: string | null;
  sealed: boolean;
}

export interface LayerChain {
  /** The layers this one depends on, nearest first. */
  layers: string[];
  /** The file at the bottom of the chain when it is not a layer (a Glance image file). */
  external: { path: string; format: string } | null;
}

/**
 * Disks as chains of qcow2 files in one directory, `<id>.qcow2` each. A layer is written under a
 * fresh id, sealed (mode 0444, never written again) once something depends on it, referenced by
 * rows the caller owns, and removed by `sweep` when no root reaches it any more.
 *
 * Backing names in headers are relative (`<id>.qcow2` for layers, `../images/<file>` for a Glance
 * file), so the data directory can be moved or copied as a whole and every chain still resolves.
 */
export class LayerStore {
  private readonly files: LayerFiles;
  private releasing: Promise<unknown> = Promise.resolve();

  constructor(dir: string, opts: LayerStoreOptions = {}) {
    this.files = new LayerFiles(dir, opts);
  }

  /** The file of a layer, for a hypervisor to open. */
  pathOf(id: string): string {
    return this.files.pathOf(id);
  }

  /**
   * A new empty writable head of `sizeBytes`, reading through to `backing` where it has not been
   * written. O(1): only a header is written. The backing must not be larger than the head.
   */
  async createHead(opts: { sizeBytes: number; backing?: Backing }): Promise<string> {
    const { sizeBytes, backing } = opts;
    if (!isDiskSize(sizeBytes))
      throw new InvalidSize(`size ${sizeBytes} is not a positive multiple of 512`);
    if (!backing) return this.files.newLayer((tmp) => this.create(tmp, sizeBytes));
    // The index records what the header says, as the header says it.
    let name: string;
    let format: 'raw' | 'qcow2';
    let backingSize: number;
    if ('layerId' in backing) {
      backingSize = (await this.files.header(backing.layerId)).virtualSize;
      if (!(await this.files.isSealed(backing.layerId)))
        throw new BackingNotSealed(backing.layerId);
      name = `${backing.layerId}.qcow2`;
      format = 'qcow2';
    } else {
      const ext = await inspectExternal(this.files, backing.path, backing.format);
      // Relative to the physical layer directory, as qemu resolves it; './' keeps a ':' in the
      // first path component from reading as a protocol prefix.
      const rel = path.relative(this.files.realDir, ext.path);
      name = rel.startsWith('..') ? rel : `./${rel}`;
      format = ext.format;
      backingSize = ext.virtualSize;
    }
    if (backingSize > sizeBytes) {
      throw new InvalidSize(
        `size ${sizeBytes} is smaller than the backing's virtual size ${backingSize}`,
      );
    }
    return this.files.newLayer(
      (tmp) => this.create(tmp, sizeBytes, { name, format }),
      this.files.refOf(name),
    );
  }

  /**
   * Runs `fn`; layers created inside it are roots for every sweep until it has settled. A task
   * that creates a layer and commits the row pointing at it does both inside one `creating`, so
   * a sweep running in parallel (after another task's delete) cannot remove the layer between
   * its creation and the commit.
   */
  creating<T>(fn: () => Promise<T>): Promise<T> {
    return this.files.creating(fn);
  }

  /** Makes a layer read-only for good. Idempotent. */
  async seal(layerId: string): Promise<void> {
    const file = this.files.pathOf(layerId);
    await this.files.header(layerId);
    await fsp.chmod(file, 0o444);
    await syncFile(file);
  }

  isSealed(layerId: string): Promise<boolean> {
    return this.files.isSealed(layerId);
  }

  /**
   * Freezes a head as a snapshot layer and returns a new empty head on top of it: O(1) whatever
   * the disk size (one header written, one chmod). The caller stops writes to the head first
   * (volume detached, guest paused), then commits in one transaction the snapshot row (sealedId,
   * which is headId) and the volume's new head (newHeadId).
   *
   * Crash story: the old head's data is never rewritten, only chmod-ed, and the new head is
   * created before the old one is sealed.
   *  - dies before the new head is renamed into place: a temp file, removed by sweep; nothing
   *    else changed.
   *  - dies after that, before the seal: the new head is an orphan (no row, nothing backed by it),
   *    swept; the volume still points at its old, still writable head.
   *  - dies after the seal, before the caller commits: the volume points at a sealed head. No
   *    data is lost, but the volume cannot be written: `ensureWritable` (or snapshot again) gives
   *    it a new head on top; the orphan head from the first try is swept.
   * Calling snapshot on a head that is already sealed is therefore fine too.
   */
  async snapshot(headId: string): Promise<{ sealedId: string; newHeadId: string }> {
    const { virtualSize } = await this.files.header(headId);
    const newHeadId = await this.files.newLayer(
      (tmp) => this.create(tmp, virtualSize, { name: `${headId}.qcow2`, format: 'qcow2' }),
      { layerId: headId },
    );
    await this.seal(headId);
    return { sealedId: headId, newHeadId };
  }

  /** The head itself if it is writable, else a new head on top of it (crash recovery, see snapshot). */
  async ensureWritable(headId: string): Promise<string> {
    if (!(await this.files.isSealed(headId))) return headId;
    const { virtualSize } = await this.files.header(headId);
    return this.files.newLayer(
      (tmp) => this.create(tmp, virtualSize, { name: `${headId}.qcow2`, format: 'qcow2' }),
      { layerId: headId },
    );
  }

  /** Grows a head; the new space reads as zeros. Same size is a no-op, smaller an InvalidResize. */
  async resize(headId: string, newSizeBytes: number): Promise<void> {
    if (!isDiskSize(newSizeBytes))
      throw new InvalidSize(`size ${newSizeBytes} is not a positive multiple of 512`);
    if (await this.files.isSealed(headId)) throw new LayerSealed(headId);
    const { virtualSize } = await this.files.header(headId);
    if (newSizeBytes < virtualSize) {
      throw new InvalidResize(`cannot shrink a disk from ${virtualSize} to ${newSizeBytes} bytes`);
    }
    if (newSizeBytes === virtualSize) return;
    await this.files.run('qemu-img', [
      'resize',
      '-q',
      '-f',
      'qcow2',
      this.files.pathOf(headId),
      String(newSizeBytes),
    ]);
  }

  /** From the header, in-process. */
  async virtualSize(id: string): Promise<number> {
    return (await this.files.header(id)).virtualSize;
  }

  /** `qemu-img info` of the layer. -U: reading metadata must not fail because a guest has it open. */
  async info(id: string): Promise<LayerInfo> {
    const out = await this.files.run('qemu-img', [
      'info',
      '-U',
      '--output=json',
      '-f',
      'qcow2',
      this.files.pathOf(id),
    ]);
    const j = JSON.parse(out) as Record<string, unknown>;
    return {
      id,
      virtualSize: j['virtual-size'] as number,
      actualSize: j['actual-size'] as number,
      backingFile: (j['backing-filename'] as string | undefined) ?? null,
      backingFormat: (j['backing-filename-format'] as string | undefined) ?? null,
      sealed: await this.files.isSealed(id),
    };
  }

  /** The chain under a layer, read from the headers in-process. */
  async chain(id: string): Promise<LayerChain> {
    const layers: string[] = [];
    let current = id;
    for (;;) {
      const h = await this.files.header(current);
      if (!h.backingFile) return { layers, external: null };
      const target = this.files.classify(h.backingFile);
      if ('path' in target)
        return { layers, external: { path: target.path, format: h.backingFormat ?? 'raw' } };
      // A chain longer than any sane one (or a cycle) is a corrupt directory, not a disk.
      if (layers.includes(target.layerId) || layers.length > 10_000)
        throw new CorruptLayer(`backing cycle under ${id}`);
      layers.push(target.layerId);
      current = target.layerId;
    }
  }

  /** Ids of the layers this one depends on, nearest first (external files: see `chain`). */
  async backingChain(id: string): Promise<string[]> {
    return (await this.chain(id)).layers;
  }

  /** Deletes a layer file. The caller guarantees no row references it and no layer is backed by it. */
  async remove(id: string): Promise<void> {
    await fsp.rm(this.files.pathOf(id), { force: true });
  }

  /**
   * Removes the layers no root reaches and stale temp files; reports them and the external files
   * they let go. Pass the roots as a function when layers may be created meanwhile: the sweep
   * reads them only after it has listed the directory (see layer-sweep.ts).
   */
  sweep(
    roots: Iterable<string> | (() => Promise<Iterable<string>>),
    opts?: SweepOptions,
  ): Promise<SweepResult> {
    return sweep(this.files, roots, opts);
  }

  /**
   * Removes layers rows no longer reference, and the layers under them that nothing else keeps:
   * the cost of a delete is the chain it frees, not the store (see layer-sweep.ts). `rooted`
   * tells which of some ids a row still references. Releases run one at a time.
   */
  release(
    ids: Iterable<string>,
    rooted: (ids: string[]) => Promise<Set<string>>,
  ): Promise<SweepResult> {
    const run = this.releasing.then(() => release(this.files, ids, rooted));
    this.releasing = run.catch(() => undefined);
    return run;
  }

  /**
   * External files some layer reads (physical paths): the image store must keep them. A lookup
   * in the index, never a read of the headers.
   */
  async externalsInUse(): Promise<Set<string>> {
    const names = await this.files.index.externals();
    return new Set([...names].map((name) => path.resolve(this.files.realDir, name)));
  }

  /**
   * Brings the index in line with the directory: rows for layer files it lacks (a data
   * directory from before the index, or a crash between a row and its file), read from their
   * headers once, and no rows for files that are gone. At start-up only, before any layer is
   * created: a row whose file is not there yet would otherwise be dropped.
   */
  reconcileIndex(): Promise<{ added: number; dropped: number }> {
    return reconcileIndex(this.files);
  }

  readAt(id: string, offset: number, length: number): Promise<Buffer> {
    return io.readAt(this.files, id, offset, length);
  }

  writeAt(headId: string, offset: number, data: Buffer): Promise<void> {
    return io.writeAt(this.files, headId, offset, data);
  }

  convert(
    id: string,
    destPath: string,
    format: 'raw' | 'qcow2',
    opts?: { sync?: boolean },
  ): Promise<void> {
    return io.convert(this.files, id, destPath, format, opts);
  }

  openExport(
    id: string,
    format: 'raw' | 'qcow2' = 'raw',
  ): Promise<{ stream: Readable; size: number }> {
    return io.openExport(this.files, id, format);
  }

  importFrom(
    srcPath: string,
    format: 'raw' | 'qcow2',
    opts: { sizeBytes?: number } = {},
  ): Promise<string> {
    return io.importFrom(this.files, srcPath, format, opts.sizeBytes);
  }

  /**
   * Written in-process (qcow2-create.ts) rather than by `qemu-img create`: a process start costs
   * ~30 ms, the header ~1 ms. Like `qemu-img create -u`, the backing is not opened: its size was
   * checked above from its header.
   */
  private async create(
    tmp: string,
    sizeBytes: number,
    backing?: { name: string; format: string },
  ): Promise<void> {
    await fsp.writeFile(tmp, emptyQcow2(sizeBytes, backing));
  }
}
