import type { Backing } from '../../blocks/layers.js';
import type { RequestContext } from '../../context.js';
import { NotFound } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import type { TaskPayloads } from '../../tasks/kinds.js';
import type { Flavors } from './flavors.js';
import type { KeyPairs } from './keypairs.js';
import { recordAction } from './instance-actions.js';
import type { ComputeQuotas } from './quotas.js';
import type { Server } from './server-model.js';
import { snapshotProperties } from './server-snapshot-volume.js';
import { beginAction, invalidState, refusal, type ActionRule } from './states.js';
import type { ServerWorkDeps } from './server-work.js';

/** What the lifecycle actions work with: the server tasks' deps, flavors and quotas. */
export interface LifecycleDeps extends ServerWorkDeps {
  flavors: Flavors;
  keypairs: KeyPairs;
  quotas: ComputeQuotas;
  /** The row of a server the caller may see, else Nova's 404. */
  find(ctx: RequestContext, id: string, ex?: Db): Promise<ServerRow>;
  load(ctx: RequestContext, id: string): Promise<Server>;
}

export type LifecyclePayload = TaskPayloads['server.lifecycle'];

export interface StartOptions {
  /** The task_state the API sets; null: none (the action still waits its turn on the server). */
  task: string | null;
  /** The instance action recorded (Nova's controller name). */
  action: string;
  payload: Omit<LifecyclePayload, 'roles'>;
  fields?: Partial<ServerRow>;
  /** More writes in the same transaction, after the state check (quota, the migration row). */
  also?(tx: Db, row: ServerRow): Promise<void>;
}

/**
 * The API side of every lifecycle action, in one transaction: the state check (Nova's 409
 * text), the conditional task_state set, the instance action and the queued task. A race lost
 * between the read and the update is reported as the state the winner left.
 */
export async function startAction(
  d: LifecycleDeps,
  ctx: RequestContext,
  id: string,
  rule: ActionRule,
  o: StartOptions,
): Promise<void> {
  await d.db.transaction().execute(async (tx) => {
    const row = await d.find(ctx, id, tx);
    const refused = refusal(rule, row, ctx.isAdmin);
    if (refused) throw refused;
    // check_instance_state's must_have_launched: an ERROR server that never ran is refused.
    if (row.launched_at === null) throw invalidState(rule.method, row.id, 'launched_at', null);
    if (!(await beginAction(tx, row, rule, o.task, o.fields))) {
      const now = await d.find(ctx, id, tx);
      throw refusal(rule, now, ctx.isAdmin) ?? new NotFound(`Instance ${id} could not be found.`);
    }
    if (o.also) await o.also(tx, row);
    await recordAction(tx, ctx, row.id, o.action);
    await d.tasks.enqueue(tx, 'server.lifecycle', row.id, { ...o.payload, roles: ctx.roles });
  });
  d.tasks.kick();
}

/** The root block device mapping is a volume: Nova's `is_volume_backed_instance`. */
export function isVolumeBacked(server: Server): boolean {
  const root = server.bdms.find((b) => b.boot_index === 0);
  return (
    root?.destination_type === 'volume' || (server.row.image_id === '' && !server.row.root_layer)
  );
}

/**
 * A queued image of the server's root disk, with the properties Nova's create_image gives a
 * snapshot or a backup (`own` adds image_type, backup_type ...).
 */
export async function createRootImage(
  d: LifecycleDeps,
  ctx: RequestContext,
  server: Server,
  name: string,
  own: Record<string, string>,
  metadata: Record<string, string>,
): Promise<string> {
  const props = snapshotProperties(
    server,
    { instance_uuid: server.row.id, user_id: ctx.userId, ...own },
    metadata,
  );
  const image = await d.images.create(ctx, {
    name,
    visibility: ctx.projectId === server.row.project_id ? 'private' : 'shared',
    min_ram: server.image?.min_ram ?? 0,
    min_disk: Math.max(server.image?.min_disk ?? 0, server.flavor.disk),
    properties: props,
  });
  return image.row.id;
}

/** Reads a server's system_metadata, changes it, and gives back the JSON to store. */
export function editSystemMetadata(
  row: ServerRow,
  edit: (m: Record<string, string>) => void,
): string {
  let m: Record<string, string> = {};
  try {
    const parsed = JSON.parse(row.system_metadata) as unknown;
    if (parsed && typeof parsed === 'object') m = { ...(parsed as Record<string, string>) };
  } catch {
    // An unreadable value is replaced.
  }
  edit(m);
  return JSON.stringify(m);
}

const GiB = 1024 ** 3;

/**
 * A new root disk over `backing` (an image's file or a sealed layer), O(1): an empty head of
 * at least `sizeBytes` swapped in for the old one only while the server still holds `task`;
 * the old head (and what only it kept) is released.
 */
export async function swapRootDisk(
  d: ServerWorkDeps,
  id: string,
  task: string,
  sizeBytes: number,
  backing: Backing,
): Promise<void> {
  let orphan: string | null = null;
  let old: string | null = null;
  await d.layers.creating(async () => {
    const head = await d.layers.createHead({ sizeBytes, backing });
    await d.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('servers')
        .select(['root_layer', 'task_state'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row || row.task_state !== task) {
        orphan = head;
        return;
      }
      old = row.root_layer;
      await tx.updateTable('servers').set({ root_layer: head }).where('id', '=', id).execute();
    });
  });
  await d.releaseLayers([orphan, old]);
}

/** A root disk over a Glance image (rebuild, unshelve): the flavor's size, or the image's. */
export async function rootDiskFromImage(
  d: ServerWorkDeps,
  ctx: RequestContext,
  id: string,
  task: string,
  imageId: string,
  flavorDiskGb: number,
): Promise<void> {
  const image = await d.images.get(ctx, imageId);
  if (image.row.status !== 'active' || !image.row.file_id)
    throw new Error(`Image ${image.row.id} is not active.`);
  const imageSize = image.row.virtual_size ?? image.row.size ?? 0;
  const size = Math.max(flavorDiskGb * GiB, Math.ceil(imageSize / 512) * 512, 512);
  await swapRootDisk(d, id, task, size, {
    path: d.imageFiles.pathOf(image.row.file_id),
    format: image.row.disk_format === 'qcow2' ? 'qcow2' : 'raw',
  });
}
