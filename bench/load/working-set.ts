// The working set the mixed load runs over, made through the admin and project APIs as a cloud's
// operators and users would: projects each with a member user, public and private images with
// real bytes, volumes (blank and from an image), snapshots, key pairs and extra flavors.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { token } from '../common.js';
import type { Http, Json } from './client.js';

/** One project of the load: its member's token and what it owns. */
export interface Project {
  name: string;
  id: string;
  token: string;
  /** Ids of the images it can see (its own and the public ones), for image show. */
  images: string[];
  /** Ids of its long-lived available volumes, for volume show. */
  volumes: string[];
  /** An image of its own with bytes, for volumes made from an image. */
  sourceImage: string;
}

export interface WorkingSet {
  projects: Project[];
  /** An OpenSSH public key for key pair imports (one key may back many key pairs). */
  publicKey: string;
  /** The bytes each image upload sends. */
  imageBytes: Buffer<ArrayBuffer>;
}

export const IMAGES_PER_PROJECT = 6;
export const PUBLIC_IMAGES = 3;
export const VOLUMES_PER_PROJECT = 3;
export const KEYPAIRS_PER_USER = 3;
export const EXTRA_FLAVORS = 10;

/** An ed25519 key in OpenSSH's `ssh-ed25519 <base64 blob> comment` form. */
function sshPublicKey(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const x = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const str = (b: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(x)]);
  return `ssh-ed25519 ${blob.toString('base64')} bench@mixed-load`;
}

/** POST an image, PUT its bytes; returns the id. Used by set-up and by the load alike. */
export async function imageWithBytes(
  http: Http,
  tok: string,
  name: string,
  bytes: Buffer<ArrayBuffer>,
  extra: Json = {},
): Promise<string> {
  const created = await http.call('setup', 'POST', '/image/v2/images', {
    token: tok,
    body: { name, disk_format: 'raw', container_format: 'bare', ...extra },
    expect: [201],
  });
  const id = created.json.id as string;
  await http.call('setup', 'PUT', `/image/v2/images/${id}/file`, {
    token: tok,
    bytes,
    expect: [204],
  });
  return id;
}

export async function prepare(
  http: Http,
  projects: number,
  imageBytes: Buffer<ArrayBuffer>,
): Promise<WorkingSet> {
  const admin = await token(http.url, 'admin');
  const call = (method: string, path: string, body?: unknown, expect = [200]) =>
    http.call('setup', method, path, { token: admin, body, expect });
  const adminProject = (
    await http.call('setup', 'GET', '/identity/v3/auth/tokens', {
      token: admin,
      headers: { 'x-subject-token': admin },
      expect: [200],
    })
  ).json.token.project.id as string;
  const member = (await call('GET', '/identity/v3/roles?name=member')).json.roles[0].id as string;

  for (let i = 0; i < EXTRA_FLAVORS; i++) {
    await call('POST', '/compute/v2.1/flavors', {
      flavor: { name: `bench.f${i}`, ram: 256 * (i + 1), vcpus: 1 + (i % 4), disk: i },
    });
  }
  const publicImages: string[] = [];
  for (let i = 0; i < PUBLIC_IMAGES; i++)
    publicImages.push(
      await imageWithBytes(http, admin, `bench-public-${i}`, imageBytes, { visibility: 'public' }),
    );

  const publicKey = sshPublicKey();
  const made = await Promise.all(
    Array.from({ length: projects }, async (_, i): Promise<Project> => {
      // Password and project name equal the user name, as common.ts's token() expects.
      const name = `bench${i}`;
      const id = (await call('POST', '/identity/v3/projects', { project: { name } }, [201])).json
        .project.id as string;
      const user = (
        await call(
          'POST',
          '/identity/v3/users',
          { user: { name, password: name, default_project_id: id } },
          [201],
        )
      ).json.user.id as string;
      await call(
        'PUT',
        `/identity/v3/projects/${id}/users/${user}/roles/${member}`,
        undefined,
        [204],
      );
      // Unlimited volumes, snapshots and gigabytes: the load creates them faster than it deletes.
      await call('PUT', `/volume/v3/${adminProject}/os-quota-sets/${id}`, {
        quota_set: { volumes: -1, snapshots: -1, gigabytes: -1 },
      });
      const tok = await token(http.url, name);
      return populateProject(http, { name, id, tok }, imageBytes, publicImages, publicKey);
    }),
  );
  return { projects: made, publicKey, imageBytes };
}

async function populateProject(
  http: Http,
  p: { name: string; id: string; tok: string },
  imageBytes: Buffer<ArrayBuffer>,
  publicImages: string[],
  publicKey: string,
): Promise<Project> {
  const call = (method: string, path: string, body?: unknown, expect = [200]) =>
    http.call('setup', method, path, { token: p.tok, body, expect });
  const images = [...publicImages];
  for (let i = 0; i < IMAGES_PER_PROJECT; i++)
    images.push(await imageWithBytes(http, p.tok, `${p.name}-image-${i}`, imageBytes));
  const vol = `/volume/v3/${p.id}`;
  const volumes: string[] = [];
  for (let i = 0; i < VOLUMES_PER_PROJECT; i++) {
    const body = { volume: { size: 1, name: `${p.name}-vol-${i}`, imageRef: images.at(-1) } };
    if (i === 0) delete (body.volume as Partial<typeof body.volume>).imageRef;
    const id = (await call('POST', `${vol}/volumes`, body, [202])).json.volume.id as string;
    await http.wait(
      'setup',
      'setup',
      `${vol}/volumes/${id}`,
      p.tok,
      (j) => j.volume?.status,
      'available',
      performance.now(),
    );
    volumes.push(id);
  }
  for (const [i, id] of volumes.slice(0, 2).entries()) {
    const snap = (
      await call('POST', `${vol}/snapshots`, { snapshot: { volume_id: id, name: `s${i}` } }, [202])
    ).json.snapshot.id as string;
    await http.wait(
      'setup',
      'setup',
      `${vol}/snapshots/${snap}`,
      p.tok,
      (j) => j.snapshot?.status,
      'available',
      performance.now(),
    );
  }
  for (let i = 0; i < KEYPAIRS_PER_USER; i++)
    await call('POST', '/compute/v2.1/os-keypairs', {
      keypair: { name: `${p.name}-key-${i}`, public_key: publicKey },
    });
  return {
    name: p.name,
    id: p.id,
    token: p.tok,
    images,
    volumes,
    sourceImage: images.at(-1)!,
  };
}

/** Random bytes of the given size: what every image upload of the load sends. */
export function imagePayload(kib: number): Buffer<ArrayBuffer> {
  return randomBytes(kib * 1024);
}
