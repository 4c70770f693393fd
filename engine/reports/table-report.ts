/**
 * A report as people read it: header from the parameters, rows rolled up from stored forms,
 * staff-entered columns merged from the latest saved entries, and a totals row. Saving entries
 * stores the whole report as a submission of the report definition (validated, revisioned).
 */
import type { FormModel, SectionNode } from './model-types.js';
import { indexModel } from './model-index.js';
import { rollUpRows, reportRows, totalsOf, type ReportParams, type RollupSources } from './rollup.js';
import { loadSubmission, saveSubmission, tablesFor, type SaveOutcome } from './storage/submissions.js';

type Json = Record<string, unknown>;

export interface BuiltReport {
  readonly model: FormModel;
  /** A submission of the report definition: header section(s), rows, signatures. */
  readonly data: Json;
  readonly totals: Json;
  /** The saved entries this report merged, if any. */
  readonly savedId: string | null;
}

/** The current saved report for these parameters (its x-unique key), if any. */
async function latestSaved(sources: RollupSources, report: FormModel, params: ReportParams): Promise<Json | undefined> {
  const unique = (report.schema['x-unique'] as string[] | undefined) ?? [];
  if (!unique.length) return undefined;
  const tables = await tablesFor(sources.store, report);
  let q = sources.store.db.selectFrom(tables.main.name).select('_id').where('_current', '=', 1);
  for (const key of unique) q = q.where(key, '=', params[key] as never);
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const saved = await loadSubmission(sources.store, report, String(row._id));
  return saved ? { ...saved.data, _id: saved.id } : undefined;
}

/** Roll the report up now, with the staff's saved entries merged in. */
export async function buildReport(sources: RollupSources, report: FormModel, params: ReportParams): Promise<BuiltReport> {
  const { decl, repeat } = reportRows(report);
  const saved = await latestSaved(sources, report, params);
  const inputCols = repeat.columns.filter((c) => c.input).map((c) => c.key);
  const link = repeat.columns.find((c) => c.refForm === decl.rowPer)?.key;
  const inputs = new Map<string, Json>();
  for (const row of (saved?.[repeat.key] as Json[] | undefined) ?? []) {
    if (link && typeof row[link] === 'string') inputs.set(row[link] as string, Object.fromEntries(inputCols.filter((k) => k in row).map((k) => [k, row[k]])));
  }
  const rows: Json[] = [];
  await rollUpRows(sources, report, params, inputs, (r) => rows.push(r));

  const data: Json = {};
  for (const part of report.parts) {
    if (part.kind === 'repeat') {
      if (part.key === repeat.key) data[part.key] = rows;
      continue;
    }
    const section = headerSection(part, params, saved?.[part.key] as Json | undefined);
    if (section) data[part.key] = section;
  }
  return { model: report, data, totals: totalsOf(repeat, rows), savedId: (saved?._id as string | undefined) ?? null };
}

function headerSection(part: SectionNode, params: ReportParams, saved: Json | undefined): Json | undefined {
  const out: Json = {};
  for (const f of part.fields) {
    if (f.key in params) out[f.key] = f.valueType === 'integer' ? Number(params[f.key]) : String(params[f.key]);
    else if (saved && f.key in saved) out[f.key] = saved[f.key];
  }
  return Object.keys(out).length || part.required ? out : undefined;
}

/**
 * Save the staff's entries (pagu, realisasi, keterangan, signatures): the report is rolled up
 * afresh, the entries applied by group, and the whole stored as a new revision of the report.
 */
export async function saveReportInputs(
  sources: RollupSources, report: FormModel, params: ReportParams, id: string,
  entries: { rows: Readonly<Record<string, Json>>; sections: Readonly<Record<string, Json>> },
): Promise<SaveOutcome> {
  const built = await buildReport(sources, report, params);
  const { decl, repeat } = reportRows(report);
  const link = repeat.columns.find((c) => c.refForm === decl.rowPer)?.key;
  const inputCols = new Set(repeat.columns.filter((c) => c.input).map((c) => c.key));
  const data = structuredClone(built.data);
  data[repeat.key] = (data[repeat.key] as Json[]).map((row) => {
    const entry = link ? entries.rows[row[link] as string] : undefined;
    if (!entry) return row;
    const next = { ...row };
    for (const [k, v] of Object.entries(entry)) {
      if (!inputCols.has(k)) continue;
      if (v === '' || v === null || v === undefined) delete next[k];
      else next[k] = v;
    }
    return next;
  });
  const idx = indexModel(report);
  for (const [sectionKey, values] of Object.entries(entries.sections)) {
    const part = report.parts.find((p) => p.key === sectionKey && p.kind === 'section') as SectionNode | undefined;
    if (!part) continue;
    const section: Json = { ...((data[sectionKey] as Json | undefined) ?? {}) };
    for (const [k, v] of Object.entries(values)) {
      if (!idx.rootFields.get(k)?.input) continue;
      if (v === '' || v === null || v === undefined) delete section[k];
      else section[k] = v;
    }
    data[sectionKey] = section;
  }
  return saveSubmission(sources.store, report, { id, data });
}

/** `x-rollup.copy` of a per-group report: which sections come from which form's section. */
interface CopyDecl { readonly section: string; readonly from: string; readonly path: string }

export class GroupNotFound extends Error {}

/**
 * A per-group report (the district report): sections declared in `x-rollup.copy` come from the
 * group's current card, the others (activities) from the latest saved entries for this group and
 * period, and the parameters fill the fields of the same name (kelompok_id, bulan, tahun).
 */
export async function buildGroupReport(sources: RollupSources, report: FormModel, params: ReportParams): Promise<BuiltReport> {
  const copies = (report.rollup?.copy as CopyDecl[] | undefined) ?? [];
  // The group is the parameter named like the report's link field to the copied form (kelompok_id).
  const link = [...indexModel(report).rootFields.values()].find((f) => f.refForm && copies.some((c) => c.from === f.refForm));
  const groupId = String((link && params[link.key]) ?? '');
  const copied: Json = {};
  for (const copy of copies) {
    const source = sources.forms.get(copy.from);
    const stored = source && (await loadSubmission(sources.store, source, groupId));
    if (!stored || stored.status !== 'aktif') throw new GroupNotFound(`No active ${copy.from} ${groupId}`);
    copied[copy.section] = stored.data[copy.path];
  }
  const saved = await latestSaved(sources, report, params);
  const data: Json = {};
  for (const part of report.parts) {
    if (part.key in copied) data[part.key] = copied[part.key];
    else if (part.kind === 'section') {
      const section = headerSection(part, params, saved?.[part.key] as Json | undefined);
      if (section) data[part.key] = section;
    }
  }
  return { model: report, data, totals: {}, savedId: (saved?._id as string | undefined) ?? null };
}

/** Save the entered sections of a per-group report (everything not copied) as a new revision. */
export async function saveGroupReportEntries(
  sources: RollupSources, report: FormModel, params: ReportParams, id: string, sections: Readonly<Record<string, Json>>,
): Promise<SaveOutcome> {
  const built = await buildGroupReport(sources, report, params);
  const copied = new Set(((report.rollup?.copy as CopyDecl[] | undefined) ?? []).map((c) => c.section));
  const data = structuredClone(built.data);
  for (const part of report.parts) {
    if (part.kind !== 'section' || copied.has(part.key) || !(part.key in sections)) continue;
    const own = new Set(part.fields.map((f) => f.key));
    const keep = Object.fromEntries(Object.entries((data[part.key] as Json | undefined) ?? {}).filter(([k]) => k in params));
    const entered = Object.fromEntries(Object.entries(sections[part.key]!).filter(([k, v]) => own.has(k) && !(k in params) && v !== undefined && v !== ''));
    data[part.key] = { ...keep, ...entered };
  }
  return saveSubmission(sources.store, report, { id, data });
}
