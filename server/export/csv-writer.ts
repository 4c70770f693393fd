/**
 * A table as CSV, page by page: the list CSV's conventions (generators/csv: a BOM so spreadsheets
 * read UTF-8, formulas neutralised by `safeCell`), values as people read them, numbers as numbers.
 */
import { stringify } from 'csv-stringify/sync';
import { safeCell } from '../../generators/csv/index.js';
import { formatSavedAt, formatValue, type FormatContext } from '../../generators/format.js';
import type { ByteSink } from './byte-stream.js';
import { textOf, type ExportColumn } from './export-columns.js';
import type { ExportTable } from './export-tables.js';

const encoder = new TextEncoder();

/** One cell of a CSV line. */
export function csvCell<R>(column: ExportColumn<R>, v: unknown, ctx: FormatContext): string | number {
  if (v === undefined || v === null || v === '') return '';
  switch (column.kind) {
    case 'number':
    case 'rupiah': return typeof v === 'number' ? v : safeCell(v);
    case 'date': return safeCell(column.field ? formatValue(column.field, v, ctx) : v);
    case 'saved-at': return formatSavedAt(String(v), 'short');
    case 'text': return safeCell(textOf(column, v, ctx));
  }
}

/** Writes `table` as one CSV file to `put` (a response, or a file inside a zip), waiting on `ready` between pages. */
export async function writeCsv(table: ExportTable, put: (bytes: Uint8Array) => void, ready: ByteSink['ready']): Promise<void> {
  put(encoder.encode('\uFEFF' + stringify([table.columns.map((c) => safeCell(c.header))])));
  for await (const { records, ctx } of table.pages()) {
    const lines = records.map((r) => table.columns.map((c) => csvCell(c, c.value(r), ctx)));
    put(encoder.encode(stringify(lines)));
    await ready();
  }
}
