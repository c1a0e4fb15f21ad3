import fs from 'node:fs';
import path from 'node:path';
import { run } from './run.js';

/** What the guest learns from its config drive (Nova's InstanceMetadata, the parts we serve). */
export interface ConfigDriveData {
  uuid: string;
  name: string;
  hostname: string;
  /** Key pair name -> public key (OpenSSH text). */
  publicKeys: Record<string, string>;
  meta: Record<string, string>;
  /** The decoded user data, when the server has some. */
  userData: Buffer | null;
  projectId?: string;
  availabilityZone?: string;
}

/** openstack/latest/meta_data.json as Nova writes it (nova/api/metadata/base.py). */
export function metaDataJson(d: ConfigDriveData): string {
  const keys = Object.entries(d.publicKeys).map(([name, data]) => ({ name, type: 'ssh', data }));
  return JSON.stringify({
    uuid: d.uuid,
    meta: d.meta,
    public_keys: d.publicKeys,
    keys,
    hostname: d.hostname,
    name: d.name,
    launch_index: 0,
    availability_zone: d.availabilityZone ?? 'nova',
    project_id: d.projectId ?? '',
    devices: [],
  });
}

/**
 * Writes the config drive as Nova's default does: ISO 9660 with Rock Ridge and Joliet names,
 * volume label `config-2`, made by Debian's genisoimage with the options Nova's configdrive.py
 * passes. No root and no mount. The guest finds it by label.
 */
export async function writeConfigDrive(d: ConfigDriveData, out: string): Promise<void> {
  const staging = `${out}.d`;
  fs.rmSync(staging, { recursive: true, force: true });
  const latest = path.join(staging, 'openstack', 'latest');
  fs.mkdirSync(latest, { recursive: true });
  try {
    fs.writeFileSync(path.join(latest, 'meta_data.json'), metaDataJson(d));
    fs.writeFileSync(path.join(latest, 'vendor_data.json'), '{}');
    fs.writeFileSync(path.join(latest, 'vendor_data2.json'), '{}');
    if (d.userData) fs.writeFileSync(path.join(latest, 'user_data'), d.userData);
    await run('genisoimage', [
      '-o',
      out,
      '-ldots',
      '-allow-lowercase',
      '-allow-multidot',
      '-l',
      '-publisher',
      'pocketstack',
      '-quiet',
      '-J',
      '-r',
      '-V',
      'config-2',
      staging,
    ]);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
