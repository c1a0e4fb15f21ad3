import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { ImageRow } from '../../store/schema.js';
import type { Image } from './model.js';

type Executor = Db;

/** Loads and stores images with their properties and tags; one row set per aggregate. */
export class ImageRepo {
  constructor(private readonly db: Db) {}

  /** The row alone, for checks that need no properties or tags (list markers). */
  findRow(id: string, ex: Executor = this.db): Promise<ImageRow | undefined> {
    return ex.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async find(id: string, ex: Executor = this.db): Promise<Image | undefined> {
    const row = await ex.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const [image] = await this.hydrate([row], ex);
    return image;
  }

  /** Attaches properties and tags to rows with two queries, whatever the number of rows. */
  async hydrate(rows: ImageRow[], ex: Executor = this.db): Promise<Image[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    // Properties and tags in one query: a tag is a row with a null name.
    const children = await ex
      .selectFrom('image_properties')
      .select((eb) => ['image_id', eb.ref('name').$castTo<string | null>().as('name'), 'value'])
      .where('image_id', 'in', ids)
      .unionAll(
        ex.selectFrom('image_tags').select(['image_id', sql<string | null>`null`.as('name'), 'value']).where('image_id', 'in', ids),
      )
      .execute();
    const byId = new Map<string, Image>(rows.map((row) => [row.id, { row, properties: {}, tags: [] }]));
    for (const c of children) {
      const image = byId.get(c.image_id)!;
      if (c.name === null) image.tags.push(c.value);
      else image.properties[c.name] = c.value;
    }
    return rows.map((r) => byId.get(r.id)!);
  }

  async insert(image: Image, ex: Executor = this.db): Promise<void> {
    await ex.insertInto('images').values(image.row).execute();
    await this.writeChildren(image, ex);
  }

  /** Rewrites the row, properties and tags of an image that changed. */
  async save(image: Image, ex: Executor): Promise<void> {
    const { id, ...rest } = image.row;
    await ex.updateTable('images').set(rest).where('id', '=', id).execute();
    await ex.deleteFrom('image_properties').where('image_id', '=', id).execute();
    await ex.deleteFrom('image_tags').where('image_id', '=', id).execute();
    await this.writeChildren(image, ex);
  }

  private async writeChildren(image: Image, ex: Executor): Promise<void> {
    const id = image.row.id;
    const props = Object.entries(image.properties).map(([name, value]) => ({ image_id: id, name, value }));
    if (props.length > 0) await ex.insertInto('image_properties').values(props).execute();
    if (image.tags.length > 0) {
      await ex.insertInto('image_tags').values(image.tags.map((value) => ({ image_id: id, value }))).execute();
    }
  }
}
