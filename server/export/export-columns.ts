/**
 * The columns of an export's tables, from the definition: its labels as headers, and for each
 * column how its value is kept for a spreadsheet. Numbers stay numbers (a district sums them),
 * dates stay dates; codes read as people read them through the one formatter (format.ts: option
 * labels, Ya/Tidak, region names), and a region field also keeps its code in a column of its own.
 *
 * Columns read the stored row itself (one main-table row, or one repeat row), not a rebuilt
 * submission: an export of 100,000 cards builds no nested objects per card.
 */
import { formatFor, formatValue, type FormatContext } from '../../generators/format.js';
import type { FieldNode, FormModel, RepeatNode, Row } from '../../engine/index.js';
import { maskValue } from '../personal.js';

/**
 * How a column's cells are written: `number` as a number (`rupiah` with a thousands format in a
 * workbook), `date` a calendar day, `saved-at` the moment of a save (WIB), `text` as text.
 */
export type CellKind = 'text' | 'number' | 'rupiah' | 'date' | 'saved-at';

export interface ExportColumn<R = Row> {
  readonly header: string;
  readonly kind: CellKind;
  /** The value (undefined when absent), as the viewer may see it. */
  readonly value: (record: R) => unknown;
  /** The definition's field behind the column (absent for bookkeeping columns). */
  readonly field?: FieldNode;
  /** A link to another form's record (the R/1's group): the column shows that record's name. */
  readonly reference?: string;
}

/** What a page's text cells are read with: region names, and names of the records linked to. */
export interface ExportContext extends FormatContext {
  /** The title (`x-title-field`) of a linked record in force now, by form and entity id. */
  readonly referenceName?: (form: string, id: string) => string | undefined;
}

/** A stored cell as the field's value (storage keeps booleans as 0/1), as row-mapping.ts reads it. */
function fromCell(f: FieldNode, cell: unknown): unknown {
  if (cell === null || cell === undefined) return undefined;
  switch (f.valueType) {
    case 'boolean': return Number(cell) === 1;
    case 'integer':
    case 'number': return Number(cell);
    default: return String(cell);
  }
}

/** The column(s) of one field: its cell kind chosen by the formatter's own ranking. */
export function fieldColumns<R>(f: FieldNode, value: (r: R) => unknown): ExportColumn<R>[] {
  const format = formatFor(f);
  const kind: CellKind = format === 'number' || format === 'year' ? 'number' : format === 'rupiah' ? 'rupiah' : format === 'date' ? 'date' : 'text';
  const column: ExportColumn<R> = { header: f.label, kind, value, field: f };
  // A link keeps its id (to join files on) beside the linked record's name, as a region its code.
  if (f.refForm) return [{ header: `ID ${f.label}`, kind: 'text', value }, { ...column, kind: 'text', reference: f.refForm }];
  return format === 'region' ? [{ header: `Kode ${f.label}`, kind: 'text', value }, column] : [column];
}

/** A field's column(s) over stored rows: its table column, masked when the viewer sees no personal data. */
function storedColumns(f: FieldNode, full: boolean): ExportColumn[] {
  const masked = f.personal && !full;
  return fieldColumns<Row>(f, masked ? (r) => maskValue(fromCell(f, r[f.key])) : (r) => fromCell(f, r[f.key]));
}

/** The main table: bookkeeping as the list CSV has it, then every field of the sections. */
export function mainColumns(model: FormModel, full: boolean): ExportColumn[] {
  const bookkeeping: ExportColumn[] = [
    { header: 'ID', kind: 'text', value: (r) => r._id },
    { header: 'Versi', kind: 'number', value: (r) => Number(r._version) },
    { header: 'Revisi', kind: 'number', value: (r) => Number(r._revision) },
    { header: 'Terkini', kind: 'text', value: (r) => (Number(r._current) === 1 ? 'Ya' : 'Tidak') },
    { header: 'Status', kind: 'text', value: (r) => r._status },
    { header: 'Disimpan', kind: 'saved-at', value: (r) => r._created_at },
  ];
  return [...bookkeeping, ...model.parts.flatMap((p) => (p.kind === 'section' ? p.fields.flatMap((f) => storedColumns(f, full)) : []))];
}

/** A repeat's table: the submission it belongs to (as ODK links a repeat's file), the row number, its columns. */
export function repeatColumns(part: RepeatNode, full: boolean): ExportColumn[] {
  return [
    { header: 'ID kiriman', kind: 'text', value: (r) => r._submission_id },
    { header: 'No', kind: 'number', value: (r) => Number(r._row) + 1 },
    ...part.columns.flatMap((f) => storedColumns(f, full)),
  ];
}

/** A text column's cell as people read it ('' when empty). */
export function textOf<R>(column: ExportColumn<R>, value: unknown, ctx: ExportContext): string {
  if (value === undefined || value === null) return '';
  if (column.reference) return ctx.referenceName?.(column.reference, String(value)) ?? String(value);
  return column.field ? formatValue(column.field, value, ctx) : String(value);
}

/** The ids a page of records links to, per linked form, to name them in one look-up each. */
export function referenceIds<R>(columns: readonly ExportColumn<R>[], records: readonly R[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const c of columns) {
    if (!c.reference) continue;
    let ids = out.get(c.reference);
    if (!ids) out.set(c.reference, (ids = new Set()));
    for (const r of records) {
      const v = c.value(r);
      if (typeof v === 'string') ids.add(v);
    }
  }
  return new Map([...out].map(([form, ids]) => [form, [...ids]]));
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
