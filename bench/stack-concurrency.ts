// A stack of BENCH_RANDOM (200) OS::Heat::RandomString and BENCH_PORTS (50) OS::Neutron::Port on a
// network the template makes: create and delete times with the resources independent (the
// engine runs them at once), against the same resources as a chain (each depends_on the one
// before: one at a time) in the same run, median of BENCH_ROUNDS (3). Goal (issue 10):
// concurrent create at least 3x faster.
import path from 'node:path';
import {
  cpuSeconds,
  envInt,
  fix,
  machineNote,
  median,
  removeDir,
  startPocketstack,
  tempDir,
  token,
  loadAverage,
} from './common.js';
import { projectOf, type Json } from './server-setup.js';
import { createStack, deleteStack } from './stack-setup.js';

const RANDOM = envInt('BENCH_RANDOM', 200);
const PORTS = envInt('BENCH_PORTS', 50);
const ROUNDS = envInt('BENCH_ROUNDS', 3);
const GOAL = 3;

/** The template; `chained` makes each resource depend on the one before it. */
function template(chained: boolean): Json {
  const resources: Json = {
    net: { type: 'OS::Neutron::Net' },
    subnet: {
      type: 'OS::Neutron::Subnet',
      properties: { network: { get_resource: 'net' }, cidr: '10.9.0.0/22', ip_version: 4 },
    },
  };
  const names: string[] = [];
  for (let i = 0; i < RANDOM; i++) {
    names.push(`rand${i}`);
    resources[`rand${i}`] = { type: 'OS::Heat::RandomString', properties: { length: 32 } };
  }
  for (let i = 0; i < PORTS; i++) {
    names.push(`port${i}`);
    resources[`port${i}`] = {
      type: 'OS::Neutron::Port',
      properties: { network: { get_resource: 'net' } },
    };
  }
  if (chained) names.forEach((n, i) => i > 0 && (resources[n].depends_on = names[i - 1]));
  return { heat_template_version: '2018-08-31', resources };
}

async function main(): Promise<void> {
  console.log(
    `stack-concurrency: ${RANDOM} RandomString + ${PORTS} Port, independent vs chained, ${ROUNDS} round(s) (${await machineNote()})`,
  );
  const dir = tempDir('stack-concurrency');
  const server = await startPocketstack(path.join(dir, 'data'), { POCKETSTACK_LOG_LEVEL: 'warn' });
  try {
    const url = server.url;
    const tok = await token(url);
    const project = await projectOf(url, tok);
    const t = { cc: [] as number[], cd: [] as number[], sc: [] as number[], sd: [] as number[] };
    // The server's CPU time over each create and delete: what concurrency cannot overlap on
    // its one thread (ticks of 10 ms, so a rough figure).
    const cpu = { cc: [] as number[], cd: [] as number[], sc: [] as number[], sd: [] as number[] };
    const took = (list: number[], c0: number) => list.push(1000 * (cpuSeconds(server.pid) - c0));
    for (let r = 0; r < ROUNDS; r++) {
      let c0 = cpuSeconds(server.pid);
      const concurrent = await createStack(url, tok, project, `conc-${r}`, template(false));
      took(cpu.cc, c0);
      t.cc.push(concurrent.ms);
      c0 = cpuSeconds(server.pid);
      t.cd.push(await deleteStack(url, tok, concurrent.ref));
      took(cpu.cd, c0);
      c0 = cpuSeconds(server.pid);
      const chained = await createStack(url, tok, project, `chain-${r}`, template(true));
      took(cpu.sc, c0);
      t.sc.push(chained.ms);
      c0 = cpuSeconds(server.pid);
      t.sd.push(await deleteStack(url, tok, chained.ref));
      took(cpu.sd, c0);
    }
    const [cc, cd, sc, sd] = [t.cc, t.cd, t.sc, t.sd].map(median) as number[];
    const n = RANDOM + PORTS;
    console.log(`stack-concurrency results (median of ${ROUNDS}, ms):`);
    const [ccCpu, cdCpu, scCpu, sdCpu] = [cpu.cc, cpu.cd, cpu.sc, cpu.sd].map(median) as number[];
    console.log(
      `  independent: create ${fix(cc!)} (${fix(cc! / n, 2)}/resource, server CPU ${fix(ccCpu!, 0)})  delete ${fix(cd!)} (${fix(cd! / n, 2)}/resource, server CPU ${fix(cdCpu!, 0)})`,
    );
    console.log(
      `  chained:     create ${fix(sc!)} (${fix(sc! / n, 2)}/resource, server CPU ${fix(scCpu!, 0)})  delete ${fix(sd!)} (${fix(sd! / n, 2)}/resource, server CPU ${fix(sdCpu!, 0)})`,
    );
    console.log(`  delete speed-up ${(sd! / cd!).toFixed(2)}x`);
    const ok = sc! / cc! >= GOAL;
    console.log(
      `  create speed-up ${(sc! / cc!).toFixed(2)}x  goal >= ${GOAL}x  ${ok ? 'PASS' : 'MISS'}`,
    );
    console.log(`  load average at the end (1, 5, 15 min): ${loadAverage()}`);
  } finally {
    await server.stop();
    removeDir(dir);
  }
}

await main();
