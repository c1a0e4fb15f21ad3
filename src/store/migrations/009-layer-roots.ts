import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // "Does a row still reference this layer" is asked for each layer a delete releases
  // (LayerStore.release): an index probe instead of a scan of every volume and snapshot.
  await db.schema.createIndex('volumes_head_layer').on('volumes').column('head_layer').execute();
  await db.schema.createIndex('snapshots_layer').on('snapshots').column('layer').execute();
}
