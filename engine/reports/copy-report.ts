/**
 * The copy report kind (`x-rollup.scope: "group"`): a report about one submission of another form
 * (the district report about one group): the parts named in `x-rollup.copy` come from that
 * submission's revision in force in the report's `period` (its current one without a period), the parameter section from the parameters, and every other
 * section from the latest saved entries for these parameters. A copy may say which of the
 * copied fields the report shows, in which order (`show`); the data keeps the whole copy.
 */
import type { CopyRollup, FormModel, SectionNode } from '../model-types.js';
import { indexModel, labelFor } from '../model-index.js';
import { deepestRegion } from '../regions.js';
import { loadCurrent, loadInForce, saveSubmission, SubmissionRejected } from '../storage/submissions.js';
import { applyEntries, latestSaved, notEnteredBy, othersFirst, sectionWith } from './saved.js';
import { ReportSubjectNotFound, type BuiltReport, type Json, type ReportEntries, type ReportKind, type ReportParams, type ReportSources, type ShownItem } from './types.js';

function declOf(report: FormModel): CopyRollup {
  if (report.rollup?.kind !== 'group') throw new Error(`Report ${report.id} has no copy roll-up.`);
  return report.rollup;
}

/** The parameter naming the copied submission: a parameter field referring to a copied form. */
function subjectField(report: FormModel, decl: CopyRollup) {
  const section = report.parts.find((p): p is SectionNode => p.kind === 'section' && p.key === decl.params.section);
  return section?.fields.find((f) => f.refForm && decl.copy.some((c) => c.from === f.refForm));
}

/**
 * A copied section's items as the report shows them: its `show` list resolved to the report's
 * fields, or undefined when the copy shows every field (or the part is not a copied section).
 */
export function shownItems(report: FormModel, section: string): ShownItem[] | undefined {
  const copy = report.rollup?.kind === 'group' ? report.rollup.copy.find((c) => c.section === section) : undefined;
  const part = report.parts.find((p): p is SectionNode => p.kind === 'section' && p.key === section);
  if (!copy?.show || !part) return undefined;
  const field = (k: string) => part.fields.find((f) => f.key === k);
  return copy.show.map((item) => ({ ...(item.title ? { title: item.title } : {}), fields: item.fields.map(field).filter((f) => f !== undefined) }));
}

async function build(sources: ReportSources, report: FormModel, params: ReportParams): Promise<BuiltReport> {
  const decl = declOf(report);
  const link = subjectField(report, decl);
  const subjectId = String((link && params[link.key]) ?? '');
  const copied: Json = {};
  const regionFields: { region?: string; value: unknown }[] = [];
  const year = decl.period && params[decl.period.year];
  const month = decl.period && params[decl.period.month];
  const period = typeof year === 'number' && typeof month === 'number' ? { year, month } : undefined;
  for (const copy of decl.copy) {
    const source = sources.forms.get(copy.from);
    // With a period: the card in force in the report's month (an older year's card, or none when
    // the group was not formed yet or had stopped); without one, the current card.
    const stored = source && (period ? await loadInForce(sources.store, source, subjectId, period) : await loadCurrent(sources.store, source, subjectId));
    if (!source || !stored || (!period && stored.status !== 'aktif')) throw new ReportSubjectNotFound(copy.from, subjectId);
    copied[copy.section] = stored.data[copy.path];
    const part = indexModel(source).repeats.has(copy.path) ? undefined : source.parts.find((p): p is SectionNode => p.kind === 'section' && p.key === copy.path);
    for (const f of part?.fields ?? []) regionFields.push({ region: f.region, value: (stored.data[copy.path] as Json | undefined)?.[f.key] });
  }
  const saved = await latestSaved(sources, report, params);
  const data: Json = {};
  for (const part of report.parts) {
    if (part.key in copied) data[part.key] = copied[part.key];
    else if (part.kind === 'section') {
      const section = sectionWith(part, params, saved?.[part.key] as Json | undefined);
      if (section) data[part.key] = section;
    }
  }
  const shown = Object.fromEntries(decl.copy.flatMap((c) => {
    const items = shownItems(report, c.section);
    return items ? [[c.section, items] as const] : [];
  }));
  return {
    model: report, params, data, region: deepestRegion(regionFields), savedId: (saved?._id as string | undefined) ?? null,
    ...(Object.keys(shown).length ? { shown } : {}),
  };
}

/**
 * Save the entered sections (everything not copied, parameters kept) as a new revision. Sections
 * not posted keep their saved values: the district's save leaves the province's section as it
 * was, and the other way round. A role posting another role's section is refused (`entered-by`).
 */
async function saveEntries(sources: ReportSources, report: FormModel, params: ReportParams, id: string, entries: ReportEntries) {
  const decl = declOf(report);
  const foreign = notEnteredBy(report, entries.by, entries);
  if (foreign.length) throw new SubmissionRejected('invalid', foreign);
  const built = await build(sources, report, params);
  const copied = new Set(decl.copy.map((c) => c.section));
  const problems: { path: string; label: string; message: string; keyword: string }[] = [];
  const enterable = new Map(report.parts.filter((p): p is SectionNode => p.kind === 'section' && !copied.has(p.key)).map((p) => [p.key, p]));
  for (const [key, values] of Object.entries(entries.sections)) {
    const part = enterable.get(key);
    if (!part) problems.push({ path: `/${key}`, label: key, message: `Bagian "${key}" tidak diisi di laporan ini.`, keyword: 'entries' });
    else if (values === null || typeof values !== 'object' || Array.isArray(values)) problems.push({ path: `/${key}`, label: part.title, message: 'Harus berupa isian bagian (objek).', keyword: 'type' });
    else for (const k of Object.keys(values)) {
      if (!part.fields.some((f) => f.key === k) || k in params) problems.push({ path: `/${key}/${k}`, label: labelFor(report, `/${key}/${k}`), message: 'Isian ini tidak ada atau tidak diisi di sini.', keyword: 'entries' });
    }
  }
  if (Object.keys(entries.rows).length) problems.push({ path: '', label: report.title, message: 'Laporan ini tidak punya baris untuk diisi.', keyword: 'entries' });
  if (problems.length) throw new SubmissionRejected('invalid', problems);
  const data = structuredClone(built.data);
  for (const [key, values] of Object.entries(entries.sections)) {
    // An entered section is replaced whole (a cleared Ya/Tidak is gone), the parameters kept.
    const keep = Object.fromEntries(Object.entries((data[key] as Json | undefined) ?? {}).filter(([k]) => k in params));
    data[key] = applyEntries(keep, values, () => true);
  }
  try {
    return await saveSubmission(sources.store, report, { id, data, guard: entries.guard });
  } catch (e) {
    if (e instanceof SubmissionRejected && e.kind === 'invalid') throw new SubmissionRejected('invalid', othersFirst(report, entries.by, e.issues));
    throw e;
  }
}

export const copyReport: ReportKind = { name: 'group', build, saveEntries };
