// Boot from a volume snapshot -> ACTIVE, for a 1 GiB and a 100 GiB volume (each made from a
// BENCH_IMAGE_MIB MiB image, default 1024): the new root volume is a head over the snapshot's
// sealed layer, so the time does not depend on the volume's size (issue 9: O(1), within 1.5x).
// BENCH_ROUNDS servers from each snapshot (default 5), alternating, median reported.
import path from 'node:path';
import {
  envInt,
  fix,
  machineNote,
  median,
  randomRawImage,
  removeDir,
  startPocketstack,
  tempDir,
  token,
} from './common.js';
import {
  api,
  boot,
  deleteServers,
  projectOf,
  ratioLine,
  unlimited,
  until,
} from './server-setup.js';

const ROUNDS = envInt('BENCH_ROUNDS', 5);
const DATA_MIB = envInt('BENCH_IMAGE_MIB', 1024);

async function main(): Promise<void> {
  console.log(
    `server-boot-volume: snapshots of 1 and 100 GiB volumes holding ${DATA_MIB} MiB, ${ROUNDS} servers each (${await machineNote()})`,
  );
  const dir = tempDir('server-boot-volume');
  const server = await startPocketstack(path.join(dir, 'data'), { POCKETSTACK_LOG_LEVEL: 'warn' });
  try {
    const url = server.url;
    const tok = await token(url);
    const project = await projectOf(url, tok);
    await unlimited(url, project);
    const vol = `/volume/v3/${project}`;
    const image = await randomRawImage(url, tok, path.join(dir, 'data.raw'), DATA_MIB);
    const snapshots = new Map<number, string>();
    for (const size of [1, 100]) {
      const v = (
        await api(url, tok, 'POST', `${vol}/volumes`, { volume: { size, imageRef: image } })
      ).volume.id as string;
      await until(
        async () => (await api(url, tok, 'GET', `${vol}/volumes/${v}`)).volume.status as string,
        'available',
      );
      const s = (await api(url, tok, 'POST', `${vol}/snapshots`, { snapshot: { volume_id: v } }))
        .snapshot.id as string;
      await until(
        async () => (await api(url, tok, 'GET', `${vol}/snapshots/${s}`)).snapshot.status as string,
        'available',
      );
      snapshots.set(size, s);
    }
    const fromSnapshot = (name: string, snapshot: string, size: number) =>
      boot(url, tok, {
        name,
        imageRef: '',
        block_device_mapping_v2: [
          {
            uuid: snapshot,
            boot_index: 0,
            source_type: 'snapshot',
            destination_type: 'volume',
            volume_size: size,
            delete_on_termination: true,
          },
        ],
      });
    const times = new Map<number, number[]>([
      [1, []],
      [100, []],
    ]);
    const ids = [(await fromSnapshot('warm', snapshots.get(1)!, 1)).id];
    for (let i = 0; i < ROUNDS; i++)
      for (const size of [1, 100]) {
        const r = await fromSnapshot(`vol-${size}-${i}`, snapshots.get(size)!, size);
        times.get(size)!.push(r.ms);
        ids.push(r.id);
      }
    const small = median(times.get(1)!);
    const big = median(times.get(100)!);
    console.log('server-boot-volume results (create -> ACTIVE, median ms):');
    console.log(
      `  1 GiB volume's snapshot ${fix(small)} ms, 100 GiB volume's snapshot ${fix(big)} ms`,
    );
    console.log(ratioLine('100 GiB / 1 GiB', small, big, 1.5));
    await deleteServers(url, tok, ids);
  } finally {
    await server.stop();
    removeDir(dir);
  }
}

await main();
