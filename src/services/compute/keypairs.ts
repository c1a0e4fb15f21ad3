import type { Selectable } from 'kysely';
import type { Db } from '../../store/db.js';
import type { KeyPairRow } from '../../store/schema.js';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { versionBelow, type Microversion } from '../../http/microversion.js';
import { isoNow } from '../../util.js';
import type { ComputeQuotas } from './quotas.js';
import { fingerprint, generateSshKey, generateX509 } from './key-material.js';

export type KeyPair = Selectable<KeyPairRow>;

/** Names Nova takes for a key pair; 2.92 added '@' and '.'. */
const NAME_BEFORE_292 = /^[a-zA-Z0-9 _-]+$/;
const NAME_FROM_292 = /^[a-zA-Z0-9 @._-]+$/;

function invalid(field: string, value: unknown, why: string): BadRequest {
  return new BadRequest(
    `Invalid input for field/attribute ${field}. Value: ${typeof value === 'string' ? value : JSON.stringify(value)}. ${why}`,
  );
}

/** Key pairs, per user as in Nova. Admins act for another user with `user_id` (2.10). */
export class KeyPairs {
  constructor(
    private readonly db: Db,
    private readonly quotas: ComputeQuotas,
  ) {}

  /** Whose key pairs a request is about: the caller's, or from 2.10 an admin's chosen user. */
  owner(ctx: RequestContext, mv: Microversion, asked: unknown): string {
    if (asked === undefined || asked === null || versionBelow(mv, [2, 10])) return ctx.userId;
    if (typeof asked !== 'string' || asked.length === 0)
      throw invalid('user_id', asked, `${JSON.stringify(asked)} is not of type 'string'`);
    if (asked !== ctx.userId && !ctx.isAdmin)
      throw new Forbidden(
        "Policy doesn't allow os_compute_api:os-keypairs:create to be performed.",
      );
    return asked;
  }

  async create(
    ctx: RequestContext,
    body: Record<string, unknown>,
    mv: Microversion,
  ): Promise<{ keypair: KeyPair; privateKey?: string }> {
    const name = body.name;
    const pattern = versionBelow(mv, [2, 92]) ? NAME_BEFORE_292 : NAME_FROM_292;
    if (
      typeof name !== 'string' ||
      name.length < 1 ||
      name.length > 255 ||
      !pattern.test(name) ||
      name.trim() !== name
    ) {
      throw invalid('name', name ?? null, `'${String(name)}' does not match '${pattern.source}'`);
    }
    let type: 'ssh' | 'x509' = 'ssh';
    if (body.type !== undefined && !versionBelow(mv, [2, 2])) {
      if (body.type !== 'ssh' && body.type !== 'x509')
        throw invalid(
          'type',
          body.type,
          `${JSON.stringify(body.type)} is not one of ['ssh', 'x509']`,
        );
      type = body.type;
    }
    const userId = this.owner(ctx, mv, body.user_id);
    let publicKey = body.public_key;
    let privateKey: string | undefined;
    if (publicKey === undefined || publicKey === null) {
      if (!versionBelow(mv, [2, 92]))
        throw invalid('keypair', body, "'public_key' is a required property");
      ({ publicKey, privateKey } =
        type === 'x509' ? await generateX509(userId, ctx.projectId ?? '') : await generateSshKey());
    }
    if (typeof publicKey !== 'string')
      throw invalid(
        'public_key',
        publicKey,
        `${JSON.stringify(publicKey)} is not of type 'string'`,
      );
    const row = {
      user_id: userId,
      name,
      type,
      public_key: publicKey,
      fingerprint: fingerprint(type, publicKey),
      created_at: isoNow(),
    };

    // Read before the transaction: every query inside it must go through `trx`.
    const limit = (await this.quotas.limits(ctx.projectId ?? '', userId)).key_pairs;
    const keypair = await this.db.transaction().execute(async (trx) => {
      const used = await this.quotas.keyPairsOf(userId, trx);
      if (limit >= 0 && used + 1 > limit)
        throw new Forbidden('Quota exceeded, too many key pairs.');
      const taken = await trx
        .selectFrom('key_pairs')
        .select('id')
        .where('user_id', '=', userId)
        .where('name', '=', name)
        .executeTakeFirst();
      if (taken) throw new Conflict(`Key pair '${name}' already exists.`);
      return trx.insertInto('key_pairs').values(row).returningAll().executeTakeFirstOrThrow();
    });
    return { keypair, privateKey };
  }

  async get(userId: string, name: string): Promise<KeyPair> {
    const kp = await this.db
      .selectFrom('key_pairs')
      .selectAll()
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!kp) throw new NotFound(`Keypair ${name} not found for user ${userId}`);
    return kp;
  }

  /** A user's key pairs by name; `limit` and `marker` (a name) from 2.35. */
  async list(userId: string, page: { limit?: string; marker?: string }): Promise<KeyPair[]> {
    let q = this.db.selectFrom('key_pairs').selectAll().where('user_id', '=', userId);
    if (page.marker !== undefined) {
      const marker = await this.db
        .selectFrom('key_pairs')
        .select('name')
        .where('user_id', '=', userId)
        .where('name', '=', page.marker)
        .executeTakeFirst();
      if (!marker) throw new BadRequest(`marker [${page.marker}] not found`);
      q = q.where('name', '>', page.marker);
    }
    if (page.limit !== undefined) {
      if (!/^[0-9]+$/.test(page.limit))
        throw new BadRequest(`Invalid input for query parameters limit. Value: ${page.limit}.`);
      q = q.limit(Number(page.limit));
    }
    return q.orderBy('name').execute();
  }

  async remove(userId: string, name: string): Promise<void> {
    const res = await this.db
      .deleteFrom('key_pairs')
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (res.numDeletedRows === 0n)
      throw new NotFound(`Keypair ${name} not found for user ${userId}`);
  }
}
