import type { Db } from '../../store/db.js';
import type { FlavorRow } from '../../store/schema.js';
import { BadRequest, Conflict, NotFound } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow } from '../../util.js';
import { checkDescription, FALSE_WORDS, invalid, parseFlavor, TRUE_WORDS } from './flavor-input.js';

export interface Flavor {
  row: FlavorRow;
  extraSpecs: Record<string, string>;
}

/** DevStack's flavors (lib/nova and Tempest's nano/micro), so `--flavor m1.small` works at once. */
const DEVSTACK_FLAVORS: Array<
  [id: string, name: string, ramMb: number, diskGb: number, vcpus: number]
> = [
  ['1', 'm1.tiny', 512, 1, 1],
  ['2', 'm1.small', 2048, 20, 1],
  ['3', 'm1.medium', 4096, 40, 2],
  ['4', 'm1.large', 8192, 80, 4],
  ['5', 'm1.xlarge', 16384, 160, 8],
  ['42', 'm1.nano', 128, 1, 1],
  ['84', 'm1.micro', 192, 1, 1],
  ['c1', 'cirros256', 256, 1, 1],
  ['d1', 'ds512M', 512, 5, 1],
  ['d2', 'ds1G', 1024, 10, 1],
  ['d3', 'ds2G', 2048, 10, 2],
  ['d4', 'ds4G', 4096, 20, 4],
];

/** Nova's flavors, their extra specs and the projects that may use a private one. */
export class Flavors {
  constructor(private readonly db: Db) {}

  /** Adds DevStack's flavors to a cloud that has none yet; flavors deleted later stay deleted. */
  async seed(): Promise<void> {
    const any = await this.db.selectFrom('flavors').select('id').limit(1).executeTakeFirst();
    if (any) return;
    const now = isoNow();
    await this.db
      .insertInto('flavors')
      .values(
        DEVSTACK_FLAVORS.map(([id, name, memory_mb, root_gb, vcpus]) => ({
          id,
          name,
          memory_mb,
          root_gb,
          vcpus,
          ephemeral_gb: 0,
          swap: 0,
          rxtx_factor: 1,
          is_public: 1,
          disabled: 0,
          description: null,
          created_at: now,
        })),
      )
      .execute();
  }

  /** A flavor the caller may use: public, or private with access for the caller's project (admins: any). */
  async get(ctx: RequestContext, id: string): Promise<Flavor> {
    const row = await this.db
      .selectFrom('flavors')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !(row.is_public || ctx.isAdmin || (await this.hasAccess(id, ctx.projectId)))) {
      throw new NotFound(`Flavor ${id} could not be found.`);
    }
    return { row, extraSpecs: await this.extraSpecs(id) };
  }

  private async hasAccess(flavorId: string, projectId: string | null): Promise<boolean> {
    if (!projectId) return false;
    const hit = await this.db
      .selectFrom('flavor_projects')
      .select('flavor_id')
      .where('flavor_id', '=', flavorId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return hit !== undefined;
  }

  /**
   * Nova's listing: public flavors and the private ones the caller's project may use, or for an
   * admin asking `is_public=false` (or `none`) the private (or all) flavors; minRam and minDisk
   * filters; sorted by `sort_key` (flavorid by default); `limit` and `marker` (a flavor id).
   */
  async list(
    ctx: RequestContext,
    q: {
      isPublic?: string;
      minRam?: string;
      minDisk?: string;
      sortKey?: string;
      sortDir?: string;
      limit?: string;
      marker?: string;
    },
  ): Promise<Flavor[]> {
    let query = this.db.selectFrom('flavors').selectAll('flavors');
    let isPublic: boolean | null = true;
    if (ctx.isAdmin && q.isPublic !== undefined) {
      if (q.isPublic.toLowerCase() === 'none') isPublic = null;
      else {
        const v = q.isPublic.toLowerCase();
        if (![...TRUE_WORDS, ...FALSE_WORDS].includes(v))
          throw new BadRequest(`Invalid is_public filter [${q.isPublic}]`);
        isPublic = TRUE_WORDS.includes(v);
      }
    }
    if (isPublic !== null) {
      const project = ctx.projectId ?? '';
      query = query.where((eb) =>
        eb.or([
          eb('flavors.is_public', '=', isPublic ? 1 : 0),
          ...(isPublic
            ? [
                eb.exists(
                  eb
                    .selectFrom('flavor_projects')
                    .select('flavor_id')
                    .whereRef('flavor_projects.flavor_id', '=', 'flavors.id')
                    .where('flavor_projects.project_id', '=', project),
                ),
              ]
            : []),
        ]),
      );
    }
    for (const [param, column, label] of [
      [q.minRam, 'memory_mb', 'minRam'],
      [q.minDisk, 'root_gb', 'minDisk'],
    ] as const) {
      if (param === undefined) continue;
      if (!/^[0-9]+$/.test(param)) throw new BadRequest(`Invalid ${label} filter [${param}]`);
      query = query.where(column, '>=', Number(param));
    }
    const keys: Record<string, keyof FlavorRow> = {
      flavorid: 'id',
      id: 'id',
      name: 'name',
      memory_mb: 'memory_mb',
      vcpus: 'vcpus',
      root_gb: 'root_gb',
      ephemeral_gb: 'ephemeral_gb',
      swap: 'swap',
      rxtx_factor: 'rxtx_factor',
      created_at: 'created_at',
      disabled: 'disabled',
      is_public: 'is_public',
    };
    const sortKey = keys[q.sortKey ?? 'flavorid'];
    if (!sortKey)
      throw new BadRequest(`Invalid input for query parameters sort_key. Value: ${q.sortKey}.`);
    const dir = (q.sortDir ?? 'asc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc')
      throw new BadRequest(`Invalid input for query parameters sort_dir. Value: ${q.sortDir}.`);
    let rows = await query.orderBy(sortKey, dir).orderBy('id', dir).execute();
    if (q.marker !== undefined) {
      const at = rows.findIndex((r) => r.id === q.marker);
      if (at < 0) throw new BadRequest(`marker [${q.marker}] not found`);
      rows = rows.slice(at + 1);
    }
    if (q.limit !== undefined) {
      if (!/^[0-9]+$/.test(q.limit))
        throw new BadRequest(`Invalid input for query parameters limit. Value: ${q.limit}.`);
      rows = rows.slice(0, Number(q.limit));
    }
    const specs = await this.extraSpecsOf(rows.map((r) => r.id));
    return rows.map((row) => ({ row, extraSpecs: specs.get(row.id) ?? {} }));
  }

  async create(body: Record<string, unknown>, allowDescription: boolean): Promise<Flavor> {
    const row = parseFlavor(body, allowDescription);
    await this.db.transaction().execute(async (trx) => {
      const clash = await trx
        .selectFrom('flavors')
        .select(['id', 'name'])
        .where((eb) => eb.or([eb('id', '=', row.id), eb('name', '=', row.name)]))
        .executeTakeFirst();
      if (clash?.name === row.name)
        throw new Conflict(`Flavor with name ${row.name} already exists.`);
      if (clash) throw new Conflict(`Flavor with ID ${row.id} already exists.`);
      await trx.insertInto('flavors').values(row).execute();
    });
    return { row, extraSpecs: {} };
  }

  async updateDescription(id: string, description: unknown): Promise<void> {
    checkDescription(description);
    const res = await this.db
      .updateTable('flavors')
      .set({ description: description as string | null })
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) throw new NotFound(`Flavor ${id} could not be found.`);
  }

  async remove(id: string): Promise<void> {
    const res = await this.db.deleteFrom('flavors').where('id', '=', id).executeTakeFirst();
    if (res.numDeletedRows === 0n) throw new NotFound(`Flavor ${id} could not be found.`);
  }

  async extraSpecs(id: string): Promise<Record<string, string>> {
    return (await this.extraSpecsOf([id])).get(id) ?? {};
  }

  private async extraSpecsOf(ids: string[]): Promise<Map<string, Record<string, string>>> {
    const byId = new Map<string, Record<string, string>>();
    if (ids.length === 0) return byId;
    const rows = await this.db
      .selectFrom('flavor_extra_specs')
      .selectAll()
      .where('flavor_id', 'in', ids)
      .orderBy('key')
      .execute();
    for (const r of rows) {
      const specs = byId.get(r.flavor_id) ?? {};
      specs[r.key] = r.value;
      byId.set(r.flavor_id, specs);
    }
    return byId;
  }

  /** Sets extra specs (keys and values: strings of 1 to 255 characters, as Nova's schema has them). */
  async setExtraSpecs(id: string, specs: unknown): Promise<Record<string, string>> {
    if (typeof specs !== 'object' || specs === null || Array.isArray(specs)) {
      throw invalid('extra_specs', specs ?? null, "'extra_specs' is a required property");
    }
    const entries = Object.entries(specs as Record<string, unknown>).map(
      ([key, value]): [string, string] => {
        if (key.length < 1 || key.length > 255 || !/^[a-zA-Z0-9-_:. ]+$/.test(key)) {
          throw invalid(
            'extra_specs',
            specs,
            `'${key}' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'`,
          );
        }
        const text =
          typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
        if (typeof text !== 'string' || text.length > 255)
          throw invalid(
            key,
            value,
            `${JSON.stringify(value)} is not of type 'string', 'integer', 'number', 'boolean'`,
          );
        return [key, text];
      },
    );
    await this.db.transaction().execute(async (trx) => {
      if (!(await trx.selectFrom('flavors').select('id').where('id', '=', id).executeTakeFirst()))
        throw new NotFound(`Flavor ${id} could not be found.`);
      for (const [key, value] of entries) {
        await trx
          .insertInto('flavor_extra_specs')
          .values({ flavor_id: id, key, value })
          .onConflict((oc) => oc.columns(['flavor_id', 'key']).doUpdateSet({ value }))
          .execute();
      }
    });
    return Object.fromEntries(entries);
  }

  async unsetExtraSpec(id: string, key: string): Promise<void> {
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
    const flavor = await this.db
      .selectFrom('flavors')
      .select('is_public')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!flavor) throw new NotFound(`Flavor ${id} could not be found.`);
    if (flavor.is_public) throw new NotFound('Access list not available for public flavors.');
    const rows = await this.db
      .selectFrom('flavor_projects')
      .select('project_id')
      .where('flavor_id', '=', id)
      .orderBy('project_id')
      .execute();
    return rows.map((r) => r.project_id);
  }

  async addAccess(id: string, projectId: string): Promise<void> {
    const flavor = await this.db
      .selectFrom('flavors')
      .select('is_public')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!flavor) throw new NotFound(`Flavor ${id} could not be found.`);
    if (flavor.is_public) throw new Conflict('Can not add access to a public flavor.');
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
