import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { QuotaClasses } from '../../store/quota-classes.js';
import { BadRequest } from '../../errors.js';
import { versionBelow, type Microversion } from '../../http/microversion.js';

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

const NETWORK: QuotaResource[] = [
  'floating_ips',
  'fixed_ips',
  'security_groups',
  'security_group_rules',
];
const INJECTED: QuotaResource[] = [
  'injected_files',
  'injected_file_content_bytes',
  'injected_file_path_bytes',
];
const SERVER_GROUPS: QuotaResource[] = ['server_groups', 'server_group_members'];
const ALL = Object.keys(DEFAULT_QUOTAS) as QuotaResource[];
const MAX_INT = 2147483647;

/** The resources os-quota-sets shows at a microversion: 2.36 drops the network ones, 2.57 the injected files. */
export function quotaSetResources(mv: Microversion): QuotaResource[] {
  return ALL.filter(
    (r) =>
      !(NETWORK.includes(r) && !versionBelow(mv, [2, 36])) &&
      !(INJECTED.includes(r) && !versionBelow(mv, [2, 57])),
  );
}

/**
 * The resources os-quota-class-sets shows: the v2.1 port forgot the server group quotas there,
 * and 2.50 put them back while dropping the network ones (nova-specs fix-quota-classes-api).
 */
export function quotaClassResources(mv: Microversion): QuotaResource[] {
  const before250 = versionBelow(mv, [2, 50]);
  return ALL.filter(
    (r) =>
      !(SERVER_GROUPS.includes(r) && before250) &&
      !(NETWORK.includes(r) && !before250) &&
      !(INJECTED.includes(r) && !versionBelow(mv, [2, 57])),
  );
}

/**
 * Checks a quota_set or quota_class_set body as Nova's JSON schema does: known keys only, each
 * an integer (or a string of digits) from -1 to 2^31-1. Returns the limits to store.
 */
export function parseLimits(
  body: unknown,
  key: string,
  allowed: QuotaResource[],
  allowForce: boolean,
): {
  limits: Partial<QuotaSet>;
  force: boolean;
} {
  const set =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof set !== 'object' || set === null || Array.isArray(set)) {
    throw new BadRequest(
      `Invalid input for field/attribute ${key}. Value: ${JSON.stringify(set ?? null)}. '${key}' is a required property`,
    );
  }
  const limits: Partial<QuotaSet> = {};
  let force = false;
  for (const [name, value] of Object.entries(set as Record<string, unknown>)) {
    if (name === 'force' && allowForce) {
      force =
        value === true ||
        (typeof value === 'string' && ['true', '1', 'yes', 'on'].includes(value.toLowerCase()));
      continue;
    }
    if (!(allowed as string[]).includes(name)) {
      throw new BadRequest(
        `Invalid input for field/attribute ${key}. Value: ${JSON.stringify(set)}. Additional properties are not allowed ('${name}' was unexpected)`,
      );
    }
    const n = typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value;
    if (typeof value === 'string' && typeof n !== 'number') {
      throw new BadRequest(
        `Invalid input for field/attribute ${name}. Value: ${value}. '${value}' does not match '^-?[0-9]+$'`,
      );
    }
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      const shown = JSON.stringify(value);
      throw new BadRequest(
        `Invalid input for field/attribute ${name}. Value: ${shown}. ${shown} is not of type 'integer', 'string'`,
      );
    }
    if (n < -1)
      throw new BadRequest(
        `Invalid input for field/attribute ${name}. Value: ${n}. ${n} is less than the minimum of -1`,
      );
    if (n > MAX_INT)
      throw new BadRequest(
        `Invalid input for field/attribute ${name}. Value: ${n}. ${n} is greater than the maximum of ${MAX_INT}`,
      );
    limits[name as QuotaResource] = n;
  }
  return { limits, force };
}

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
    for (const r of rows) if (r.resource in set) set[r.resource as QuotaResource] = r.hard_limit;
    return set;
  }

  /**
   * What a project (or a user in it) uses. Key pairs are a user's, as in Nova, so they count
   * when a user is asked about. There are no servers or server groups yet: those count zero.
   */
  async usage(_projectId: string, userId?: string): Promise<QuotaSet> {
    const used = Object.fromEntries(ALL.map((r) => [r, 0])) as QuotaSet;
    if (userId) used.key_pairs = await this.keyPairsOf(userId);
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
