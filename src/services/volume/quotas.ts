import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { BadRequest, OverLimit } from '../../errors.js';
import { QuotaClasses } from '../../store/quota-classes.js';
import { pyStr } from '../../http/pyrepr.js';

/** Cinder's default quotas (cinder/quota.py); -1 means unlimited. */
export const DEFAULT_QUOTAS = {
  volumes: 10,
  snapshots: 10,
  gigabytes: 1000,
  backups: 10,
  backup_gigabytes: 1000,
  groups: 10,
  per_volume_gigabytes: -1,
} as const;

export type QuotaResource = keyof typeof DEFAULT_QUOTAS;
export type QuotaSet = Record<QuotaResource, number>;

export interface Usage {
  volumes: number;
  snapshots: number;
  /** Volume and snapshot sizes together, as Cinder counts them by default. */
  gigabytes: number;
}

function overLimit(message: string): OverLimit {
  const err = new OverLimit(message);
  err.headers['retry-after'] = '0';
  return err;
}

/**
 * New limits as Cinder checks them: integers from -1 up, or strings of one; names it does not
 * know are ignored. For the routes, which pass the typed result to the service.
 */
export function validLimits(values: Record<string, unknown>): Partial<QuotaSet> {
  const limits: Partial<QuotaSet> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!Object.hasOwn(DEFAULT_QUOTAS, key)) continue;
    const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < -1) {
      throw new BadRequest(
        `Invalid input received: Quota limit ${pyStr(value)} for ${key} must be an integer greater than or equal to -1.`,
      );
    }
    limits[key as QuotaResource] = n;
  }
  return limits;
}

export class Quotas {
  private readonly classes: QuotaClasses;

  constructor(private readonly db: Db) {
    this.classes = new QuotaClasses(db, 'volume');
  }

  /** A quota class's limits; `default` is where every project starts. */
  async classSet(className: string, ex: Db = this.db): Promise<QuotaSet> {
    return this.classes.read<QuotaSet>({ ...DEFAULT_QUOTAS }, className, ex);
  }

  async setClass(className: string, limits: Partial<QuotaSet>): Promise<void> {
    await this.classes.write(className, limits);
  }

  async limits(projectId: string, ex: Db = this.db): Promise<QuotaSet> {
    const rows = await ex
      .selectFrom('quotas')
      .selectAll()
      .where('project_id', '=', projectId)
      .execute();
    const set = await this.classSet('default', ex);
    for (const r of rows)
      if (Object.hasOwn(set, r.resource)) set[r.resource as QuotaResource] = r.hard_limit;
    return set;
  }

  async usage(projectId: string, ex: Db = this.db): Promise<Usage> {
    const v = await ex
      .selectFrom('volumes')
      .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(size), 0)`.as('gb')])
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    const s = await ex
      .selectFrom('snapshots')
      .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(size), 0)`.as('gb')])
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return { volumes: Number(v.n), snapshots: Number(s.n), gigabytes: Number(v.gb) + Number(s.gb) };
  }

  /**
   * Refuses a request that would pass a quota, with Cinder's 413 texts. Call inside the
   * transaction that inserts the new rows, so concurrent creates cannot both slip under it.
   */
  async check(
    ex: Db,
    projectId: string,
    want: { volumes?: number; snapshots?: number; gigabytes: number },
  ): Promise<void> {
    const limits = await this.limits(projectId, ex);
    const used = await this.usage(projectId, ex);
    if (
      want.volumes &&
      limits.per_volume_gigabytes >= 0 &&
      want.gigabytes > limits.per_volume_gigabytes
    ) {
      throw overLimit(
        `Requested volume size ${want.gigabytes}G is larger than maximum allowed limit ${limits.per_volume_gigabytes}G.`,
      );
    }
    if (limits.gigabytes >= 0 && used.gigabytes + want.gigabytes > limits.gigabytes) {
      throw overLimit(
        `Requested volume or snapshot exceeds allowed gigabytes quota. Requested ${want.gigabytes}G, quota is ${limits.gigabytes}G and ${used.gigabytes}G has been consumed.`,
      );
    }
    if (want.volumes && limits.volumes >= 0 && used.volumes + want.volumes > limits.volumes) {
      throw overLimit(
        `Maximum number of volumes allowed (${limits.volumes}) exceeded for quota 'volumes'.`,
      );
    }
    if (
      want.snapshots &&
      limits.snapshots >= 0 &&
      used.snapshots + want.snapshots > limits.snapshots
    ) {
      throw overLimit(`Maximum number of snapshots allowed (${limits.snapshots}) exceeded`);
    }
  }

  /** DELETE /os-quota-sets/{project}: back to the default class. */
  async reset(projectId: string): Promise<void> {
    await this.db.deleteFrom('quotas').where('project_id', '=', projectId).execute();
  }

  async set(projectId: string, limits: Partial<QuotaSet>): Promise<void> {
    for (const [key, n] of Object.entries(limits)) {
      await this.db
        .insertInto('quotas')
        .values({ project_id: projectId, resource: key, hard_limit: n })
        .onConflict((oc) => oc.columns(['project_id', 'resource']).doUpdateSet({ hard_limit: n }))
        .execute();
    }
  }
}
