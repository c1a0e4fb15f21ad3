import { userContext, type RequestContext } from '../../context.js';
import { Conflict } from '../../errors.js';
import { PowerState } from '../../compute/index.js';
import { withEvent } from './instance-actions.js';
import {
  createRootImage,
  editSystemMetadata,
  isVolumeBacked,
  rootDiskFromImage,
  startAction,
  type LifecycleDeps,
} from './server-lifecycle.js';
import { uploadRootDisk } from './server-disk-upload.js';
import { nextDevice } from './server-bdm-work.js';
import { advance, refusal, type ActionRule } from './states.js';
import { guestSpec, loadServer } from './server-work.js';
import { isoNow } from '../../util.js';

/** nova/compute/api.py: shelve, shelve_offload, unshelve (all refused on a locked server). */
const SHELVE: ActionRule = {
  method: 'shelve',
  vmStates: ['active', 'stopped', 'paused', 'suspended'],
};
const SHELVE_OFFLOAD: ActionRule = { method: 'shelveOffload', vmStates: ['shelved'] };
const UNSHELVE: ActionRule = { method: 'unshelve', vmStates: ['shelved', 'shelved_offloaded'] };

const SHELVE_TASKS = [
  'shelving',
  'shelving_image_pending_upload',
  'shelving_image_uploading',
  'shelving_offloading',
];

/**
 * shelve: an image-backed server's disk goes to a snapshot image `<name>-shelved` first (made
 * here, queued, removed again if the server refuses); a volume-backed one keeps its volumes.
 */
export async function shelve(d: LifecycleDeps, ctx: RequestContext, id: string): Promise<void> {
  const server = await d.load(ctx, id);
  const refused = refusal(SHELVE, server.row, ctx.isAdmin);
  if (refused) throw refused;
  const imageId = isVolumeBacked(server)
    ? null
    : await createRootImage(
        d,
        ctx,
        server,
        `${server.row.name}-shelved`,
        { image_type: 'snapshot' },
        {},
      );
  let started = false;
  try {
    await startAction(d, ctx, id, SHELVE, {
      task: 'shelving',
      action: 'shelve',
      payload: { action: 'shelve', imageId },
    });
    started = true;
  } finally {
    if (!started && imageId) await d.images.delete(ctx, imageId).catch(() => undefined);
  }
}

export function shelveOffload(d: LifecycleDeps, ctx: RequestContext, id: string): Promise<void> {
  return startAction(d, ctx, id, SHELVE_OFFLOAD, {
    task: 'shelving_offloading',
    action: 'shelveOffload',
    payload: { action: 'shelveOffload' },
  });
}

/** An availability zone or host may only be named for a server that is offloaded (2.77, 2.91). */
export async function unshelve(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
  placement: boolean,
): Promise<void> {
  const row = await d.find(ctx, id);
  if (placement && row.vm_state === 'shelved' && !(row.locked === 1 && !ctx.isAdmin))
    throw new Conflict(
      `Specifying an availability zone or a host when unshelving server "${row.id}" with status "${row.vm_state}" is not supported. The server status must be SHELVED_OFFLOADED.`,
    );
  await startAction(d, ctx, id, UNSHELVE, {
    task: 'unshelving',
    action: 'unshelve',
    payload: { action: 'unshelve' },
  });
}

/**
 * Compute side of shelve (DevStack's shelved_offload_time=0): the guest is powered off, its
 * disk uploaded (shelving_image_pending_upload, shelving_image_uploading), the server SHELVED
 * for a moment and offloaded at once.
 */
export async function runShelve(
  d: LifecycleDeps,
  id: string,
  imageId: string | null,
  roles: string[],
): Promise<void> {
  const server = await loadServer(d, id);
  if (!server) return;
  const ctx = userContext(server.row.project_id, server.row.user_id, roles);
  if (!SHELVE_TASKS.includes(server.row.task_state ?? '')) {
    if (imageId) await d.images.delete(ctx, imageId).catch(() => undefined);
    return;
  }
  await withEvent(d.db, id, 'shelve', 'compute_shelve_instance', d.host.name, async () => {
    if (server.row.task_state === 'shelving_offloading') return;
    await d.driver.powerOff(id);
    if (imageId)
      await uploadRootDisk(d, ctx, server.row, imageId, {
        start: 'shelving',
        pendingUpload: 'shelving_image_pending_upload',
        uploading: 'shelving_image_uploading',
      });
    const now = (await d.rows.find(id))!;
    await advance(d.db, id, now.task_state, {
      vm_state: 'shelved',
      task_state: 'shelving_offloading',
      power_state: PowerState.SHUTDOWN,
      system_metadata: editSystemMetadata(now, (m) => {
        m.shelved_at = isoNow();
        if (imageId) m.shelved_image_id = imageId;
        m.shelved_host = d.host.name;
      }),
    });
  });
  await offload(d, id);
}

/** shelveOffload: the guest destroyed, the host let go, the local root disk released. */
export async function runShelveOffload(d: LifecycleDeps, id: string): Promise<void> {
  const row = await d.rows.find(id);
  if (!row || row.task_state !== 'shelving_offloading') return;
  await withEvent(d.db, id, 'shelveOffload', 'compute_shelve_offload_instance', d.host.name, () =>
    offload(d, id),
  );
}

async function offload(d: LifecycleDeps, id: string): Promise<void> {
  const row = await d.rows.find(id);
  if (!row || row.task_state !== 'shelving_offloading') return;
  await d.driver.destroy(id);
  // A volume-backed server keeps nothing local; an image-backed one has its shelved image.
  const moved = await advance(d.db, id, 'shelving_offloading', {
    vm_state: 'shelved_offloaded',
    task_state: null,
    power_state: PowerState.SHUTDOWN,
    host: null,
    root_layer: null,
  });
  if (moved) await d.releaseLayers([row.root_layer]);
}

/**
 * Compute side of unshelve: spawning again, an offloaded image-backed server on a new root
 * disk over its shelved image, which is deleted once the server runs.
 */
export async function runUnshelve(d: LifecycleDeps, id: string, roles: string[]): Promise<void> {
  const first = await d.rows.find(id);
  if (!first || !['unshelving', 'spawning'].includes(first.task_state ?? '')) return;
  const ctx = userContext(first.project_id, first.user_id, roles);
  let shelvedImage: string | undefined;
  await withEvent(d.db, id, 'unshelve', 'compute_unshelve_instance', d.host.name, async () => {
    await advance(d.db, id, 'unshelving', { task_state: 'spawning', host: d.host.name });
    let server = (await loadServer(d, id))!;
    shelvedImage = server.systemMetadata.shelved_image_id;
    if (shelvedImage && server.row.root_layer === null) {
      await rootDiskFromImage(d, ctx, id, 'spawning', shelvedImage, server.flavor.disk);
      server = (await loadServer(d, id))!;
    }
    // Volumes attached while offloaded have no device yet: they get one now, as Nova's
    // unshelve does when it connects them on the new host.
    const taken: (string | null)[] = [
      server.row.root_device_name,
      ...server.bdms.map((b) => b.device_name),
    ];
    for (const b of server.bdms) {
      if (b.destination_type !== 'volume' || b.device_name !== null) continue;
      const device = nextDevice(taken);
      taken.push(device);
      await d.db
        .updateTable('block_device_mappings')
        .set({ device_name: device })
        .where('id', '=', b.id)
        .execute();
    }
    server = (await loadServer(d, id))!;
    await d.driver.spawn(await guestSpec(d, ctx, server));
    await advance(d.db, id, 'spawning', {
      vm_state: 'active',
      task_state: null,
      power_state: PowerState.RUNNING,
      system_metadata: editSystemMetadata(server.row, (m) => {
        delete m.shelved_at;
        delete m.shelved_image_id;
        delete m.shelved_host;
      }),
    });
  });
  if (shelvedImage) await d.images.delete(ctx, shelvedImage).catch(() => undefined);
}

/** reverts_task_state: a failed shelve or unshelve leaves the server where it was. */
export async function failShelve(
  d: LifecycleDeps,
  id: string,
  imageId: string | null | undefined,
  roles: string[],
): Promise<void> {
  const row = await d.rows.find(id);
  if (imageId && row) {
    const ctx = userContext(row.project_id, row.user_id, roles);
    const image = await d.images.get(ctx, imageId).catch(() => undefined);
    if (image && image.row.status !== 'active')
      await d.images.delete(ctx, imageId).catch(() => undefined);
    await d.db.deleteFrom('server_snapshots').where('image_id', '=', imageId).execute();
  }
  await d.db
    .updateTable('servers')
    .set({ task_state: null })
    .where('id', '=', id)
    .where('task_state', 'in', [...SHELVE_TASKS, 'unshelving', 'spawning'])
    .where('vm_state', '!=', 'building')
    .execute();
}
