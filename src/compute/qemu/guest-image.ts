import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { initramfs, type CpioEntry } from './cpio.js';
import { guestKernel, installedVersion, type UnpackedKernel } from './debian.js';
import { GUEST_MODULES, resolveModules } from './kernel-modules.js';
import { INITRAMFS_INIT } from './guest-scripts.js';
import { unpackedPackage, type UnpackedPackage } from './debian-package.js';
import { ROOT_TEXT_FILES, stageRoot, walk } from './guest-root.js';
import { run } from './run.js';

/** Bumped when the builder changes in a way the inputs' versions and texts do not show. */
const FORMAT = 1;
/** The root file system's size; the guest sees the flavor's disk size, its ext4 stays this. */
const ROOT_FS_MIB = 128;

/** The tiny guest: a kernel, an initramfs and a qcow2 root disk, in Nova's AMI style. */
export interface GuestImage {
  key: string;
  dir: string;
  kernel: string;
  initrd: string;
  disk: string;
  /** The kernel command line the root disk expects (serial console, root on the first disk). */
  cmdline: string;
  kernelRelease: string;
  kernelPackage: string;
}

export const GUEST_CMDLINE = 'console=ttyS0 root=/dev/vda rw';

async function cacheKey(kernel: UnpackedKernel, busybox: UnpackedPackage): Promise<string> {
  const h = createHash('sha256');
  h.update(JSON.stringify({ FORMAT, ROOT_FS_MIB, GUEST_CMDLINE, GUEST_MODULES }));
  h.update(`${kernel.pkg} ${kernel.version}\n`);
  h.update(`${busybox.pkg} ${busybox.version}\n`);
  for (const pkg of ['dropbear-bin', 'libc6']) {
    h.update(`${pkg} ${(await installedVersion(pkg)) ?? 'none'}\n`);
  }
  h.update(INITRAMFS_INIT);
  for (const [p, text] of ROOT_TEXT_FILES) h.update(`${p}\0${text}\0`);
  return h.digest('hex').slice(0, 16);
}

async function buildInitramfs(kernel: UnpackedKernel, busybox: string, out: string): Promise<void> {
  const modules = resolveModules(kernel.modulesDir, GUEST_MODULES);
  const entries: CpioEntry[] = [
    ...['bin', 'dev', 'proc', 'sys', 'newroot', 'modules'].map((p): CpioEntry => ({
      kind: 'dir',
      path: p,
    })),
    { kind: 'file', path: 'bin/busybox', data: fs.readFileSync(busybox), mode: 0o755 },
    { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
    { kind: 'file', path: 'init', data: Buffer.from(INITRAMFS_INIT), mode: 0o755 },
    ...modules.map((m): CpioEntry => ({
      kind: 'file',
      path: `modules/${m.name}.ko`,
      data: fs.readFileSync(m.file),
    })),
    {
      kind: 'file',
      path: 'modules/order',
      data: Buffer.from(modules.map((m) => m.name).join('\n') + '\n'),
    },
  ];
  fs.writeFileSync(out, initramfs(entries));
}

/**
 * mke2fs -d copies owners from the staging files; when we are not root they are ours, so they
 * are set to root (and the user's home to the user) inside the image with debugfs, no mount.
 */
async function ownAsRoot(raw: string, staging: string): Promise<void> {
  if (process.getuid?.() === 0) return;
  const cmds = walk(staging).flatMap((p) => {
    const id = p.startsWith('home/') ? 1000 : 0;
    return [`sif /${p} uid ${id}`, `sif /${p} gid ${id}`];
  });
  const file = `${raw}.debugfs`;
  fs.writeFileSync(file, cmds.join('\n') + '\n');
  await run('debugfs', ['-w', '-f', file, raw]);
  fs.rmSync(file);
}

async function buildDisk(dir: string, busybox: string, out: string): Promise<void> {
  const staging = path.join(dir, 'root');
  await stageRoot(staging, busybox);
  const raw = path.join(dir, 'root.raw');
  await run('mke2fs', [
    '-q',
    '-F',
    '-t',
    'ext4',
    '-L',
    'cloudimg-rootfs',
    '-d',
    staging,
    raw,
    `${ROOT_FS_MIB}M`,
  ]);
  await ownAsRoot(raw, staging);
  await run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw, out]);
  fs.rmSync(raw);
  fs.rmSync(staging, { recursive: true, force: true });
}

function describe(dir: string, key: string, kernel: UnpackedKernel): GuestImage {
  return {
    key,
    dir,
    kernel: path.join(dir, 'vmlinuz'),
    initrd: path.join(dir, 'initrd.img'),
    disk: path.join(dir, 'disk.qcow2'),
    cmdline: GUEST_CMDLINE,
    kernelRelease: kernel.release,
    kernelPackage: `${kernel.pkg} ${kernel.version}`,
  };
}

/**
 * The tiny guest image, built once per set of inputs under `<cacheDir>/images/<key>/` from
 * Debian packages only (the kernel and busybox-static .debs unpacked, the host's dropbear-bin),
 * with no root and no mount. Built in a temporary folder and renamed into place, so a reader
 * never sees half an image and two builders racing both end up with one.
 */
export async function guestImage(cacheDir: string): Promise<GuestImage> {
  const kernel = await guestKernel(cacheDir);
  const bb = await unpackedPackage(cacheDir, 'busybox-static');
  const busybox = path.join(bb.root, 'bin', 'busybox');
  const key = await cacheKey(kernel, bb);
  const imagesDir = path.join(cacheDir, 'images');
  const dir = path.join(imagesDir, key);
  if (fs.existsSync(path.join(dir, '.complete'))) return describe(dir, key, kernel);

  fs.mkdirSync(imagesDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(imagesDir, '.build-'));
  try {
    fs.copyFileSync(kernel.vmlinuz, path.join(work, 'vmlinuz'));
    await buildInitramfs(kernel, busybox, path.join(work, 'initrd.img'));
    await buildDisk(work, busybox, path.join(work, 'disk.qcow2'));
    fs.writeFileSync(path.join(work, '.complete'), `${kernel.pkg} ${kernel.version}\n`);
    try {
      fs.renameSync(work, dir);
    } catch (err) {
      // Another builder got there first with the same inputs: theirs is as good as ours.
      if (!fs.existsSync(path.join(dir, '.complete'))) throw err;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return describe(dir, key, kernel);
}
