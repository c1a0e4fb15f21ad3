import type { Db } from './db.js';

/**
 * Quota classes as Nova and Cinder keep them (each service its own rows, by `service`): named sets of limits over a service's built-in
 * defaults. The `default` class is what every project starts from; any other class is read over
 * `default`, as the services do.
 */
export class QuotaClasses {
  constructor(
    private readonly db: Db,
    private readonly service: 'compute' | 'volume',
  ) {}

  async read<T extends Record<string, number>>(
    defaults: T,
    className: string,
    ex: Db = this.db,
  ): Promise<T> {
    const set: Record<string, number> = { ...defaults };
    const rows = await ex
      .selectFrom('quota_classes')
      .select(['class_name', 'resource', 'hard_limit'])
      .where('service', '=', this.service)
      .where('class_name', 'in', [...new Set(['default', className])])
      .execute();
    rows.sort((a, b) => Number(a.class_name !== 'default') - Number(b.class_name !== 'default'));
    for (const r of rows) if (r.resource in set) set[r.resource] = r.hard_limit;
    return set as T;
  }

  async write(className: string, limits: Record<string, number>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const [resource, hard_limit] of Object.entries(limits)) {
        await trx
          .insertInto('quota_classes')
          .values({ service: this.service, class_name: className, resource, hard_limit })
          .onConflict((oc) =>
            oc.columns(['service', 'class_name', 'resource']).doUpdateSet({ hard_limit }),
          )
          .execute();
      }
    });
  }
}
