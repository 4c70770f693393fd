/**
 * Reports are definitions like forms: `x-rollup.scope` picks the report kind from this registry,
 * and everything else (parameters, rows, copied parts, entries) comes from the definition.
 * A new kind of report is a new module registered here.
 */
import type { FormModel } from '../model-types.js';
import { copyReport } from './copy-report.js';
import { tableReport } from './table-report.js';
import type { BuiltReport, ReportEntries, ReportKind, ReportParams, ReportSources } from './types.js';

export const REPORT_KINDS: ReadonlyMap<string, ReportKind> = new Map([tableReport, copyReport].map((k) => [k.name, k]));

/** The kind of a report definition; undefined for a form. */
export function reportKind(model: FormModel): ReportKind | undefined {
  return model.formKind === 'report' && model.rollup ? REPORT_KINDS.get(model.rollup.kind) : undefined;
}

function kindOf(report: FormModel): ReportKind {
  const kind = reportKind(report);
  if (!kind) throw new Error(`${report.id} is not a report with a known x-rollup.scope`);
  return kind;
}

/** Build the report now from stored data, with the staff's saved entries merged in. */
export function buildReport(sources: ReportSources, report: FormModel, params: ReportParams): Promise<BuiltReport> {
  return kindOf(report).build(sources, report, params);
}

/** Save staff entries on a report as a new revision. */
export function saveReportEntries(sources: ReportSources, report: FormModel, params: ReportParams, id: string, entries: ReportEntries) {
  return kindOf(report).saveEntries(sources, report, params, id, entries);
}

export { readReportParams, paramFields, type ParamSource } from './params.js';
export { reportRows, rollUpRows, rollUpRowsByDocument, totalsOf, type CellSource, type RollupCount } from './rollup.js';
export { cellSources, drillable, type CellDrill, type DrillRow } from './drill.js';
export { loadTargets, type TargetData } from './targets.js';
export { ReportSubjectNotFound, type BuiltReport, type ReportEntries, type ReportKind, type ReportParams, type ReportSources, type ReportTable } from './types.js';
export { regionParam, regionSummaryByReports, type RegionSummary, type RegionSummaryRow } from './one-level-up.js';
export { regionSummarySql } from './rollup-sql-regions.js';
