import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { conflict } from './errors.js';

/** The resources Neutron counts, with Zed's default limits (neutron/conf/quota.py). */
export const QUOTA_DEFAULTS = {
  network: 100,
  subnet: 100,
  subnetpool: -1,
  port: 500,
  router: 10,
  floatingip: 50,
  security_group: 10,
  security_group_rule: 100,
} as const;

export type QuotaResource = keyof typeof QUOTA_DEFAULTS;

/** The table each resource is counted in. */
const TABLES = {
  network: 'networks',
  subnet: 'subnets',
  subnetpool: 'subnetpools',
  port: 'ports',
  router: 'routers',
  floatingip: 'floatingips',
  security_group: 'security_groups',
  security_group_rule: 'security_group_rules',
} as const satisfies Record<QuotaResource, keyof Database>;

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
  const row = await db
    .selectFrom(TABLES[resource])
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
