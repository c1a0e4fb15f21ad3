import type { RequestContext } from '../../context.js';
import { Forbidden, NotFound } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import { isoNow } from '../../util.js';
import type { ComputeQuotas } from './quotas.js';
import { refusal, type ActionRule } from './states.js';

/** Finds a server the caller may see (Nova's common.get_instance), else its 404. */
export type FindServer = (ctx: RequestContext, id: string, ex?: Db) => Promise<ServerRow>;

/** nova/compute/api.py update_instance_metadata / delete_instance_metadata guards. */
const WRITABLE = ['active', 'paused', 'suspended', 'stopped'];
const rule = (method: string): ActionRule => ({ method, vmStates: WRITABLE, taskStates: [null] });

const ITEM_NOT_FOUND = 'Metadata item was not found';

/**
 * A server's user metadata (/servers/{id}/metadata). Writes check the lock and the state, then
 * the project's metadata_items limit against the whole resulting set, in one transaction.
 */
export class ServerMetadata {
  constructor(
    private readonly db: Db,
    private readonly quotas: ComputeQuotas,
    private readonly find: FindServer,
  ) {}

  private async read(ex: Db, serverId: string): Promise<Map<string, string>> {
    const rows = await ex
      .selectFrom('server_metadata')
      .select(['key', 'value'])
      .where('server_id', '=', serverId)
      .orderBy('key')
      .execute();
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  async list(ctx: RequestContext, id: string): Promise<Map<string, string>> {
    const row = await this.find(ctx, id);
    return this.read(this.db, row.id);
  }

  async get(ctx: RequestContext, id: string, key: string): Promise<string> {
    const meta = await this.list(ctx, id);
    const value = meta.get(key);
    if (value === undefined) throw new NotFound(ITEM_NOT_FOUND);
    return value;
  }

  /**
   * Merges `items` into the metadata (or, with `replace`, makes them the whole of it) and
   * returns the resulting set.
   */
  async update(
    ctx: RequestContext,
    id: string,
    items: ReadonlyMap<string, string>,
    replace: boolean,
  ): Promise<Map<string, string>> {
    const limits = await this.quotas.limits((await this.find(ctx, id)).project_id);
    return this.db.transaction().execute(async (tx) => {
      const row = await this.find(ctx, id, tx);
      const refused = refusal(rule('update metadata'), row, ctx.isAdmin);
      if (refused) throw refused;
      const next = replace ? new Map<string, string>() : await this.read(tx, row.id);
      for (const [k, v] of items) next.set(k, v);
      if (next.size > limits.metadata_items)
        throw new Forbidden(`Maximum number of metadata items exceeds ${limits.metadata_items}`);
      if (replace) await tx.deleteFrom('server_metadata').where('server_id', '=', row.id).execute();
      for (const [key, value] of items)
        await tx
          .insertInto('server_metadata')
          .values({ server_id: row.id, key, value })
          .onConflict((oc) => oc.columns(['server_id', 'key']).doUpdateSet({ value }))
          .execute();
      await touch(tx, row.id);
      return new Map([...next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    });
  }

  async remove(ctx: RequestContext, id: string, key: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.find(ctx, id, tx);
      if (!(await this.read(tx, row.id)).has(key)) throw new NotFound(ITEM_NOT_FOUND);
      const refused = refusal(rule('delete metadata'), row, ctx.isAdmin);
      if (refused) throw refused;
      await tx
        .deleteFrom('server_metadata')
        .where('server_id', '=', row.id)
        .where('key', '=', key)
        .execute();
      await touch(tx, row.id);
    });
  }
}

/** A metadata change is a change of the instance: its `updated` moves (changes-since sees it). */
export async function touch(tx: Db, serverId: string): Promise<void> {
  await tx
    .updateTable('servers')
    .set({ updated_at: isoNow() })
    .where('id', '=', serverId)
    .execute();
}
