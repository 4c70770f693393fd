/**
 * Cross-checks of a table report against another report's saved entries: a column declaring
 * `x-rollup.agreesWith` (the province's activity columns, rolled up from the groups' R/1) is
 * compared, row by row, with that field of the other report saved for the same group and period
 * (the district report's section C). Where both have a value and the values differ, the row is a
 * disagreement; where either is missing, nothing is claimed.
 */
import type { FieldNode, FormModel, TableRollup } from '../model-types.js';
import { indexModel } from '../model-index.js';
import { tablesFor } from '../storage/submissions.js';
import { rowsToSubmission, type Row } from '../storage/row-mapping.js';
import { paramFields } from './params.js';
import type { Disagreement, Json, ReportParams, ReportSources } from './types.js';

const CHUNK = 500;

/** The value of a root field in a submission rebuilt from its main row. */
function rootValue(model: FormModel, data: Json, field: string): unknown {
  const f = indexModel(model).rootFields.get(field);
  if (!f) return undefined;
  const [, section, key] = f.pointer.split('/');
  return (data[section!] as Json | undefined)?.[key!];
}

/**
 * The other report's current saved entries for these rows: its parameter field that refers to
 * the row form holds the row key, and its other parameters take the value of the table report's
 * parameter of the same key (tahun, bulan). Row key → the rebuilt submission.
 */
async function savedByRow(sources: ReportSources, other: FormModel, decl: TableRollup, params: ReportParams, keys: readonly string[]): Promise<Map<string, Json>> {
  const out = new Map<string, Json>();
  let fields;
  try {
    fields = paramFields(other).fields.map((p) => p.field);
  } catch {
    return out;
  }
  const link = fields.find((f) => f.refForm === decl.rowPer);
  if (!link) return out;
  const tables = await tablesFor(sources.store, other);
  const main = { ...tables, children: [] };
  for (let start = 0; start < keys.length; start += CHUNK) {
    let q = sources.store.db.selectFrom(tables.main.name).selectAll().where('_current', '=', 1).where(link.key, 'in', keys.slice(start, start + CHUNK));
    for (const f of fields) if (f !== link && params[f.key] !== undefined) q = q.where(f.key, '=', params[f.key] as never);
    for (const r of (await q.execute()) as Row[]) out.set(String(r[link.key]), rowsToSubmission(other, main, r, new Map()));
  }
  return out;
}

const heading = (col: FieldNode) => (typeof col.column === 'number' ? `(${col.column}) ${col.label}` : col.label);

/** Every disagreement of the report's rows with the fields their columns name in `agreesWith`. */
export async function crossCheck(
  sources: ReportSources, decl: TableRollup, columns: readonly FieldNode[], params: ReportParams,
  rows: readonly Json[], rowKey: string, rowLabel: string | undefined,
): Promise<Disagreement[]> {
  const checked = columns.filter((c) => c.agreesWith && sources.forms.has(c.agreesWith.from));
  if (!checked.length || !rows.length) return [];
  const keys = rows.map((r) => String(r[rowKey]));
  const byReport = new Map<string, Map<string, Json>>();
  for (const from of new Set(checked.map((c) => c.agreesWith!.from))) {
    byReport.set(from, await savedByRow(sources, sources.forms.get(from)!, decl, params, keys));
  }
  const out: Disagreement[] = [];
  for (const row of rows) {
    const key = String(row[rowKey]);
    for (const col of checked) {
      const a = col.agreesWith!;
      const other = sources.forms.get(a.from)!;
      const saved = byReport.get(a.from)?.get(key);
      const value = row[col.key];
      const otherValue = saved ? rootValue(other, saved, a.field) : undefined;
      if (value === undefined || otherValue === undefined || value === otherValue) continue;
      out.push({
        row: key, rowLabel: String((rowLabel && row[rowLabel]) ?? key), column: heading(col), columnKey: col.key, value,
        sourceCode: sources.forms.get(col.rollup?.from ?? '')?.code ?? col.rollup?.from ?? '',
        otherCode: other.code, otherField: indexModel(other).rootFields.get(a.field)?.label ?? a.field, otherValue,
        ...(a.assumed ? { assumed: a.assumed } : {}),
      });
    }
  }
  return out;
}
