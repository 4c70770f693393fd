/**
 * A table as CSV, page by page: the list CSV's conventions (generators/csv: a BOM so spreadsheets
 * read UTF-8, formulas neutralised by `safeCell`), values as people read them, numbers as numbers.
 */
import { safeCell } from '../../generators/csv/index.js';
import { formatSavedAt, formatValue, type FormatContext } from '../../generators/format.js';
import type { ByteSink } from './byte-stream.js';
import { textOf, type ExportColumn } from './export-columns.js';
import type { ExportTable } from './export-tables.js';

const encoder = new TextEncoder();
const NEEDS_QUOTES = /[",\n\r]/;

/**
 * Lines of cells as csv-stringify writes them by default (RFC 4180: a field with a comma, quote or
 * line break in quotes, quotes doubled; `\n` after each line), for cells that are text or numbers:
 * a third of an export's time went to the general library, which weighs every option per field.
 * test/export.test.ts holds the two to the same output.
 */
export function csvLines(lines: readonly (readonly (string | number)[])[]): string {
  let out = '';
  for (const line of lines) {
    for (let i = 0; i < line.length; i++) {
      const v = line[i]!;
      const text = typeof v === 'number' ? String(v) : NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      out += i === 0 ? text : `,${text}`;
    }
    out += '\n';
  }
  return out;
}

/**
 * The saved-at text of an ISO moment, remembered by its minute (what the short format shows):
 * saves come in bursts, and Intl's formatter is the dearest step of a line.
 */
function savedAtText(): (iso: string) => string {
  const seen = new Map<string, string>();
  return (iso) => {
    const minute = iso.slice(0, 16);
    let text = seen.get(minute);
    if (text === undefined) {
      if (seen.size > 10_000) seen.clear();
      seen.set(minute, (text = formatSavedAt(iso, 'short')));
    }
    return text;
  };
}

/** One cell of a CSV line. */
export function csvCell<R>(column: ExportColumn<R>, v: unknown, ctx: FormatContext, savedAt: (iso: string) => string = (iso) => formatSavedAt(iso, 'short')): string | number {
  if (v === undefined || v === null || v === '') return '';
  switch (column.kind) {
    case 'number':
    case 'rupiah': return typeof v === 'number' ? v : safeCell(v);
    case 'date': return safeCell(column.field ? formatValue(column.field, v, ctx) : v);
    case 'saved-at': return savedAt(String(v));
    case 'text': return safeCell(textOf(column, v, ctx));
  }
}

/** Writes `table` as one CSV file to `put` (a response, or a file inside a zip), waiting on `ready` between pages. */
export async function writeCsv(table: ExportTable, put: (bytes: Uint8Array) => void, ready: ByteSink['ready']): Promise<void> {
  put(encoder.encode('\uFEFF' + csvLines([table.columns.map((c) => safeCell(c.header))])));
  const savedAt = savedAtText();
  for await (const { records, ctx } of table.pages()) {
    const lines = records.map((r) => table.columns.map((c) => csvCell(c, c.value(r), ctx, savedAt)));
    put(encoder.encode(csvLines(lines)));
    await ready();
  }
}
