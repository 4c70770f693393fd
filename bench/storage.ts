/**
 * Storage throughput: K/0 submissions (10 members) saved through the storage layer (validate,
 * idempotency check, kysely, one transaction each) against a raw better-sqlite3 loop that inserts
 * the same rows with prepared statements in one transaction each. Same run, same machine, same
 * file settings; the ratio is what matters.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadForms } from '../engine/index.js';
import { loadRegions, openStore, publishDefinition, saveSubmission, tablesFor } from '../engine/storage/index.js';
import { submissionToRows } from '../engine/storage/row-mapping.js';
import { bigK0, uuid } from '../test/support/submissions.js';

const N = Number(process.env.BENCH_N ?? 3000);
const MEMBERS = 10;

export async function benchStorage(): Promise<{ raw: number; storage: number; ratio: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'lembar-bench-'));
  const model = loadForms().get('k0-uppka')!;
  const submissions = Array.from({ length: N }, (_, i) => ({ id: uuid(), data: bigK0(MEMBERS, `Kelompok ${i}`) }));

  // Storage layer.
  const store = openStore(join(dir, 'storage.sqlite'));
  await publishDefinition(store, model);
  await loadRegions(store);
  const tables = await tablesFor(store, model);
  await saveSubmission(store, model, { id: uuid(), data: bigK0(MEMBERS) }); // warm-up
  let t = process.hrtime.bigint();
  for (const s of submissions) await saveSubmission(store, model, s);
  const storageSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  await store.close();

  // Raw better-sqlite3: the same tables (copied DDL), the same rows, prepared statements.
  const rawStore = openStore(join(dir, 'raw.sqlite'));
  await publishDefinition(rawStore, model);
  await loadRegions(rawStore);
  await rawStore.close();
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`synchronous = ${process.env.LEMBAR_SYNC ?? 'FULL'}`);
  const rows = submissions.map((s) => ({ id: s.id, ...submissionToRows(tables, s.data as never, s.id) }));
  const first = rows[0]!;
  const mainCols = ['_id', '_version', '_revision', '_supersedes', '_current', '_status', '_hash', '_created_at', ...Object.keys(first.main)];
  const insertMain = db.prepare(`insert into k0_uppka (${mainCols.map((c) => `"${c}"`).join(',')}) values (${mainCols.map((c) => `@${c}`).join(',')})`);
  const childCols = Object.keys([...first.children.values()][0]![0]!);
  const insertChild = db.prepare(`insert into k0_uppka__anggota (${childCols.map((c) => `"${c}"`).join(',')}) values (${childCols.map((c) => `@${c}`).join(',')})`);
  const save = db.transaction((r: (typeof rows)[number]) => {
    insertMain.run({ _id: r.id, _version: 1, _revision: 1, _supersedes: null, _current: 1, _status: 'aktif', _hash: 'x', _created_at: new Date().toISOString(), ...r.main });
    for (const child of r.children.get('k0_uppka__anggota')!) insertChild.run(child);
  });
  t = process.hrtime.bigint();
  for (const r of rows) save(r);
  const rawSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  db.close();
  rmSync(dir, { recursive: true, force: true });

  const raw = N / rawSeconds;
  const storage = N / storageSeconds;
  return { raw, storage, ratio: storage / raw };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchStorage();
  console.log(`storage: ${r.storage.toFixed(0)} submissions/s (K/0, ${MEMBERS} members each)`);
  console.log(`raw better-sqlite3 prepared inserts: ${r.raw.toFixed(0)} submissions/s`);
  console.log(`ratio storage/raw: ${r.ratio.toFixed(2)} (aim ≥ 0.80)`);
}
