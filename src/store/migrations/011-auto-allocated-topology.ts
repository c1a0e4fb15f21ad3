import type { Kysely } from 'kysely';

type Db = Kysely<unknown>;

/**
 * Neutron's auto_allocated_topologies: at most one get-me-a-network topology per project. The
 * primary key is what makes two racing first requests agree on one network: the loser of the
 * insert removes what it built and answers with the winner's.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('auto_allocated_topologies')
    .addColumn('project_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('network_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('router_id', 'varchar(36)')
    .execute();
}
