import type { Db } from '../../store/db.js';
import { BadRequest, NotFound } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow } from '../../util.js';
import type { VolumeRepo } from './volume.repo.js';
import type { Volumes } from './volumes.js';
import type { Snapshots } from './snapshots.js';
import type { Metadata } from './types.js';

export type MetaOwner = 'volume' | 'snapshot';

/** /volumes/{id}/metadata and /snapshots/{id}/metadata: the same operations on two tables. */
export class MetadataStore {
  constructor(
    private readonly db: Db,
    private readonly repo: VolumeRepo,
    private readonly volumes: Volumes,
    private readonly snapshots: Snapshots,
  ) {}

  private async load(
    ctx: RequestContext,
    owner: MetaOwner,
    id: string,
    ex: Db,
  ): Promise<{ id: string; metadata: Record<string, string> }> {
    const found =
      owner === 'volume'
        ? await this.volumes.get(ctx, id, ex)
        : await this.snapshots.get(ctx, id, ex);
    return { id: found.row.id, metadata: found.metadata };
  }

  private async store(
    ex: Db,
    owner: MetaOwner,
    id: string,
    metadata: Record<string, string>,
  ): Promise<void> {
    if (owner === 'volume') {
      await this.repo.setVolumeMetadata(ex, 'volume_metadata', id, metadata);
      await ex.updateTable('volumes').set({ updated_at: isoNow() }).where('id', '=', id).execute();
    } else {
      await this.repo.setSnapshotMetadata(ex, id, metadata);
      await ex
        .updateTable('snapshots')
        .set({ updated_at: isoNow() })
        .where('id', '=', id)
        .execute();
    }
  }

  async get(ctx: RequestContext, owner: MetaOwner, id: string): Promise<Record<string, string>> {
    return (await this.load(ctx, owner, id, this.db)).metadata;
  }

  /** POST merges the given keys into the metadata; PUT (replace) makes them the whole of it. */
  async set(
    ctx: RequestContext,
    owner: MetaOwner,
    id: string,
    given: Metadata,
    replace: boolean,
  ): Promise<Record<string, string>> {
    return this.db.transaction().execute(async (trx) => {
      const current = await this.load(ctx, owner, id, trx);
      const next = replace ? given : { ...current.metadata, ...given };
      await this.store(trx, owner, current.id, next);
      return next;
    });
  }

  async getKey(ctx: RequestContext, owner: MetaOwner, id: string, key: string): Promise<string> {
    const metadata = await this.get(ctx, owner, id);
    if (!Object.hasOwn(metadata, key)) throw notFound(owner, id, key);
    return metadata[key]!;
  }

  /** PUT /metadata/{key} with {"meta": {key: value}}. */
  async setKey(
    ctx: RequestContext,
    owner: MetaOwner,
    id: string,
    key: string,
    meta: Metadata,
  ): Promise<Record<string, string>> {
    const keys = Object.keys(meta);
    if (keys.length !== 1 || keys[0] !== key) {
      throw new BadRequest('Request body and URI mismatch');
    }
    await this.set(ctx, owner, id, meta, false);
    return meta;
  }

  async deleteKey(ctx: RequestContext, owner: MetaOwner, id: string, key: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const current = await this.load(ctx, owner, id, trx);
      if (!Object.hasOwn(current.metadata, key)) throw notFound(owner, id, key);
      const { [key]: _gone, ...rest } = current.metadata;
      await this.store(trx, owner, current.id, rest);
    });
  }
}

function notFound(owner: MetaOwner, id: string, key: string): NotFound {
  return owner === 'volume'
    ? new NotFound(`Volume ${id} has no metadata with key ${key}.`)
    : new NotFound(`The snapshot metadata with key ${key} could not be found.`);
}
