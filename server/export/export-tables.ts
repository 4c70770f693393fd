/**
 * An export as tables: the main table (one line per submission) and one per repeat (one line
 * per row, linked by the submission's id), each read page by page only while it is written.
 * Personal fields are masked in the columns for viewers who do not see them.
 */
import { regionNames, type RepeatNode, type Row, type Store } from '../../engine/index.js';
import type { FormatContext } from '../../generators/format.js';
import { mainColumns, regionCodes, repeatColumns, type ExportColumn } from './export-columns.js';
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

async function named(store: Store, columns: readonly ExportColumn[], records: readonly Row[]): Promise<RecordPage<Row>> {
  const codes = regionCodes(columns, records);
  return { records, ctx: codes.length ? { regionName: await regionNames(store, codes) } : {} };
}

function mainTable(store: Store, sel: ExportSelection, full: boolean): ExportTable<Row> {
  const columns = mainColumns(sel.model, full);
  return {
    key: 'utama', title: sel.model.code, columns,
    async* pages() {
      for await (const rows of mainPages(sel)) yield named(store, columns, rows);
    },
  };
}

function repeatTable(store: Store, sel: ExportSelection, part: RepeatNode, full: boolean): ExportTable<Row> | undefined {
  const spec = sel.tables.children.find((t) => t.repeat === part.key);
  if (!spec) return undefined;
  const columns = repeatColumns(part, full);
  return {
    key: part.key, title: part.title, columns,
    async* pages() {
      for await (const ids of mainPages(sel, 'ids')) {
        const rows = await repeatRows(store, spec.name, ids.map((r) => String(r._id)));
        if (rows.length) yield named(store, columns, rows);
      }
    },
  };
}

/** The main table and, unless `mainOnly`, one table per repeat, in the definition's order. */
export function exportTables(store: Store, sel: ExportSelection, full: boolean, mainOnly = false): ExportTable[] {
  const repeats = mainOnly ? [] : sel.model.parts.flatMap((p) => (p.kind === 'repeat' ? [repeatTable(store, sel, p, full)].filter((t) => t !== undefined) : []));
  return [mainTable(store, sel, full), ...repeats];
}
