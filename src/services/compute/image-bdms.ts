import type { Image } from '../image/model.js';
import type { BdmRequest } from './server-model.js';

/**
 * The mappings a volume-backed server's snapshot image carries (`block_device_mapping`, a JSON
 * string, with `bdm_v2`): booting from the image makes a new volume from each snapshot, as
 * Nova's `_get_image_defined_bdms` does. Anything unreadable counts as no mapping.
 */
export function imageDefinedBdms(image: Image): BdmRequest[] {
  const text = Object.hasOwn(image.properties, 'block_device_mapping')
    ? image.properties['block_device_mapping']
    : undefined;
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const out: BdmRequest[] = [];
  for (const item of parsed as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const m = item as Record<string, unknown>;
    const str = (k: string): string | null => (typeof m[k] === 'string' ? (m[k] as string) : null);
    const source = str('source_type');
    if (source !== 'snapshot' && source !== 'volume' && source !== 'image' && source !== 'blank')
      continue;
    const uuid = str('snapshot_id') ?? str('volume_id') ?? str('image_id');
    const size = typeof m.volume_size === 'number' ? m.volume_size : Number(m.volume_size);
    out.push({
      sourceType: source,
      destinationType: 'volume',
      uuid,
      bootIndex: typeof m.boot_index === 'number' ? m.boot_index : null,
      volumeSize: Number.isInteger(size) && size > 0 ? size : null,
      deleteOnTermination: m.delete_on_termination === true,
      deviceName: str('device_name'),
      deviceType: str('device_type'),
      diskBus: str('disk_bus'),
      guestFormat: str('guest_format'),
      volumeType: str('volume_type'),
      tag: str('tag'),
    });
  }
  return out;
}
