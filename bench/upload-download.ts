// Image data throughput: PUT and GET /image/v2/images/{id}/file of a generated file (1 GiB by
// default; BENCH_IMAGE_MIB=64 for a quick run), streamed from disk, never held in memory.
//
// Baselines, measured in the same run over the same file:
//   upload   vs hashing only: md5 + sha512 in one pass (what the server must do for every byte)
//   download vs a plain node http server piping fs.createReadStream of the same stored file to the socket
// Each round measures all four back to back; the median over BENCH_ROUNDS rounds (default 3) is
// reported, so a noisy moment hits the figure and its baseline alike.
import { createHash, randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import {
  createImage,
  envInt,
  fix,
  machineNote,
  median,
  MiB,
  removeDir,
  report,
  ROOT,
  spawnServer,
  startPocketstack,
  tempDir,
  token,
} from './common.js';

const CHUNK = MiB;

/** A file of `mib` MiB of random bytes (incompressible, so no layer can cheat), written in 1 MiB blocks. */
async function generate(file: string, mib: number): Promise<void> {
  const out = fs.createWriteStream(file);
  const block = Buffer.alloc(CHUNK);
  for (let i = 0; i < mib; i++) {
    randomFillSync(block);
    if (!out.write(Buffer.from(block)))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

/** Baseline (a): the server's unavoidable CPU work, md5 and sha512 of every byte, in one pass. */
async function hashOnly(file: string): Promise<{ seconds: number; md5: string; sha512: string }> {
  const md5 = createHash('md5');
  const sha512 = createHash('sha512');
  const t0 = performance.now();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK })) {
    md5.update(chunk as Buffer);
    sha512.update(chunk as Buffer);
  }
  return {
    seconds: (performance.now() - t0) / 1000,
    md5: md5.digest('hex'),
    sha512: sha512.digest('hex'),
  };
}

/** Streams the file as the request body; the time runs until the server's answer (after its fsync). */
async function upload(
  url: string,
  tok: string,
  id: string,
  file: string,
  size: number,
): Promise<number> {
  const t0 = performance.now();
  const req = http.request(`${url}/image/v2/images/${id}/file`, {
    method: 'PUT',
    headers: {
      'x-auth-token': tok,
      'content-type': 'application/octet-stream',
      'content-length': size,
    },
  });
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  await pipeline(fs.createReadStream(file, { highWaterMark: CHUNK }), req);
  const res = await answered;
  let body = '';
  for await (const d of res) body += d;
  if (res.statusCode !== 204) throw new Error(`upload answered ${res.statusCode}: ${body}`);
  return (performance.now() - t0) / 1000;
}

/** The one download client, used against both servers: reads the body and counts the bytes. */
async function download(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ seconds: number; bytes: number; res: http.IncomingMessage }> {
  const t0 = performance.now();
  const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http.get(url, { headers }, resolve).once('error', reject),
  );
  if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}`);
  let bytes = 0;
  for await (const chunk of res) bytes += (chunk as Buffer).length;
  return { seconds: (performance.now() - t0) / 1000, bytes, res };
}

/** The most recently written regular file in `dir`. */
function newestFile(dir: string): string {
  const files = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(dir, e.name));
  return files.reduce((a, b) => (fs.statSync(a).mtimeMs >= fs.statSync(b).mtimeMs ? a : b));
}

async function main(): Promise<void> {
  const mib = envInt('BENCH_IMAGE_MIB', 1024);
  const rounds = envInt('BENCH_ROUNDS', 3);
  const size = mib * MiB;
  const work = tempDir('data');
  const file = path.join(work, 'image.raw');
  const dataDir = path.join(work, 'pocketstack');
  const servers: Array<{ stop(): Promise<void> }> = [];
  try {
    console.log(
      `upload-download: ${mib} MiB image, ${rounds} round(s), files under ${work} (${await machineNote()})`,
    );
    await generate(file, mib);
    const ps = await startPocketstack(dataDir);
    servers.push(ps);
    const plain = await spawnServer([path.join(ROOT, 'dist/bench/plain-file-server.js'), file]);
    servers.push(plain);
    const tok = await token(ps.url);

    const rate = {
      hash: [] as number[],
      up: [] as number[],
      down: [] as number[],
      plain: [] as number[],
    };
    for (let r = 1; r <= rounds; r++) {
      const h = await hashOnly(file);
      const id = await createImage(ps.url, tok, `bench-${mib}MiB-${r}`);
      const up = await upload(ps.url, tok, id, file, size);

      // The stored checksums must be those of the file, or the figures mean nothing.
      const image = (await (
        await fetch(`${ps.url}/image/v2/images/${id}`, { headers: { 'x-auth-token': tok } })
      ).json()) as Record<string, unknown>;
      if (
        image.checksum !== h.md5 ||
        image.os_hash_value !== h.sha512 ||
        image.size !== size ||
        image.status !== 'active'
      ) {
        throw new Error(
          `stored image does not match the file: ${JSON.stringify(image)} (md5 ${h.md5})`,
        );
      }

      // Alternate which download goes first, so neither always follows the upload's disk flush.
      // The plain server reads the file pocketstack just stored: a file written moments ago reads
      // slower than one read many times, and the baseline must not get the warmer file.
      const stored = newestFile(path.join(dataDir, 'images'));
      const getImage = (): ReturnType<typeof download> =>
        download(`${ps.url}/image/v2/images/${id}/file`, { 'x-auth-token': tok });
      const getPlain = (): ReturnType<typeof download> =>
        download(`${plain.url}/?file=${encodeURIComponent(stored)}`);
      let down, base;
      if (r % 2) {
        down = await getImage();
        base = await getPlain();
      } else {
        base = await getPlain();
        down = await getImage();
      }
      if (down.bytes !== size || down.res.headers['content-md5'] !== h.md5)
        throw new Error('download size or content-md5 mismatch');
      if (base.bytes !== size) throw new Error('plain server sent the wrong size');

      rate.hash.push(mib / h.seconds);
      rate.up.push(mib / up);
      rate.down.push(mib / down.seconds);
      rate.plain.push(mib / base.seconds);
      console.log(
        `  round ${r}: hash-only ${fix(mib / h.seconds)} MiB/s, upload ${fix(mib / up)} MiB/s, ` +
          `download ${fix(mib / down.seconds)} MiB/s, plain download ${fix(mib / base.seconds)} MiB/s  (checksum ${h.md5} ok)`,
      );
    }
    console.log(`upload-download results (median of ${rounds}, MiB/s):`);
    report('upload (PUT .../file)', median(rate.up), 'MiB/s', median(rate.hash), 0.9);
    report('download (GET .../file)', median(rate.down), 'MiB/s', median(rate.plain), 0.8);
  } finally {
    for (const s of servers) await s.stop();
    removeDir(work);
  }
}

await main();
