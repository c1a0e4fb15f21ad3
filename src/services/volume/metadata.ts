import type { Db } from '../../store/db.js';
import { BadRequest, NotFound } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { isoNow } from '../../util.js';
import { parseMetadata } from './model.js';
import type { VolumeService } from './volumes.js';
import type { SnapshotService } from './snapshots.js';

export type MetaOwner = 'volume' | 'snapshot';

/** /volumes/{id}/metadata and /snapshots/{id}/metadata: the same operations on two tables. */
export class MetadataService {
  constructor(
    private readonly db: Db,
    private readonly volumes: VolumeService,
    private readonly snapshots: SnapshotService,
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
      await this.volumes.repo.setVolumeMetadata(ex, 'volume_metadata', id, metadata);
      await ex.updateTable('volumes').set({ updated_at: isoNow() }).where('id', '=', id).execute();
    } else {
      await this.volumes.repo.setSnapshotMetadata(ex, id, metadata);
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
    body: unknown,
    replace: boolean,
  ): Promise<Record<string, string>> {
    const given = parseMetadata(
      (body as { metadata?: unknown } | undefined)?.metadata ?? body ?? {},
    );
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
    body: unknown,
  ): Promise<Record<string, string>> {
    const meta = parseMetadata((body as { meta?: unknown } | undefined)?.meta, 'meta');
    const keys = Object.keys(meta);
    if (keys.length !== 1 || keys[0] !== key) {
      throw new BadRequest('Request body and URI mismatch');
    }
    await this.set(ctx, owner, id, { metadata: meta }, false);
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
