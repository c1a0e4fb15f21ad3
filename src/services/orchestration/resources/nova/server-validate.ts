import { NotFound } from '../../../../errors.js';
import { HeatFault, validationFailed } from '../../errors.js';
import type { Props, ResourceContext } from '../types.js';
import { findFlavor, findImage } from './finders.js';

type Body = Record<string, unknown>;
const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const list = (v: unknown): Body[] => (Array.isArray(v) ? (v as Body[]) : []);
const given = (v: unknown): boolean => v !== undefined && v !== null;

const conflict = (...props: string[]) =>
  new HeatFault(
    'ResourcePropertyConflict',
    `Cannot define the following properties at the same time: ${props.join(', ')}.`,
  );

/** server.py `_validate_block_device_mapping`, with Heat's texts. */
function validateBdms(rc: ResourceContext, props: Props): void {
  const bdm = list(props.block_device_mapping);
  const v2 = list(props.block_device_mapping_v2);
  if (bdm.length > 0 && v2.length > 0)
    throw conflict('block_device_mapping', 'block_device_mapping_v2');
  let bootable = s(props.image) !== null;
  for (const m of bdm) {
    if (m.device_name === 'vda') bootable = true;
    const vol = m.volume_id ?? null;
    const snap = m.snapshot_id ?? null;
    if (vol !== null && snap !== null) throw conflict('volume_id', 'snapshot_id');
    if (vol === null && snap === null)
      throw validationFailed(
        `Either volume_id or snapshot_id must be specified for device mapping ${String(m.device_name)}`,
      );
  }
  const sources = [s(props.image)];
  for (const m of v2) {
    const set = [
      m.volume_id,
      m.snapshot_id,
      m.image,
      m.swap_size,
      m.ephemeral_size ?? m.ephemeral_format,
    ];
    const given = set.filter((x) => x !== undefined && x !== null).length;
    if (given > 1)
      throw conflict(
        'volume_id',
        'snapshot_id',
        'image',
        'swap_size',
        'ephemeral_size',
        'ephemeral_format',
      );
    if (given === 0)
      throw validationFailed(
        'Either volume_id, snapshot_id, image_id, swap_size, ephemeral_size or ephemeral_format must be specified.',
      );
    const boot = m.boot_index ?? null;
    if ((m.volume_id ?? m.snapshot_id ?? m.image) != null && (boot === null || boot === 0)) {
      bootable = true;
      sources.push(s(m.volume_id), s(m.snapshot_id), s(m.image));
    }
  }
  if (!bootable)
    throw validationFailed(
      `Neither image nor bootable volume is specified for instance ${rc.resourceName}`,
    );
  if (v2.length > 0 && sources.filter((x) => x !== null).length !== 1)
    throw validationFailed(`Multiple bootable sources for instance ${rc.resourceName}.`);
}

/** server_network_mixin.py `_validate_network` and server.py's checks of `networks`. */
function validateNetworks(rc: ResourceContext, props: Props): void {
  const nets = list(props.networks);
  for (const net of nets) {
    const alloc = net.allocate_network;
    if (!given(net.network) && !given(net.port) && !given(net.subnet) && !alloc)
      throw validationFailed(
        `One of the properties "network", "port", "allocate_network" or "subnet" should be set for the specified network of server "${rc.resourceName}".`,
      );
    if (alloc && Object.values(net).filter(given).length !== 1)
      throw validationFailed(
        'Can not specify "allocate_network" with other keys of networks at the same time.',
      );
    if (net.fixed_ip && given(net.port)) throw conflict('networks/fixed_ip', 'networks/port');
    if (given(net.floating_ip) && given(net.network) && !given(net.port) && !given(net.subnet))
      throw validationFailed(
        'Property "floating_ip" is not supported if only "network" is specified, because the corresponding port can not be retrieved.',
      );
  }
  if (nets.some((n) => n.allocate_network) && nets.length !== 1)
    throw validationFailed(
      'Property "allocate_network" can not be specified if multiple network interfaces set for server.',
    );
  const groups = Array.isArray(props.security_groups) ? props.security_groups : [];
  if (nets.some((n) => given(n.port)) && groups.length > 0)
    throw conflict('security_groups', 'networks/port');
}

/** server.py `_validate_image_flavor`: only what exists already (the rest may be made later). */
async function validateImageFlavor(rc: ResourceContext, image: string, flavor: string) {
  let imageId: string;
  let flavorId: string;
  try {
    imageId = await findImage(rc.services, rc.ctx, image);
    flavorId = await findFlavor(rc.services, rc.ctx, flavor);
  } catch (err) {
    if (err instanceof HeatFault || err instanceof NotFound) return;
    throw err;
  }
  const img = (await rc.services.images.get(rc.ctx, imageId)).row;
  const flv = (await rc.services.compute.getFlavor(rc.ctx, flavorId)).row;
  if (img.status.toLowerCase() !== 'active')
    throw validationFailed(`Image status is required to be active not ${img.status}.`);
  if (flv.memory_mb < img.min_ram)
    throw validationFailed(
      `Image ${image} requires ${img.min_ram} minimum ram. Flavor ${flavor} has only ${flv.memory_mb}.`,
    );
  if (flv.root_gb < img.min_disk)
    throw validationFailed(
      `Image ${image} requires ${img.min_disk} GB minimum disk space. Flavor ${flavor} has only ${flv.root_gb} GB.`,
    );
}

/** server.py `validate`, as far as pocketstack's Nova (2.93) makes it apply. */
export async function validateServer(rc: ResourceContext, props: Props): Promise<void> {
  validateBdms(rc, props);
  const image = s(props.image);
  if (image !== null && s(props.flavor) !== null)
    await validateImageFlavor(rc, image, s(props.flavor)!);
  validateNetworks(rc, props);
  const personality = props.personality;
  if (personality && typeof personality === 'object' && Object.keys(personality).length > 0)
    throw validationFailed(
      'Cannot use the personality parameter as nova no longer supports it. Use user_data instead.',
    );
}
