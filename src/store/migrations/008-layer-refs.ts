import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What each layer file reads: the layer under it, or a file outside the store (a Glance image
  // file, by its name relative to the layer directory as the qcow2 header writes it). "Does any
  // layer still read this image file" is an index lookup here instead of a scan of every header.
  // Filled for existing layer files at start-up (LayerStore.reconcileIndex).
  await db.schema
    .createTable('layer_refs')
    .addColumn('layer_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('backing_layer', 'varchar(64)')
    .addColumn('external_file', 'varchar(1024)')
    .execute();
  await db.schema
    .createIndex('layer_refs_backing')
    .on('layer_refs')
    .column('backing_layer')
    .execute();
  await db.schema
    .createIndex('layer_refs_external')
    .on('layer_refs')
    .column('external_file')
    .execute();
}
