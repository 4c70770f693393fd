/**
 * CSV downloads (csv-stringify): labels as headers, a BOM so spreadsheets read UTF-8, numbers as
 * numbers, Ya/Tidak for booleans. A text cell that a spreadsheet would run as a formula (`=`, `+`,
 * `-`, `@`, tab, CR first) is prefixed with `'`, so it is shown exactly as typed.
 */
import { stringify } from 'csv-stringify/sync';
import type { FieldNode } from '../../engine/model-types.js';
import type { BuiltReport } from '../../engine/index.js';
import { formatValue, type FormatContext } from '../format.js';

/** Neutralise spreadsheet formulas in a text cell (OWASP's CSV injection advice). */
export function safeCell(v: unknown): string | number {
  if (typeof v === 'boolean') return v ? 'Ya' : 'Tidak'; // as formatValue reads them
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return v;
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function columnHeading(f: FieldNode): string {
  return typeof f.column === 'number' ? `(${f.column}) ${f.label}` : f.label;
}

/**
 * A report without a table (a report about one group): its sections as "Bagian, Isian, Nilai"
 * lines, then each repeating part as a header and its rows, in the definition's order.
 */
function reportPartsCsv(built: BuiltReport, ctx: FormatContext): string {
  const lines: (string | number)[][] = [['Bagian', 'Isian', 'Nilai']];
  for (const part of built.model.parts) {
    const value = built.data[part.key];
    if (part.kind === 'section') {
      for (const f of part.fields) if (!f.hidden) lines.push([part.title, f.label, formatValue(f, (value as Record<string, unknown> | undefined)?.[f.key], ctx)].map(safeCell));
      continue;
    }
    lines.push([], [safeCell(part.title)], ['No', ...part.columns.filter((c) => !c.hidden).map((c) => safeCell(c.label))]);
    ((value as Record<string, unknown>[] | undefined) ?? []).forEach((r, i) => lines.push([i + 1, ...part.columns.filter((c) => !c.hidden).map((c) => safeCell(formatValue(c, r[c.key], ctx)))]));
  }
  return '\uFEFF' + stringify(lines);
}

/** A report's table: one line per row, then the totals line. */
export function reportCsv(built: BuiltReport, ctx: FormatContext = {}): string {
  const table = built.table;
  if (!table) return reportPartsCsv(built, ctx);
  const cols = table.repeat.columns.filter((c) => !c.hidden);
  const header = [table.repeat.rowNumberColumn ? `(${table.repeat.rowNumberColumn}) No` : 'No', ...cols.map(columnHeading)];
  const body = table.rows.map((r, i) => [i + 1, ...cols.map((c) => safeCell(r[c.key]))]);
  const total = ['Jumlah', ...cols.map((c) => (c.key in table.totals ? (table.totals[c.key] as number) : ''))];
  return '\uFEFF' + stringify([header.map(safeCell), ...body, total]);
}
