import fs from 'node:fs';
import path from 'node:path';
import { run } from './run.js';

/**
 * The guest's kernel comes from Debian's apt repositories as a .deb that is unpacked, never
 * installed: installing a kernel package on the host would run its initramfs and boot-loader
 * hooks. `linux-image-cloud-amd64` is a metapackage; the package with the files is the one it
 * depends on (linux-image-6.1.0-N-cloud-amd64 on Debian 12).
 */
export const KERNEL_METAPACKAGE = 'linux-image-cloud-amd64';

export interface UnpackedKernel {
  /** The package that was unpacked and its version: part of the guest image's cache key. */
  pkg: string;
  version: string;
  /** The kernel release (`uname -r` in the guest), the folder under lib/modules. */
  release: string;
  vmlinuz: string;
  /** Where lib/modules/<release>/ lies. */
  modulesDir: string;
  config: string;
}

/** The installed version of a host package, or null when it is not installed. */
export async function installedVersion(pkg: string): Promise<string | null> {
  try {
    const out = await run('dpkg-query', ['-W', '-f=${Version}', pkg]);
    return out.trim() || null;
  } catch {
    return null;
  }
}

/** The real kernel package behind the metapackage, and its candidate version; null offline. */
async function resolveKernel(): Promise<{ pkg: string; version: string } | null> {
  try {
    const deps = await run('apt-cache', ['depends', KERNEL_METAPACKAGE]);
    const pkg = /Depends:\s*(linux-image-[0-9][^\s]*)/.exec(deps)?.[1];
    if (!pkg) return null;
    const show = await run('apt-cache', ['show', '--no-all-versions', pkg]);
    const version = /^Version:\s*(\S+)/m.exec(show)?.[1];
    return version ? { pkg, version } : null;
  } catch {
    return null;
  }
}

function describe(dir: string, pkg: string, version: string): UnpackedKernel {
  const modulesRoot = path.join(dir, 'lib', 'modules');
  const release = fs.readdirSync(modulesRoot)[0];
  if (!release) throw new Error(`${pkg} ${version} has no lib/modules`);
  return {
    pkg,
    version,
    release,
    vmlinuz: path.join(dir, 'boot', `vmlinuz-${release}`),
    modulesDir: path.join(modulesRoot, release),
    config: path.join(dir, 'boot', `config-${release}`),
  };
}

/** Kernels already unpacked in the cache, newest first (by folder time). */
function cachedKernels(kernelsDir: string): UnpackedKernel[] {
  if (!fs.existsSync(kernelsDir)) return [];
  return fs
    .readdirSync(kernelsDir)
    .filter((n) => fs.existsSync(path.join(kernelsDir, n, '.complete')))
    .map((n) => ({ n, t: fs.statSync(path.join(kernelsDir, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .map(({ n }) => {
      const [pkg = '', version = ''] = n.split('_');
      return describe(path.join(kernelsDir, n), pkg, version);
    });
}

/**
 * The guest kernel, unpacked under `<cacheDir>/kernels/<pkg>_<version>/`: downloaded with
 * `apt-get download` (no root needed) the first time, then reused. Without apt lists (offline,
 * or before `apt-get update`) a kernel already in the cache is used.
 */
export async function guestKernel(cacheDir: string): Promise<UnpackedKernel> {
  const kernelsDir = path.join(cacheDir, 'kernels');
  const wanted = await resolveKernel();
  if (!wanted) {
    const cached = cachedKernels(kernelsDir)[0];
    if (cached) return cached;
    throw new Error(
      `cannot resolve ${KERNEL_METAPACKAGE} with apt-cache: run apt-get update (Debian 12's apt ` +
        'lists are needed once to download the guest kernel)',
    );
  }
  const dir = path.join(kernelsDir, `${wanted.pkg}_${wanted.version}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return describe(dir, wanted.pkg, wanted.version);

  try {
    return await download(kernelsDir, dir, wanted.pkg, wanted.version);
  } catch (err) {
    // Stale apt lists name a version the mirror no longer has: a kernel we have still boots.
    const cached = cachedKernels(kernelsDir)[0];
    if (cached) return cached;
    throw err;
  }
}

async function download(
  kernelsDir: string,
  dir: string,
  pkg: string,
  version: string,
): Promise<UnpackedKernel> {
  await downloadDeb(kernelsDir, dir, pkg, version);
  return describe(dir, pkg, version);
}

/**
 * Fetches `pkg=version` with `apt-get download` (no root needed) and unpacks it with
 * `dpkg-deb -x` into `dir` (under `parent`), never installing it: nothing on the host changes.
 * Unpacked in a temporary folder and renamed into place, with a `.complete` marker.
 */
export async function downloadDeb(
  parent: string,
  dir: string,
  pkg: string,
  version: string,
): Promise<void> {
  fs.mkdirSync(parent, { recursive: true });
  const work = fs.mkdtempSync(path.join(parent, '.download-'));
  try {
    // As root, apt drops to the _apt user to download and warns when that user cannot write the
    // folder; the folder is ours, so download as ourselves.
    const sandbox = process.getuid?.() === 0 ? ['-o', 'APT::Sandbox::User=root'] : [];
    await run('apt-get', [...sandbox, '-qq', 'download', `${pkg}=${version}`], {
      cwd: work,
      timeoutMs: 600_000,
    });
    const deb = fs.readdirSync(work).find((n) => n.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} left no .deb`);
    const unpacked = path.join(work, 'root');
    await run('dpkg-deb', ['-x', path.join(work, deb), unpacked], { timeoutMs: 300_000 });
    fs.writeFileSync(path.join(unpacked, '.complete'), `${pkg} ${version}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(unpacked, dir);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
