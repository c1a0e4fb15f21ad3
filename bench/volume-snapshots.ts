// Volume snapshots are O(1): snapshot create -> available and volume-from-snapshot -> available
// for a 1 GiB and a 100 GiB volume, each holding 1 GiB of data, against `cp` of that data and a
// bare `qemu-img create -b` overlay measured in the same run. Also volume from a 1 GiB raw image
// and upload of a 1 GiB volume to an image, against `cp` of the same data.
//
// The data: each volume is created from a 1 GiB raw image of random bytes, so reading it back
// returns 1 GiB of data through its layer chain (there is no guest to write with before compute).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  envInt,
  fix,
  machineNote,
  median,
  removeDir,
  startPocketstack,
  tempDir,
  token,
  randomRawImage,
} from './common.js';

const ROUNDS = envInt('BENCH_ROUNDS', 3);
const DATA_MIB = envInt('BENCH_IMAGE_MIB', 1024);

type Json = Record<string, any>;

async function api(
  url: string,
  tok: string,
  method: string,
  p: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<Json> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: {
      'x-auth-token': tok,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...extra,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? (JSON.parse(text) as Json) : {};
}

/** Polls a resource until its status is `want`; returns the elapsed milliseconds since `t0`. */
async function until(get: () => Promise<string>, want: string, t0: number): Promise<number> {
  for (;;) {
    const status = await get();
    if (status === want) return performance.now() - t0;
    if (status.startsWith('error') || status === 'killed') throw new Error(`went to ${status}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

function timeCommand(cmd: string, args: string[]): number {
  const t0 = performance.now();
  execFileSync(cmd, args, { stdio: 'ignore' });
  return performance.now() - t0;
}

async function main(): Promise<void> {
  console.log(
    `volume-snapshots: ${DATA_MIB} MiB of data per volume, ${ROUNDS} rounds, median reported (${await machineNote()})`,
  );
  const dir = tempDir('bench-vol-');
  const server = await startPocketstack(path.join(dir, 'data'), { POCKETSTACK_LOG_LEVEL: 'warn' });
  try {
    const url = server.url;
    const demo = await token(url, 'demo');
    const admin = await token(url, 'admin');
    const project = (
      await api(url, demo, 'GET', '/identity/v3/auth/tokens', undefined, {
        'x-subject-token': demo,
      })
    ).token.project.id as string;
    const vol = `/volume/v3/${project}`;
    const adminProject = (
      await api(url, admin, 'GET', '/identity/v3/auth/tokens', undefined, {
        'x-subject-token': admin,
      })
    ).token.project.id as string;
    // Cinder's URL names the caller's own project; the quota set named is the demo project's.
    await api(url, admin, 'PUT', `/volume/v3/${adminProject}/os-quota-sets/${project}`, {
      quota_set: { gigabytes: -1, volumes: -1, snapshots: -1 },
    });

    // The data, as a raw image.
    const file = path.join(dir, 'data.raw');
    const image = await randomRawImage(url, demo, file, DATA_MIB);

    const volumeStatus = (id: string) => async () =>
      (await api(url, demo, 'GET', `${vol}/volumes/${id}`)).volume.status as string;
    const snapshotStatus = (id: string) => async () =>
      (await api(url, demo, 'GET', `${vol}/snapshots/${id}`)).snapshot.status as string;

    const results: Record<string, number[]> = {};
    const add = (k: string, v: number) => (results[k] ??= []).push(v);
    for (let round = 0; round < ROUNDS; round++) {
      add('cp', timeCommand('cp', [file, path.join(dir, `copy-${round}`)]));
      fs.rmSync(path.join(dir, `copy-${round}`));
      const overlay = path.join(dir, `overlay-${round}.qcow2`);
      add(
        'qemu-img create -b',
        timeCommand('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', file, overlay]),
      );
      fs.rmSync(overlay);

      for (const size of [1, 100]) {
        let t0 = performance.now();
        const v = (
          await api(url, demo, 'POST', `${vol}/volumes`, { volume: { size, imageRef: image } })
        ).volume.id as string;
        add(`volume from image (${size} GiB)`, await until(volumeStatus(v), 'available', t0));

        t0 = performance.now();
        const s = (await api(url, demo, 'POST', `${vol}/snapshots`, { snapshot: { volume_id: v } }))
          .snapshot.id as string;
        add(`snapshot create (${size} GiB)`, await until(snapshotStatus(s), 'available', t0));

        t0 = performance.now();
        const c = (await api(url, demo, 'POST', `${vol}/volumes`, { volume: { snapshot_id: s } }))
          .volume.id as string;
        add(`volume from snapshot (${size} GiB)`, await until(volumeStatus(c), 'available', t0));

        if (size === 1) {
          t0 = performance.now();
          const upload = await api(url, demo, 'POST', `${vol}/volumes/${c}/action`, {
            'os-volume_upload_image': { image_name: `up-${round}`, disk_format: 'raw' },
          });
          const imageId = upload['os-volume_upload_image'].image_id as string;
          add(
            'upload 1 GiB volume to image',
            await until(
              async () =>
                (await api(url, demo, 'GET', `/image/v2/images/${imageId}`)).status as string,
              'active',
              t0,
            ),
          );
          await api(url, demo, 'DELETE', `/image/v2/images/${imageId}`);
        }
        await api(url, demo, 'DELETE', `${vol}/volumes/${c}`);
        await until(
          async () =>
            (await fetch(`${url}${vol}/volumes/${c}`, { headers: { 'x-auth-token': demo } }))
              .status === 404
              ? 'gone'
              : 'x',
          'gone',
          0,
        );
        await api(url, demo, 'DELETE', `${vol}/volumes/${v}?cascade=true`);
      }
    }

    const m = (k: string) => median(results[k]!);
    console.log('volume-snapshots results (milliseconds, API call to available/active):');
    for (const k of Object.keys(results))
      console.log(`  ${k.padEnd(34)} ${fix(m(k)).padStart(9)} ms`);
    console.log('ratios:');
    for (const op of ['snapshot create', 'volume from snapshot']) {
      const small = m(`${op} (1 GiB)`);
      const big = m(`${op} (100 GiB)`);
      console.log(
        `  ${op}: 100 GiB / 1 GiB = ${fix(big / small, 2)}x (goal <= 1.5x); cp / 100 GiB = ${fix(m('cp') / big, 1)}x faster (goal >= 10x); vs bare qemu-img overlay ${fix(big / m('qemu-img create -b'), 1)}x`,
      );
    }
    console.log(
      `  volume from image: cp / API = ${fix(m('cp') / m('volume from image (1 GiB)'), 1)}x (the volume reads the image file through its backing chain)`,
    );
    console.log(
      `  upload 1 GiB volume to image: ${fix(DATA_MIB / (m('upload 1 GiB volume to image') / 1000), 0)} MiB/s vs cp ${fix(DATA_MIB / (m('cp') / 1000), 0)} MiB/s (${fix((100 * m('cp')) / m('upload 1 GiB volume to image'), 0)}% of cp)`,
    );
  } finally {
    await server.stop();
    removeDir(dir);
  }
}

await main();
