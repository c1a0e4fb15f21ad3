import type { Db } from '../../store/db.js';
import { NotFound, OverLimit } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow } from '../../util.js';
import { assertCanModify } from './access.js';
import { checkTag, TAG_QUOTA, type Image } from './model.js';

type GetImage = (ctx: RequestContext, id: string, ex?: Db) => Promise<Image>;

/** PUT and DELETE /v2/images/{id}/tags/{tag}: one tag at a time, within Glance's quota. */
export class ImageTags {
  constructor(
    private readonly db: Db,
    private readonly getImage: GetImage,
  ) {}

  async add(ctx: RequestContext, id: string, tag: string): Promise<void> {
    checkTag(tag);
    await this.db.transaction().execute(async (trx) => {
      const image = await this.getImage(ctx, id, trx);
      assertCanModify(ctx, image.row, 'modify_image');
      if (image.tags.includes(tag)) return;
      if (image.tags.length >= TAG_QUOTA) {
        throw new OverLimit(
          `Maximum number of tags exceeded. Attempted: ${image.tags.length + 1}, Maximum: ${TAG_QUOTA}`,
        );
      }
      await trx.insertInto('image_tags').values({ image_id: image.row.id, value: tag }).execute();
      await trx
        .updateTable('images')
        .set({ updated_at: isoNow() })
        .where('id', '=', image.row.id)
        .execute();
    });
  }

  async remove(ctx: RequestContext, id: string, tag: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const image = await this.getImage(ctx, id, trx);
      assertCanModify(ctx, image.row, 'modify_image');
      if (!image.tags.includes(tag)) throw new NotFound(`Tag ${tag} not found`);
      await trx
        .deleteFrom('image_tags')
        .where('image_id', '=', image.row.id)
        .where('value', '=', tag)
        .execute();
      await trx
        .updateTable('images')
        .set({ updated_at: isoNow() })
        .where('id', '=', image.row.id)
        .execute();
    });
  }
}
