/**
 * A report for one request: its parameters read and checked from the URL or body (400 with the
 * field's label otherwise), built by its kind, and the access check on the region it is about.
 * Shared by the pages, the JSON API and the downloads.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { buildReport, paramFields, readReportParams, ReportSubjectNotFound, type BuiltReport, type FormModel, type ReportParams, type ValidationIssue } from '../engine/index.js';
import { requireReadable, requireWritable, seesPersonal } from './access.js';
import { maskPersonal } from './personal.js';
import type { AppDeps } from './context.js';
import { registryOf } from './studio/registry.js';
import type { ParamSource } from './http.js';

/** Parameters that do not hold: the issues, for a 400 that names each field. */
export class ParamsRejected extends HTTPException {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(400, { message: issues.map((i) => `${i.label}: ${i.message}`).join(' ') });
  }
}

/** The report's parameters or a 400 naming each bad one. */
export async function reportParams(deps: AppDeps, report: FormModel, source: ParamSource): Promise<ReportParams> {
  const { params, issues } = await readReportParams(deps.store, report, source);
  if (issues.length) throw new ParamsRejected(issues);
  return params;
}

/**
 * Build the report (404 when its subject, a group card, is gone) and check the viewer's region:
 * reading outside it is a 404, writing a 403. Personal fields copied into it (members' NIK) are
 * masked for roles that need none.
 */
export async function builtReport(c: Context, deps: AppDeps, report: FormModel, params: ReportParams, action: 'read' | 'write' = 'read'): Promise<BuiltReport> {
  const check = (region: string | undefined) => (action === 'read' ? requireReadable(c, region, 'Laporan tidak ditemukan untuk wilayah Anda.') : requireWritable(c, region));
  // A report whose parameters name its region (the province report) is checked before anything
  // is rolled up; one about a record (a group's report) is checked on that record's region.
  const paramRegion = paramFields(report).fields.find(({ field }) => field.region && typeof params[field.key] === 'string')?.field;
  if (paramRegion) check(String(params[paramRegion.key]));
  let built: BuiltReport;
  try {
    built = await buildReport(deps, reportVersion(deps, report, params), params);
  } catch (e) {
    if (!(e instanceof ReportSubjectNotFound)) throw e;
    const field = paramFields(report).fields.find(({ field: f }) => f.refForm === e.formId)?.field;
    throw new HTTPException(404, { message: `${field?.label ?? 'Data'} tidak ditemukan, atau tidak berlaku pada periode ini (belum terbentuk atau sudah nonaktif).` });
  }
  check(built.region);
  return seesPersonal(c) ? built : { ...built, data: maskPersonal(report, built.data) };
}

/**
 * The report definition in force for the report's own period (`x-rollup.period`): a version the
 * studio published from a later month does not change the reports of earlier months.
 */
export function reportVersion(deps: AppDeps, report: FormModel, params: ReportParams): FormModel {
  const registry = registryOf(deps.forms);
  const period = report.rollup && 'period' in report.rollup ? report.rollup.period : undefined;
  const tahun = period && params[period.year];
  const bulan = period && params[period.month];
  return registry && typeof tahun === 'number' && typeof bulan === 'number' ? registry.at(report.id, { tahun, bulan }) ?? report : report;
}

/** The parameters as a query string, by the names the URL uses. */
export function paramsQuery(report: FormModel, params: ReportParams): string {
  const q = new URLSearchParams();
  for (const { field, name } of paramFields(report).fields) if (params[field.key] !== undefined) q.set(name, String(params[field.key]));
  return q.toString();
}

/** A file name for a download: the report id and its parameter values. */
export function reportFileName(report: FormModel, params: ReportParams, ext: string): string {
  const values = paramFields(report).fields.map(({ field }) => params[field.key]).filter((v) => v !== undefined && !(typeof v === 'string' && v.length > 20));
  return `${[report.id, ...values].join('-')}.${ext}`;
}
