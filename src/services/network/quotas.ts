import type { Kysely } from 'kysely';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import { badRequest, conflict, NeutronFault } from './errors.js';

/**
 * The resources Neutron counts, in the order its registry lists them, with Zed's default limits
 * (neutron/conf/quota.py; DevStack keeps them). `rbac_policy` is counted by Neutron and shown
 * by its quota API, so it is here although pocketstack has no RBAC policies (always 0 used).
 */
export const QUOTA_DEFAULTS = {
  network: 100,
  subnet: 100,
  subnetpool: -1,
  port: 500,
  router: 10,
  floatingip: 50,
  security_group: 10,
  security_group_rule: 100,
  rbac_policy: 10,
} as const;

export type QuotaResource = keyof typeof QUOTA_DEFAULTS;
export type QuotaLimits = Record<QuotaResource, number>;
export interface QuotaUsage {
  limit: number;
  used: number;
  reserved: number;
}

export const QUOTA_RESOURCES = Object.keys(QUOTA_DEFAULTS) as QuotaResource[];

export function isQuotaResource(name: string): name is QuotaResource {
  return Object.hasOwn(QUOTA_DEFAULTS, name);
}

/** The table each resource is counted in (none: nothing of it exists here). */
const TABLES = {
  network: 'networks',
  subnet: 'subnets',
  subnetpool: 'subnetpools',
  port: 'ports',
  router: 'routers',
  floatingip: 'floatingips',
  security_group: 'security_groups',
  security_group_rule: 'security_group_rules',
  rbac_policy: null,
} as const satisfies Record<QuotaResource, keyof Database | null>;

/** A project's limit for one resource: its own row, else the default; -1 is unlimited. */
export async function limitOf(
  db: Kysely<Database>,
  projectId: string,
  resource: QuotaResource,
): Promise<number> {
  const row = await db
    .selectFrom('network_quotas')
    .select('hard_limit')
    .where('project_id', '=', projectId)
    .where('resource', '=', resource)
    .executeTakeFirst();
  return row?.hard_limit ?? QUOTA_DEFAULTS[resource];
}

export async function usageOf(
  db: Kysely<Database>,
  projectId: string,
  resource: QuotaResource,
): Promise<number> {
  const table = TABLES[resource];
  if (table === null) return 0;
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Refuses to add `count` of a resource beyond the project's limit. Call it inside the
 * transaction that inserts, so two racing creates cannot both pass.
 */
export async function checkQuota(
  tx: Kysely<Database>,
  projectId: string,
  resource: QuotaResource,
  count = 1,
): Promise<void> {
  const limit = await limitOf(tx, projectId, resource);
  if (limit < 0) return;
  if ((await usageOf(tx, projectId, resource)) + count > limit) {
    throw conflict('OverQuota', `Quota exceeded for resources: ['${resource}'].`);
  }
}

function policyRefused(rule: string): NeutronFault {
  return new NeutronFault(403, 'PolicyNotAuthorized', `rule:${rule} is disallowed by policy`);
}

/**
 * The quotas API (neutron/extensions/quotasv2.py, quotasv2_detail.py, db/quota/driver.py): a
 * member reads its own project's limits, an admin reads and sets anyone's.
 */
export class Quotas {
  constructor(private readonly db: Db) {}

  private async overrides(projectId: string, db: Db = this.db): Promise<QuotaLimits> {
    const limits: QuotaLimits = { ...QUOTA_DEFAULTS };
    const rows = await db
      .selectFrom('network_quotas')
      .select(['resource', 'hard_limit'])
      .where('project_id', '=', projectId)
      .execute();
    for (const r of rows) if (isQuotaResource(r.resource)) limits[r.resource] = r.hard_limit;
    return limits;
  }

  /** Projects with at least one limit of their own, each with all its limits. */
  async list(ctx: RequestContext): Promise<{ projectId: string; limits: QuotaLimits }[]> {
    if (!ctx.isAdmin) throw policyRefused('get_quota');
    const rows = await this.db
      .selectFrom('network_quotas')
      .select(['project_id', 'resource', 'hard_limit'])
      .orderBy('project_id')
      .execute();
    const byProject = new Map<string, QuotaLimits>();
    for (const r of rows) {
      if (!isQuotaResource(r.resource)) continue;
      let limits = byProject.get(r.project_id);
      if (!limits) byProject.set(r.project_id, (limits = { ...QUOTA_DEFAULTS }));
      limits[r.resource] = r.hard_limit;
    }
    return [...byProject].map(([projectId, limits]) => ({ projectId, limits }));
  }

  async show(ctx: RequestContext, projectId: string): Promise<QuotaLimits> {
    if (projectId !== ctx.projectId && !ctx.isAdmin) throw policyRefused('get_quota');
    return this.overrides(projectId);
  }

  defaults(ctx: RequestContext, projectId: string): QuotaLimits {
    if (projectId !== ctx.projectId && !ctx.isAdmin) throw policyRefused('get_quota');
    return { ...QUOTA_DEFAULTS };
  }

  /** quota_details: limit, used and reserved (always 0: reservations are not kept). */
  async details(
    ctx: RequestContext,
    projectId: string,
  ): Promise<Record<QuotaResource, QuotaUsage>> {
    if (projectId !== ctx.projectId && !ctx.isAdmin) {
      throw new NeutronFault(
        403,
        'AdminRequired',
        'User does not have admin privileges: Only admin is authorized to access quotas for another project.',
      );
    }
    const limits = await this.overrides(projectId);
    const out = {} as Record<QuotaResource, QuotaUsage>;
    for (const r of QUOTA_RESOURCES) {
      out[r] = { limit: limits[r], used: await usageOf(this.db, projectId, r), reserved: 0 };
    }
    return out;
  }

  /**
   * Sets limits. With `checkLimit`, a limit below what the project already uses is refused;
   * the check and the writes are one transaction, so a racing create cannot slip between them.
   */
  /** Only an admin sets limits; checked before the body is read, as Neutron does. */
  mayUpdate(ctx: RequestContext): void {
    if (!ctx.isAdmin) throw policyRefused('update_quota');
  }

  async update(
    ctx: RequestContext,
    projectId: string,
    changes: Partial<QuotaLimits>,
    checkLimit: boolean,
  ): Promise<QuotaLimits> {
    this.mayUpdate(ctx);
    return this.db.transaction().execute(async (tx) => {
      for (const [resource, limit] of Object.entries(changes) as [QuotaResource, number][]) {
        if (!checkLimit || limit < 0) continue;
        const used = await usageOf(tx, projectId, resource);
        if (used > limit) {
          throw badRequest(
            `Quota limit ${limit} for ${resource} must be greater than or equal to already used ${used}`,
          );
        }
      }
      for (const [resource, limit] of Object.entries(changes) as [QuotaResource, number][]) {
        await tx
          .insertInto('network_quotas')
          .values({ project_id: projectId, resource, hard_limit: limit })
          .onConflict((oc) =>
            oc.columns(['project_id', 'resource']).doUpdateSet({ hard_limit: limit }),
          )
          .execute();
      }
      return this.overrides(projectId, tx);
    });
  }

  /** Back to the defaults; a project with no limits of its own is TenantQuotaNotFound. */
  async reset(ctx: RequestContext, projectId: string): Promise<void> {
    if (!ctx.isAdmin) throw policyRefused('delete_quota');
    const result = await this.db
      .deleteFrom('network_quotas')
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new NeutronFault(
        404,
        'TenantQuotaNotFound',
        `Quota for tenant ${projectId} could not be found.`,
      );
    }
  }
}
