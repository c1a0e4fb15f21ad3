/**
 * Heat's physical_resource_name: `<stack>-<resource>-<short id>`, so the name is stable for
 * the resource's life and differs between replacements.
 */
export function physicalName(stackName: string, resourceName: string, resourceId: string): string {
  return `${stackName}-${resourceName}-${shortId(resourceId)}`;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * heat/common/short_id.py: the 60 random bits of a version 4 UUID's time field, base32 in 12
 * lower-case characters.
 */
export function shortId(uuid: string): string {
  const hex = uuid.replaceAll('-', '').toLowerCase();
  const low = BigInt(`0x${hex.slice(0, 8)}`);
  const mid = BigInt(`0x${hex.slice(8, 12)}`);
  const hi = BigInt(`0x${hex.slice(12, 16)}`) & 0x0fffn;
  const time = (hi << 48n) | (mid << 32n) | low;
  let out = '';
  for (let i = 0; i < 12; i++) out += BASE32[Number((time >> BigInt(55 - i * 5)) & 31n)];
  return out;
}
