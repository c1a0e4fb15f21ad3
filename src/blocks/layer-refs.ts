import type { Db } from '../store/db.js';

/** What one layer reads: the layer under it, a file outside the store, or nothing. */
export type LayerRef = { layerId: string } | { external: string } | null;

/**
 * The layer store's record of what each layer file reads, so that "does any layer read this
 * external file" is a lookup, not a read of every header. External names are relative to the
 * layer directory, as the headers write them, so the data directory can move.
 *
 * The store keeps it a superset of the truth: a layer's row is written before its file appears
 * and removed after its file is gone, so a lookup may keep a file a little too long (a crash
 * between the two steps, reconciled at start-up), never release one too early.
 *
 * The SQL index writes through the app's database handle, outside any transaction: never create
 * a layer inside a transaction callback (SQLite has one connection; the write would wait for the
 * transaction, which waits for the layer). Create, then commit the row that references it.
 */
export interface LayerIndex {
  add(id: string, ref: LayerRef): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  /** Every layer id with a row (start-up reconciliation). */
  ids(): Promise<Set<string>>;
  /** Every external name some layer reads. */
  externals(): Promise<Set<string>>;
  /** What every layer with a row reads: the sweep marks from this instead of the headers. */
  all(): Promise<Map<string, LayerRef>>;
  /** What one layer reads; undefined when it has no row. */
  refOf(id: string): Promise<LayerRef | undefined>;
  /** Whether some layer with a row reads this layer, or this external name. */
  isRead(target: { layerId: string } | { external: string }): Promise<boolean>;
}

function refOfRow(row: { backing_layer: string | null; external_file: string | null }): LayerRef {
  if (row.backing_layer !== null) return { layerId: row.backing_layer };
  if (row.external_file !== null) return { external: row.external_file };
  return null;
}

/** The index as rows of `layer_refs` (migration 008). */
export class SqlLayerIndex implements LayerIndex {
  constructor(private readonly db: Db) {}

  async add(id: string, ref: LayerRef): Promise<void> {
    await this.db
      .insertInto('layer_refs')
      .values({
        layer_id: id,
        backing_layer: ref && 'layerId' in ref ? ref.layerId : null,
        external_file: ref && 'external' in ref ? ref.external : null,
      })
      .onConflict((oc) =>
        oc.column('layer_id').doUpdateSet((eb) => ({
          backing_layer: eb.ref('excluded.backing_layer'),
          external_file: eb.ref('excluded.external_file'),
        })),
      )
      .execute();
  }

  async remove(ids: readonly string[]): Promise<void> {
    // Bounded statements: SQLite limits the parameters of one.
    for (let i = 0; i < ids.length; i += 500) {
      await this.db
        .deleteFrom('layer_refs')
        .where('layer_id', 'in', ids.slice(i, i + 500))
        .execute();
    }
  }

  async ids(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('layer_refs').select('layer_id').execute();
    return new Set(rows.map((r) => r.layer_id));
  }

  async externals(): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('layer_refs')
      .select('external_file')
      .distinct()
      .where('external_file', 'is not', null)
      .execute();
    return new Set(rows.map((r) => r.external_file!));
  }

  async all(): Promise<Map<string, LayerRef>> {
    const rows = await this.db.selectFrom('layer_refs').selectAll().execute();
    return new Map(rows.map((r) => [r.layer_id, refOfRow(r)]));
  }

  async refOf(id: string): Promise<LayerRef | undefined> {
    const row = await this.db
      .selectFrom('layer_refs')
      .selectAll()
      .where('layer_id', '=', id)
      .executeTakeFirst();
    return row && refOfRow(row);
  }

  async isRead(target: { layerId: string } | { external: string }): Promise<boolean> {
    // Both columns are indexed (migration 008): one index probe.
    const row = await this.db
      .selectFrom('layer_refs')
      .select('layer_id')
      .where(
        'layerId' in target ? 'backing_layer' : 'external_file',
        '=',
        'layerId' in target ? target.layerId : target.external,
      )
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}

/** The same in memory: for a store without a database (tests, tools). */
export class MemoryLayerIndex implements LayerIndex {
  private readonly refs = new Map<string, LayerRef>();

  add(id: string, ref: LayerRef): Promise<void> {
    this.refs.set(id, ref);
    return Promise.resolve();
  }

  remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.refs.delete(id);
    return Promise.resolve();
  }

  ids(): Promise<Set<string>> {
    return Promise.resolve(new Set(this.refs.keys()));
  }

  externals(): Promise<Set<string>> {
    const out = new Set<string>();
    for (const ref of this.refs.values()) if (ref && 'external' in ref) out.add(ref.external);
    return Promise.resolve(out);
  }

  all(): Promise<Map<string, LayerRef>> {
    return Promise.resolve(new Map(this.refs));
  }

  refOf(id: string): Promise<LayerRef | undefined> {
    return Promise.resolve(this.refs.get(id));
  }

  isRead(target: { layerId: string } | { external: string }): Promise<boolean> {
    for (const ref of this.refs.values()) {
      if (ref && 'layerId' in ref && 'layerId' in target && ref.layerId === target.layerId)
        return Promise.resolve(true);
      if (ref && 'external' in ref && 'external' in target && ref.external === target.external)
        return Promise.resolve(true);
    }
    return Promise.resolve(false);
  }
}
