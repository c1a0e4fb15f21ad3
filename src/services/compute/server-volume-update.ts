import type { RequestContext } from '../../context.js';
import { BadRequest, NotFound, NotImplemented } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { ServerRow } from '../../store/compute-schema.js';
import { requireAdmin } from './policy.js';

/** PUT's body: from 2.85 the GET view may come back; before, only a swap's volumeId. */
export interface VolumeAttachmentUpdate {
  volumeId: string;
  device?: string | null;
  tag?: string;
  deleteOnTermination?: boolean;
  serverId?: string;
  id?: string;
}

/**
 * PUT: from 2.85 a mapping's delete_on_termination changes (the other fields must be sent as
 * they are); a different volumeId is a swap, an admin's request, which the compute drivers
 * here cannot do: Nova's 501 for functionality a driver lacks.
 */
export async function updateVolumeAttachment(
  db: Db,
  ctx: RequestContext,
  row: ServerRow,
  volumeId: string,
  input: VolumeAttachmentUpdate,
  regularUpdate: boolean,
): Promise<void> {
  const swap = !regularUpdate || input.volumeId.toLowerCase() !== volumeId.toLowerCase();
  if (swap) requireAdmin(ctx, 'os-volumes-attachments:swap');
  if (regularUpdate) {
    const bdm = await db
      .selectFrom('block_device_mappings')
      .selectAll()
      .where('server_id', '=', row.id)
      .where('volume_id', '=', volumeId.toLowerCase())
      .executeTakeFirst();
    if (!bdm) throw new NotFound(`No volume Block Device Mapping with id ${volumeId}.`);
    if (input.id !== undefined && input.id !== volumeId)
      throw new BadRequest('The id property is not mutable');
    if (input.serverId !== undefined && input.serverId !== row.id)
      throw new BadRequest('The serverId property is not mutable');
    if (input.device !== undefined && input.device !== bdm.device_name)
      throw new BadRequest('The device property is not mutable');
    if (input.tag !== undefined && input.tag !== bdm.tag)
      throw new BadRequest('The tag property is not mutable');
    if (input.deleteOnTermination !== undefined)
      await db
        .updateTable('block_device_mappings')
        .set({ delete_on_termination: input.deleteOnTermination ? 1 : 0 })
        .where('id', '=', bdm.id)
        .execute();
  }
  if (swap)
    throw new NotImplemented(
      'The requested functionality is not supported: swapping volumes needs a compute driver that can copy a volume into another while the guest runs.',
    );
}
