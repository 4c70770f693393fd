/**
 * An export as tables: the main table (one line per submission) and one per repeat (one line
 * per row, linked by the submission's id), each read page by page only while it is written. Data
 * is masked for viewers who do not see personal fields before it reaches a column.
 */
import { regionNames, rowsToSubmission, type FormModel, type RepeatNode, type Row, type Store } from '../../engine/index.js';
import type { FormatContext } from '../../generators/format.js';
import { maskPersonal } from '../personal.js';
import { mainColumns, regionCodes, repeatColumns, type ExportColumn, type MainRecord, type RepeatRecord } from './export-columns.js';
import { mainPages, repeatRows, type ExportSelection } from './export-query.js';

export interface RecordPage<R> {
  readonly records: readonly R[];
  /** Names of the regions this page holds. */
  readonly ctx: FormatContext;
}

export interface ExportTable<R = any> {
  /** `utama` for the main table, else the repeat's key. */
  readonly key: string;
  readonly title: string;
  readonly columns: readonly ExportColumn<R>[];
  /** The table's records, one page per database read. */
  pages(): AsyncIterable<RecordPage<R>>;
}

type Json = Record<string, unknown>;

async function named<R>(store: Store, columns: readonly ExportColumn<R>[], records: readonly R[]): Promise<RecordPage<R>> {
  const codes = regionCodes(columns, records);
  return { records, ctx: codes.length ? { regionName: await regionNames(store, codes) } : {} };
}

function mainTable(store: Store, sel: ExportSelection, full: boolean): ExportTable<MainRecord> {
  const { model, tables } = sel;
  const columns = mainColumns(model);
  const sectionsOnly = { ...tables, children: [] };
  const record = (r: Row): MainRecord => {
    const data = rowsToSubmission(model, sectionsOnly, r, new Map());
    for (const part of model.parts) if (part.kind === 'repeat') delete data[part.key];
    return {
      id: String(r._id), version: Number(r._version), revision: Number(r._revision), current: Number(r._current) === 1,
      status: String(r._status), createdAt: String(r._created_at), data: full ? data : maskPersonal(model, data),
    };
  };
  return {
    key: 'utama', title: model.code, columns,
    async* pages() {
      for await (const rows of mainPages(sel)) yield named(store, columns, rows.map(record));
    },
  };
}

function repeatTable(store: Store, sel: ExportSelection, part: RepeatNode, full: boolean): ExportTable<RepeatRecord> | undefined {
  const { model, tables } = sel;
  const spec = tables.children.find((t) => t.repeat === part.key);
  if (!spec) return undefined;
  const columns = repeatColumns(part);
  // The row mapping of this one repeat, reused: a model and tables holding only it.
  const onlyPart = { ...model, parts: [part] } as FormModel;
  const onlyTables = { ...tables, optionalSections: [], main: { ...tables.main, columns: [] } };
  const records = (rows: readonly Row[]): RepeatRecord[] => {
    const out: RepeatRecord[] = [];
    for (let i = 0; i < rows.length;) {
      const id = String(rows[i]!._submission_id);
      let j = i;
      while (j < rows.length && String(rows[j]!._submission_id) === id) j++;
      const own = rows.slice(i, j);
      let data = rowsToSubmission(onlyPart, onlyTables, {}, new Map([[spec.name, own]]))[part.key] as Json[];
      if (!full) data = maskPersonal(model, { [part.key]: data })[part.key] as Json[];
      data.forEach((d, k) => out.push({ submissionId: id, row: Number(own[k]!._row) + 1, data: d }));
      i = j;
    }
    return out;
  };
  return {
    key: part.key, title: part.title, columns,
    async* pages() {
      for await (const ids of mainPages(sel, 'ids')) {
        const rows = await repeatRows(store, spec.name, ids.map((r) => String(r._id)));
        if (rows.length) yield named(store, columns, records(rows));
      }
    },
  };
}

/** The main table and, unless `mainOnly`, one table per repeat, in the definition's order. */
export function exportTables(store: Store, sel: ExportSelection, full: boolean, mainOnly = false): ExportTable[] {
  const repeats = mainOnly ? [] : sel.model.parts.flatMap((p) => (p.kind === 'repeat' ? [repeatTable(store, sel, p, full)].filter((t) => t !== undefined) : []));
  return [mainTable(store, sel, full), ...repeats];
}
