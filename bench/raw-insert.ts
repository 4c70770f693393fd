/**
 * The benchmarks' raw baseline: the rows of a K/0 submission inserted with better-sqlite3
 * prepared statements, one transaction per submission, into a database laid out by the storage
 * layer (same tables, indexes, keys), with the store's pragmas (WAL, foreign keys, FULL sync).
 */
import Database from 'better-sqlite3';
import type { FormTables } from '../engine/storage/table-spec.js';
import { submissionToRows, type Row } from '../engine/storage/row-mapping.js';
import { bigK0 } from '../test/support/submissions.js';

export interface RawRows {
  readonly id: string;
  readonly main: Row;
  readonly children: Row[];
}

/** Ready-made rows for the raw loop: mapping them is not part of what it times. */
export function rawRows(tables: FormTables, subs: readonly { id: string; data: unknown }[]): RawRows[] {
  return subs.map((s) => {
    const r = submissionToRows(tables, s.data as never, s.id);
    return { id: s.id, main: r.main, children: r.children.get('k0_uppka__anggota')! };
  });
}

export function rawInserter(file: string, tables: FormTables): { save: (r: RawRows) => void; close: () => void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
  const sample = submissionToRows(tables, bigK0(10) as never, 'x');
  const mainCols = ['_id', '_version', '_revision', '_supersedes', '_current', '_status', '_hash', '_created_at', ...Object.keys(sample.main)];
  const childCols = Object.keys([...sample.children.values()][0]![0]!);
  const insert = (table: string, cols: string[]) =>
    db.prepare(`insert into ${table} (${cols.map((c) => `"${c}"`).join(',')}) values (${cols.map((c) => `@${c}`).join(',')})`);
  const insertMain = insert('k0_uppka', mainCols);
  const insertChild = insert('k0_uppka__anggota', childCols);
  const save = db.transaction((r: RawRows) => {
    insertMain.run({ _id: r.id, _version: 1, _revision: 1, _supersedes: null, _current: 1, _status: 'aktif', _hash: 'x', _created_at: new Date().toISOString(), ...r.main });
    for (const child of r.children) insertChild.run(child);
  });
  return { save: (r) => save(r), close: () => db.close() };
}
