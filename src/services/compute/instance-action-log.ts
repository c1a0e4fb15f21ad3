import type { RequestContext } from '../../context.js';
import { BadRequest, NotFound } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { Selectable } from 'kysely';
import type {
  InstanceActionEventRow,
  InstanceActionRow as ActionTable,
} from '../../store/compute-schema.js';
import { isUuid } from '../../util.js';
import type { FindServer } from './server-metadata.js';

export type InstanceAction = Selectable<ActionTable>;
export type InstanceActionEvent = Selectable<InstanceActionEventRow>;

export interface ActionPage {
  limit: number;
  /** A request id; the page starts after that action. */
  marker?: string;
  /** ISO-8601 bounds on the action's updated_at. */
  changesSince?: string;
  changesBefore?: string;
}

export interface ActionWithEvents {
  action: InstanceAction;
  /** Undefined when the caller may not see them (members below 2.51). */
  events?: InstanceActionEvent[];
}

/**
 * Reading Nova's instance actions (os-instance-actions). From 2.21 a deleted server's actions
 * stay readable: delete keeps them, and the server is known by them and their project.
 */
export class InstanceActionLog {
  constructor(
    private readonly db: Db,
    private readonly find: FindServer,
  ) {}

  /** The server's id and project, looked up as the microversion allows. */
  private async server(
    ctx: RequestContext,
    id: string,
    withDeleted: boolean,
  ): Promise<{ id: string; projectId: string }> {
    try {
      const row = await this.find(ctx, id);
      return { id: row.id, projectId: row.project_id };
    } catch (err) {
      if (!(err instanceof NotFound) || !withDeleted || !isUuid(id)) throw err;
      const gone = await this.db
        .selectFrom('instance_actions')
        .select(['server_id', 'project_id'])
        .where('server_id', '=', id.toLowerCase())
        .where('action', '=', 'create')
        .executeTakeFirst();
      if (!gone || (!ctx.isAdmin && gone.project_id !== ctx.projectId)) throw err;
      return { id: gone.server_id, projectId: gone.project_id };
    }
  }

  /** Newest first, as Nova's actions_get (created_at, id descending). */
  async list(
    ctx: RequestContext,
    id: string,
    withDeleted: boolean,
    page: ActionPage,
  ): Promise<InstanceAction[]> {
    const server = await this.server(ctx, id, withDeleted);
    let q = this.db.selectFrom('instance_actions').selectAll().where('server_id', '=', server.id);
    if (page.marker !== undefined) {
      const marker = await this.db
        .selectFrom('instance_actions')
        .select('id')
        .where('server_id', '=', server.id)
        .where('request_id', '=', page.marker)
        .executeTakeFirst();
      if (!marker) throw new BadRequest(`Marker ${page.marker} could not be found.`);
      q = q.where('id', '<', marker.id);
    }
    if (page.changesSince !== undefined) q = q.where('updated_at', '>=', page.changesSince);
    if (page.changesBefore !== undefined) q = q.where('updated_at', '<=', page.changesBefore);
    return q.orderBy('id', 'desc').limit(page.limit).execute();
  }

  /**
   * One action by its request id, with its events for admins (Nova's `events` rule) and, from
   * 2.51 (`membersSeeEvents`), for everyone who may see the server.
   */
  async get(
    ctx: RequestContext,
    id: string,
    requestId: string,
    opts: { withDeleted: boolean; membersSeeEvents: boolean },
  ): Promise<ActionWithEvents & { projectId: string }> {
    const server = await this.server(ctx, id, opts.withDeleted);
    const action = await this.db
      .selectFrom('instance_actions')
      .selectAll()
      .where('server_id', '=', server.id)
      .where('request_id', '=', requestId)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (!action) throw new NotFound(`Action ${requestId} not found`);
    const out: ActionWithEvents & { projectId: string } = { action, projectId: server.projectId };
    if (ctx.isAdmin || opts.membersSeeEvents)
      out.events = await this.db
        .selectFrom('instance_action_events')
        .selectAll()
        .where('action_id', '=', action.id)
        .orderBy('id', 'desc')
        .execute();
    return out;
  }
}
