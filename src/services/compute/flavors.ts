import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { FlavorRow } from '../../store/schema.js';
import { afterMarker, type SortDir } from '../../store/keyset.js';
import { BadRequest, Conflict, NotFound } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow } from '../../util.js';
import { FlavorExtras } from './flavor-extras.js';

export interface Flavor {
  row: FlavorRow;
  extraSpecs: Record<string, string>;
}

/** A flavor as a create asks for it, once its body passed the schema. */
export interface NewFlavor {
  /** Absent: a UUID is generated. */
  id?: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  ephemeral: number;
  swap: number;
  rxtxFactor: number;
  isPublic: boolean;
  description: string | null;
}

/**
 * Nova's sort keys for flavors (nova/api/openstack/compute/schemas/flavors.py) and the column
 * each orders by; a Map, so that a key like `__proto__` is just unknown. Nova's `updated_at`
 * and `vcpu_weight` are null for every flavor here: they order by the flavor id alone.
 */
export const FLAVOR_SORT_KEYS = new Map<string, string | null>([
  ['created_at', 'flavors.created_at'],
  ['description', "coalesce(flavors.description, '')"],
  ['disabled', 'flavors.disabled'],
  ['ephemeral_gb', 'flavors.ephemeral_gb'],
  ['flavorid', null],
  ['id', null],
  ['is_public', 'flavors.is_public'],
  ['memory_mb', 'flavors.memory_mb'],
  ['name', 'flavors.name'],
  ['root_gb', 'flavors.root_gb'],
  ['rxtx_factor', 'flavors.rxtx_factor'],
  ['swap', 'flavors.swap'],
  ['updated_at', null],
  ['vcpu_weight', null],
  ['vcpus', 'flavors.vcpus'],
]);

export interface FlavorListQuery {
  /** Only public flavors (with the private ones the project may use), only private, or all. */
  isPublic: boolean | null;
  minRam?: number;
  minDisk?: number;
  /** One of FLAVOR_SORT_KEYS. */
  sortKey: string;
  sortDir: SortDir;
  limit: number;
  /** The id of the last flavor seen. */
  marker?: string;
}

/** A sort expression from FLAVOR_SORT_KEYS (trusted SQL, never client text). */
const sqlOrder = (expr: string) => sql<unknown>`${sql.raw(expr)}`;

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

/** Nova's flavors: the catalog itself; extra specs and access lists are in FlavorExtras. */
export class Flavors {
  readonly extras: FlavorExtras;

  constructor(private readonly db: Db) {
    this.extras = new FlavorExtras(db);
  }

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
    if (!row || !(row.is_public || ctx.isAdmin || (await this.extras.hasAccess(id, ctx.projectId))))
      throw new NotFound(`Flavor ${id} could not be found.`);
    return { row, extraSpecs: await this.extras.specs(id) };
  }

  /**
   * Nova's listing: public flavors and the private ones the caller's project may use, or
   * (`isPublic` false or null) the private or all flavors; minRam and minDisk; in `sortKey`
   * order then by flavor id, keyset-paged after the `marker` flavor.
   */
  async list(ctx: RequestContext, q: FlavorListQuery): Promise<Flavor[]> {
    let query = this.db.selectFrom('flavors').selectAll('flavors');
    const isPublic = q.isPublic;
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
    if (q.minRam !== undefined) query = query.where('flavors.memory_mb', '>=', q.minRam);
    if (q.minDisk !== undefined) query = query.where('flavors.root_gb', '>=', q.minDisk);
    const column = FLAVOR_SORT_KEYS.get(q.sortKey) ?? null;
    if (q.marker !== undefined) {
      // Nova looks the marker up among the flavors the caller can see.
      const marker = await query.where('flavors.id', '=', q.marker).executeTakeFirst();
      if (!marker) throw new BadRequest(`marker [${q.marker}] not found`);
      const value = column === null ? null : await this.sortValue(column, marker.id);
      query = query.where(
        afterMarker([
          ...(column === null ? [] : [{ expr: column, dir: q.sortDir, value }]),
          { expr: 'flavors.id', dir: q.sortDir, value: marker.id },
        ]),
      );
    }
    if (column !== null) query = query.orderBy(sqlOrder(column), q.sortDir);
    const rows = await query.orderBy('flavors.id', q.sortDir).limit(q.limit).execute();
    const specs = await this.extras.specsOf(rows.map((r) => r.id));
    return rows.map((row) => ({ row, extraSpecs: specs.get(row.id) ?? {} }));
  }

  /** The marker's value of a sort expression, read as SQL computes it (coalesce included). */
  private async sortValue(column: string, id: string): Promise<unknown> {
    const r = await this.db
      .selectFrom('flavors')
      .select(sqlOrder(column).as('v'))
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return r.v;
  }

  async create(input: NewFlavor): Promise<Flavor> {
    const row: FlavorRow = {
      id: input.id ?? randomUUID(),
      name: input.name,
      memory_mb: input.ram,
      vcpus: input.vcpus,
      root_gb: input.disk,
      ephemeral_gb: input.ephemeral,
      swap: input.swap,
      rxtx_factor: input.rxtxFactor,
      is_public: input.isPublic ? 1 : 0,
      disabled: 0,
      description: input.description,
      created_at: isoNow(),
    };
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

  async updateDescription(id: string, description: string | null): Promise<void> {
    const res = await this.db
      .updateTable('flavors')
      .set({ description })
      .where('id', '=', id)
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) throw new NotFound(`Flavor ${id} could not be found.`);
  }

  async remove(id: string): Promise<void> {
    const res = await this.db.deleteFrom('flavors').where('id', '=', id).executeTakeFirst();
    if (res.numDeletedRows === 0n) throw new NotFound(`Flavor ${id} could not be found.`);
  }
}
