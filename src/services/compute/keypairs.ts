import type { Selectable } from 'kysely';
import type { Db } from '../../store/db.js';
import type { KeyPairRow } from '../../store/schema.js';
import { afterMarker } from '../../store/keyset.js';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../errors.js';
import { isoNow } from '../../util.js';
import type { ComputeQuotas } from './quotas.js';
import { fingerprint, generateSshKey, generateX509 } from './key-material.js';

export type KeyPair = Selectable<KeyPairRow>;

/** What a create asks for, once its body passed the schema of its microversion. */
export interface NewKeyPair {
  name: string;
  type: 'ssh' | 'x509';
  /** Absent: a key is generated (the schema requires one from 2.92). */
  publicKey?: string;
}

/** A page of a user's key pairs, in name order. */
export interface KeyPairPage {
  limit?: number;
  /** The name of the last key pair seen. */
  marker?: string;
}

/** Key pairs, per user as in Nova (nova/objects/keypair.py). */
export class KeyPairs {
  constructor(
    private readonly db: Db,
    private readonly quotas: ComputeQuotas,
  ) {}

  /** Adds a key pair for `userId`, counted against the key_pairs quota of `projectId`. */
  async create(
    userId: string,
    projectId: string,
    input: NewKeyPair,
  ): Promise<{ keypair: KeyPair; privateKey?: string }> {
    let publicKey = input.publicKey;
    let privateKey: string | undefined;
    if (publicKey === undefined) {
      ({ publicKey, privateKey } =
        input.type === 'x509' ? await generateX509(userId, projectId) : await generateSshKey());
    }
    const row = {
      user_id: userId,
      name: input.name,
      type: input.type,
      public_key: publicKey,
      fingerprint: fingerprint(input.type, publicKey),
      created_at: isoNow(),
    };

    // Read before the transaction: every query inside it must go through `trx`.
    const limit = (await this.quotas.limits(projectId, userId)).key_pairs;
    const keypair = await this.db.transaction().execute(async (trx) => {
      const used = await this.quotas.keyPairsOf(userId, trx);
      if (limit >= 0 && used + 1 > limit)
        throw new Forbidden('Quota exceeded, too many key pairs.');
      const taken = await trx
        .selectFrom('key_pairs')
        .select('id')
        .where('user_id', '=', userId)
        .where('name', '=', input.name)
        .executeTakeFirst();
      if (taken) throw new Conflict(`Key pair '${input.name}' already exists.`);
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

  /** A user's key pairs by name, keyset-paged on the name (unique per user). */
  async list(userId: string, page: KeyPairPage): Promise<KeyPair[]> {
    let q = this.db.selectFrom('key_pairs').selectAll().where('user_id', '=', userId);
    if (page.marker !== undefined) {
      const marker = await this.db
        .selectFrom('key_pairs')
        .select('name')
        .where('user_id', '=', userId)
        .where('name', '=', page.marker)
        .executeTakeFirst();
      // nova.exception.MarkerNotFound, which the key pair API answers as a 400.
      if (!marker) throw new BadRequest(`Marker ${page.marker} could not be found.`);
      q = q.where(afterMarker([{ expr: 'name', dir: 'asc', value: marker.name }]));
    }
    if (page.limit !== undefined) q = q.limit(page.limit);
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
