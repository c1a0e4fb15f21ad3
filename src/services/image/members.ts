import type { Db } from '../../store/db.js';
import type { ImageMemberRow, ImageRow } from '../../store/schema.js';
import { BadRequest, Conflict, Forbidden, NotFound, OverLimit } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow } from '../../util.js';
import { assertCanModify } from './access.js';
import type { Image, MemberStatus } from './model.js';

/** Glance's image_member_quota default. */
const MEMBER_QUOTA = 128;

/**
 * Glance (image_members.py `_check_visibility_and_ownership`) refuses every member call on an
 * image that is not `shared`: each call words the refusal its own way.
 */
function assertShared(image: Image, refusal: string): void {
  if (image.row.visibility !== 'shared') throw new Forbidden(refusal);
}

type GetImage = (ctx: RequestContext, id: string, ex?: Db) => Promise<Image>;

/** Image sharing (Glance's members API): the owner adds projects, each member accepts or rejects. */
export class ImageMembers {
  constructor(
    private readonly db: Db,
    private readonly getImage: GetImage,
  ) {}

  async isMember(ctx: RequestContext, row: ImageRow, ex: Db = this.db): Promise<boolean> {
    if (!ctx.projectId || row.visibility !== 'shared') return false;
    const found = await ex
      .selectFrom('image_members')
      .select('member')
      .where('image_id', '=', row.id)
      .where('member', '=', ctx.projectId)
      .executeTakeFirst();
    return found !== undefined;
  }

  /** The owner and admins see every member; a member sees only itself. */
  async list(ctx: RequestContext, imageId: string): Promise<ImageMemberRow[]> {
    const image = await this.getImage(ctx, imageId);
    assertShared(
      image,
      `Not allowed to list members for image ${image.row.id}: Only shared images have members.`,
    );
    let q = this.db
      .selectFrom('image_members')
      .selectAll()
      .where('image_id', '=', image.row.id)
      .orderBy('created_at');
    if (!ctx.isAdmin && image.row.owner !== ctx.projectId)
      q = q.where('member', '=', ctx.projectId ?? '');
    return q.execute();
  }

  async get(ctx: RequestContext, imageId: string, memberId: string): Promise<ImageMemberRow> {
    const image = await this.getImage(ctx, imageId);
    // Glance turns this refusal into a 404, so as not to tell what the image is.
    if (image.row.visibility !== 'shared') throw new NotFound('Only shared images have members.');
    const row = await this.find(image.row.id, memberId);
    if (!row || (!ctx.isAdmin && image.row.owner !== ctx.projectId && memberId !== ctx.projectId)) {
      throw new NotFound(`${memberId} not found in the member list of the image ${image.row.id}.`);
    }
    return row;
  }

  /** `member` is a project id of at most 255 characters (the column Glance stores it in). */
  async add(ctx: RequestContext, imageId: string, member: string): Promise<ImageMemberRow> {
    if (member === '') throw new BadRequest("Member can't be empty");
    if (member.length > 255)
      throw new BadRequest('Expected a member in the form: {"member": "image_id"}');
    return this.db.transaction().execute(async (trx) => {
      const image = await this.getImage(ctx, imageId, trx);
      const refusal = `Not allowed to create members for image ${image.row.id}.`;
      assertShared(image, refusal);
      assertCanModify(ctx, image.row, 'add_member', refusal);
      if (await this.find(image.row.id, member, trx)) {
        throw new Conflict(`Member ${member} is duplicated for image ${image.row.id}`);
      }
      const count = await trx
        .selectFrom('image_members')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('image_id', '=', image.row.id)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= MEMBER_QUOTA) {
        throw new OverLimit(
          `Maximum number of image members exceeded. Attempted: ${Number(count.n) + 1}, Maximum: ${MEMBER_QUOTA}`,
        );
      }
      const now = isoNow();
      const row: ImageMemberRow = {
        image_id: image.row.id,
        member,
        status: 'pending',
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('image_members').values(row).execute();
      return row;
    });
  }

  /** Only the member itself decides whether it accepts an image shared with it. */
  async setStatus(
    ctx: RequestContext,
    imageId: string,
    memberId: string,
    status: MemberStatus,
  ): Promise<ImageMemberRow> {
    const image = await this.getImage(ctx, imageId);
    assertShared(image, `Not allowed to update members for image ${image.row.id}.`);
    const row = await this.get(ctx, imageId, memberId);
    if (memberId !== ctx.projectId) {
      throw new Forbidden("You are not permitted to modify 'status' on this image member.");
    }
    const updated = { ...row, status, updated_at: isoNow() };
    await this.db
      .updateTable('image_members')
      .set({ status, updated_at: updated.updated_at })
      .where('image_id', '=', row.image_id)
      .where('member', '=', memberId)
      .execute();
    return updated;
  }

  async remove(ctx: RequestContext, imageId: string, memberId: string): Promise<void> {
    const image = await this.getImage(ctx, imageId);
    assertShared(image, `Not allowed to delete members for image ${image.row.id}.`);
    const row = await this.find(image.row.id, memberId);
    if (!row)
      throw new NotFound(`${memberId} not found in the member list of the image ${image.row.id}.`);
    assertCanModify(
      ctx,
      image.row,
      'delete_member',
      `Not allowed to delete members for image ${image.row.id}.`,
    );
    await this.db
      .deleteFrom('image_members')
      .where('image_id', '=', image.row.id)
      .where('member', '=', memberId)
      .execute();
  }

  private find(
    imageId: string,
    memberId: string,
    ex: Db = this.db,
  ): Promise<ImageMemberRow | undefined> {
    return ex
      .selectFrom('image_members')
      .selectAll()
      .where('image_id', '=', imageId)
      .where('member', '=', memberId)
      .executeTakeFirst();
  }
}
