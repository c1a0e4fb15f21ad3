import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RequestContext } from '../../context.js';
import type { ImageService } from '../../services/image/service.js';
import type { GuestImage } from './guest-image.js';

/** The names the tiny image goes by in Glance, as DevStack's cirros-*-uec images do. */
export const TINY_IMAGE = 'pocketstack-tiny';

/** A stable image id per (name, image build): a second start finds what the first made. */
function imageId(name: string, key: string): string {
  const h = createHash('sha256').update(`pocketstack ${name} ${key}`).digest('hex');
  // A version-4-shaped UUID (Glance checks only the shape).
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Part {
  name: string;
  file: string;
  format: string;
  container: string;
  properties?: Record<string, string>;
}

/**
 * Puts the tiny guest in Glance as DevStack puts cirros: a public kernel (aki), ramdisk (ari)
 * and a qcow2 disk whose `kernel_id` and `ramdisk_id` name them, owned by the admin project,
 * with the bytes and checksums of the build. Done once: a marker in the data directory says so;
 * before it is written, each image's stable id lets a second start finish what the first began.
 * Returns the disk image's id.
 */
export async function registerTinyImage(
  images: ImageService,
  ctx: RequestContext,
  image: GuestImage,
  o: { dataDir: string; tmpDir: string },
): Promise<string> {
  const marker = path.join(o.dataDir, 'tiny-image.json');
  try {
    return (JSON.parse(fs.readFileSync(marker, 'utf8')) as { disk: string }).disk;
  } catch {
    // Not registered yet.
  }
  const kernelId = imageId(`${TINY_IMAGE}-kernel`, image.key);
  const ramdiskId = imageId(`${TINY_IMAGE}-ramdisk`, image.key);
  const parts: Part[] = [
    { name: `${TINY_IMAGE}-kernel`, file: image.kernel, format: 'aki', container: 'aki' },
    { name: `${TINY_IMAGE}-ramdisk`, file: image.initrd, format: 'ari', container: 'ari' },
    {
      name: TINY_IMAGE,
      file: image.disk,
      format: 'qcow2',
      container: 'bare',
      properties: { kernel_id: kernelId, ramdisk_id: ramdiskId, os_command_line: image.cmdline },
    },
  ];
  const ids: string[] = [];
  for (const p of parts) {
    const id = imageId(p.name, image.key);
    ids.push(id);
    let found = await images.get(ctx, id).catch(() => null);
    found ??= await images.create(ctx, {
      id,
      name: p.name,
      visibility: 'public',
      disk_format: p.format,
      container_format: p.container,
      properties: p.properties,
    });
    if (found.row.status === 'active') continue;
    // The store adopts a file by renaming it: a copy on the data directory's file system.
    fs.mkdirSync(o.tmpDir, { recursive: true });
    const tmp = path.join(o.tmpDir, `tiny-${id}`);
    fs.copyFileSync(p.file, tmp);
    try {
      await images.data.upload(ctx, id, { file: tmp });
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const disk = ids[2]!;
  fs.writeFileSync(marker, JSON.stringify({ kernel: ids[0], ramdisk: ids[1], disk }) + '\n');
  return disk;
}
