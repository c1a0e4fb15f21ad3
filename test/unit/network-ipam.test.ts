import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite, type Db } from '../../src/store/db.js';
import { keyOf, parseAddress, valueOfKey } from '../../src/services/network/ip.js';
import {
  allocateAddress,
  allocateNext,
  release,
  releasePort,
  setPools,
} from '../../src/services/network/ipam.js';

let db: Db;
before(async () => {
  db = await openSqlite(':memory:');
});
after(() => db.destroy());

const ip = (text: string) => parseAddress(text)!.value;
let n = 0;
/** A fresh subnet id, so that tests share the database but not their rows. */
const subnet = () => ({ id: `subnet-${++n}`, network_id: 'net', ip_version: 4 });

async function freeRanges(subnetId: string): Promise<[string, string][]> {
  const rows = await db
    .selectFrom('ip_free_ranges')
    .select(['first_key', 'last_key'])
    .where('subnet_id', '=', subnetId)
    .orderBy('first_key')
    .execute();
  const text = (k: string) => {
    const v = valueOfKey(k);
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  };
  return rows.map((r) => [text(r.first_key), text(r.last_key)]);
}

test('next free address: lowest first, each once, none once the pools are used up', async () => {
  const s = subnet();
  await setPools(db, s.id, 4, [
    { first: ip('10.0.0.10'), last: ip('10.0.0.11') },
    { first: ip('10.0.0.2'), last: ip('10.0.0.2') },
  ]);
  const got = [];
  for (let i = 0; i < 4; i++) got.push(await allocateNext(db, s, `port-${i}`));
  assert.deepEqual(got, ['10.0.0.2', '10.0.0.10', '10.0.0.11', null]);
  assert.deepEqual(await freeRanges(s.id), []);
});

test('a requested address splits its free range; taking it twice fails; outside a pool is allowed', async () => {
  const s = subnet();
  await setPools(db, s.id, 4, [{ first: ip('10.0.0.2'), last: ip('10.0.0.254') }]);
  assert.equal(await allocateAddress(db, s, ip('10.0.0.100'), 'p1'), true);
  assert.equal(await allocateAddress(db, s, ip('10.0.0.100'), 'p2'), false);
  assert.deepEqual(await freeRanges(s.id), [
    ['10.0.0.2', '10.0.0.99'],
    ['10.0.0.101', '10.0.0.254'],
  ]);
  assert.equal(await allocateAddress(db, s, ip('10.0.0.1'), 'p3'), true);
  assert.equal((await freeRanges(s.id)).length, 2, 'an address outside the pools takes no range');
});

test('released addresses merge with their neighbours; outside the pools they are just gone', async () => {
  const s = subnet();
  await setPools(db, s.id, 4, [{ first: ip('10.0.0.2'), last: ip('10.0.0.6') }]);
  for (let i = 0; i < 5; i++) await allocateNext(db, s, `q${i}`);
  await allocateAddress(db, s, ip('10.0.0.200'), 'outside');
  assert.deepEqual(await freeRanges(s.id), []);
  await release(db, s.id, keyOf(ip('10.0.0.3')));
  await release(db, s.id, keyOf(ip('10.0.0.5')));
  assert.deepEqual(await freeRanges(s.id), [
    ['10.0.0.3', '10.0.0.3'],
    ['10.0.0.5', '10.0.0.5'],
  ]);
  await release(db, s.id, keyOf(ip('10.0.0.4')));
  assert.deepEqual(await freeRanges(s.id), [['10.0.0.3', '10.0.0.5']]);
  await releasePort(db, 'outside');
  await releasePort(db, 'q0');
  await releasePort(db, 'q4');
  assert.deepEqual(await freeRanges(s.id), [['10.0.0.2', '10.0.0.6']]);
});

test('new pools are rebuilt around what is allocated, and allocations outside them stay', async () => {
  const s = subnet();
  await setPools(db, s.id, 4, [{ first: ip('10.0.0.2'), last: ip('10.0.0.20') }]);
  await allocateAddress(db, s, ip('10.0.0.5'), 'a');
  await allocateAddress(db, s, ip('10.0.0.15'), 'b');
  await setPools(db, s.id, 4, [
    { first: ip('10.0.0.10'), last: ip('10.0.0.30') },
    { first: ip('10.0.0.40'), last: ip('10.0.0.40') },
  ]);
  assert.deepEqual(await freeRanges(s.id), [
    ['10.0.0.10', '10.0.0.14'],
    ['10.0.0.16', '10.0.0.30'],
    ['10.0.0.40', '10.0.0.40'],
  ]);
  const held = await db
    .selectFrom('ip_allocations')
    .select('ip_address')
    .where('subnet_id', '=', s.id)
    .orderBy('ip_key')
    .execute();
  assert.deepEqual(
    held.map((r) => r.ip_address),
    ['10.0.0.5', '10.0.0.15'],
  );
  assert.equal(await allocateNext(db, s, 'c'), '10.0.0.10');
});

test('allocation cost does not grow with what is allocated (one range read per address)', async () => {
  const s = subnet();
  await setPools(db, s.id, 4, [{ first: ip('10.1.0.1'), last: ip('10.1.255.254') }]);
  const time = async (count: number) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await allocateNext(db, s, `bulk-${count}-${i}`);
    return Number(process.hrtime.bigint() - start) / count;
  };
  await time(200);
  const early = await time(200);
  for (let i = 0; i < 4000; i++) await allocateNext(db, s, `fill-${i}`);
  const late = await time(200);
  assert.ok(late < early * 5, `per-address cost grew from ${early} ns to ${late} ns`);
  assert.equal((await freeRanges(s.id)).length, 1, 'sequential allocation keeps one range');
});
