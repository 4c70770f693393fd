/** The staff's latest saved entries of a report for one set of parameters (its `x-unique` key). */
import type { FormModel, SectionNode } from '../model-types.js';
import { loadSubmission, tablesFor } from '../storage/submissions.js';
import type { Json, ReportParams, ReportSources } from './types.js';

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
