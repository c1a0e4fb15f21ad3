import { boolFromString } from '../../../../http/input.js';
import type { BdmRequest, NetworkRequest, NewServer } from '../../../compute/server-model.js';
import { validationFailed } from '../../errors.js';
import type { Props, ResourceContext } from '../types.js';
import { findFlavor, findImage, findNetwork } from './finders.js';
import { createInternalPort } from './internal-ports.js';
import { buildUserData } from './user-data.js';

type Body = Record<string, unknown>;
const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const n = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const list = (v: unknown): Body[] => (Array.isArray(v) ? (v as Body[]) : []);

/** The name Nova gets: the `name` property, else the physical name (server_base.py). */
export const serverName = (rc: ResourceContext, props: Props): string =>
  s(props.name) ?? rc.physicalName();

const bdmBase = (m: Body): Pick<BdmRequest, 'deviceType' | 'diskBus' | 'volumeType' | 'tag'> => ({
  deviceType: s(m.device_type),
  diskBus: s(m.disk_bus),
  volumeType: null,
  tag: null,
});

/**
 * server.py `_build_block_device_mapping`: novaclient sends `{device: "id:snap:size:delete"}`
 * as Nova's legacy mapping, which Nova reads as a volume made from the snapshot (or the volume
 * itself), the root one when the device is vda.
 */
function legacyBdms(bdm: Body[]): BdmRequest[] {
  return bdm.map((m, i) => {
    const device = s(m.device_name);
    const snap = s(m.snapshot_id);
    return {
      sourceType: snap !== null ? 'snapshot' : 'volume',
      destinationType: 'volume',
      uuid: snap ?? s(m.volume_id),
      bootIndex: (device !== null && /^(\/dev\/)?[a-z]*da$/.test(device)) || i === 0 ? 0 : null,
      volumeSize: n(m.volume_size) || null,
      // A boolean once the engine applied the schema; a word ("false") read as oslo reads it.
      deleteOnTermination: boolFromString(m.delete_on_termination) ?? false,
      deviceName: device,
      guestFormat: null,
      ...bdmBase({}),
    };
  });
}

/** server.py `_build_block_device_mapping_v2`, images already found by name or id. */
async function v2Bdms(rc: ResourceContext, v2: Body[]): Promise<BdmRequest[]> {
  const out: BdmRequest[] = [];
  for (const m of v2) {
    let b: Omit<BdmRequest, 'deviceName' | 'deviceType' | 'diskBus' | 'volumeType' | 'tag'>;
    const volume = { destinationType: 'volume' as const, bootIndex: 0, deleteOnTermination: false };
    if (s(m.volume_id))
      b = {
        ...volume,
        sourceType: 'volume',
        uuid: s(m.volume_id),
        volumeSize: null,
        guestFormat: null,
      };
    else if (s(m.snapshot_id))
      b = {
        ...volume,
        sourceType: 'snapshot',
        uuid: s(m.snapshot_id),
        volumeSize: null,
        guestFormat: null,
      };
    else if (s(m.image))
      b = {
        ...volume,
        sourceType: 'image',
        uuid: await findImage(rc.services, rc.ctx, s(m.image)!),
        volumeSize: null,
        guestFormat: null,
      };
    else if (n(m.swap_size))
      b = {
        sourceType: 'blank',
        destinationType: 'local',
        uuid: null,
        bootIndex: -1,
        deleteOnTermination: true,
        guestFormat: 'swap',
        volumeSize: n(m.swap_size),
      };
    else
      b = {
        sourceType: 'blank',
        destinationType: 'local',
        uuid: null,
        bootIndex: -1,
        deleteOnTermination: true,
        guestFormat: s(m.ephemeral_format),
        volumeSize: n(m.ephemeral_size),
      };
    if (n(m.boot_index) !== null) b.bootIndex = n(m.boot_index);
    if (n(m.volume_size) !== null) b.volumeSize = n(m.volume_size);
    const del = boolFromString(m.delete_on_termination);
    if (del !== null) b.deleteOnTermination = del;
    out.push({ ...b, deviceName: s(m.device_name), ...bdmBase(m) });
  }
  return out;
}

/** server_network_mixin.py `_build_nics` for ports and networks (names found as Heat does). */
async function nics(
  rc: ResourceContext,
  nets: Body[],
  groups: string[],
): Promise<NewServer['networks']> {
  if (nets.length === 0) return undefined;
  const alloc = s(nets[0]!.allocate_network);
  if (nets.length === 1 && alloc !== null) return alloc as 'auto' | 'none';
  const out: NetworkRequest[] = [];
  for (const [index, net] of nets.entries()) {
    const r: NetworkRequest = {};
    const subnet = s(net.subnet);
    if (s(net.port)) r.port = s(net.port)!;
    else if (subnet !== null) {
      const subnetNet = (await rc.services.network.subnets.get(rc.ctx, subnet)).network_id;
      const network = s(net.network)
        ? await findNetwork(rc.services, rc.ctx, s(net.network)!)
        : subnetNet;
      // server_network_mixin.py _validate_belonging_subnet_to_net.
      if (network !== subnetNet)
        throw validationFailed(
          `Specified subnet ${subnet} does not belongs to network ${network}.`,
        );
      r.port = await createInternalPort(rc, index, network, subnet, s(net.fixed_ip), groups);
    } else {
      if (s(net.network)) r.uuid = await findNetwork(rc.services, rc.ctx, s(net.network)!);
      if (s(net.fixed_ip)) r.fixedIp = s(net.fixed_ip)!;
    }
    if (s(net.tag)) r.tag = s(net.tag)!;
    // _build_nics: a floating IP named with a port is pointed at it before the boot.
    if (s(net.floating_ip) && r.port !== undefined)
      await rc.services.network.floatingIps.update(rc.ctx, s(net.floating_ip)!, {
        port_id: r.port,
        ...(s(net.fixed_ip) ? { fixed_ip_address: s(net.fixed_ip) } : {}),
      });
    out.push(r);
  }
  return out;
}

/** nova.py `meta_serialize`: strings as they are, anything else as JSON. */
export function metaSerialize(meta: unknown): Record<string, string> {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta))
    throw validationFailed('nova server metadata needs to be a Map.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

/** The user data Nova gets (base64, as its API takes it); '' is none. */
function userData(props: Props): string | null {
  const text = typeof props.user_data === 'string' ? props.user_data : '';
  const format = typeof props.user_data_format === 'string' ? props.user_data_format : 'RAW';
  const data = buildUserData(text, format);
  return data === '' ? null : Buffer.from(data, 'utf8').toString('base64');
}

/** server.py `handle_create`'s servers.create call, as the compute domain's input. */
export async function newServer(rc: ResourceContext, props: Props): Promise<NewServer> {
  const image = s(props.image);
  const groups = (Array.isArray(props.security_groups) ? props.security_groups : []).map(String);
  const hints = (props.scheduler_hints ?? {}) as Body;
  return {
    name: serverName(rc, props),
    flavorRef: await findFlavor(rc.services, rc.ctx, String(props.flavor)),
    imageRef: image === null ? '' : await findImage(rc.services, rc.ctx, image),
    networks: await nics(rc, list(props.networks), groups),
    keyName: s(props.key_name),
    securityGroups: groups,
    userData: userData(props),
    metadata: metaSerialize(props.metadata ?? {}),
    availabilityZone: s(props.availability_zone),
    configDrive: props.config_drive === true,
    adminPass: s(props.admin_pass),
    description: undefined,
    tags: [],
    minCount: 1,
    maxCount: 1,
    bdms: [
      ...legacyBdms(list(props.block_device_mapping)),
      ...(await v2Bdms(rc, list(props.block_device_mapping_v2))),
    ],
    accessIPv4: null,
    accessIPv6: null,
    hostname: null,
    group: typeof hints.group === 'string' ? hints.group : null,
    returnReservationId: false,
  };
}
