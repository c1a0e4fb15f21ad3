import fs from 'node:fs';
import path from 'node:path';

/**
 * The modules the guest needs that Debian's cloud kernel builds as modules (its
 * boot/config-*: EXT4_FS, SERIAL_8250, UNIX, PACKET and DEVTMPFS are built in, virtio is not):
 * virtio disks and network, the IDE CD-ROM the config drive is on (as Nova's libvirt driver
 * attaches it on x86) and its ISO 9660 file system, and the ACPI power button with evdev so that
 * QMP's system_powerdown reaches the guest's acpid.
 */
export const GUEST_MODULES = [
  'virtio_pci',
  'virtio_blk',
  'virtio_net',
  'ata_piix',
  'sr_mod',
  'isofs',
  'button',
  'evdev',
];

function normal(name: string): string {
  return name.replace(/-/g, '_');
}

/** Every .ko under the release's kernel/ folder, by module name. */
function moduleFiles(modulesDir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ko')) found.set(normal(e.name.slice(0, -3)), p);
    }
  };
  walk(path.join(modulesDir, 'kernel'));
  return found;
}

/**
 * A module's `depends=` from its .modinfo section. The .deb carries no modules.dep (depmod runs
 * at install, which we never do), so the dependencies are read from the modules themselves.
 */
export function moduleDepends(ko: Buffer): string[] {
  const at = ko.indexOf('\0depends=');
  if (at < 0) return [];
  const end = ko.indexOf(0, at + 1);
  const list = ko.toString('latin1', at + 9, end);
  return list ? list.split(',').map(normal) : [];
}

export interface GuestModule {
  name: string;
  file: string;
}

/** The modules asked for and all they depend on, each after its dependencies (insmod order). */
export function resolveModules(modulesDir: string, wanted: readonly string[]): GuestModule[] {
  const files = moduleFiles(modulesDir);
  const ordered: GuestModule[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const file = files.get(name);
    if (!file) throw new Error(`kernel module ${name} not found under ${modulesDir}`);
    for (const dep of moduleDepends(fs.readFileSync(file))) visit(dep);
    ordered.push({ name, file });
  };
  for (const w of wanted) visit(normal(w));
  return ordered;
}
