import { userContext, type RequestContext } from '../../context.js';
import { NotFound } from '../../errors.js';
import { PowerState } from '../../compute/index.js';
import type { TaskPayloads } from '../../tasks/kinds.js';
import { isoNow } from '../../util.js';
import { withEvent } from './instance-actions.js';
import { attachBdmVolumes } from './server-bdm-work.js';
import { bindPorts } from './server-port-work.js';
import { advance } from './states.js';
import { faultOf, guestSpec, loadServer, type ServerWorkDeps } from './server-work.js';

const GiB = 1024 ** 3;

type BuildPayload = TaskPayloads['server.build'];

/** A build that cannot go on; its message becomes the server's fault. */
export class BuildFailed extends Error {
  constructor(
    message: string,
    readonly code = 500,
  ) {
    super(message);
  }
}

/**
 * The compute side of a create, one step per task_state as Nova walks them: scheduling (does
 * the flavor fit the host), networking (ports), block_device_mapping (volumes made and
 * attached), spawning (the root disk, a copy-on-write head over the image, and the guest).
 * Each step is recorded before the next starts, so after a crash the task runs again and
 * picks up where it stopped; a delete meanwhile (task_state `deleting`) stops it.
 */
export async function buildServer(
  d: ServerWorkDeps,
  id: string,
  payload: BuildPayload,
): Promise<void> {
  const first = await d.rows.find(id);
  if (!first || first.vm_state !== 'building') return;
  const ctx = userContext(first.project_id, first.user_id, payload.roles ?? []);
  await withEvent(
    d.db,
    id,
    'create',
    'compute__do_build_and_run_instance',
    d.host.name,
    async () => {
      let server = (await loadServer(d, id))!;
      if (server.row.task_state === 'scheduling') {
        const f = server.flavor;
        if (f.vcpus > d.host.vcpus || f.ram > d.host.ramMb || f.disk + f.ephemeral > d.host.diskGb)
          throw new BuildFailed('No valid host was found. There are not enough hosts available.');
        if (
          !(await advance(d.db, id, 'scheduling', { task_state: 'networking', host: d.host.name }))
        )
          return;
        server = (await loadServer(d, id))!;
      }
      if (server.row.task_state === 'networking') {
        await bindPorts(d, ctx, server, payload);
        if (!(await advance(d.db, id, 'networking', { task_state: 'block_device_mapping' })))
          return;
        server = (await loadServer(d, id))!;
      }
      if (server.row.task_state === 'block_device_mapping') {
        await attachBdmVolumes(d, ctx, server);
        if (!(await advance(d.db, id, 'block_device_mapping', { task_state: 'spawning' }))) return;
        server = (await loadServer(d, id))!;
      }
      if (server.row.task_state !== 'spawning') return;
      if (server.row.image_id !== '' && server.row.root_layer === null)
        await makeRootDisk(d, ctx, server.row.id);
      server = (await loadServer(d, id))!;
      await d.driver.spawn(await guestSpec(d, ctx, server));
      const now = isoNow();
      await advance(d.db, id, 'spawning', {
        vm_state: 'active',
        task_state: null,
        power_state: PowerState.RUNNING,
        launched_at: now,
        progress: 0,
      });
    },
  );
}

/**
 * The local root disk: an empty head of the flavor's size over the image file, O(1) whatever
 * the image's size. Created and committed inside one `creating` scope, so a sweep running for
 * another task cannot take it in between.
 */
async function makeRootDisk(d: ServerWorkDeps, ctx: RequestContext, id: string): Promise<void> {
  const server = (await loadServer(d, id))!;
  let image;
  try {
    image = await d.images.get(ctx, server.row.image_id);
  } catch (err) {
    if (err instanceof NotFound)
      throw new BuildFailed(`Image ${server.row.image_id} could not be found.`);
    throw err;
  }
  if (image.row.status !== 'active' || !image.row.file_id)
    throw new BuildFailed(`Image ${image.row.id} is not active.`);
  const imageSize = image.row.virtual_size ?? image.row.size ?? 0;
  const size = Math.max(server.flavor.disk * GiB, Math.ceil(imageSize / 512) * 512, 512);
  let orphan: string | undefined;
  await d.layers.creating(async () => {
    const head = await d.layers.createHead({
      sizeBytes: size,
      backing: {
        path: d.imageFiles.pathOf(image.row.file_id!),
        format: image.row.disk_format === 'qcow2' ? 'qcow2' : 'raw',
      },
    });
    const res = await d.db
      .updateTable('servers')
      .set({ root_layer: head })
      .where('id', '=', id)
      .where('root_layer', 'is', null)
      .where('task_state', '=', 'spawning')
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) orphan = head;
  });
  if (orphan) await d.releaseLayers([orphan]);
}

/** The server goes to ERROR with Nova's fault; what it holds stays until it is deleted. */
export async function failBuild(d: ServerWorkDeps, id: string, err: unknown): Promise<void> {
  const known = err instanceof BuildFailed;
  const message = known
    ? err.message
    : `Build of instance ${id} aborted: ${err instanceof Error ? err.message : 'unknown error'}`;
  const details = err instanceof Error ? (err.stack ?? err.message) : '';
  await d.db
    .updateTable('servers')
    .set({
      vm_state: 'error',
      task_state: null,
      fault: faultOf(known ? err.code : 500, message, details),
      updated_at: isoNow(),
    })
    .where('id', '=', id)
    .where('vm_state', '=', 'building')
    .execute();
}
