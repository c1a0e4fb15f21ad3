import type { Db } from '../../store/db.js';
import type { SnapshotRow, VolumeRow } from '../../store/schema.js';
import { emptyMetadata, type Snapshot, type Volume } from './types.js';

type MetaTable = 'volume_metadata' | 'volume_image_metadata';

/** Image files that volume creates waiting in the task queue will back their heads with. */
export async function waitingImageFiles(db: Db): Promise<Set<string>> {
  const waiting = await db
    .selectFrom('tasks')
    .select('payload')
    .where('kind', '=', 'volume.create')
    .execute();
  const files = new Set<string>();
  for (const t of waiting) {
    const file = (JSON.parse(t.payload) as { imageFile?: unknown }).imageFile;
    if (typeof file === 'string') files.add(file);
  }
  return files;
}

/** Volumes and snapshots with their metadata; every read of several rows costs a fixed few queries. */
export class VolumeRepo {
  constructor(private readonly db: Db) {}

  async findVolume(id: string, ex: Db = this.db): Promise<Volume | undefined> {
    const row = await ex.selectFrom('volumes').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? (await this.hydrateVolumes([row], ex))[0] : undefined;
  }

  async hydrateVolumes(rows: VolumeRow[], ex: Db = this.db): Promise<Volume[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const byId = new Map<string, Volume>(
      rows.map((row) => [
        row.id,
        {
          row,
          metadata: emptyMetadata(),
          imageMetadata: emptyMetadata(),
          typeName: '',
          attachments: [],
        },
      ]),
    );
    const typeIds = [...new Set(rows.map((r) => r.volume_type_id))];
    const types = await ex
      .selectFrom('volume_types')
      .select(['id', 'name'])
      .where('id', 'in', typeIds)
      .execute();
    const typeNames = new Map(types.map((t) => [t.id, t.name]));
    for (const v of byId.values()) v.typeName = typeNames.get(v.row.volume_type_id) ?? '';
    for (const a of await ex
      .selectFrom('volume_attachments')
      .selectAll()
      .where('volume_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute()) {
      byId.get(a.volume_id)!.attachments.push(a);
    }
    for (const m of await ex
      .selectFrom('volume_metadata')
      .selectAll()
      .where('volume_id', 'in', ids)
      .execute()) {
      byId.get(m.volume_id)!.metadata[m.key] = m.value;
    }
    for (const m of await ex
      .selectFrom('volume_image_metadata')
      .selectAll()
      .where('volume_id', 'in', ids)
      .execute()) {
      byId.get(m.volume_id)!.imageMetadata[m.key] = m.value;
    }
    return rows.map((r) => byId.get(r.id)!);
  }

  async findSnapshot(id: string, ex: Db = this.db): Promise<Snapshot | undefined> {
    const row = await ex
      .selectFrom('snapshots')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? (await this.hydrateSnapshots([row], ex))[0] : undefined;
  }

  async hydrateSnapshots(rows: SnapshotRow[], ex: Db = this.db): Promise<Snapshot[]> {
    if (rows.length === 0) return [];
    const byId = new Map<string, Snapshot>(
      rows.map((row) => [row.id, { row, metadata: emptyMetadata() }]),
    );
    const meta = await ex
      .selectFrom('snapshot_metadata')
      .selectAll()
      .where('snapshot_id', 'in', [...byId.keys()])
      .execute();
    for (const m of meta) byId.get(m.snapshot_id)!.metadata[m.key] = m.value;
    return rows.map((r) => byId.get(r.id)!);
  }

  async setVolumeMetadata(
    ex: Db,
    table: MetaTable,
    volumeId: string,
    metadata: Record<string, string>,
  ): Promise<void> {
    await ex.deleteFrom(table).where('volume_id', '=', volumeId).execute();
    const rows = Object.entries(metadata).map(([key, value]) => ({
      volume_id: volumeId,
      key,
      value,
    }));
    if (rows.length > 0) await ex.insertInto(table).values(rows).execute();
  }

  async setSnapshotMetadata(
    ex: Db,
    snapshotId: string,
    metadata: Record<string, string>,
  ): Promise<void> {
    await ex.deleteFrom('snapshot_metadata').where('snapshot_id', '=', snapshotId).execute();
    const rows = Object.entries(metadata).map(([key, value]) => ({
      snapshot_id: snapshotId,
      key,
      value,
    }));
    if (rows.length > 0) await ex.insertInto('snapshot_metadata').values(rows).execute();
  }

  async deleteVolume(ex: Db, id: string): Promise<void> {
    await ex.deleteFrom('volume_attachments').where('volume_id', '=', id).execute();
    await ex.deleteFrom('volume_metadata').where('volume_id', '=', id).execute();
    await ex.deleteFrom('volume_image_metadata').where('volume_id', '=', id).execute();
    await ex.deleteFrom('volumes').where('id', '=', id).execute();
  }

  async deleteSnapshot(ex: Db, id: string): Promise<void> {
    await ex.deleteFrom('snapshot_metadata').where('snapshot_id', '=', id).execute();
    await ex.deleteFrom('snapshots').where('id', '=', id).execute();
  }

  /** Which of these layers a volume or snapshot row points at (LayerStore.release). */
  async rootedAmong(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const heads = await this.db
      .selectFrom('volumes')
      .select('head_layer as layer')
      .where('head_layer', 'in', ids)
      .execute();
    const snaps = await this.db
      .selectFrom('snapshots')
      .select('layer')
      .where('layer', 'in', ids)
      .execute();
    return new Set([...heads, ...snaps].map((r) => r.layer!));
  }

  /** Every layer a row points at: the roots of the layer store's mark-and-sweep. */
  async layerRoots(): Promise<string[]> {
    const heads = await this.db
      .selectFrom('volumes')
      .select('head_layer as layer')
      .where('head_layer', 'is not', null)
      .execute();
    const snaps = await this.db
      .selectFrom('snapshots')
      .select('layer')
      .where('layer', 'is not', null)
      .execute();
    return [...heads, ...snaps].map((r) => r.layer!);
  }
}
