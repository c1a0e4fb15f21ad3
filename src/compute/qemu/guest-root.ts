import fs from 'node:fs';
import path from 'node:path';
import { RCS } from './guest-boot-script.js';
import {
  GUEST_USER,
  INITTAB,
  JSON_FLAT,
  POWER_BUTTON,
  RCK,
  SUDO,
  UDHCPC_SCRIPT,
} from './guest-scripts.js';
import { run } from './run.js';

/**
 * Host files the root disk copies: dropbear-bin (installed: it ships only binaries, no service).
 * busybox-static is unpacked into the cache instead (`unpackedPackage`): installing it would
 * replace Debian's busybox package on the host.
 */
export const DROPBEAR = '/usr/sbin/dropbear';

const PASSWD = `root::0:0:root:/root:/bin/sh
${GUEST_USER}:*:1000:1000:${GUEST_USER}:/home/${GUEST_USER}:/bin/sh
`;
const GROUP = `root:x:0:
${GUEST_USER}:x:1000:
`;

/** Every text file of the root disk, with its mode: also what the cache key hashes. */
export const ROOT_TEXT_FILES: ReadonlyArray<[string, string, number]> = [
  ['etc/inittab', INITTAB, 0o644],
  ['etc/init.d/rcS', RCS, 0o755],
  ['etc/init.d/rcK', RCK, 0o755],
  ['etc/udhcpc.script', UDHCPC_SCRIPT, 0o755],
  ['etc/acpi/PWRF/00000080', POWER_BUTTON, 0o755],
  ['etc/passwd', PASSWD, 0o644],
  ['etc/group', GROUP, 0o644],
  // dropbear refuses a user whose shell is not listed here.
  ['etc/shells', '/bin/sh\n/bin/ash\n', 0o644],
  ['etc/hostname', 'pocketstack\n', 0o644],
  ['etc/hosts', '127.0.0.1 localhost\n', 0o644],
  ['usr/bin/sudo', SUDO, 0o755],
  ['usr/bin/json-flat', JSON_FLAT, 0o755],
];

const DIRS = [
  'bin',
  'sbin',
  'usr/bin',
  'usr/sbin',
  'etc/init.d',
  'etc/acpi/PWRF',
  'etc/dropbear',
  'dev',
  'proc',
  'sys',
  'run',
  'tmp',
  'mnt',
  'root',
  `home/${GUEST_USER}`,
  'var/log',
  'var/lib/cloud',
];

/** The shared libraries and loader a dynamically linked program needs, as ldd finds them. */
export async function sharedLibraries(program: string): Promise<string[]> {
  const out = await run('ldd', [program]);
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.push(m[1]);
  }
  return libs;
}

function copy(from: string, root: string, to: string, mode: number): void {
  const dest = path.join(root, to);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  // The real file, not a symlink into the host (libc's soname links point at their versions).
  fs.copyFileSync(fs.realpathSync(from), dest);
  fs.chmodSync(dest, mode);
}

/**
 * Lays out the root disk's files in `root`: busybox and a link per applet, a setuid copy of
 * busybox as su (the cirros user's way to root, behind sudo), dropbear with the libraries it
 * links, and the boot scripts.
 */
export async function stageRoot(root: string, busybox: string): Promise<void> {
  for (const d of DIRS) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.chmodSync(path.join(root, 'tmp'), 0o1777);
  fs.chmodSync(path.join(root, 'root'), 0o700);
  copy(busybox, root, 'bin/busybox', 0o755);
  copy(busybox, root, 'bin/su', 0o4755);
  const applets = (await run(busybox, ['--list-full'])).split('\n').filter(Boolean);
  for (const a of applets) {
    const link = path.join(root, a);
    if (a === 'bin/su' || fs.existsSync(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync('/bin/busybox', link);
  }
  copy(DROPBEAR, root, 'usr/sbin/dropbear', 0o755);
  for (const lib of await sharedLibraries(DROPBEAR)) copy(lib, root, lib.slice(1), 0o755);
  for (const [p, text, mode] of ROOT_TEXT_FILES) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text, { mode });
    fs.chmodSync(path.join(root, p), mode);
  }
}

/** Every path under `root`, relative, folders before what they hold. */
export function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    out.push(p);
    if (e.isDirectory()) out.push(...walk(root, p));
  }
  return out;
}
