import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestContext } from '../../context.js';
import { DomainError, NotFound } from '../../errors.js';
import { BuildFailed } from './server-build.js';
import type { Server } from './server-model.js';
import type { ServerWorkDeps } from './server-work.js';

/** How long a build waits for a volume it asked for (Nova's block_device_allocate_retries). */
const VOLUME_WAIT_MS = 180_000;

/** The next free `/dev/vdX` after the root (`vda`), for a mapping that names none. */
export function nextDevice(taken: Iterable<string | null>): string {
  const used = new Set(
    [...taken].filter((t): t is string => t !== null).map((t) => t.replace(/^\/dev\//, '')),
  );
  for (let i = 1; i < 26; i++) {
    const name = `vd${String.fromCharCode(97 + i)}`;
    if (!used.has(name)) return `/dev/${name}`;
  }
  return '/dev/vdz';
}

/**
 * Volumes of the server's mappings: made from their snapshot, image or nothing where the
 * mapping asks, then attached through Cinder's attachments (reserved, connected, completed:
 * `in-use` with the server in `attachments`). Each step is recorded on the mapping, so a rerun
 * continues where a crash stopped.
 */
export async function attachBdmVolumes(
  d: ServerWorkDeps,
  ctx: RequestContext,
  server: Server,
): Promise<void> {
  const taken: (string | null)[] = server.bdms.map((b) => b.device_name);
  for (const b of server.bdms) {
    if (b.destination_type !== 'volume') continue;
    let volumeId = b.volume_id;
    if (volumeId === null) {
      if (b.source_type === 'snapshot' && b.snapshot_id)
        await waitSnapshot(d, ctx, server.row.id, b.snapshot_id);
      const volume = await d.volumes
        .createVolume(ctx, {
          name: '',
          description: '',
          ...(b.volume_size !== null ? { size: b.volume_size } : {}),
          ...(b.source_type === 'snapshot' && b.snapshot_id ? { snapshotId: b.snapshot_id } : {}),
          ...(b.source_type === 'image' && b.image_id ? { imageRef: b.image_id } : {}),
          ...(b.volume_type ? { volumeType: b.volume_type } : {}),
          metadata: {},
        })
        .catch((err: unknown) => {
          throw new BuildFailed(
            `Build of instance ${server.row.id} aborted: ${err instanceof DomainError ? err.message : 'the volume could not be created'}`,
          );
        });
      volumeId = volume.row.id;
      await d.db
        .updateTable('block_device_mappings')
        .set({ volume_id: volumeId })
        .where('id', '=', b.id)
        .execute();
    }
    if (b.attachment_id !== null) continue;
    await waitAvailable(d, ctx, server.row.id, volumeId);
    const device =
      b.device_name ?? (b.boot_index === 0 ? server.row.root_device_name : nextDevice(taken));
    taken.push(device);
    const attachment = await d.volumes
      .createAttachment(ctx, {
        volumeId,
        instanceUuid: server.row.id,
        connector: { host: d.host.name, mountpoint: device, mode: 'rw' },
        mode: 'rw',
      })
      .catch((err: unknown) => {
        throw new BuildFailed(
          `Build of instance ${server.row.id} aborted: ${err instanceof DomainError ? err.message : 'the volume could not be attached'}`,
        );
      });
    await d.volumes.completeAttachment(ctx, attachment.id);
    await d.db
      .updateTable('block_device_mappings')
      .set({ attachment_id: attachment.id, device_name: device })
      .where('id', '=', b.id)
      .execute();
  }
}

/** A snapshot still being made (taken a moment ago by createImage) is waited for. */
async function waitSnapshot(
  d: ServerWorkDeps,
  ctx: RequestContext,
  serverId: string,
  snapshotId: string,
): Promise<void> {
  const deadline = Date.now() + VOLUME_WAIT_MS;
  for (let delay = 5; Date.now() < deadline; delay = Math.min(delay * 2, 200)) {
    const snap = await d.volumes.getSnapshot(ctx, snapshotId).catch(() => undefined);
    if (!snap || snap.row.status !== 'creating') return;
    const row = await d.rows.find(serverId);
    if (!row || row.task_state === 'deleting')
      throw new BuildFailed(`Instance ${serverId} was deleted while building.`);
    await sleep(delay);
  }
}

async function waitAvailable(
  d: ServerWorkDeps,
  ctx: RequestContext,
  serverId: string,
  volumeId: string,
): Promise<void> {
  const deadline = Date.now() + VOLUME_WAIT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    const volume = await d.volumes.getVolume(ctx, volumeId);
    if (volume.row.status === 'available') return;
    if (volume.row.status !== 'creating' && volume.row.status !== 'downloading')
      throw new BuildFailed(
        `Build of instance ${serverId} aborted: Volume ${volumeId} did not finish being created even after we waited 0 seconds or 1 attempts. And its status is ${volume.row.status}.`,
      );
    const row = await d.rows.find(serverId);
    if (!row || row.task_state === 'deleting')
      throw new BuildFailed(`Instance ${serverId} was deleted while building.`);
    if (Date.now() > deadline)
      throw new BuildFailed(
        `Build of instance ${serverId} aborted: Volume ${volumeId} did not finish being created.`,
      );
    await sleep(delay);
  }
}

/**
 * On delete: every attached volume is detached (its Cinder attachment deleted: `available`
 * again), and deleted where its mapping says delete_on_termination. Volumes already gone are
 * fine; one Cinder refuses to delete is left.
 */
export async function releaseVolumes(
  d: ServerWorkDeps,
  ctx: RequestContext,
  server: Server,
): Promise<void> {
  for (const b of server.bdms) {
    if (b.destination_type !== 'volume' || b.volume_id === null) continue;
    if (b.attachment_id !== null) {
      await d.volumes.deleteAttachment(ctx, b.attachment_id).catch(ignoreNotFound);
      await d.db
        .updateTable('block_device_mappings')
        .set({ attachment_id: null })
        .where('id', '=', b.id)
        .execute();
    }
    if (b.delete_on_termination === 1) {
      await waitSettled(d, ctx, b.volume_id);
      // Nova's _cleanup_volumes(raise_exc=False): a volume Cinder will not delete (it has
      // snapshots) stays, and the server is deleted all the same.
      await d.volumes
        .deleteVolume(ctx, b.volume_id, { cascade: false, force: false })
        .catch(() => undefined);
    }
  }
}

/** A volume still being created cannot be deleted yet: wait for it to settle. */
async function waitSettled(
  d: ServerWorkDeps,
  ctx: RequestContext,
  volumeId: string,
): Promise<void> {
  const deadline = Date.now() + VOLUME_WAIT_MS;
  for (let delay = 5; Date.now() < deadline; delay = Math.min(delay * 2, 200)) {
    const volume = await d.volumes.getVolume(ctx, volumeId).catch(ignoreNotFound);
    if (
      !volume ||
      !['creating', 'downloading', 'attaching', 'detaching'].includes(volume.row.status)
    )
      return;
    await sleep(delay);
  }
}

function ignoreNotFound(err: unknown): undefined {
  if (err instanceof NotFound) return undefined;
  throw err;
}
