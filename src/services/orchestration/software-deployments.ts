import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { SoftwareDeploymentRow } from '../../store/orchestration-schema.js';
import { isoNow } from '../../util.js';
import { HeatFault } from './errors.js';
import { isotime, type SoftwareConfig, type SoftwareConfigs } from './software-configs.js';

export interface SoftwareDeploymentInput {
  configId: string;
  serverId: string;
  inputValues: Record<string, unknown>;
  action: string;
  status: string;
  statusReason: string;
}

export interface SoftwareDeploymentUpdate {
  configId?: string;
  inputValues?: Record<string, unknown>;
  outputValues?: Record<string, unknown>;
  action?: string;
  status?: string;
  statusReason?: string;
}

/** heat/engine/api.py format_software_deployment. */
export interface SoftwareDeployment {
  id: string;
  server_id: string;
  config_id: string;
  input_values: Record<string, unknown>;
  output_values: Record<string, unknown>;
  action: string;
  status: string;
  status_reason: string;
  creation_time: string;
  updated_time?: string;
}

function shown(row: SoftwareDeploymentRow): SoftwareDeployment {
  return {
    id: row.id,
    server_id: row.server_id,
    config_id: row.config_id,
    input_values: JSON.parse(row.input_values) as Record<string, unknown>,
    output_values: JSON.parse(row.output_values) as Record<string, unknown>,
    action: row.action,
    status: row.status,
    status_reason: row.status_reason,
    creation_time: isotime(row.created_at),
    ...(row.updated_at ? { updated_time: isotime(row.updated_at) } : {}),
  };
}

/**
 * /software_deployments (heat/engine/service_software_config.py): which config a server is to
 * run and how that went, as the server's agent reports it; `metadata` is the configs of a
 * server's deployments, by config name. The project's own only, as Heat scopes them.
 */
export class SoftwareDeployments {
  constructor(
    private readonly db: Db,
    private readonly configs: SoftwareConfigs,
  ) {}

  async create(ctx: RequestContext, input: SoftwareDeploymentInput): Promise<SoftwareDeployment> {
    await this.configs.get(ctx, input.configId);
    const row: SoftwareDeploymentRow = {
      id: randomUUID(),
      project_id: ctx.projectId ?? '',
      config_id: input.configId,
      server_id: input.serverId,
      input_values: JSON.stringify(input.inputValues),
      output_values: '{}',
      action: input.action,
      status: input.status,
      status_reason: input.statusReason,
      created_at: isoNow(),
      updated_at: null,
    };
    await this.db.insertInto('software_deployments').values(row).execute();
    return shown(row);
  }

  async get(ctx: RequestContext, id: string): Promise<SoftwareDeployment> {
    return shown(await this.row(ctx, id));
  }

  async list(ctx: RequestContext, serverId: string | null): Promise<SoftwareDeployment[]> {
    let q = this.db.selectFrom('software_deployments').selectAll();
    if (!ctx.isAdmin) q = q.where('project_id', '=', ctx.projectId ?? '');
    if (serverId !== null) q = q.where('server_id', '=', serverId);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map(shown);
  }

  /** The configs of a server's deployments, sorted by config name. */
  async metadata(ctx: RequestContext, serverId: string): Promise<SoftwareConfig[]> {
    const deployments = await this.list(ctx, serverId);
    const configs: SoftwareConfig[] = [];
    for (const d of deployments) {
      try {
        configs.push(await this.configs.get(ctx, d.config_id));
      } catch {
        // Heat leaves out deployments whose config is gone.
      }
    }
    return configs.sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
  }

  /** Only what is given (and not empty) changes, as update_software_deployment does. */
  async update(
    ctx: RequestContext,
    id: string,
    change: SoftwareDeploymentUpdate,
  ): Promise<SoftwareDeployment> {
    await this.row(ctx, id);
    if (change.configId) await this.configs.get(ctx, change.configId);
    const set: Partial<SoftwareDeploymentRow> = { updated_at: isoNow() };
    if (change.configId) set.config_id = change.configId;
    if (change.inputValues && Object.keys(change.inputValues).length > 0) {
      set.input_values = JSON.stringify(change.inputValues);
    }
    if (change.outputValues && Object.keys(change.outputValues).length > 0) {
      set.output_values = JSON.stringify(change.outputValues);
    }
    if (change.action) set.action = change.action;
    if (change.status) set.status = change.status;
    if (change.statusReason) set.status_reason = change.statusReason;
    await this.db.updateTable('software_deployments').set(set).where('id', '=', id).execute();
    return shown(await this.row(ctx, id));
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.row(ctx, id);
    await this.db.deleteFrom('software_deployments').where('id', '=', id).execute();
  }

  private async row(ctx: RequestContext, id: string): Promise<SoftwareDeploymentRow> {
    const row = await this.db
      .selectFrom('software_deployments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) {
      throw new HeatFault('NotFound', `Deployment with id ${id} not found`);
    }
    return row;
  }
}
