// Each seed template (../shared/seed/heat-snapshot_{image,volume}_example.yaml) as a stack:
// POST /stacks to CREATE_COMPLETE and delete to DELETE_COMPLETE, against the same Neutron and
// Nova calls made directly by this script in the same run (bench/stack-direct.ts). Heat's
// convergence engine creates independent resources at once, so the direct script does too
// wherever the stack's graph allows: that is the fair baseline. Median of BENCH_ROUNDS rounds;
// goal (issue 10): the stack takes at most 1.5x the direct calls.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ROOT,
  cpuSeconds,
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
import { api, nova, projectOf, ratioLine, unlimited, type Json } from './server-setup.js';
import { createStack, deleteStack, pollUntil } from './stack-setup.js';
import { directCreate, directDelete, type Seed } from './stack-direct.js';

const ROUNDS = envInt('BENCH_ROUNDS', 5);
/** BENCH_HEAT_SEED, else the repository's copy of the seed (test/fixtures/seed). */
const SEED = process.env.BENCH_HEAT_SEED ?? path.resolve(ROOT, 'test', 'fixtures', 'seed');
const GOAL = 1.5;

const template = (name: string): Json =>
  parse(fs.readFileSync(path.join(SEED, `heat-snapshot_${name}_example.yaml`), 'utf8')) as Json;

/** The seed's inputs: a key pair, an image, a volume snapshot (all ready before timing). */
async function prepare(url: string, tok: string, project: string, dir: string) {
  await nova(url, tok, 'POST', '/os-keypairs', { keypair: { name: 'keyName' } });
  const image = await randomRawImage(url, tok, path.join(dir, 'base.raw'), 16);
  const vol = `/volume/v3/${project}`;
  const v = (await api(url, tok, 'POST', `${vol}/volumes`, { volume: { size: 1 } })).volume as Json;
  await pollUntil(
    async () => (await api(url, tok, 'GET', `${vol}/volumes/${v.id}`)).volume.status as string,
    'available',
  );
  const s = (
    await api(url, tok, 'POST', `${vol}/snapshots`, { snapshot: { volume_id: v.id, name: 'snap' } })
  ).snapshot as Json;
  await pollUntil(
    async () => (await api(url, tok, 'GET', `${vol}/snapshots/${s.id}`)).snapshot.status as string,
    'available',
  );
  return { image, snapshot: s.id as string };
}

async function main(): Promise<void> {
  console.log(
    `stack-seed: each seed template as a stack vs the same calls made directly, ${ROUNDS} rounds (${await machineNote()})`,
  );
  console.log(
    '  baseline: the direct calls, independent ones at once where the stack graph allows (Heat convergence does the same)',
  );
  const dir = tempDir('stack-seed');
  const server = await startPocketstack(path.join(dir, 'data'), { POCKETSTACK_LOG_LEVEL: 'warn' });
  try {
    const url = server.url;
    const tok = await token(url);
    const project = await projectOf(url, tok);
    await unlimited(url, project);
    const { image, snapshot } = await prepare(url, tok, project, dir);
    const seeds: { name: string; seed: Seed; params: Record<string, string> }[] = [
      { name: 'image', seed: { image }, params: { key_name: 'keyName', image } },
      { name: 'volume', seed: { snapshot }, params: { key_name: 'keyName', snapshot } },
    ];
    let ok = true;
    for (const { name, seed, params } of seeds) {
      const tpl = template(name);
      const times = { stackC: [] as number[], stackD: [] as number[], directC: [] as number[] };
      const directD: number[] = [];
      // The server's CPU seconds over the creates, summed: a figure the machine's load skews less.
      const cpu = { stack: 0, direct: 0 };
      const cpuOf = async <T>(key: 'stack' | 'direct', work: Promise<T>): Promise<T> => {
        const c0 = cpuSeconds(server.pid);
        const out = await work;
        cpu[key] += cpuSeconds(server.pid) - c0;
        return out;
      };
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate which goes first, so neither always runs on a warmer (or busier) server.
        const runStack = async () => {
          const made = await cpuOf(
            'stack',
            createStack(url, tok, project, `seed-${name}-${r}`, tpl, params),
          );
          times.stackC.push(made.ms);
          times.stackD.push(await deleteStack(url, tok, made.ref));
        };
        const runDirect = async () => {
          const made = await cpuOf('direct', directCreate(url, tok, project, seed));
          times.directC.push(made.ms);
          directD.push(await directDelete(url, tok, made.ids));
        };
        if (r % 2 === 0) {
          await runStack();
          await runDirect();
        } else {
          await runDirect();
          await runStack();
        }
      }
      const [sc, sd, dc, dd] = [times.stackC, times.stackD, times.directC, directD].map(median);
      console.log(`stack-seed ${name} template (median of ${ROUNDS}, ms):`);
      console.log(
        `  create: stack ${fix(sc!)}  direct ${fix(dc!)}   (stack rounds ${times.stackC.map((x) => fix(x, 0)).join(' ')}; direct ${times.directC.map((x) => fix(x, 0)).join(' ')})`,
      );
      console.log(
        `  delete: stack ${fix(sd!)}  direct ${fix(dd!)}   (stack rounds ${times.stackD.map((x) => fix(x, 0)).join(' ')}; direct ${directD.map((x) => fix(x, 0)).join(' ')})`,
      );
      console.log(
        `  server CPU over the ${ROUNDS} creates: stack ${fix(1000 * cpu.stack, 0)} ms, direct ${fix(1000 * cpu.direct, 0)} ms (${(cpu.stack / cpu.direct).toFixed(2)}x)`,
      );
      console.log(ratioLine(`${name}: create stack / direct`, dc!, sc!, GOAL));
      console.log(ratioLine(`${name}: delete stack / direct`, dd!, sd!, GOAL));
      ok = ok && sc! / dc! <= GOAL;
    }
    console.log(`  create goal (<= ${GOAL}x) ${ok ? 'PASS' : 'MISS'}`);
  } finally {
    await server.stop();
    removeDir(dir);
  }
}

await main();
