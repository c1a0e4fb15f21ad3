// Cinder's compound operations: a volume's life (create, snapshot, delete both) and a volume's
// upload to an image. Each call and each wait for an asynchronous state is timed as its own kind.
import { uniqueName as name, type Client } from './client.js';

export const volumePath = (c: Client): string => `/volume/v3/${c.project.id}`;
const vol = volumePath;

/** POST a volume and wait until it is available; returns its id. */
async function availableVolume(c: Client, fromImage: boolean): Promise<string> {
  const body = { volume: { size: 1, name: name(c, 'vol'), imageRef: c.project.sourceImage } };
  if (!fromImage) delete (body.volume as Partial<typeof body.volume>).imageRef;
  const t0 = performance.now();
  const id = (
    await c.http.call('cinder volume create', 'POST', `${vol(c)}/volumes`, {
      token: c.project.token,
      body,
      expect: [202],
    })
  ).json.volume.id as string;
  await waitVolume(
    c,
    id,
    fromImage ? 'wait volume available (from image)' : 'wait volume available',
    'available',
    t0,
  );
  return id;
}

const waitVolume = (c: Client, id: string, kind: string, want: string, t0: number) =>
  c.http.wait(
    kind,
    'cinder volume show (poll)',
    `${vol(c)}/volumes/${id}`,
    c.project.token,
    (j) => j.volume?.status,
    want,
    t0,
  );

async function deleteVolume(c: Client, id: string): Promise<void> {
  const t0 = performance.now();
  await c.http.call('cinder volume delete', 'DELETE', `${vol(c)}/volumes/${id}`, {
    token: c.project.token,
    expect: [202],
  });
  await waitVolume(c, id, 'wait volume deleted', 'gone', t0);
}

/** A volume's life: create, snapshot, delete the snapshot, delete the volume; each wait timed. */
export async function volumeLife(c: Client): Promise<void> {
  const tok = c.project.token;
  const id = await availableVolume(c, Math.random() < 0.25);
  let t0 = performance.now();
  const snap = (
    await c.http.call('cinder snapshot create', 'POST', `${vol(c)}/snapshots`, {
      token: tok,
      body: { snapshot: { volume_id: id, name: name(c, 'snap') } },
      expect: [202],
    })
  ).json.snapshot.id as string;
  const snapPath = `${vol(c)}/snapshots/${snap}`;
  const snapStatus = (j: Record<string, any>) => j.snapshot?.status;
  const poll = 'cinder snapshot show (poll)';
  await c.http.wait('wait snapshot available', poll, snapPath, tok, snapStatus, 'available', t0);
  t0 = performance.now();
  await c.http.call('cinder snapshot delete', 'DELETE', snapPath, { token: tok, expect: [202] });
  await c.http.wait('wait snapshot deleted', poll, snapPath, tok, snapStatus, 'gone', t0);
  await deleteVolume(c, id);
}

/** A volume (from an image) uploaded to a new image; the image and the volume then go. */
export async function uploadToImage(c: Client): Promise<void> {
  const tok = c.project.token;
  const id = await availableVolume(c, true);
  const t0 = performance.now();
  const answer = await c.http.call(
    'cinder volume upload-to-image',
    'POST',
    `${vol(c)}/volumes/${id}/action`,
    {
      token: tok,
      body: {
        'os-volume_upload_image': {
          image_name: name(c, 'upload'),
          disk_format: 'raw',
          container_format: 'bare',
        },
      },
      expect: [202],
    },
  );
  const image = answer.json['os-volume_upload_image'].image_id as string;
  await c.http.wait(
    'wait image active (upload-to-image)',
    'glance image show (poll)',
    `/image/v2/images/${image}`,
    tok,
    (j) => j.status,
    'active',
    t0,
  );
  await waitVolume(c, id, 'wait volume available (after upload)', 'available', t0);
  await c.http.call('glance image delete', 'DELETE', `/image/v2/images/${image}`, {
    token: tok,
    expect: [204],
  });
  await deleteVolume(c, id);
}
