import { serverUsage } from './server-quota.js';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { QuotaClasses } from '../../store/quota-classes.js';
import { BadRequest } from '../../errors.js';

/** Nova's quota resources and their defaults (nova/conf/quota.py); -1 means unlimited. */
export const DEFAULT_QUOTAS = {
  instances: 10,
  cores: 20,
  ram: 51200,
  metadata_items: 128,
  key_pairs: 100,
  server_groups: 10,
  server_group_members: 10,
  injected_files: 5,
  injected_file_content_bytes: 10240,
  injected_file_path_bytes: 255,
  // The nova-network era resources, still shown (and settable) before 2.36.
  floating_ips: 10,
  fixed_ips: -1,
  security_groups: 10,
  security_group_rules: 20,
} as const;

export type QuotaResource = keyof typeof DEFAULT_QUOTAS;
export type QuotaSet = Record<QuotaResource, number>;
export type QuotaDetail = Record<
  QuotaResource,
  { limit: number; in_use: number; reserved: number }
>;

export const QUOTA_RESOURCES = Object.keys(DEFAULT_QUOTAS) as QuotaResource[];
const ALL = QUOTA_RESOURCES;

const unlimited = (n: number): number => (n === -1 ? Infinity : n);

/**
 * Nova's database quota driver: the `default` quota class over the built-in defaults, a
 * project's own limits over those, and a user's limits inside the project over the project's.
 */
export class ComputeQuotas {
  private readonly classes: QuotaClasses;

  constructor(private readonly db: Db) {
    this.classes = new QuotaClasses(db, 'compute');
  }

  async classSet(className: string): Promise<QuotaSet> {
    return this.classes.read<QuotaSet>({ ...DEFAULT_QUOTAS }, className);
  }

  async limits(projectId: string, userId?: string): Promise<QuotaSet> {
    const set = await this.classSet('default');
    const rows = await this.db
      .selectFrom('compute_quotas')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('user_id', 'in', userId ? ['', userId] : [''])
      .execute();
    rows.sort((a, b) => Number(a.user_id !== '') - Number(b.user_id !== ''));
    for (const r of rows)
      if (Object.hasOwn(set, r.resource)) set[r.resource as QuotaResource] = r.hard_limit;
    return set;
  }

  /**
   * What a project (or a user in it) uses. Key pairs are a user's, as in Nova, so they count
   * when a user is asked about. Instances, cores and ram are counted from the servers.
   */
  async usage(projectId: string, userId?: string): Promise<QuotaSet> {
    const used = Object.fromEntries(ALL.map((r) => [r, 0])) as QuotaSet;
    if (userId) used.key_pairs = await this.keyPairsOf(userId);
    Object.assign(used, await serverUsage(this.db, projectId, userId));
    // Server groups count per project (per user when a user is asked about), as Nova's.
    let groups = this.db
      .selectFrom('server_groups')
      .select(sql<number>`count(*)`.as('n'))
      .where('project_id', '=', projectId);
    if (userId) groups = groups.where('user_id', '=', userId);
    used.server_groups = Number((await groups.executeTakeFirstOrThrow()).n);
    return used;
  }

  /** How many key pairs a user has (`ex`: a transaction that is about to add one). */
  async keyPairsOf(userId: string, ex: Db = this.db): Promise<number> {
    const r = await ex
      .selectFrom('key_pairs')
      .select(sql<number>`count(*)`.as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async detail(projectId: string, userId?: string): Promise<QuotaDetail> {
    const limits = await this.limits(projectId, userId);
    const used = await this.usage(projectId, userId);
    return Object.fromEntries(
      ALL.map((r) => [r, { limit: limits[r], in_use: used[r], reserved: 0 }]),
    ) as QuotaDetail;
  }

  /**
   * Sets a project's (or a user's) limits. Unless forced, a limit may not drop below what is in
   * use, and a user's limit may not pass its project's; Nova's 400 texts.
   */
  async update(
    projectId: string,
    userId: string | undefined,
    limits: Partial<QuotaSet>,
    force: boolean,
  ): Promise<void> {
    if (!force) {
      const used = await this.usage(projectId, userId);
      const project = userId ? await this.limits(projectId) : undefined;
      for (const [resource, limit] of Object.entries(limits) as Array<[QuotaResource, number]>) {
        if (unlimited(limit) < used[resource]) {
          throw new BadRequest(
            `Quota limit ${limit} for ${resource} must be greater than or equal to already used and reserved ${used[resource]}.`,
          );
        }
        if (project && unlimited(limit) > unlimited(project[resource])) {
          throw new BadRequest(
            `Quota limit ${limit} for ${resource} must be less than or equal to ${project[resource]}.`,
          );
        }
      }
    }
    await this.db.transaction().execute(async (trx) => {
      for (const [resource, hard_limit] of Object.entries(limits)) {
        await trx
          .insertInto('compute_quotas')
          .values({ project_id: projectId, user_id: userId ?? '', resource, hard_limit })
          .onConflict((oc) =>
            oc.columns(['project_id', 'user_id', 'resource']).doUpdateSet({ hard_limit }),
          )
          .execute();
      }
    });
  }

  /** Back to the defaults: a project's limits and its users' go, or just one user's. */
  async reset(projectId: string, userId?: string): Promise<void> {
    let q = this.db.deleteFrom('compute_quotas').where('project_id', '=', projectId);
    if (userId) q = q.where('user_id', '=', userId);
    await q.execute();
  }

  async updateClass(className: string, limits: Partial<QuotaSet>): Promise<void> {
    await this.classes.write(className, limits);
  }
}
