import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { VolumeTypeRow } from '../../store/schema.js';
import { NotFound } from '../../errors.js';
import { isoNow } from '../../util.js';
import { DEFAULT_TYPE_NAME } from './types.js';

/** Volume types: only Cinder's default `__DEFAULT__` exists (no type management yet). */
export class VolumeTypes {
  constructor(private readonly db: Db) {}

  /** Cinder's default volume type, created once. */
  async defaultType(): Promise<VolumeTypeRow> {
    const found = await this.db
      .selectFrom('volume_types')
      .selectAll()
      .where('name', '=', DEFAULT_TYPE_NAME)
      .executeTakeFirst();
    if (found) return found;
    await this.db
      .insertInto('volume_types')
      .values({
        id: randomUUID(),
        name: DEFAULT_TYPE_NAME,
        description: 'Default Volume Type',
        is_public: 1,
        extra_specs: '{}',
        created_at: isoNow(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return this.defaultType();
  }

  async list(): Promise<VolumeTypeRow[]> {
    await this.defaultType();
    return this.db.selectFrom('volume_types').selectAll().orderBy('name').execute();
  }

  /** GET /types/{id}; `default` names the default type. */
  async get(id: string): Promise<VolumeTypeRow> {
    const row =
      id === 'default'
        ? await this.defaultType()
        : await this.db
            .selectFrom('volume_types')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirst();
    if (!row) throw new NotFound(`Volume type ${id} could not be found.`);
    return row;
  }

  /** A create's `volume_type`, by name or id; absent is the default type. */
  async resolve(nameOrId: string | undefined, ex: Db = this.db): Promise<VolumeTypeRow> {
    if (nameOrId === undefined) return this.defaultType();
    const found = await ex
      .selectFrom('volume_types')
      .selectAll()
      .where((eb) => eb.or([eb('name', '=', nameOrId), eb('id', '=', nameOrId)]))
      .executeTakeFirst();
    if (!found) throw new NotFound(`Volume type with name ${nameOrId} could not be found.`);
    return found;
  }
}
