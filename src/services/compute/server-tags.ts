import type { RequestContext } from '../../context.js';
import { BadRequest, NotFound } from '../../errors.js';
import { pyRepr } from '../../http/pyrepr.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import { denied } from './policy.js';
import { touch, type FindServer } from './server-metadata.js';
import { invalidState } from './states.js';

/** nova/objects/instance.py MAX_TAG_COUNT and nova/objects/tag.py MAX_TAG_LENGTH. */
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 60;

const TAGGABLE = ['active', 'paused', 'suspended', 'stopped'];

/** Why `tag` fails parameter_types.tag, in jsonschema's words; null when it is a good tag. */
export function tagProblem(tag: string): string | null {
  const length = [...tag].length;
  if (length < 1) return `${pyRepr(tag)} is too short`;
  if (length > MAX_TAG_LENGTH) return `${pyRepr(tag)} is too long`;
  if (/[,/]/.test(tag)) return `${pyRepr(tag)} does not match '^[^,/]*$'`;
  return null;
}

/**
 * Server tags (2.26+). Nova finds the server through its cell mapping, not the caller's
 * project: an unknown server is "has no mapping to a cell", another project's is the policy's
 * 403. Writes need a settled vm_state (no lock check, as in Nova's controller).
 */
export class ServerTags {
  constructor(
    private readonly db: Db,
    private readonly find: FindServer,
  ) {}

  private async mapped(ctx: RequestContext, id: string, action: string): Promise<ServerRow> {
    const row = await this.db
      .selectFrom('servers')
      .selectAll()
      .where('id', '=', id.toLowerCase())
      .executeTakeFirst();
    if (!row) throw new NotFound(`Instance ${id} has no mapping to a cell.`);
    if (!ctx.isAdmin && row.project_id !== ctx.projectId) throw denied(`os-server-tags:${action}`);
    return row;
  }

  private async writable(ctx: RequestContext, id: string, method: string, tx: Db) {
    const row = await this.find(ctx, id, tx);
    if (!TAGGABLE.includes(row.vm_state)) throw invalidState(method, id, 'vm_state', row.vm_state);
    return row;
  }

  private async read(ex: Db, serverId: string): Promise<string[]> {
    const rows = await ex
      .selectFrom('server_tags')
      .select('tag')
      .where('server_id', '=', serverId)
      .orderBy('tag')
      .execute();
    return rows.map((r) => r.tag);
  }

  async list(ctx: RequestContext, id: string): Promise<string[]> {
    return this.read(this.db, (await this.mapped(ctx, id, 'index')).id);
  }

  async has(ctx: RequestContext, id: string, tag: string): Promise<void> {
    const row = await this.mapped(ctx, id, 'show');
    if (!(await this.read(this.db, row.id)).includes(tag))
      throw new NotFound(`Server ${id} has no tag '${tag}'`);
  }

  /** Adds one tag; false when the server had it already. */
  async add(ctx: RequestContext, id: string, tag: string): Promise<boolean> {
    await this.mapped(ctx, id, 'update');
    return this.db.transaction().execute(async (tx) => {
      const row = await this.writable(ctx, id, 'update tag', tx);
      const problem = tagProblem(tag);
      if (problem)
        throw new BadRequest(
          `Tag '${tag}' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: ${problem}`,
        );
      const tags = await this.read(tx, row.id);
      if (tags.length >= MAX_TAGS)
        throw new BadRequest(`The number of tags exceeded the per-server limit ${MAX_TAGS}`);
      if (tags.includes(tag)) return false;
      await tx.insertInto('server_tags').values({ server_id: row.id, tag }).execute();
      await touch(tx, row.id);
      return true;
    });
  }

  /** Makes `tags` the server's whole set (the schema checked each tag and the count). */
  async replace(ctx: RequestContext, id: string, tags: readonly string[]): Promise<string[]> {
    await this.mapped(ctx, id, 'update_all');
    return this.db.transaction().execute(async (tx) => {
      const row = await this.writable(ctx, id, 'update tags', tx);
      await tx.deleteFrom('server_tags').where('server_id', '=', row.id).execute();
      for (const tag of new Set(tags))
        await tx.insertInto('server_tags').values({ server_id: row.id, tag }).execute();
      await touch(tx, row.id);
      return this.read(tx, row.id);
    });
  }

  async remove(ctx: RequestContext, id: string, tag: string): Promise<void> {
    await this.mapped(ctx, id, 'delete');
    await this.db.transaction().execute(async (tx) => {
      const row = await this.writable(ctx, id, 'delete tag', tx);
      const res = await tx
        .deleteFrom('server_tags')
        .where('server_id', '=', row.id)
        .where('tag', '=', tag)
        .executeTakeFirst();
      if (res.numDeletedRows === 0n) throw new NotFound(`Instance ${id} has no tag '${tag}'`);
      await touch(tx, row.id);
    });
  }

  async removeAll(ctx: RequestContext, id: string): Promise<void> {
    await this.mapped(ctx, id, 'delete_all');
    await this.db.transaction().execute(async (tx) => {
      const row = await this.writable(ctx, id, 'delete tags', tx);
      await tx.deleteFrom('server_tags').where('server_id', '=', row.id).execute();
      await touch(tx, row.id);
    });
  }
}
