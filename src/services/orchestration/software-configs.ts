import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import { afterMarker } from '../../store/keyset.js';
import type { Db } from '../../store/db.js';
import type { SoftwareConfigRow } from '../../store/orchestration-schema.js';
import { HeatFault } from './errors.js';
import { checkIoSchemaList, inputConfig, outputConfig } from './software-config-io.js';

/** What `POST /software_configs` and the config resources give (heatclient's create body). */
export interface SoftwareConfigInput {
  name: string | null;
  group: string | null;
  /** A script (string), or a map for OS::Heat::StructuredConfig; stored as given. */
  config: unknown;
  inputs?: unknown;
  outputs?: unknown;
  options?: unknown;
}

/** heat/engine/api.py format_software_config, detail=True. */
export interface SoftwareConfig {
  id: string;
  name: string | null;
  group: string | null;
  creation_time: string;
  config: unknown;
  inputs: unknown[];
  outputs: unknown[];
  options: unknown;
}

/** format_software_config, detail=False: a list entry (`project` for admins). */
export interface SoftwareConfigSummary {
  id: string;
  name: string | null;
  group: string | null;
  creation_time: string;
  project?: string;
}

/** The `config` column: Heat's JSON config column plus the group, which Heat lets be null. */
interface Stored {
  config: unknown;
  inputs: unknown[];
  outputs: unknown[];
  options: unknown;
  group: string | null;
}

/**
 * Heat's software configs (heat/engine/service_software_config.py over heat/db's
 * software_config_*): immutable once made, visible to their project and to admins.
 */
export class SoftwareConfigs {
  constructor(private readonly db: Db) {}

  async create(ctx: RequestContext, input: SoftwareConfigInput): Promise<SoftwareConfig> {
    // rpc/client.py turns any falsy inputs/outputs/options into [] / [] / {} before the engine.
    const inputs = checkIoSchemaList(falsy(input.inputs) ? [] : input.inputs).map(inputConfig);
    const outputs = checkIoSchemaList(falsy(input.outputs) ? [] : input.outputs).map(outputConfig);
    const options = falsy(input.options) ? {} : input.options;
    const stored: Stored = { inputs, outputs, options, config: input.config, group: input.group };
    const row: SoftwareConfigRow = {
      id: randomUUID(),
      project_id: ctx.projectId ?? '',
      name: input.name,
      group: input.group ?? '',
      config: JSON.stringify(stored),
      created_at: new Date().toISOString(),
    };
    await this.db.insertInto('software_configs').values(row).execute();
    return detail(row);
  }

  async get(ctx: RequestContext, id: string): Promise<SoftwareConfig> {
    return detail(await this.row(ctx, id));
  }

  /** Newest first (created_at desc, id desc); a marker that names no config is ignored. */
  async list(
    ctx: RequestContext,
    opts: { limit?: number; marker?: string } = {},
  ): Promise<SoftwareConfigSummary[]> {
    let q = this.db.selectFrom('software_configs').selectAll();
    if (!ctx.isAdmin) q = q.where('project_id', '=', ctx.projectId ?? '');
    if (opts.marker !== undefined) {
      const marker = await this.db
        .selectFrom('software_configs')
        .select(['id', 'created_at'])
        .where('id', '=', opts.marker)
        .executeTakeFirst();
      if (marker) {
        q = q.where(
          afterMarker([
            { expr: 'created_at', dir: 'desc', value: marker.created_at },
            { expr: 'id', dir: 'desc', value: marker.id },
          ]),
        );
      }
    }
    q = q.orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (opts.limit !== undefined) q = q.limit(opts.limit);
    const rows = await q.execute();
    return rows.map((row) => summary(row, ctx.isAdmin));
  }

  /** Refused while a deployment uses it, as software_config_delete checks, in one statement. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.row(ctx, id);
    const result = await this.db
      .deleteFrom('software_configs')
      .where('id', '=', id)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('software_deployments').select('id').where('config_id', '=', id))),
      )
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) {
      const still = await this.db
        .selectFrom('software_configs')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (still) throw inUse(id);
    }
  }

  private async row(ctx: RequestContext, id: string): Promise<SoftwareConfigRow> {
    const row = await this.db
      .selectFrom('software_configs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) {
      throw new HeatFault('NotFound', `Software config with id ${id} not found`);
    }
    return row;
  }
}

/**
 * InvalidRestrictedAction, which Heat's fault map leaves at 500; answered 400 here (the API's
 * own delete path raises HTTPBadRequest for an engine refusal), the text unchanged.
 */
function inUse(id: string): HeatFault {
  return new HeatFault(
    'InvalidRestrictedAction',
    `Software config with id ${id} can not be deleted as it is referenced.`,
    400,
  );
}

function falsy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** heat/common/timeutils.isotime: seconds, literal Z. */
export function isotime(iso: string): string {
  return iso.slice(0, 19) + 'Z';
}

function summary(row: SoftwareConfigRow, withProject: boolean): SoftwareConfigSummary {
  const stored = JSON.parse(row.config) as Stored;
  const out: SoftwareConfigSummary = {
    id: row.id,
    name: row.name,
    group: stored.group,
    creation_time: isotime(row.created_at),
  };
  if (withProject) out.project = row.project_id;
  return out;
}

function detail(row: SoftwareConfigRow): SoftwareConfig {
  const stored = JSON.parse(row.config) as Stored;
  return {
    id: row.id,
    name: row.name,
    group: stored.group,
    creation_time: isotime(row.created_at),
    config: stored.config,
    inputs: stored.inputs,
    outputs: stored.outputs,
    options: stored.options,
  };
}
