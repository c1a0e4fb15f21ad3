// Server create -> ACTIVE from a small and a ten times larger image (BENCH_IMAGE_MIB, default
// 1024 MiB, and 10x that): the root disk is a copy-on-write head over the image file, never a
// copy, so the two are within 1.5x of each other (issue 9). BENCH_ROUNDS servers from each
// (default 5), alternating, median reported; `cp` of the small image is printed for scale.
import { execFileSync } from 'node:child_process';
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
import { boot, deleteServers, projectOf, ratioLine, unlimited } from './server-setup.js';

const ROUNDS = envInt('BENCH_ROUNDS', 5);
const SMALL_MIB = envInt('BENCH_IMAGE_MIB', 1024);

async function main(): Promise<void> {
  console.log(
    `server-boot-size: images of ${SMALL_MIB} and ${10 * SMALL_MIB} MiB, ${ROUNDS} servers each (${await machineNote()})`,
  );
  const dir = tempDir('server-boot-size');
  const server = await startPocketstack(path.join(dir, 'data'), { POCKETSTACK_LOG_LEVEL: 'warn' });
  try {
    const url = server.url;
    const tok = await token(url);
    await unlimited(url, await projectOf(url, tok));
    const small = await randomRawImage(url, tok, path.join(dir, 'small.raw'), SMALL_MIB);
    const big = await randomRawImage(url, tok, path.join(dir, 'big.raw'), 10 * SMALL_MIB);
    const t0 = performance.now();
    execFileSync('cp', [path.join(dir, 'small.raw'), path.join(dir, 'copy.raw')]);
    const cpMs = performance.now() - t0;

    const times = { small: [] as number[], big: [] as number[] };
    const ids: string[] = [];
    // m1.xlarge (160 GB) holds a 10 GiB image; a warm-up boot first (JIT, first layer files).
    ids.push((await boot(url, tok, { name: 'warm', imageRef: small, flavorRef: '5' })).id);
    for (let i = 0; i < ROUNDS; i++) {
      for (const [key, image] of [
        ['small', small],
        ['big', big],
      ] as const) {
        const r = await boot(url, tok, { name: `${key}-${i}`, imageRef: image, flavorRef: '5' });
        times[key].push(r.ms);
        ids.push(r.id);
      }
    }
    const s = median(times.small);
    const b = median(times.big);
    console.log('server-boot-size results (create -> ACTIVE, median ms):');
    console.log(`  ${SMALL_MIB} MiB image ${fix(s)} ms, ${10 * SMALL_MIB} MiB image ${fix(b)} ms`);
    console.log(ratioLine('large image / small image', s, b, 1.5));
    console.log(`  for scale: cp of the ${SMALL_MIB} MiB image ${fix(cpMs)} ms`);
    await deleteServers(url, tok, ids);
  } finally {
    await server.stop();
    removeDir(dir);
  }
}

await main();
