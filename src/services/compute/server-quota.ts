import { sql } from 'kysely';
import type { RequestContext } from '../../context.js';
import { Forbidden } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { QuotaSet } from './quotas.js';
import type { EmbeddedFlavor } from './server-model.js';

/** What a project's servers use: Nova counts instances, cores and ram from its instances. */
export async function serverUsage(
  ex: Db,
  projectId: string,
  userId?: string,
): Promise<{ instances: number; cores: number; ram: number }> {
  let q = ex
    .selectFrom('servers')
    .select([
      sql<number>`count(*)`.as('n'),
      sql<number>`coalesce(sum(vcpus), 0)`.as('cores'),
      sql<number>`coalesce(sum(memory_mb), 0)`.as('ram'),
    ])
    .where('project_id', '=', projectId);
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  const r = await q.executeTakeFirstOrThrow();
  return { instances: Number(r.n), cores: Number(r.cores), ram: Number(r.ram) };
}

/**
 * How many of `min..max` servers of this flavor the project may still have: counted inside the
 * transaction that inserts them, so two racing creates cannot both take the last slot. Only
 * `tx` may be used in here: the embedded database has one connection, which the transaction
 * holds. Fewer
 * than `min` is Nova's 403 TooManyInstances.
 */
export async function checkServerQuota(
  tx: Db,
  limits: QuotaSet,
  ctx: RequestContext,
  flavor: EmbeddedFlavor,
  min: number,
  max: number,
): Promise<number> {
  const projectId = ctx.projectId ?? '';
  const used = await serverUsage(tx, projectId);
  const per = { instances: 1, cores: flavor.vcpus, ram: flavor.ram };
  const room = (r: keyof typeof per): number => {
    const limit = limits[r];
    if (limit < 0 || per[r] === 0) return Number.MAX_SAFE_INTEGER;
    return Math.max(0, Math.floor((limit - used[r]) / per[r]));
  };
  const allowed = Math.min(room('instances'), room('cores'), room('ram'));
  if (allowed >= min) return Math.min(max, allowed);
  const overs = (['cores', 'instances', 'ram'] as const).filter(
    (r) => limits[r] >= 0 && used[r] + per[r] * min > limits[r],
  );
  const first = overs[0] ?? 'instances';
  throw new Forbidden(
    `Quota exceeded for ${overs.join(', ')}: Requested ${per[first] * min}, but already used ${used[first]} of ${limits[first]} ${overs.join(', ')}`,
  );
}
