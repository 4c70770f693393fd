/**
 * Storage throughput: K/0 submissions (10 members) saved through the storage layer (validate,
 * idempotency, kysely, one transaction each) against a raw better-sqlite3 loop that inserts the
 * same rows with prepared statements, one transaction each, into an identical database. The two
 * run in alternating rounds after a warm-up, so drift in the machine's state hits both alike.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadForms } from '../engine/index.js';
import { loadRegions, openStore, publishDefinition, saveSubmission, tablesFor } from '../engine/storage/index.js';
import { submissionToRows, type Row } from '../engine/storage/row-mapping.js';
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

  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
  const sample = submissionToRows(tables, bigK0(MEMBERS) as never, 'x');
  const mainCols = ['_id', '_version', '_revision', '_supersedes', '_current', '_status', '_hash', '_created_at', ...Object.keys(sample.main)];
  const childCols = Object.keys([...sample.children.values()][0]![0]!);
  const insertMain = db.prepare(`insert into k0_uppka (${mainCols.map((c) => `"${c}"`).join(',')}) values (${mainCols.map((c) => `@${c}`).join(',')})`);
  const insertChild = db.prepare(`insert into k0_uppka__anggota (${childCols.map((c) => `"${c}"`).join(',')}) values (${childCols.map((c) => `@${c}`).join(',')})`);
  const rawSave = db.transaction((id: string, main: Row, children: Row[]) => {
    insertMain.run({ _id: id, _version: 1, _revision: 1, _supersedes: null, _current: 1, _status: 'aktif', _hash: 'x', _created_at: new Date().toISOString(), ...main });
    for (const child of children) insertChild.run(child);
  });
  // The raw loop gets its rows ready-made: only the inserts are timed.
  const rawRows = (subs: ReturnType<typeof make>) => subs.map((s) => {
    const r = submissionToRows(tables, s.data as never, s.id);
    return { id: s.id, main: r.main, children: r.children.get('k0_uppka__anggota')! };
  });

  for (const s of make(100, 'pemanasan')) await saveSubmission(store, model, s);
  for (const r of rawRows(make(100, 'pemanasan'))) rawSave(r.id, r.main, r.children);

  let storageNs = 0n;
  let rawNs = 0n;
  for (let round = 0; round < ROUNDS; round++) {
    const forStorage = make(PER_ROUND, `s${round}`);
    let t = process.hrtime.bigint();
    for (const s of forStorage) await saveSubmission(store, model, s);
    storageNs += process.hrtime.bigint() - t;
    const forRaw = rawRows(make(PER_ROUND, `r${round}`));
    t = process.hrtime.bigint();
    for (const r of forRaw) rawSave(r.id, r.main, r.children);
    rawNs += process.hrtime.bigint() - t;
  }
  await store.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });

  const total = ROUNDS * PER_ROUND;
  const storage = total / (Number(storageNs) / 1e9);
  const raw = total / (Number(rawNs) / 1e9);
  return { raw, storage, ratio: storage / raw };
}
