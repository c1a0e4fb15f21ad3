// Instance snapshot of a server with BENCH_IMAGE_MIB (default 1024) MiB written on its root disk
// -> image active, against the same work done by hand in the same run: `qemu-img convert` of the
// disk's chain to a qcow2 file plus its sha512 and md5 (Glance's os_hash_value and checksum).
// Goal (issue 9): at least 80% of the baseline's throughput. Also reported: how long the disk
// was frozen (the driver's frozenMs, printed on the server's console log as "writes held N ms"
// by the fake driver), which must not grow with the disk's size: a second server with a tenth of
// the data gives the comparison.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  envInt,
  fix,
  machineNote,
  median,
  randomRawImage,
  report,
  removeDir,
  startPocketstack,
  tempDir,
  token,
} from './common.js';
import {
  api,
  boot,
  nova,
  projectOf,
  serverStatus,
  unlimited,
  until,
  type Json,
} from './server-setup.js';

const DATA_MIB = envInt('BENCH_IMAGE_MIB', 1024);
const ROUNDS = envInt('BENCH_ROUNDS', 3);

/** The server's root disk head, as test/helpers/server-disk.ts finds it. */
function rootDisk(dataDir: string, id: string): string {
  const db = new Database(path.join(dataDir, 'pocketstack.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT root_layer FROM servers WHERE id = ?').get(id) as Json;
    return path.join(dataDir, 'layers', `${row.root_layer as string}.qcow2`);
  } finally {
    db.close();
  }
}

/** `mib` MiB of pseudo-random data written into the head in 64 MiB commands, as a guest would. */
function fill(file: string, mib: number, seed: number): void {
  const cmds: string[] = [];
  for (let off = 0; off < mib; off += 64)
    cmds.push('-c', `write -P ${(seed + off) % 251} ${off}M ${Math.min(64, mib - off)}M`);
  execFileSync('qemu-io', ['-f', 'qcow2', ...cmds, file], { stdio: 'ignore' });
}

async function hashFile(file: string): Promise<void> {
  const sha = createHash('sha512');
  const md5 = createHash('md5');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) {
    sha.update(chunk as Buffer);
    md5.update(chunk as Buffer);
  }
  sha.digest();
  md5.digest();
}

async function snapshot(url: string, tok: string, id: string, name: string): Promise<number> {
  const t0 = performance.now();
  const r = await nova(url, tok, 'POST', `/servers/${id}/action`, { createImage: { name } });
  const image = r.image_id as string;
  await until(
    async () => (await api(url, tok, 'GET', `/image/v2/images/${image}`)).status as string,
    'active',
  );
  const ms = performance.now() - t0;
  await until(serverStatus(url, tok, id), 'ACTIVE');
  return ms;
}

/** The last "writes held N ms" the server's console shows. */
async function frozenMs(url: string, tok: string, id: string): Promise<number> {
  const out = (await nova(url, tok, 'POST', `/servers/${id}/action`, { 'os-getConsoleOutput': {} }))
    .output as string;
  const all = [...out.matchAll(/writes held ([\d.]+) ms/g)];
  return Number(all[all.length - 1]?.[1] ?? NaN);
}

async function main(): Promise<void> {
  console.log(
    `server-snapshot: ${DATA_MIB} MiB written on the root disk, ${ROUNDS} rounds (${await machineNote()})`,
  );
  const dir = tempDir('server-snapshot');
  const dataDir = path.join(dir, 'data');
  const server = await startPocketstack(dataDir, { POCKETSTACK_LOG_LEVEL: 'warn' });
  try {
    const url = server.url;
    const tok = await token(url);
    await unlimited(url, await projectOf(url, tok));
    const base = await randomRawImage(url, tok, path.join(dir, 'base.raw'), 16);
    const vm = (await boot(url, tok, { name: 'snap-big', imageRef: base, flavorRef: '5' })).id;
    const small = (await boot(url, tok, { name: 'snap-small', imageRef: base, flavorRef: '5' })).id;

    const results = { snapshot: [] as number[], baseline: [] as number[] };
    const frozen = { big: [] as number[], small: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      // Fresh data each round: a snapshot moves the server onto an empty head.
      fill(rootDisk(dataDir, vm), DATA_MIB, round);
      fill(rootDisk(dataDir, small), Math.max(1, Math.floor(DATA_MIB / 10)), round);
      const out = path.join(dir, `baseline-${round}.qcow2`);
      const t0 = performance.now();
      execFileSync('qemu-img', ['convert', '-U', '-O', 'qcow2', rootDisk(dataDir, vm), out]);
      await hashFile(out);
      results.baseline.push(performance.now() - t0);
      fs.rmSync(out);
      results.snapshot.push(await snapshot(url, tok, vm, `big-${round}`));
      frozen.big.push(await frozenMs(url, tok, vm));
      await snapshot(url, tok, small, `small-${round}`);
      frozen.small.push(await frozenMs(url, tok, small));
    }
    const mibps = (ms: number) => DATA_MIB / (ms / 1000);
    console.log('server-snapshot results (MiB of written data per second, median):');
    report(
      'snapshot -> image active',
      mibps(median(results.snapshot)),
      'MiB/s',
      mibps(median(results.baseline)),
      0.8,
    );
    console.log(
      `  snapshot ${fix(median(results.snapshot))} ms; qemu-img convert + sha512 + md5 ${fix(median(results.baseline))} ms`,
    );
    console.log(
      `  disk frozen (driver frozenMs): ${fix(median(frozen.big), 2)} ms with ${DATA_MIB} MiB written, ${fix(median(frozen.small), 2)} ms with a tenth of it`,
    );
  } finally {
    await server.stop();
    removeDir(dir);
  }
}

await main();
