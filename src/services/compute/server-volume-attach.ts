import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import { BadRequest, Conflict, DomainError, NotFound } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { BlockDeviceMappingRow, ServerRow } from '../../store/compute-schema.js';
import { isoNow } from '../../util.js';
import { recordAction, withEvent } from './instance-actions.js';
import { nextDevice } from './server-bdm-work.js';
import type { ServerWorkDeps } from './server-work.js';
import { updateVolumeAttachment, type VolumeAttachmentUpdate } from './server-volume-update.js';
import { invalidState, refusal, type ActionRule } from './states.js';

/** nova/compute/api.py attach_volume / detach_volume: check_instance_state of each. */
const VOLUME_VM_STATES = [
  'active',
  'paused',
  'stopped',
  'resized',
  'soft-delete',
  'shelved',
  'shelved_offloaded',
];
const ATTACH_VOLUME: ActionRule = { method: 'attach_volume', vmStates: VOLUME_VM_STATES };
const DETACH_VOLUME: ActionRule = { method: 'detach_volume', vmStates: VOLUME_VM_STATES };

export interface VolumeAttach {
  volumeId: string;
  device: string | null;
  tag: string | null;
  deleteOnTermination: boolean;
}

/** Nova's volume BDM check of block_device.match_device, as the API schema has it too. */
const DEVICE = /(^\/dev\/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$/;

/**
 * A Cinder refusal as Nova's cinder client passes it on (translate_cinder_exception): the
 * client's text of Cinder's 400 inside Nova's InvalidInput.
 */
function cinderRefusal(ctx: RequestContext, err: unknown): unknown {
  if (err instanceof DomainError && err.status === 400)
    return new BadRequest(
      `Invalid input received: ${err.message} (HTTP 400) (Request-ID: ${ctx.requestId})`,
    );
  return err;
}

/**
 * os-volume_attachments: a server's volumes, each a block device mapping with a Cinder
 * attachment. Attaching reserves the device name and the mapping in one transaction that
 * re-checks the server's state and that no other mapping holds the volume, so of two racing
 * attaches of one volume exactly one wins; then Cinder's attachment is made, connected to the
 * guest (the volume's head layer) and completed (`in-use`).
 */
export class ServerVolumes {
  constructor(
    private readonly d: ServerWorkDeps,
    private readonly serverRow: (ctx: RequestContext, id: string, ex?: Db) => Promise<ServerRow>,
  ) {}

  /** The server's volume mappings, the root volume included, in the order they were made. */
  async list(ctx: RequestContext, serverId: string): Promise<BlockDeviceMappingRow[]> {
    const row = await this.serverRow(ctx, serverId);
    return this.d.db
      .selectFrom('block_device_mappings')
      .selectAll()
      .where('server_id', '=', row.id)
      .where('volume_id', 'is not', null)
      .orderBy('created_at')
      .orderBy('boot_index')
      .orderBy('id')
      .execute();
  }

  async get(
    ctx: RequestContext,
    serverId: string,
    volumeId: string,
  ): Promise<BlockDeviceMappingRow> {
    const row = await this.serverRow(ctx, serverId);
    return this.mapping(row.id, serverId, volumeId);
  }

  private async mapping(
    id: string,
    asGiven: string,
    volumeId: string,
    ex: Db = this.d.db,
  ): Promise<BlockDeviceMappingRow> {
    const bdm = await ex
      .selectFrom('block_device_mappings')
      .selectAll()
      .where('server_id', '=', id)
      .where('volume_id', '=', volumeId.toLowerCase())
      .executeTakeFirst();
    if (!bdm) throw new NotFound(`Instance ${asGiven} is not attached to volume ${volumeId}`);
    return bdm;
  }

  /** POST: the mapping as made (its device is where the guest sees the volume). */
  async attach(
    ctx: RequestContext,
    serverId: string,
    input: VolumeAttach,
    shelvedAllowed: boolean,
  ): Promise<BlockDeviceMappingRow> {
    const row = await this.serverRow(ctx, serverId);
    if (!shelvedAllowed && row.vm_state.startsWith('shelved'))
      throw invalidState('attach_volume', serverId, 'vm_state', row.vm_state);
    const refused = refusal(ATTACH_VOLUME, row, ctx.isAdmin);
    if (refused) throw refused;
    if (input.device !== null && !DEVICE.test(input.device))
      throw new BadRequest(`The supplied device path (${input.device}) is invalid.`);
    const volume = await this.d.volumes.getVolume(ctx, input.volumeId);
    const offloaded = row.vm_state === 'shelved_offloaded';
    const bdm = await this.d.db.transaction().execute(async (tx) => {
      const now = await this.serverRow(ctx, row.id, tx);
      const again = refusal(ATTACH_VOLUME, now, ctx.isAdmin);
      if (again) throw again;
      const holders = await tx
        .selectFrom('block_device_mappings')
        .select('server_id')
        .where('volume_id', '=', volume.row.id)
        .execute();
      if (holders.length > 0)
        throw new BadRequest(
          `Invalid volume: volume ${volume.row.id} is already attached to instances: ${holders.map((h) => h.server_id).join(' ')}`,
        );
      const taken = await tx
        .selectFrom('block_device_mappings')
        .select('device_name')
        .where('server_id', '=', row.id)
        .execute();
      const used = [row.root_device_name, ...taken.map((t) => t.device_name)];
      let device: string | null = null;
      if (!offloaded) {
        if (input.device !== null && used.includes(input.device))
          throw new Conflict(`The supplied device path (${input.device}) is in use.`);
        device = input.device ?? nextDevice(used);
      }
      const made: BlockDeviceMappingRow = {
        id: randomUUID(),
        server_id: row.id,
        boot_index: null,
        source_type: 'volume',
        destination_type: 'volume',
        device_name: device,
        device_type: null,
        disk_bus: null,
        guest_format: null,
        volume_id: volume.row.id,
        snapshot_id: null,
        image_id: null,
        volume_size: null,
        volume_type: null,
        delete_on_termination: input.deleteOnTermination ? 1 : 0,
        tag: input.tag,
        attachment_id: null,
        created_at: isoNow(),
      };
      await tx.insertInto('block_device_mappings').values(made).execute();
      return made;
    });
    try {
      const attachment = await this.d.volumes
        .createAttachment(ctx, {
          volumeId: volume.row.id,
          instanceUuid: row.id,
          connector: null,
          mode: 'null',
        })
        .catch((err: unknown) => {
          throw cinderRefusal(ctx, err);
        });
      bdm.attachment_id = attachment.id;
      await this.d.db.transaction().execute(async (tx) => {
        await tx
          .updateTable('block_device_mappings')
          .set({ attachment_id: attachment.id })
          .where('id', '=', bdm.id)
          .execute();
        await recordAction(tx, ctx, row.id, 'attach_volume');
      });
      const event = offloaded ? 'api_attach_volume' : 'compute_attach_volume';
      await withEvent(this.d.db, row.id, 'attach_volume', event, this.d.host.name, () =>
        this.connect(ctx, row, bdm, attachment.id, offloaded),
      );
    } catch (err) {
      if (bdm.attachment_id !== null)
        await this.d.volumes.deleteAttachment(ctx, bdm.attachment_id).catch(() => undefined);
      await this.d.db.deleteFrom('block_device_mappings').where('id', '=', bdm.id).execute();
      throw err;
    }
    return bdm;
  }

  /**
   * The compute side: Cinder's attachment gets the host's connector, the guest gets the disk
   * (the volume's head layer), the attachment is completed. A shelved-offloaded server has no
   * host: the attachment is completed without one, as Nova does, so the volume is `in-use`.
   */
  private async connect(
    ctx: RequestContext,
    row: ServerRow,
    bdm: BlockDeviceMappingRow,
    attachmentId: string,
    offloaded: boolean,
  ): Promise<void> {
    if (!offloaded && bdm.device_name !== null) {
      await this.d.volumes.updateAttachment(ctx, attachmentId, {
        host: this.d.host.name,
        mountpoint: bdm.device_name,
        mode: 'rw',
      });
      const head = await this.d.volumes.volumeHead(ctx, bdm.volume_id!);
      if (head !== null && row.host !== null)
        await this.d.driver.attachVolume(row.id, {
          device: bdm.device_name,
          path: this.d.layers.pathOf(head),
          readonly: false,
        });
    }
    await this.d.volumes.completeAttachment(ctx, attachmentId);
  }

  /**
   * DELETE: Nova's order of checks (volume, mapping, root, lock and state), Cinder's
   * begin_detaching (in-use to detaching, so two detaches cannot both run), then the guest lets
   * go of the disk, the attachment is deleted (`available`) and the mapping goes.
   */
  async detach(
    ctx: RequestContext,
    serverId: string,
    volumeId: string,
    shelvedAllowed: boolean,
  ): Promise<void> {
    const row = await this.serverRow(ctx, serverId);
    if (!shelvedAllowed && row.vm_state.startsWith('shelved'))
      throw invalidState('detach_volume', serverId, 'vm_state', row.vm_state);
    const volume = await this.d.volumes.getVolume(ctx, volumeId);
    const bdm = await this.mapping(row.id, serverId, volume.row.id);
    if (bdm.boot_index === 0) throw new BadRequest('Cannot detach a root device volume');
    const refused = refusal(DETACH_VOLUME, row, ctx.isAdmin);
    if (refused) throw refused;
    const offloaded = row.vm_state === 'shelved_offloaded';
    if (!offloaded || bdm.attachment_id === null)
      await this.d.volumes.beginDetaching(ctx, volume.row.id).catch((err: unknown) => {
        const e = cinderRefusal(ctx, err);
        throw e instanceof BadRequest ? new BadRequest(`Invalid volume: ${e.message}`) : e;
      });
    await this.d.db.transaction().execute((tx) => recordAction(tx, ctx, row.id, 'detach_volume'));
    const event = offloaded ? 'api_detach_volume' : 'compute_detach_volume';
    await withEvent(this.d.db, row.id, 'detach_volume', event, this.d.host.name, async () => {
      try {
        if (!offloaded && bdm.device_name !== null && row.host !== null)
          await this.d.driver.detachVolume(row.id, bdm.device_name);
        if (bdm.attachment_id !== null)
          await this.d.volumes.deleteAttachment(ctx, bdm.attachment_id).catch((err: unknown) => {
            if (!(err instanceof NotFound)) throw err;
          });
      } catch (err) {
        await this.d.volumes.rollDetaching(ctx, volume.row.id).catch(() => undefined);
        throw err;
      }
      await this.d.db.deleteFrom('block_device_mappings').where('id', '=', bdm.id).execute();
      if (bdm.delete_on_termination === 1 && offloaded)
        await this.d.volumes
          .deleteVolume(ctx, volume.row.id, { cascade: false, force: false })
          .catch(() => undefined);
    });
  }

  /** PUT: see server-volume-update.ts. */
  async update(
    ctx: RequestContext,
    serverId: string,
    volumeId: string,
    input: VolumeAttachmentUpdate,
    regularUpdate: boolean,
  ): Promise<void> {
    const row = await this.serverRow(ctx, serverId);
    await updateVolumeAttachment(this.d.db, ctx, row, volumeId, input, regularUpdate);
  }
}
