import { DomainError, NotFound } from '../../../../errors.js';
import { pyRepr } from '../../../../http/pyrepr.js';
import type { Metadata } from '../../../volume/types.js';
import { HeatFault, validationFailed } from '../../errors.js';
import { waitUntil } from '../nova/wait.js';
import type { Props, ResourceContext } from '../types.js';

/** What OS::Cinder::Volume's steps share: value conversions, Heat's checks, snapshots. */

export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Cinder takes string values; others go as JSON. */
export const metadataOf = (v: unknown): Metadata => {
  const out = Object.create(null) as Metadata;
  for (const [k, x] of Object.entries((v ?? {}) as Record<string, unknown>))
    out[k] = typeof x === 'string' ? x : JSON.stringify(x);
  return out;
};

/** Python's json.dumps of a flat map (", " and ": ", non-ASCII escaped). */
export const jsonDumps = (m: Record<string, string>): string =>
  '{' +
  Object.entries(m)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) +
  '}';

/** A refusal from Cinder as cinderclient prints it, which Heat passes on. */
export const cinderError = (rc: ResourceContext, err: unknown): unknown =>
  err instanceof DomainError && !(err instanceof HeatFault) && err.status === 400
    ? new HeatFault(
        'BadRequest',
        `${err.message} (HTTP 400) (Request-ID: ${rc.ctx.requestId})`,
        400,
      )
    : err;

export async function volumeOrGone(rc: ResourceContext, id: string) {
  try {
    return await rc.services.volumes.getVolume(rc.ctx, id);
  } catch (err) {
    if (err instanceof NotFound) return undefined;
    throw err;
  }
}

/** volume.py `_validate_create_sources`. */
export function validateSources(props: Props): void {
  if (str(props.image) && str(props.imageRef))
    throw new HeatFault(
      'ResourcePropertyConflict',
      'Cannot define the following properties at the same time: image, imageRef.',
    );
  if (str(props.backup_id)) return;
  const exclusive: string[] = [];
  const noSize: string[] = [];
  for (const k of ['snapshot_id', 'source_volid'])
    if (str(props[k])) {
      exclusive.push(k);
      noSize.push(k);
    }
  for (const k of ['image', 'imageRef']) if (str(props[k])) exclusive.push(k);
  const size = props.size ?? null;
  if (size === null && (noSize.length !== 1 || exclusive.length !== 1))
    throw validationFailed(
      `If neither "backup_id" nor "size" is provided, one and only one of "source_volid", "snapshot_id" must be specified, but currently specified options: ${pyRepr(exclusive)}.`,
    );
  if (size !== null && exclusive.length > 1)
    throw validationFailed(
      `If "size" is provided, only one of "image", "imageRef", "source_volid", "snapshot_id" can be specified, but currently specified options: ${pyRepr(exclusive)}.`,
    );
}

/** A volume snapshot of the volume, waited for (stack snapshots and deletion_policy Snapshot). */
export async function takeSnapshot(rc: ResourceContext, id: string): Promise<string> {
  const snap = await rc.services.volumes
    .createSnapshot(rc.ctx, {
      volumeId: id,
      name: rc.physicalName(),
      description: null,
      metadata: Object.create(null) as Metadata,
      force: true,
    })
    .catch((err: unknown) => {
      throw cinderError(rc, err);
    });
  await waitUntil(rc, async () => {
    const s = await rc.services.volumes.getSnapshot(rc.ctx, snap.row.id);
    if (s.row.status === 'available') return true;
    if (s.row.status === 'creating') return false;
    throw new HeatFault('Error', `Went to status ${s.row.status} due to "Unknown"`);
  });
  return snap.row.id;
}
