import { userContext, type RequestContext } from '../../context.js';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import { isoNow, isUuid } from '../../util.js';
import { recordAction } from './instance-actions.js';
import { createServers, type CreateDeps } from './server-create.js';
import { serverListSql, type ServerListQuery } from './server-list.js';
import type { CreatedServers, NewServer, Server, ShownServer } from './server-model.js';
import { startPowerAction } from './server-actions.js';
import { createImage } from './server-snapshot.js';
import { instanceLocked } from './states.js';
import { Lifecycle } from './lifecycle.js';
import { registerLifecycleWorker } from './workers.js';
import { guestSpec, type ServerWorkDeps } from './server-work.js';
import type { PowerStateValue } from '../../compute/index.js';

export interface ServerUpdate {
  name?: string;
  description?: string | null;
  accessIPv4?: string;
  accessIPv6?: string;
  hostname?: string;
}

/**
 * Nova's servers: the one way in for routes and for Heat. Each method takes the caller's
 * context; a server of another project is not found, as in Nova, unless the caller is an admin.
 */
export class Servers {
  /** shelve, rebuild, resize, createBackup and the admin actions (lifecycle.ts). */
  readonly lifecycle: Lifecycle;

  constructor(private readonly d: ServerWorkDeps & CreateDeps) {
    const deps = {
      ...d,
      find: (ctx: RequestContext, id: string, ex?: Db) => this.row(ctx, id, ex),
      load: (ctx: RequestContext, id: string) => this.get(ctx, id),
    };
    this.lifecycle = new Lifecycle(deps, (ctx, id) => this.delete(ctx, id));
    registerLifecycleWorker(deps);
  }

  private get db(): Db {
    return this.d.db;
  }

  /** The row of a server the caller may see, else Nova's 404. */
  async row(ctx: RequestContext, id: string, ex: Db = this.db): Promise<ServerRow> {
    const row = isUuid(id) ? await this.d.rows.find(id.toLowerCase(), ex) : undefined;
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId))
      throw new NotFound(`Instance ${id} could not be found.`);
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<Server> {
    return this.d.rows.loadOne(await this.row(ctx, id));
  }

  create(ctx: RequestContext, input: NewServer): Promise<CreatedServers> {
    return createServers(this.d, ctx, input);
  }

  async list(ctx: RequestContext, q: ServerListQuery): Promise<ShownServer[]> {
    const addresses = (ids: readonly string[]) => this.d.network.computePorts.interfaces(ids);
    const rows = this.d.rows;
    return rows.page(
      await serverListSql(this.db, ctx, q, (id, cols) => rows.findMarker(id, cols), addresses),
    );
  }

  async update(ctx: RequestContext, id: string, input: ServerUpdate): Promise<Server> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      const set: Partial<ServerRow> = { updated_at: isoNow() };
      if (input.name !== undefined) set.name = input.name;
      if (input.description !== undefined) set.description = input.description;
      if (input.accessIPv4 !== undefined) set.access_ip_v4 = input.accessIPv4;
      if (input.accessIPv6 !== undefined) set.access_ip_v6 = input.accessIPv6;
      if (input.hostname !== undefined) set.hostname = input.hostname;
      await tx.updateTable('servers').set(set).where('id', '=', row.id).execute();
    });
    return this.get(ctx, id);
  }

  /**
   * DELETE: refused on a locked server (unless admin); a second delete while one runs is a
   * no-op. The work is the `server.delete` task, queued behind whatever the server is doing.
   */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      if (row.locked === 1 && !ctx.isAdmin) throw instanceLocked(row.id);
      if (row.task_state === 'deleting') return;
      await tx
        .updateTable('servers')
        .set({ task_state: 'deleting', updated_at: isoNow() })
        .where('id', '=', row.id)
        .execute();
      await recordAction(tx, ctx, row.id, 'delete');
      await this.d.tasks.enqueue(tx, 'server.delete', row.id, { roles: ctx.roles });
    });
    this.d.tasks.kick();
  }

  /** stop, start, reboot, reboot-hard, pause, unpause, suspend, resume. */
  powerAction(ctx: RequestContext, id: string, key: string): Promise<void> {
    return startPowerAction(this.db, this.d.tasks, ctx, id, key, (c, i, ex) => this.row(c, i, ex));
  }

  /** lock/unlock: no state check; an owner may not lift an admin's lock (Nova's policy). */
  async setLocked(
    ctx: RequestContext,
    id: string,
    locked: boolean,
    reason?: string,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.row(ctx, id, tx);
      if (locked) {
        if (row.locked === 1) return;
        await tx
          .updateTable('servers')
          .set({
            locked: 1,
            // Nova: the owner's lock when the caller's project owns the server, else an admin's.
            locked_by: row.project_id === ctx.projectId ? 'owner' : 'admin',
            locked_reason: reason ?? null,
          })
          .where('id', '=', row.id)
          .execute();
      } else {
        if (row.locked_by === 'admin' && !ctx.isAdmin)
          throw new Forbidden(
            "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.",
          );
        await tx
          .updateTable('servers')
          .set({ locked: 0, locked_by: null, locked_reason: null })
          .where('id', '=', row.id)
          .execute();
      }
      await recordAction(tx, ctx, row.id, locked ? 'lock' : 'unlock');
    });
  }

  createImage(
    ctx: RequestContext,
    id: string,
    name: string,
    metadata: Record<string, string>,
  ): Promise<string> {
    return createImage(
      {
        db: this.db,
        tasks: this.d.tasks,
        images: this.d.images,
        volumes: this.d.volumes,
        host: this.d.host.name,
        load: (c, i) => this.get(c, i),
      },
      ctx,
      id,
      name,
      metadata,
    );
  }

  /** The guest's serial console, the last `length` lines when given (-1: all). */
  async consoleOutput(ctx: RequestContext, id: string, length: number | null): Promise<string> {
    const row = await this.row(ctx, id);
    if (row.host === null) throw new Conflict(`Instance ${row.id} is not ready`);
    const text = await this.d.driver.consoleLog(
      row.id,
      length === null || length < 0 ? undefined : length,
    );
    // Nova strips control characters but newline and tab.
    // eslint-disable-next-line no-control-regex -- these are the characters Nova removes
    return text.replace(/[\x00-\x08\x0B-\x1F]/g, '');
  }

  /**
   * After a restart: the driver takes back the guests the rows say exist, a page at a time,
   * and the recorded power state is corrected where the driver knows better.
   */
  async recover(): Promise<void> {
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('servers')
        .selectAll()
        .where('host', 'is not', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(500)
        .execute();
      if (rows.length === 0) return;
      for (const server of await this.d.rows.load(rows)) {
        const ctx = userContext(server.row.project_id, server.row.user_id, []);
        const spec = await guestSpec(this.d, ctx, server);
        const power = await this.d.driver.adopt(spec, server.row.power_state as PowerStateValue);
        if (power !== server.row.power_state)
          await this.db
            .updateTable('servers')
            .set({ power_state: power })
            .where('id', '=', server.row.id)
            .execute();
      }
      after = rows[rows.length - 1]!.id;
    }
  }

  /** The server groups a server is in (2.71's `server_groups`). */
  async groupsOf(id: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('server_group_members')
      .select('group_id')
      .where('server_id', '=', id)
      .execute();
    return rows.map((r) => r.group_id);
  }

  /** Throws Nova's 400 for a marker that is not a server id (the list does the rest). */
  static checkMarker(marker: string | undefined): void {
    if (marker !== undefined && !isUuid(marker))
      throw new BadRequest(`marker [${marker}] not found`);
  }
}
