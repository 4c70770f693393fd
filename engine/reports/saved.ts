/**
 * The staff's saved entries of a report: the latest for one set of parameters (its `x-unique`
 * key), and who may enter which section of it.
 */
import type { ValidationIssue } from '../issues.js';
import type { FormModel, SectionNode } from '../model-types.js';
import { labelFor } from '../model-index.js';
import { loadSubmission, tablesFor } from '../storage/submissions.js';
import type { Json, ReportEntries, ReportParams, ReportSources } from './types.js';

/** The current saved entries for these parameters, with their `_id`. */
export async function latestSaved(sources: ReportSources, report: FormModel, params: ReportParams): Promise<Json | undefined> {
  if (!report.unique.length) return undefined;
  const tables = await tablesFor(sources.store, report);
  let q = sources.store.db.selectFrom(tables.main.name).select('_id').where('_current', '=', 1);
  for (const key of report.unique) q = q.where(key, '=', params[key] as never);
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const saved = await loadSubmission(sources.store, report, String(row._id));
  return saved ? { ...saved.data, _id: saved.id } : undefined;
}

/** A section of the report as shown: parameters where the section has them, saved values for the rest. */
export function sectionWith(part: SectionNode, params: ReportParams, saved: Json | undefined): Json | undefined {
  const out: Json = {};
  for (const f of part.fields) {
    if (f.key in params) out[f.key] = params[f.key];
    else if (saved && f.key in saved) out[f.key] = saved[f.key];
  }
  return Object.keys(out).length || part.required ? out : undefined;
}

/** Apply entered values to a section: empty clears, only fields staff enter (`x-input` or not copied) count. */
export function applyEntries(current: Json | undefined, entered: Json, may: (key: string) => boolean): Json {
  const section: Json = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(entered)) {
    if (!may(k)) continue;
    if (v === '' || v === null || v === undefined) delete section[k];
    else section[k] = v;
  }
  return section;
}

/**
 * The roles that enter a section of a report: its `x-rollup.enteredBySection` entry, else the
 * report's `enteredBy`.
 */
export function sectionRoles(report: FormModel, section: string): readonly string[] {
  const decl = report.rollup;
  return decl?.enteredBySection[section] ?? decl?.enteredBy ?? [];
}

/**
 * Fields an account of `role` posts in sections it does not enter (the district writing the
 * province's part), one problem per field with its label: keyword `entered-by`, which the server
 * answers with 403. Table rows count as the report's own entries (`enteredBy`).
 */
export function notEnteredBy(report: FormModel, role: string | undefined, entries: ReportEntries): ValidationIssue[] {
  if (role === undefined) return [];
  const out: ValidationIssue[] = [];
  for (const [key, values] of Object.entries(entries.sections)) {
    const roles = sectionRoles(report, key);
    if (roles.includes(role)) continue;
    const part = report.parts.find((p): p is SectionNode => p.kind === 'section' && p.key === key);
    if (!part) continue;
    for (const k of Object.keys(values ?? {})) {
      if (!part.fields.some((f) => f.key === k)) continue;
      out.push({ path: `/${key}/${k}`, label: labelFor(report, `/${key}/${k}`), message: `Isian ini diisi oleh peran ${roles.join(' atau ')}, bukan oleh peran ${role}.`, keyword: 'entered-by' });
    }
  }
  if (Object.keys(entries.rows).length && !(report.rollup?.enteredBy ?? []).some((r) => r === role)) {
    out.push({ path: '', label: report.title, message: `Baris laporan ini tidak diisi oleh peran ${role}.`, keyword: 'entered-by' });
  }
  return out;
}

/**
 * Validation problems in sections the posting role does not enter (a required section of
 * another role not yet filled) become one sentence per section: which role fills it first.
 */
export function othersFirst(report: FormModel, role: string | undefined, issues: readonly ValidationIssue[]): ValidationIssue[] {
  if (role === undefined) return [...issues];
  const told = new Set<string>();
  const out: ValidationIssue[] = [];
  for (const i of issues) {
    const key = i.path.split('/')[1] ?? '';
    const part = report.parts.find((p): p is SectionNode => p.kind === 'section' && p.key === key);
    const roles = part ? sectionRoles(report, key) : [];
    if (!part || roles.includes(role) || !report.rollup?.enteredBySection[key]) {
      out.push(i);
      continue;
    }
    if (told.has(key)) continue;
    told.add(key);
    out.push({ path: `/${key}`, label: part.title, message: `Bagian ini belum lengkap; bagian ini diisi lebih dahulu oleh peran ${roles.join(' atau ')}.`, keyword: 'entered-by-first' });
  }
  return out;
}
