import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { LayerNotFound, UnsafeBacking } from './layer-errors.js';
import { readQcow2Header, type Qcow2Header } from './layer-header.js';
import { runQemu, type QemuTool } from './qemu-img.js';
import { MemoryLayerIndex, type LayerIndex, type LayerRef } from './layer-refs.js';

/** Layer file names: `<uuid>.qcow2`. Anything else in the directory is not a layer. */
export const LAYER_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.qcow2$/;
/** Unfinished writes and scratch files, in the layer directory itself (see `tempPath`). */
export const TEMP_PREFIX = '.tmp-';
export const SECTOR = 512;

export interface LayerStoreOptions {
  /** Limit for qemu-img runs that touch metadata only (create, info, resize). */
  timeoutMs?: number;
  /** Limit for runs that copy data (convert, import, export); whole-disk copies take minutes. */
  dataTimeoutMs?: number;
  /** Where the store records what each layer reads; in memory unless given. */
  index?: LayerIndex;
}

/** Where a backing file name written in a header points. */
export type BackingTarget = { layerId: string } | { path: string };

/**
 * The directory, naming and process plumbing shared by the layer store's parts. Paths handed to
 * qemu are always absolute, so a ':' in a directory name is never taken for a protocol prefix.
 */
export class LayerFiles {
  /** Resolved once: backing names are computed and resolved against the physical directory. */
  readonly realDir: string;
  /** Temp file names this process is writing right now; sweep leaves them alone. */
  readonly busy = new Set<string>();
  readonly index: LayerIndex;
  /** Layers made inside each `creating` scope that is still open. */
  private readonly open = new Set<Set<string>>();
  private readonly scope = new AsyncLocalStorage<Set<string>>();
  private readonly timeoutMs: number;
  private readonly dataTimeoutMs: number;

  constructor(
    readonly dir: string,
    opts: LayerStoreOptions = {},
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.realDir = fs.realpathSync(dir);
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.dataTimeoutMs = opts.dataTimeoutMs ?? 6 * 3600_000;
    this.index = opts.index ?? new MemoryLayerIndex();
  }

  /**
   * Runs `fn`, and every layer created inside it (at any depth of its async calls) counts as a
   * root for every sweep until `fn` has settled: `fn` commits the rows that reference them
   * before it returns. A nested call joins the outer scope.
   */
  async creating<T>(fn: () => Promise<T>): Promise<T> {
    if (this.scope.getStore()) return fn();
    const made = new Set<string>();
    this.open.add(made);
    try {
      return await this.scope.run(made, fn);
    } finally {
      this.open.delete(made);
    }
  }

  /** Layers of open `creating` scopes, as of now. */
  pending(): Set<string> {
    const out = new Set<string>();
    for (const made of this.open) for (const id of made) out.add(id);
    return out;
  }

  /** The file of a layer. Ids that are not UUIDs are not found, so no id escapes the directory. */
  pathOf(id: string): string {
    if (!LAYER_NAME.test(`${id}.qcow2`)) throw new LayerNotFound(id);
    return path.join(this.realDir, `${id}.qcow2`);
  }

  async header(id: string): Promise<Qcow2Header> {
    return readQcow2Header(this.pathOf(id)).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? new LayerNotFound(id) : err;
    });
  }

  /** Sealed means no write bit. (Root ignores the mode, so the store checks it before writing.) */
  async isSealed(id: string): Promise<boolean> {
    const st = await fsp.stat(this.pathOf(id)).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? new LayerNotFound(id) : err;
    });
    return (st.mode & 0o222) === 0;
  }

  /** A backing file name from a header: a layer of this directory, or an external file. */
  classify(backingFile: string): BackingTarget {
    const resolved = path.resolve(this.realDir, backingFile);
    const m = LAYER_NAME.exec(path.basename(resolved));
    if (m?.[1] && path.dirname(resolved) === this.realDir) return { layerId: m[1] };
    return { path: resolved };
  }

  /**
   * Runs `fn` with a fresh temp path in the layer directory itself: a qcow2 file written there can
   * name its backing relative to the directory it will be renamed into, and the rename is atomic.
   * The temp file is removed afterwards unless `fn` renamed it away.
   */
  async withTemp<T>(ext: string, fn: (tmp: string) => Promise<T>): Promise<T> {
    const name = `${TEMP_PREFIX}${randomUUID()}.${ext}`;
    const tmp = path.join(this.realDir, name);
    this.busy.add(name);
    try {
      return await fn(tmp);
    } finally {
      this.busy.delete(name);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /**
   * Writes a new layer reading `ref`: `build` fills a temp file, which is then made durable and
   * renamed to a fresh id. A crash at any point leaves either nothing or a temp file that sweep
   * removes. The id joins the open `creating` scope and the index before the file appears, so
   * no sweep and no index lookup can miss the layer.
   */
  async newLayer(build: (tmp: string) => Promise<void>, ref: LayerRef = null): Promise<string> {
    const id = randomUUID();
    this.scope.getStore()?.add(id);
    await this.index.add(id, ref);
    try {
      await this.withTemp('qcow2', async (tmp) => {
        await build(tmp);
        await syncFile(tmp);
        await fsp.rename(tmp, this.pathOf(id));
        await syncFile(this.realDir);
      });
    } catch (err) {
      if (!fs.existsSync(this.pathOf(id))) await this.index.remove([id]).catch(() => undefined);
      throw err;
    }
    return id;
  }

  /** What a header's backing name refers to, as the index records it. */
  refOf(backingFile: string | null): LayerRef {
    if (!backingFile) return null;
    const target = this.classify(backingFile);
    if ('layerId' in target) return { layerId: target.layerId };
    return { external: path.relative(this.realDir, target.path) };
  }

  run(
    tool: QemuTool,
    args: string[],
    kind: 'meta' | 'data' = 'meta',
    cwd?: string,
  ): Promise<string> {
    return runQemu(tool, args, {
      timeoutMs: kind === 'meta' ? this.timeoutMs : this.dataTimeoutMs,
      cwd,
    });
  }
}

/** fsync a file or directory. qemu-img convert writes its output with cache=unsafe (no flush). */
export async function syncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Sizes qemu accepts without rounding: positive whole sectors. */
export function isDiskSize(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && n % SECTOR === 0;
}

/** An immutable file outside the store that a layer may be backed by or imported from. */
export interface ExternalFile {
  /** Physical path (symlinks resolved). */
  path: string;
  format: 'raw' | 'qcow2';
  virtualSize: number;
}

/**
 * Checks an external file before qemu opens it. The format is the caller's word (Glance's
 * disk_format), never probed. A qcow2 file must be self-contained: one naming a backing or data
 * file would let an uploaded image make qemu read any host file.
 */
export async function inspectExternal(
  files: LayerFiles,
  file: string,
  format: 'raw' | 'qcow2',
): Promise<ExternalFile> {
  if (format !== 'raw' && format !== 'qcow2')
    throw new UnsafeBacking(`unsupported backing format: ${String(format)}`);
  let real: string;
  let st: fs.Stats;
  try {
    real = await fsp.realpath(file);
    st = await fsp.stat(real);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new LayerNotFound(file);
    throw err;
  }
  if (!st.isFile()) throw new UnsafeBacking(`${file} is not a regular file`);
  if (path.dirname(real) === files.realDir)
    throw new UnsafeBacking(`${file} is in the layer directory: use { layerId }`);
  if (format === 'raw') return { path: real, format, virtualSize: st.size };
  const h = await readQcow2Header(real);
  if (h.backingFile !== null || h.externalDataFile)
    throw new UnsafeBacking(`${file} refers to other files`);
  return { path: real, format, virtualSize: h.virtualSize };
}
