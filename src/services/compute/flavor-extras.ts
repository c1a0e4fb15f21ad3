import type { Db } from '../../store/db.js';
import { Conflict, NotFound } from '../../errors.js';

/** A flavor's extra specs and, for a private flavor, the projects that may use it. */
export class FlavorExtras {
  constructor(private readonly db: Db) {}

  private async flavor(id: string): Promise<{ is_public: number }> {
    const flavor = await this.db
      .selectFrom('flavors')
      .select('is_public')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!flavor) throw new NotFound(`Flavor ${id} could not be found.`);
    return flavor;
  }

  async hasAccess(flavorId: string, projectId: string | null): Promise<boolean> {
    if (!projectId) return false;
    const hit = await this.db
      .selectFrom('flavor_projects')
      .select('flavor_id')
      .where('flavor_id', '=', flavorId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return hit !== undefined;
  }

  async specs(id: string): Promise<Record<string, string>> {
    return (await this.specsOf([id])).get(id) ?? {};
  }

  /**
   * Extra specs by flavor, each a null-prototype object: a key such as `__proto__` or
   * `constructor` is a key like any other, in the map and in the JSON built from it.
   */
  async specsOf(ids: string[]): Promise<Map<string, Record<string, string>>> {
    const byId = new Map<string, Record<string, string>>();
    if (ids.length === 0) return byId;
    const rows = await this.db
      .selectFrom('flavor_extra_specs')
      .selectAll()
      .where('flavor_id', 'in', ids)
      .orderBy('key')
      .execute();
    for (const r of rows) {
      let specs = byId.get(r.flavor_id);
      if (!specs) byId.set(r.flavor_id, (specs = Object.create(null) as Record<string, string>));
      specs[r.key] = r.value;
    }
    return byId;
  }

  /** One extra spec's value; Nova's 404 when the flavor has no such key. */
  async spec(id: string, key: string): Promise<string> {
    const row = await this.db
      .selectFrom('flavor_extra_specs')
      .select('value')
      .where('flavor_id', '=', id)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) throw new NotFound(`Flavor ${id} has no extra specs with key ${key}.`);
    return row.value;
  }

  /** Sets (adds or replaces) extra specs; the values as Nova stores them, strings. */
  async setSpecs(id: string, specs: ReadonlyMap<string, string>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await trx.selectFrom('flavors').select('id').where('id', '=', id).executeTakeFirst()))
        throw new NotFound(`Flavor ${id} could not be found.`);
      for (const [key, value] of specs) {
        await trx
          .insertInto('flavor_extra_specs')
          .values({ flavor_id: id, key, value })
          .onConflict((oc) => oc.columns(['flavor_id', 'key']).doUpdateSet({ value }))
          .execute();
      }
    });
  }

  async unsetSpec(id: string, key: string): Promise<void> {
    const res = await this.db
      .deleteFrom('flavor_extra_specs')
      .where('flavor_id', '=', id)
      .where('key', '=', key)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n)
      throw new NotFound(`Flavor ${id} has no extra specs with key ${key}.`);
  }

  /** The projects that may use a private flavor; a public flavor has no access list. */
  async access(id: string): Promise<string[]> {
    if ((await this.flavor(id)).is_public)
      throw new NotFound('Access list not available for public flavors.');
    const rows = await this.db
      .selectFrom('flavor_projects')
      .select('project_id')
      .where('flavor_id', '=', id)
      .orderBy('project_id')
      .execute();
    return rows.map((r) => r.project_id);
  }

  async addAccess(id: string, projectId: string): Promise<void> {
    if ((await this.flavor(id)).is_public)
      throw new Conflict('Can not add access to a public flavor.');
    const res = await this.db
      .insertInto('flavor_projects')
      .values({ flavor_id: id, project_id: projectId })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (res.numInsertedOrUpdatedRows === 0n)
      throw new Conflict(
        `Flavor access already exists for flavor ${id} and project ${projectId} combination.`,
      );
  }

  async removeAccess(id: string, projectId: string): Promise<void> {
    const res = await this.db
      .deleteFrom('flavor_projects')
      .where('flavor_id', '=', id)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n)
      throw new NotFound(`Flavor access not found for ${id} / ${projectId} combination.`);
  }
}
