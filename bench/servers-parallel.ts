// 50 servers (BENCH_SERVERS) created at once by one project, each its own POST /servers with a
// port on `private` (networks: auto): all ACTIVE, none in ERROR; wall time from the first POST to
// the last ACTIVE, against 50 sequential volume creates (POST, then available) in the same run.
import path from 'node:path';
import {
  envInt,
  fix,
  machineNote,
  randomRawImage,
  removeDir,
  startPocketstack,
  tempDir,
  token,
} from './common.js';
import {
  api,
  deleteServers,
  nova,
  projectOf,
  unlimited,
  until,
  type Json,
} from './server-setup.js';

const COUNT = envInt('BENCH_SERVERS', 50);

async function main(): Promise<void> {
  console.log(
    `servers-parallel: ${COUNT} servers at once vs ${COUNT} sequential volume creates (${await machineNote()})`,
  );
  const dir = tempDir('servers-parallel');
  const server = await startPocketstack(path.join(dir, 'data'), { POCKETSTACK_LOG_LEVEL: 'warn' });
  try {
    const url = server.url;
    const tok = await token(url);
    const project = await projectOf(url, tok);
    await unlimited(url, project);
    const image = await randomRawImage(url, tok, path.join(dir, 'base.raw'), 16);

    let t0 = performance.now();
    const made = await Promise.all(
      Array.from({ length: COUNT }, (_, i) =>
        nova(url, tok, 'POST', '/servers', {
          server: { name: `par-${i}`, imageRef: image, flavorRef: '1', networks: 'auto' },
        }),
      ),
    );
    const ids = made.map((m) => m.server.id as string);
    let statuses: string[] = [];
    for (;;) {
      const list = await nova(url, tok, 'GET', '/servers/detail?name=^par-');
      statuses = (list.servers as Json[]).map((s) => s.status as string);
      if (statuses.every((s) => s === 'ACTIVE' || s === 'ERROR') && statuses.length === COUNT)
        break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const parallelMs = performance.now() - t0;
    const errors = statuses.filter((s) => s === 'ERROR').length;

    const vol = `/volume/v3/${project}`;
    t0 = performance.now();
    const volumes: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const v = (await api(url, tok, 'POST', `${vol}/volumes`, { volume: { size: 1 } })).volume
        .id as string;
      await until(
        async () => (await api(url, tok, 'GET', `${vol}/volumes/${v}`)).volume.status as string,
        'available',
      );
      volumes.push(v);
    }
    const volumeMs = performance.now() - t0;

    console.log('servers-parallel results (wall time):');
    console.log(
      `  ${COUNT} servers in parallel: ${fix(parallelMs)} ms, ${COUNT - errors} ACTIVE, ${errors} ERROR  ${errors === 0 ? 'PASS' : 'MISS'}`,
    );
    console.log(
      `  ${COUNT} sequential volume creates: ${fix(volumeMs)} ms; servers / volumes ${(parallelMs / volumeMs).toFixed(2)}x`,
    );
    await deleteServers(url, tok, ids);
  } finally {
    await server.stop();
    removeDir(dir);
  }
}

await main();
