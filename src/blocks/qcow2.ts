/** Bytes of an image file needed to read its virtual size from the header. */
export const HEADER_BYTES = 512;

export const QCOW2_MAGIC = 0x514649fb; // "QFI\xfb"
/** Header extension that names the backing file's format. */
export const EXT_BACKING_FORMAT = 0xe2792aca;
/** qemu's own limit on a backing file name. */
export const MAX_BACKING_NAME = 1023;

/**
 * The disk size a guest sees, as Glance's format inspector reports it: the qcow2 header's size
 * field (big-endian u64 at offset 24), or the file size for raw. Null when the data does not
 * parse as the declared format, as Glance leaves it then.
 */
export function virtualSize(
  diskFormat: string | null,
  head: Buffer,
  fileSize: number,
): number | null {
  if (diskFormat === 'raw') return fileSize;
  if (diskFormat === 'qcow2') {
    if (head.length < 32 || head.readUInt32BE(0) !== QCOW2_MAGIC) return null;
    const version = head.readUInt32BE(4);
    if (version !== 2 && version !== 3) return null;
    const size = head.readBigUInt64BE(24);
    return size > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(size);
  }
  return null;
}
