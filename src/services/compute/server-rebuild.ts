import { randomBytes } from 'node:crypto';
import { userContext, type RequestContext } from '../../context.js';
import { BadRequest, NotFound } from '../../errors.js';
import { PowerState } from '../../compute/index.js';
import type { ServerRow } from '../../store/compute-schema.js';
import { isoNow } from '../../util.js';
import { withEvent } from './instance-actions.js';
import { imageMetaOf } from './server-create.js';
import {
  editSystemMetadata,
  isVolumeBacked,
  rootDiskFromImage,
  startAction,
  type LifecycleDeps,
} from './server-lifecycle.js';
import type { EmbeddedFlavor, Server } from './server-model.js';
import type { Image } from '../image/model.js';
import { advance, type ActionRule } from './states.js';
import { guestSpec, loadServer } from './server-work.js';

const GiB = 1024 ** 3;

const REBUILD: ActionRule = { method: 'rebuild', vmStates: ['active', 'stopped', 'error'] };

/** POST /servers/{id}/action rebuild, after its schema: only what the request set. */
export interface RebuildInput {
  imageRef: string;
  name?: string;
  metadata?: Record<string, string>;
  adminPass?: string;
  accessIPv4?: string;
  accessIPv6?: string;
  description?: string | null;
  /** 2.54: null removes the key. */
  keyName?: string | null;
  /** 2.57: base64, null removes it. */
  userData?: string | null;
  hostname?: string;
}

/**
 * rebuild: the image and the request's fields are the server's at once (Nova saves them with
 * task_state rebuilding); the compute side makes the new root disk. Answers the server as it
 * is now, and the admin password Nova would set.
 */
export async function rebuild(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
  input: RebuildInput,
): Promise<{ server: Server; adminPass: string }> {
  const ref = input.imageRef.split('/').pop() ?? '';
  let image;
  try {
    image = await d.images.get(ctx, ref);
  } catch (err) {
    if (err instanceof NotFound) throw new BadRequest('Cannot find image for rebuild');
    throw err;
  }
  if (image.row.status !== 'active') throw new BadRequest(`Image ${image.row.id} is not active.`);
  let keyData: string | null | undefined;
  if (input.keyName !== undefined && input.keyName !== null) {
    try {
      keyData = (await d.keypairs.get(ctx.userId, input.keyName)).public_key;
    } catch (err) {
      if (err instanceof NotFound) throw new BadRequest('Invalid key_name provided.');
      throw err;
    }
  } else if (input.keyName === null) keyData = null;
  const current = await d.load(ctx, id);
  const volumeBacked = isVolumeBacked(current);
  if (volumeBacked) await checkSameVolumeImage(d, ctx, current, image.row.id);
  else checkImageFits(image, current.flavor);
  const meta = imageMetaOf(image);
  const fields: Partial<ServerRow> = {
    progress: 0,
    ...(volumeBacked ? {} : { image_id: image.row.id, image_meta: JSON.stringify(meta) }),
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.accessIPv4 !== undefined ? { access_ip_v4: input.accessIPv4 } : {}),
    ...(input.accessIPv6 !== undefined ? { access_ip_v6: input.accessIPv6 } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.keyName !== undefined ? { key_name: input.keyName, key_data: keyData ?? null } : {}),
    ...(input.userData !== undefined ? { user_data: input.userData } : {}),
    ...(input.hostname !== undefined ? { hostname: input.hostname } : {}),
  };
  await startAction(d, ctx, id, REBUILD, {
    task: 'rebuilding',
    action: 'rebuild',
    payload: { action: 'rebuild' },
    fields,
    async also(tx, row) {
      // Nova's _reset_image_metadata: the old image's image_* keys go, the new ones come.
      if (!volumeBacked)
        await tx
          .updateTable('servers')
          .set({
            system_metadata: editSystemMetadata(row, (m) => {
              for (const k of Object.keys(m)) if (k.startsWith('image_')) delete m[k];
              m.image_base_image_ref = image.row.id;
            }),
          })
          .where('id', '=', row.id)
          .execute();
      if (input.metadata !== undefined) {
        await tx.deleteFrom('server_metadata').where('server_id', '=', row.id).execute();
        for (const [key, value] of Object.entries(input.metadata))
          await tx
            .insertInto('server_metadata')
            .values({ server_id: row.id, key, value })
            .execute();
      }
    },
  });
  const adminPass = input.adminPass ?? randomBytes(9).toString('base64url').slice(0, 12);
  return { server: await d.load(ctx, id), adminPass };
}

/** Nova's _check_requested_image, against the server's flavor. */
function checkImageFits(image: Image, flavor: EmbeddedFlavor): void {
  const diskBytes = flavor.disk * GiB;
  if (flavor.ram < image.row.min_ram)
    throw new BadRequest("Flavor's memory is too small for requested image.");
  if (flavor.disk === 0) return;
  const size = image.row.virtual_size ?? image.row.size ?? 0;
  if (size > diskBytes)
    throw new BadRequest(
      `Flavor's disk is too small for requested image. Flavor disk is ${diskBytes} bytes, image is ${size} bytes.`,
    );
  if (image.row.min_disk * GiB > diskBytes)
    throw new BadRequest(
      `Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is ${diskBytes} bytes, minimum size is ${image.row.min_disk * GiB} bytes.`,
    );
}

/** Before 2.93 a volume-backed server is rebuilt only with the image its root volume came from. */
async function checkSameVolumeImage(
  d: LifecycleDeps,
  ctx: RequestContext,
  server: Server,
  imageId: string,
): Promise<void> {
  const root = server.bdms.find((b) => b.boot_index === 0);
  const volume = root?.volume_id ? await d.volumes.getVolume(ctx, root.volume_id) : undefined;
  if (volume?.imageMetadata.image_id !== imageId)
    throw new BadRequest(
      `Image ${imageId} is unacceptable: Unable to rebuild with a different image for a volume-backed server.`,
    );
}

/**
 * Compute side: rebuild_block_device_mapping (the guest goes), rebuild_spawning (a new root
 * disk over the image, the guest spawned on it); a server that was stopped stays stopped.
 */
export async function runRebuild(d: LifecycleDeps, id: string, roles: string[]): Promise<void> {
  const first = await d.rows.find(id);
  const walk = ['rebuilding', 'rebuild_block_device_mapping', 'rebuild_spawning'];
  if (!first || !walk.includes(first.task_state ?? '')) return;
  const ctx = userContext(first.project_id, first.user_id, roles);
  const stopped = first.vm_state === 'stopped';
  await withEvent(d.db, id, 'rebuild', 'compute_rebuild_instance', d.host.name, async () => {
    await advance(d.db, id, 'rebuilding', { task_state: 'rebuild_block_device_mapping' });
    await d.driver.destroy(id);
    await advance(d.db, id, 'rebuild_block_device_mapping', { task_state: 'rebuild_spawning' });
    let server = (await loadServer(d, id))!;
    if (!isVolumeBacked(server) && server.row.image_id !== '') {
      await rootDiskFromImage(
        d,
        ctx,
        id,
        'rebuild_spawning',
        server.row.image_id,
        server.flavor.disk,
      );
      server = (await loadServer(d, id))!;
    }
    await d.driver.spawn(await guestSpec(d, ctx, server));
    if (stopped) await d.driver.powerOff(id);
    await advance(d.db, id, 'rebuild_spawning', {
      vm_state: stopped ? 'stopped' : 'active',
      task_state: null,
      power_state: stopped ? PowerState.SHUTDOWN : PowerState.RUNNING,
      launched_at: isoNow(),
      fault: null,
    });
  });
}
