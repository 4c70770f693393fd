/**
 * An export as one workbook (exceljs's streaming writer): a sheet per table, headers frozen,
 * numbers and dates as real cells (a district sums and sorts them), text as people read it.
 * Rows are committed page by page and each sheet is finished before the next begins (the zip
 * inside an .xlsx takes its parts one after another), so memory holds a page, not the workbook.
 */
import { once } from 'node:events';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FormatContext } from '../../generators/format.js';
import type { ByteSink } from './byte-stream.js';
import { textOf, type CellKind, type ExportColumn } from './export-columns.js';
import type { ExportTable } from './export-tables.js';

const NUMBER_FORMATS: Partial<Record<CellKind, string>> = { rupiah: '"Rp" #,##0', date: 'dd/mm/yyyy', 'saved-at': 'dd/mm/yyyy hh:mm' };
const WIB_MS = 7 * 3600 * 1000;
/** Sheet XML allowed to wait for the deflater, in bytes. */
const XML_BACKLOG = 4 * 1024 * 1024;

/** One cell of a sheet: a number, a date (the saved moment as WIB wall-clock time), or text. */
export function xlsxCell<R>(column: ExportColumn<R>, v: unknown, ctx: FormatContext): string | number | Date | null {
  if (v === undefined || v === null || v === '') return null;
  switch (column.kind) {
    case 'number':
    case 'rupiah': return typeof v === 'number' ? v : String(v);
    case 'date': {
      const d = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : undefined;
      return d && !Number.isNaN(d.getTime()) ? d : String(v);
    }
    case 'saved-at': {
      const t = Date.parse(String(v));
      return Number.isNaN(t) ? String(v) : new Date(t + WIB_MS);
    }
    case 'text': return textOf(column, v, ctx);
  }
}

/** A sheet name Excel accepts (31 characters, none of `[]:*?/\`), unique in the workbook. */
export function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Lembar';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * Waits until the zip has taken in what the sheet wrote. exceljs's sheet stream hands its 64 KB
 * chunks to the zip's deflater without heeding backpressure, so a producer that only watched the
 * reader would pile up XML in memory whenever deflating is the slower step (it is, on a fast link).
 * The sheet's stream and its pipes are exceljs's own (lib/utils/stream-buf.js), read, not changed.
 */
async function zipped(sheet: unknown, sink: ByteSink): Promise<void> {
  const stream = (sheet as unknown as { stream?: { pipes?: Writable[]; buffers?: unknown[] } }).stream;
  for (;;) {
    const pipe = stream?.pipes?.[0] as (Writable & { _writableState?: { length: number } }) | undefined;
    if (pipe) {
      // A few pages may wait (the deflater works while the next page is read), not the sheet.
      // archiver's own readable-stream 2 PassThrough keeps its backlog in `_writableState`.
      if ((pipe._writableState?.length ?? pipe.writableLength) <= XML_BACKLOG) return;
      await once(pipe, 'drain');
    } else {
      // The zip is still on an earlier part: what this sheet wrote waits in its own buffers.
      if ((stream?.buffers?.length ?? 0) <= 2) return;
      await sink.ready();
    }
  }
}

export async function writeXlsx(tables: readonly ExportTable[], sink: ByteSink): Promise<void> {
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      sink.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      done();
    },
  });
  // Shared strings would keep every distinct text of the export in memory until the end.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const taken = new Set<string>();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(sheetName(table.title, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((c) => ({ header: c.header, width: Math.min(40, Math.max(10, c.header.length + 2)), style: NUMBER_FORMATS[c.kind] ? { numFmt: NUMBER_FORMATS[c.kind] } : {} }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const { records, ctx } of table.pages()) {
      for (const r of records) sheet.addRow(table.columns.map((c) => xlsxCell(c, c.value(r), ctx))).commit();
      await zipped(sheet, sink);
      await sink.ready();
    }
    sheet.commit();
  }
  await workbook.commit();
}
