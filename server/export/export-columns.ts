/**
 * The columns of an export's tables, from the definition: its labels as headers, and for each
 * column how its value is kept for a spreadsheet. Numbers stay numbers (a district sums them),
 * dates stay dates; codes read as people read them through the one formatter (format.ts: option
 * labels, Ya/Tidak, region names), and a region field also keeps its code in a column of its own.
 */
import { formatFor, formatValue, type FormatContext } from '../../generators/format.js';
import type { FieldNode, FormModel, RepeatNode } from '../../engine/index.js';

/** A submission of the main table, its sections' data as the viewer may see it. */
export interface MainRecord {
  readonly id: string;
  readonly version: number;
  readonly revision: number;
  readonly current: boolean;
  readonly status: string;
  readonly createdAt: string;
  readonly data: Record<string, unknown>;
}

/** One row of a repeat, linked to its submission by id (as ODK links a repeat's file). */
export interface RepeatRecord {
  readonly submissionId: string;
  /** 1 for the first row, as the paper form numbers them. */
  readonly row: number;
  readonly data: Record<string, unknown>;
}

/**
 * How a column's cells are written: `number` as a number (`rupiah` with a thousands format in a
 * workbook), `date` a calendar day, `saved-at` the moment of a save (WIB), `text` as text.
 */
export type CellKind = 'text' | 'number' | 'rupiah' | 'date' | 'saved-at';

export interface ExportColumn<R> {
  readonly header: string;
  readonly kind: CellKind;
  /** The stored value (undefined when absent). */
  readonly value: (record: R) => unknown;
  /** The definition's field behind the column (absent for bookkeeping columns). */
  readonly field?: FieldNode;
}

/** A region code as stored, beside the name its field shows. */
const codeColumn = <R>(f: FieldNode, value: (r: R) => unknown): ExportColumn<R> => ({ header: `Kode ${f.label}`, kind: 'text', value });

/** The column(s) of one field: its cell kind chosen by the formatter's own ranking. */
export function fieldColumns<R>(f: FieldNode, value: (r: R) => unknown): ExportColumn<R>[] {
  const format = formatFor(f);
  const kind: CellKind = format === 'number' || format === 'year' ? 'number' : format === 'rupiah' ? 'rupiah' : format === 'date' ? 'date' : 'text';
  const column: ExportColumn<R> = { header: f.label, kind, value, field: f };
  return format === 'region' ? [codeColumn(f, value), column] : [column];
}

/** The main table: bookkeeping as the list CSV has it, then every field of the sections. */
export function mainColumns(model: FormModel): ExportColumn<MainRecord>[] {
  const bookkeeping: ExportColumn<MainRecord>[] = [
    { header: 'ID', kind: 'text', value: (r) => r.id },
    { header: 'Versi', kind: 'number', value: (r) => r.version },
    { header: 'Revisi', kind: 'number', value: (r) => r.revision },
    { header: 'Terkini', kind: 'text', value: (r) => (r.current ? 'Ya' : 'Tidak') },
    { header: 'Status', kind: 'text', value: (r) => r.status },
    { header: 'Disimpan', kind: 'saved-at', value: (r) => r.createdAt },
  ];
  const fields = model.parts.flatMap((p) => (p.kind === 'section'
    ? p.fields.flatMap((f) => fieldColumns<MainRecord>(f, (r) => (r.data[p.key] as Record<string, unknown> | undefined)?.[f.key]))
    : []));
  return [...bookkeeping, ...fields];
}

/** A repeat's table: the submission it belongs to, the row number, then its columns. */
export function repeatColumns(part: RepeatNode): ExportColumn<RepeatRecord>[] {
  return [
    { header: 'ID kiriman', kind: 'text', value: (r) => r.submissionId },
    { header: 'No', kind: 'number', value: (r) => r.row },
    ...part.columns.flatMap((f) => fieldColumns<RepeatRecord>(f, (r) => r.data[f.key])),
  ];
}

/** A text column's cell as people read it ('' when empty). */
export function textOf<R>(column: ExportColumn<R>, value: unknown, ctx: FormatContext): string {
  if (value === undefined || value === null) return '';
  return column.field ? formatValue(column.field, value, ctx) : String(value);
}

/** The region codes a page of records holds in its region columns, to name them in one look-up. */
export function regionCodes<R>(columns: readonly ExportColumn<R>[], records: readonly R[]): string[] {
  const regional = columns.filter((c) => c.field?.region);
  const codes = new Set<string>();
  for (const r of records) for (const c of regional) {
    const v = c.value(r);
    if (typeof v === 'string') codes.add(v);
  }
  return [...codes];
}
