import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import type { Db } from '../../store/db.js';
import type { BlockDeviceMappingRow, ServerRow } from '../../store/compute-schema.js';
import type { TaskRunner } from '../../tasks/runner.js';
import { isoNow } from '../../util.js';
import type { Image } from '../image/model.js';
import type { ImageService } from '../image/service.js';
import type { NetworkService } from '../network/service.js';
import type { VolumeService } from '../volume/service.js';
import type { Flavors, Flavor } from './flavors.js';
import type { KeyPairs } from './keypairs.js';
import { recordAction } from './instance-actions.js';
import { checkServerQuota } from './server-quota.js';
import type { ComputeQuotas } from './quotas.js';
import { checkBdms, resolveGroups, resolveNetworks, type ResolvedNic } from './server-requests.js';
import type {
  BdmRequest,
  CreatedServers,
  EmbeddedFlavor,
  ImageMeta,
  NewServer,
} from './server-model.js';
import type { ServerRows } from './server-rows.js';
import { imageDefinedBdms } from './image-bdms.js';
import { checkGroupHint, checkGroupMembers } from './server-groups.js';
import { SERVER_COLUMNS } from './server-page.js';

const GiB = 1024 ** 3;

export interface CreateDeps {
  db: Db;
  rows: ServerRows;
  flavors: Flavors;
  keypairs: KeyPairs;
  quotas: ComputeQuotas;
  images: ImageService;
  volumes: VolumeService;
  network: NetworkService;
  tasks: TaskRunner;
  availabilityZone: string;
}

/** The last path segment of a reference that may be a URL (Nova takes both). */
function refId(ref: string): string {
  const parts = ref.split('/');
  return parts[parts.length - 1] ?? '';
}

/** A hostname from a display name, as Nova sanitizes it (RFC 952/1123, at most 63 chars). */
export function hostnameOf(name: string): string {
  const h = name
    .toLowerCase()
    .replace(/[ _.]/g, '-')
    .replace(/[^\w-]+/g, '')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return h === '' ? 'server' : h;
}

/**
 * POST /servers: Nova's API-side checks in its order (flavor, image, key pair, networks,
 * security groups, block devices, quota), then the rows and one build task per server in one
 * transaction. Building happens in the task (server-build.ts).
 */
export async function createServers(
  d: CreateDeps,
  ctx: RequestContext,
  input: NewServer,
): Promise<CreatedServers> {
  const projectId = ctx.projectId ?? '';
  let flavor: Flavor;
  try {
    flavor = await d.flavors.get(ctx, refId(input.flavorRef));
  } catch (err) {
    if (err instanceof NotFound) throw new BadRequest(err.message);
    throw err;
  }
  if (flavor.row.disabled) throw new BadRequest(`Flavor ${flavor.row.id} could not be found.`);

  let image: Image | undefined;
  const imageRef = refId(input.imageRef);
  let bdms = input.bdms;
  if (imageRef !== '') {
    try {
      image = await d.images.get(ctx, imageRef);
    } catch (err) {
      if (err instanceof NotFound) throw new BadRequest('Can not find requested image');
      throw err;
    }
    if (image.row.status !== 'active') throw new BadRequest(`Image ${image.row.id} is not active.`);
    // A volume-backed server's snapshot: its mappings make new volumes from its snapshots.
    const defined = imageDefinedBdms(image);
    if (
      defined.length > 0 &&
      !bdms.some((b) => b.bootIndex === 0 && b.destinationType === 'volume')
    )
      bdms = [...defined, ...bdms.filter((b) => !(b.bootIndex === 0 && b.sourceType === 'image'))];
  }
  const root = bdms.find((b) => b.bootIndex === 0);
  const volumeBacked = root !== undefined && root.destinationType === 'volume';
  if (image && !volumeBacked) checkImageFitsFlavor(ctx, image, flavor);

  if (input.keyName !== null) {
    try {
      await d.keypairs.get(ctx.userId, input.keyName);
    } catch (err) {
      if (err instanceof NotFound) throw new BadRequest('Invalid key_name provided.');
      throw err;
    }
  }
  const nics = await resolveNetworks(ctx, d.network, input.networks, input.maxCount);
  // 'default' is never looked up: a port made without groups gets the project's default.
  const groupNames = [...new Set(input.securityGroups)].filter((g) => g !== 'default');
  const groups = await resolveGroups(ctx, d.network, groupNames);
  await checkBdms(ctx, d.volumes, bdms, image !== undefined);
  if (input.group !== null) await checkGroupHint(d.db, ctx, input.group);

  const embedded: EmbeddedFlavor = {
    id: flavor.row.id,
    name: flavor.row.name,
    ram: flavor.row.memory_mb,
    vcpus: flavor.row.vcpus,
    disk: flavor.row.root_gb,
    ephemeral: flavor.row.ephemeral_gb,
    swap: flavor.row.swap,
    rxtx_factor: flavor.row.rxtx_factor,
    description: flavor.row.description,
    extra_specs: flavor.extraSpecs,
  };
  const meta: ImageMeta | null = image ? imageMetaOf(image) : null;
  const reservationId = `r-${randomBytes(4).toString('hex').slice(0, 8)}`;
  const adminPass = input.adminPass ?? randomBytes(9).toString('base64url').slice(0, 12);

  const limits = await d.quotas.limits(projectId);
  const items = Object.keys(input.metadata).length;
  if (limits.metadata_items >= 0 && items > limits.metadata_items)
    throw new Forbidden(`Maximum number of metadata items exceeds ${limits.metadata_items}`);
  const keyData =
    input.keyName === null ? null : (await d.keypairs.get(ctx.userId, input.keyName)).public_key;
  // Only `tx` inside: the embedded database's one connection belongs to the transaction.
  const ids = await d.db.transaction().execute(async (tx) => {
    const count = await checkServerQuota(tx, limits, ctx, embedded, input.minCount, input.maxCount);
    if (input.group !== null)
      await checkGroupMembers(tx, input.group, limits.server_group_members, count);
    const made: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = count > 1 ? `${input.name}-${i + 1}` : input.name;
      const id = randomUUID();
      const now = isoNow();
      const row: ServerRow = {
        id,
        project_id: projectId,
        user_id: ctx.userId,
        name,
        // Before 2.19 there is no description, and Nova stores the name in it.
        description: input.description === undefined ? name : input.description,
        hostname: input.hostname ?? hostnameOf(name),
        vm_state: 'building',
        task_state: 'scheduling',
        power_state: 0,
        flavor_id: flavor.row.id,
        flavor: JSON.stringify(embedded),
        vcpus: embedded.vcpus,
        memory_mb: embedded.ram,
        image_id: image && !volumeBacked ? image.row.id : '',
        image_meta: JSON.stringify(meta),
        system_metadata: JSON.stringify({
          owner_user_name: ctx.userName,
          owner_project_name: ctx.projectName ?? '',
          boot_roles: ctx.roles.join(','),
        }),
        root_layer: null,
        key_name: input.keyName,
        key_data: keyData,
        user_data: input.userData,
        config_drive: input.configDrive ? 'True' : '',
        availability_zone: input.availabilityZone ?? d.availabilityZone,
        access_ip_v4: input.accessIPv4 ?? '',
        access_ip_v6: input.accessIPv6 ?? '',
        host: null,
        locked: 0,
        locked_by: null,
        locked_reason: null,
        progress: 0,
        fault: null,
        reservation_id: reservationId,
        launch_index: i,
        root_device_name: '/dev/vda',
        launched_at: null,
        terminated_at: null,
        created_at: now,
        updated_at: now,
      };
      await tx.insertInto('servers').values(row).execute();
      for (const [key, value] of Object.entries(input.metadata))
        await tx.insertInto('server_metadata').values({ server_id: id, key, value }).execute();
      for (const tag of new Set(input.tags))
        await tx.insertInto('server_tags').values({ server_id: id, tag }).execute();
      const rootImage: BdmRequest[] =
        image && !volumeBacked && !bdms.some((b) => b.bootIndex === 0)
          ? [localRoot(image.row.id)]
          : [];
      for (const b of [...rootImage, ...bdms])
        await tx
          .insertInto('block_device_mappings')
          .values(bdmRow(id, b, now))
          .execute();
      if (input.group !== null)
        await tx
          .insertInto('server_group_members')
          .values({ group_id: input.group, server_id: id })
          .execute();
      await recordAction(tx, ctx, id, 'create');
      await d.tasks.enqueue(tx, 'server.build', id, {
        roles: ctx.roles,
        nics: nics.map(plainNic),
        securityGroups: groups,
      });
      made.push(id);
    }
    return made;
  });
  d.tasks.kick();
  const rows = await d.db
    .selectFrom('servers')
    .select(SERVER_COLUMNS)
    .where('id', 'in', ids)
    .execute();
  rows.sort((a, b) => a.launch_index - b.launch_index);
  return {
    servers: await d.rows.load(rows),
    adminPass,
    reservationId,
    securityGroups: input.securityGroups.length > 0 ? input.securityGroups : ['default'],
  };
}

function plainNic(n: ResolvedNic): {
  kind: ResolvedNic['kind'];
  networkId?: string;
  portId?: string;
  fixedIp?: string;
  tag?: string;
} {
  return { ...n };
}

function localRoot(imageId: string): BdmRequest {
  return {
    sourceType: 'image',
    destinationType: 'local',
    uuid: imageId,
    bootIndex: 0,
    volumeSize: null,
    deleteOnTermination: true,
    deviceName: null,
    deviceType: 'disk',
    diskBus: null,
    guestFormat: null,
    volumeType: null,
    tag: null,
  };
}

function bdmRow(serverId: string, b: BdmRequest, now: string): BlockDeviceMappingRow {
  return {
    id: randomUUID(),
    server_id: serverId,
    boot_index: b.bootIndex,
    source_type: b.sourceType,
    destination_type: b.destinationType,
    device_name: b.deviceName,
    device_type: b.deviceType,
    disk_bus: b.diskBus,
    guest_format: b.guestFormat,
    volume_id: b.sourceType === 'volume' ? b.uuid : null,
    snapshot_id: b.sourceType === 'snapshot' ? b.uuid : null,
    image_id: b.sourceType === 'image' ? b.uuid : null,
    volume_size: b.volumeSize,
    volume_type: b.volumeType,
    delete_on_termination: b.deleteOnTermination ? 1 : 0,
    tag: b.tag,
    attachment_id: null,
    created_at: now,
  };
}

/** What Nova copies of the base image into the instance's system metadata. */
export function imageMetaOf(image: Image): ImageMeta {
  return {
    id: image.row.id,
    name: image.row.name,
    min_ram: image.row.min_ram,
    min_disk: image.row.min_disk,
    disk_format: image.row.disk_format,
    container_format: image.row.container_format,
    size: image.row.size,
    properties: { ...image.properties },
  };
}

/** Nova's `_check_requested_image`: the flavor holds the image and meets its minimums. */
function checkImageFitsFlavor(ctx: RequestContext, image: Image, flavor: Flavor): void {
  const diskBytes = flavor.row.root_gb * GiB;
  if (flavor.row.memory_mb < image.row.min_ram)
    throw new BadRequest("Flavor's memory is too small for requested image.");
  if (flavor.row.root_gb === 0) {
    if (!ctx.isAdmin)
      throw new Forbidden('Only volume-backed servers are allowed for flavors with zero disk.');
    return;
  }
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
