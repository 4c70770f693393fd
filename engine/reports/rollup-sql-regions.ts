/**
 * The national summary one level up (one-level-up.ts `regionSummaryByReports`) from one GROUP BY over every
 * region instead of one province report built per region: the same rows, registers arrived and
 * totals per region, and the country's totals. Entered columns (pagu, realisasi) come from each
 * region's saved report, as the region's own report merges them. When the roll-up cannot be
 * grouped this way (NotCompilable: a condition reads the region parameter) it builds the reports.
 */
import type { FormModel } from '../model-types.js';
import { tablesFor } from '../storage/submissions.js';
import { regionParam, regionSummaryByReports, type RegionSummary, type RegionSummaryRow } from './one-level-up.js';
import { reportRows } from './rollup.js';
import { NotCompilable } from './rollup-sql.js';
import { rollUpRegionTotalsSql } from './rollup-sql-national.js';
import { latestSaved } from './saved.js';
import { rowColumns } from './table-report.js';
import type { Json, ReportParams, ReportSources } from './types.js';

export async function regionSummarySql(sources: ReportSources, report: FormModel, params: ReportParams, include: (code: string) => boolean = () => true): Promise<RegionSummary | undefined> {
  const { decl, repeat } = reportRows(report);
  const param = regionParam(report);
  const rowForm = sources.forms.get(decl.rowPer);
  if (!param || !decl.filter || !rowForm) return undefined;
  const { rowKey } = rowColumns(sources, report, decl);
  const entered = repeat.columns.filter((c) => c.input && (c.valueType === 'integer' || c.valueType === 'number'));
  // The small look-ups go beside the roll-up (PostgreSQL runs them on other connections meanwhile).
  const rollup = rollUpRegionTotalsSql(sources, decl, repeat.columns, params, param.key);
  rollup.catch(() => undefined); // awaited below; not an unhandled rejection should a look-up fail first
  const [listed, withSaved] = await Promise.all([listedRegions(sources, rowForm, decl.filter.field), regionsWithSaved(sources, report, params, param.key, entered.length > 0)]);
  let grouped;
  try {
    grouped = await rollup;
  } catch (e) {
    if (e instanceof NotCompilable) return regionSummaryByReports(sources, report, params, include);
    throw e;
  }
  const codes = listed.filter(include);
  const rows: RegionSummaryRow[] = [];
  const totals: Json = {};
  for (const code of codes) {
    const region = grouped.regions.get(code);
    if (!region || !region.rows) continue;
    const sums: Json = { ...region.totals };
    if (entered.length && (!withSaved || withSaved.has(code))) {
      const saved = await latestSaved(sources, report, { ...params, [param.key]: code });
      const savedRows = ((saved?.[repeat.key] as Json[] | undefined) ?? []).filter((r) => typeof r[rowKey] === 'string');
      if (savedRows.length) {
        const mine = await grouped.entitiesOf(code);
        // The last saved row of a key counts, as the report's inputs map keeps it.
        const byKey = new Map(savedRows.map((r) => [r[rowKey] as string, r]));
        for (const col of entered) {
          let sum = 0;
          for (const [key, r] of byKey) if (mine.has(key) && typeof r[col.key] === 'number') sum += r[col.key] as number;
          sums[col.key] = sum;
        }
      }
    }
    rows.push({ code, rows: region.rows, received: [...region.received].map(([form, count]) => ({ code: sources.forms.get(form)?.code ?? form, count })), totals: sums });
    for (const [k, v] of Object.entries(sums)) if (typeof v === 'number') totals[k] = ((totals[k] as number | undefined) ?? 0) + v;
  }
  return { param, rows, totals };
}

/** The regions listed: those a current card names, as regionSummaryByReports lists them, in code order. */
async function listedRegions(sources: ReportSources, rowForm: FormModel, field: string): Promise<string[]> {
  const tables = await tablesFor(sources.store, rowForm);
  const found = (await sources.store.db.selectFrom(tables.main.name).select(field).distinct().where('_current', '=', 1).execute()) as Record<string, unknown>[];
  return found.map((r) => r[field]).filter((c): c is string => typeof c === 'string').sort();
}

/**
 * The regions with saved entries for the period (one query, instead of a latestSaved per region
 * only to find most have none); undefined when the saved report is not kept per region (then every
 * region asks latestSaved, which finds the same one).
 */
async function regionsWithSaved(sources: ReportSources, report: FormModel, params: ReportParams, region: string, needed: boolean): Promise<Set<string> | undefined> {
  if (!needed || !report.unique.includes(region)) return undefined;
  const tables = await tablesFor(sources.store, report);
  let q = sources.store.db.selectFrom(tables.main.name).select(region).distinct().where('_current', '=', 1);
  for (const key of report.unique) if (key !== region) q = q.where(key, '=', params[key] as never);
  const rows = (await q.execute()) as Record<string, unknown>[];
  return new Set(rows.map((r) => String(r[region])));
}
