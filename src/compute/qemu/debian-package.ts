import fs from 'node:fs';
import path from 'node:path';
import { downloadDeb } from './debian.js';
import { run } from './run.js';

/** A Debian package unpacked into the cache (never installed on the host). */
export interface UnpackedPackage {
  pkg: string;
  version: string;
  /** The package's files, as they would lie under / . */
  root: string;
}

async function candidate(pkg: string): Promise<string | null> {
  try {
    const show = await run('apt-cache', ['show', '--no-all-versions', pkg]);
    return /^Version:\s*(\S+)/m.exec(show)?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * The files of `pkg` (its candidate version), fetched with apt-get download and unpacked under
 * `<cacheDir>/debs/<pkg>_<version>/` the first time. Installing busybox-static on the host would
 * replace Debian's busybox package there; unpacking changes nothing outside the cache. Without
 * apt lists, or when the mirror dropped the version the lists name, a copy already in the cache
 * is used.
 */
export async function unpackedPackage(cacheDir: string, pkg: string): Promise<UnpackedPackage> {
  const debs = path.join(cacheDir, 'debs');
  const cached = (): UnpackedPackage | null => {
    if (!fs.existsSync(debs)) return null;
    const n = fs
      .readdirSync(debs)
      .filter((x) => x.startsWith(`${pkg}_`) && fs.existsSync(path.join(debs, x, '.complete')))
      .sort()
      .pop();
    return n ? { pkg, version: n.slice(pkg.length + 1), root: path.join(debs, n) } : null;
  };
  const version = await candidate(pkg);
  if (!version) {
    const c = cached();
    if (c) return c;
    throw new Error(`cannot resolve ${pkg} with apt-cache: run apt-get update`);
  }
  const dir = path.join(debs, `${pkg}_${version}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return { pkg, version, root: dir };
  try {
    await downloadDeb(debs, dir, pkg, version);
  } catch (err) {
    const c = cached();
    if (c) return c;
    throw err;
  }
  return { pkg, version, root: dir };
}
