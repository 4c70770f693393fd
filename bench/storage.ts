/**
 * Storage throughput: K/0 submissions (10 members) saved through the storage layer (validate,
 * idempotency, kysely, one transaction each) against a raw better-sqlite3 loop that inserts the
 * same rows with prepared statements, one transaction each, into an identical database. The two
 * run in alternating rounds after a warm-up, so drift in the machine's state hits both alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadForms } from '../engine/index.js';
import { loadRegions, openStore, publishDefinition, saveSubmission, tablesFor } from '../engine/storage/index.js';
import { rawInserter, rawRows } from './raw-insert.js';
import { bigK0, uuid } from '../test/support/submissions.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const PER_ROUND = Number(process.env.BENCH_N ?? 800);
const MEMBERS = 10;

export async function benchStorage(): Promise<{ raw: number; storage: number; ratio: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'lembar-bench-'));
  const model = loadForms().get('k0-uppka')!;
  const make = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ id: uuid(), data: bigK0(MEMBERS, `Kelompok ${tag} ${i}`) }));

  const store = openStore(join(dir, 'storage.sqlite'));
  const rawSetup = openStore(join(dir, 'raw.sqlite'));
  for (const s of [store, rawSetup]) {
    await publishDefinition(s, model);
    await loadRegions(s);
  }
  await rawSetup.close();
  const tables = await tablesFor(store, model);

  const raw = rawInserter(join(dir, 'raw.sqlite'), tables);

  for (const s of make(100, 'pemanasan')) await saveSubmission(store, model, s);
  for (const r of rawRows(tables, make(100, 'pemanasan'))) raw.save(r);

  let storageNs = 0n;
  let rawNs = 0n;
  for (let round = 0; round < ROUNDS; round++) {
    const forStorage = make(PER_ROUND, `s${round}`);
    let t = process.hrtime.bigint();
    for (const s of forStorage) await saveSubmission(store, model, s);
    storageNs += process.hrtime.bigint() - t;
    const forRaw = rawRows(tables, make(PER_ROUND, `r${round}`));
    t = process.hrtime.bigint();
    for (const r of forRaw) raw.save(r);
    rawNs += process.hrtime.bigint() - t;
  }
  await store.close();
  raw.close();
  rmSync(dir, { recursive: true, force: true });

  const total = ROUNDS * PER_ROUND;
  const storage = total / (Number(storageNs) / 1e9);
  const rawRate = total / (Number(rawNs) / 1e9);
  return { raw: rawRate, storage, ratio: storage / rawRate };
}
