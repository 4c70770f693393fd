/** CSV downloads (csv-stringify), with labels as headers and a BOM so spreadsheets read UTF-8. */
import { stringify } from 'csv-stringify/sync';
import type { FieldNode, FormModel, RepeatNode } from '../engine/model-types.js';
import type { ListedSubmission } from './submissions-query.js';

const cell = (v: unknown): string | number => (v === true ? 'Ya' : v === false ? 'Tidak' : v === undefined || v === null ? '' : (v as string | number));

function columnHeading(f: FieldNode): string {
  return typeof f.column === 'number' ? `(${f.column}) ${f.label}` : f.label;
}

/** One line per submission: bookkeeping columns, then every field of the non-repeating sections. */
export function submissionsCsv(model: FormModel, items: readonly ListedSubmission[]): string {
  const fields = model.parts.flatMap((p) => (p.kind === 'section' ? p.fields.map((f) => [p.key, f] as const) : []));
  const header = ['ID', 'Versi', 'Revisi', 'Status', 'Disimpan', ...fields.map(([, f]) => f.label)];
  const rows = items.map((it) => [it.id, it.version, it.revision, it.status, it.createdAt,
    ...fields.map(([section, f]) => cell((it.data[section] as Record<string, unknown> | undefined)?.[f.key]))]);
  return '\uFEFF' + stringify([header, ...rows]);
}

/** A report table: one line per row, then the totals line. */
export function reportCsv(repeat: RepeatNode, rows: readonly Record<string, unknown>[], totals: Record<string, unknown>): string {
  const cols = repeat.columns.filter((c) => !c.hidden);
  const header = [repeat.rowNumberColumn ? `(${repeat.rowNumberColumn}) No` : 'No', ...cols.map(columnHeading)];
  const body = rows.map((r, i) => [i + 1, ...cols.map((c) => cell(r[c.key]))]);
  const total = ['Jumlah', ...cols.map((c) => (c.key in totals ? (totals[c.key] as number) : ''))];
  return '\uFEFF' + stringify([header, ...body, total]);
}
