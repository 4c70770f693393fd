/**
 * A table report one level up: the province report's roll-up declaration run for every region its
 * `filter` parameter can take (each province with groups), each region's totals as one row, and
 * the country's totals below — the national summary of a month, from the same declaration.
 */
import type { FieldNode, FormModel } from '../model-types.js';
import { tablesFor } from '../storage/submissions.js';
import { reportRows } from './rollup.js';
import { tableReport } from './table-report.js';
import type { Json, ReportParams, ReportSources } from './types.js';

export interface RegionSummaryRow {
  readonly code: string;
  /** Rows (groups) of that region's report, and per period form how many registers arrived. */
  readonly rows: number;
  readonly received: readonly { readonly code: string; readonly count: number }[];
  readonly totals: Json;
}

export interface RegionSummary {
  /** The parameter the regions fill (the report's province). */
  readonly param: FieldNode;
  readonly rows: readonly RegionSummaryRow[];
  readonly totals: Json;
}

/** The parameter field a table report's filter compares with (`filter.equals: {param}`). */
export function regionParam(report: FormModel): FieldNode | undefined {
  const { decl } = reportRows(report);
  const equals = decl.filter?.equals;
  const key = equals && typeof equals === 'object' && 'param' in equals ? equals.param : undefined;
  const section = report.parts.find((p) => p.kind === 'section' && p.key === decl.params.section);
  return section?.kind === 'section' ? section.fields.find((f) => f.key === key && f.region) : undefined;
}

/**
 * Totals per region for `params` (the period; the region parameter is set per region), for the
 * regions `include` keeps (the viewer's scope), in code order, by building each region's report.
 * The national page uses regionSummarySql (rollup-sql-regions.ts): the same from one GROUP BY,
 * with this as its fallback and as the reference the test holds it to.
 */
export async function regionSummaryByReports(sources: ReportSources, report: FormModel, params: ReportParams, include: (code: string) => boolean = () => true): Promise<RegionSummary | undefined> {
  const { decl } = reportRows(report);
  const param = regionParam(report);
  const rowForm = sources.forms.get(decl.rowPer);
  if (!param || !decl.filter || !rowForm) return undefined;
  const tables = await tablesFor(sources.store, rowForm);
  const found = (await sources.store.db.selectFrom(tables.main.name).select(decl.filter.field).distinct().where('_current', '=', 1).execute()) as Record<string, unknown>[];
  const codes = found.map((r) => r[decl.filter!.field]).filter((c): c is string => typeof c === 'string' && include(c)).sort();
  const rows: RegionSummaryRow[] = [];
  const totals: Json = {};
  for (const code of codes) {
    const built = await tableReport.build(sources, report, { ...params, [param.key]: code });
    const table = built.table!;
    if (!table.rows.length) continue;
    rows.push({ code, rows: table.rows.length, received: table.received.map((r) => ({ code: r.code, count: r.count })), totals: table.totals });
    for (const [k, v] of Object.entries(table.totals)) if (typeof v === 'number') totals[k] = ((totals[k] as number | undefined) ?? 0) + v;
  }
  return { param, rows, totals };
}
