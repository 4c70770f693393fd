/**
 * The table report kind (`x-rollup.scope: "province"`): one row per current, active submission of
 * another form (a province's group cards), columns rolled up as each column declares, staff
 * entries (`x-input` columns and sections) merged from the latest saved revision, and totals.
 * Columns declaring `agreesWith` are cross-checked against another report's saved entries
 * (cross-check.ts). Saving entries stores the whole report as a new revision of the report definition.
 */
import type { FormModel, SectionNode, TableRollup } from '../model-types.js';
import { labelFor } from '../model-index.js';
import { saveSubmission, SubmissionRejected } from '../storage/submissions.js';
import { reportRows, rollUpRows, totalsOf } from './rollup.js';
import { crossCheck } from './cross-check.js';
import { readTargets } from '../monitoring/target-store.js';
import { applyEntries, latestSaved, notEnteredBy, sectionWith } from './saved.js';
import type { BuiltReport, Json, ReportEntries, ReportKind, ReportParams, ReportSources, ReportTable } from './types.js';

/** The column keyed by the row form's id, and the one naming the row (the group's title field). */
export function rowColumns(sources: ReportSources, report: FormModel, decl: TableRollup) {
  const { repeat } = reportRows(report);
  const rowKey = repeat.columns.find((c) => c.rollup?.kind === 'value' && c.rollup.field === 'id')?.key
    ?? repeat.columns.find((c) => c.refForm === decl.rowPer)?.key ?? '';
  const title = sources.forms.get(decl.rowPer)?.titleField;
  const rowLabel = repeat.columns.find((c) => c.rollup?.kind === 'value' && c.rollup.field === title)?.key;
  return { repeat, rowKey, rowLabel };
}

function regionOf(report: FormModel, params: ReportParams): string | undefined {
  const decl = report.rollup;
  const section = decl ? report.parts.find((p) => p.key === decl.params.section) : undefined;
  if (section?.kind !== 'section') return undefined;
  const field = section.fields.find((f) => f.region && typeof params[f.key] === 'string');
  return field ? String(params[field.key]) : undefined;
}

/**
 * The program target of the report's year for its region: the year's targets as national staff
 * keep them (engine/monitoring/target-store.ts), else the target file's own year; a report of a
 * year without targets says so rather than showing another year's.
 */
async function targetFor(sources: ReportSources, id: string, year: unknown, region: string | undefined): Promise<BuiltReport['target']> {
  const file = sources.targets?.get(id);
  if (!file) return undefined;
  const stored = typeof year === 'number' ? await readTargets(sources.store, year) : new Map<string, { value: number | null }>();
  const sameYear = file.year === undefined || file.year === year;
  const value = region === undefined ? null : stored.size ? (stored.get(region)?.value ?? null) : sameYear ? (file.values[region] ?? null) : null;
  return { title: sameYear ? file.title : `Target ${String(year)}`, unit: file.unit, value };
}

async function build(sources: ReportSources, report: FormModel, params: ReportParams): Promise<BuiltReport> {
  const { decl } = reportRows(report);
  const { repeat, rowKey, rowLabel } = rowColumns(sources, report, decl);
  const saved = await latestSaved(sources, report, params);
  const inputCols = repeat.columns.filter((c) => c.input).map((c) => c.key);
  const inputs = new Map<string, Json>();
  for (const row of (saved?.[repeat.key] as Json[] | undefined) ?? []) {
    if (typeof row[rowKey] === 'string') inputs.set(row[rowKey] as string, Object.fromEntries(inputCols.filter((k) => k in row).map((k) => [k, row[k]])));
  }
  const rows: Json[] = [];
  const counted = await rollUpRows(sources, report, params, inputs, (r) => rows.push(r));
  const received = [...counted.received].map(([form, count]) => ({ form, code: sources.forms.get(form)?.code ?? form, count }));

  const data: Json = {};
  for (const part of report.parts) {
    if (part.kind === 'repeat') {
      if (part.key === repeat.key) data[part.key] = rows;
      continue;
    }
    const section = sectionWith(part, params, saved?.[part.key] as Json | undefined);
    if (section) data[part.key] = section;
  }
  const region = regionOf(report, params);
  const target = decl.target ? await targetFor(sources, decl.target, decl.period ? params[decl.period.year] : undefined, region) : undefined;
  const table: ReportTable = { repeat, rowKey, rowLabel, rows, totals: totalsOf(repeat, rows), received };
  const disagreements = await crossCheck(sources, decl, repeat.columns, params, rows, rowKey, rowLabel);
  return {
    model: report, params, data, table, region, disagreements,
    ...(target ? { target } : {}),
    savedId: (saved?._id as string | undefined) ?? null,
  };
}

/**
 * Entries name rows by their key and sections by theirs; a row or field that the report does not
 * have, or that staff do not enter, is refused with its place rather than ignored.
 */
async function saveEntries(sources: ReportSources, report: FormModel, params: ReportParams, id: string, entries: ReportEntries) {
  const foreign = notEnteredBy(report, entries.by, entries);
  if (foreign.length) throw new SubmissionRejected('invalid', foreign);
  const built = await build(sources, report, params);
  const table = built.table!;
  const { repeat, rowKey } = table;
  const inputCols = new Set(repeat.columns.filter((c) => c.input).map((c) => c.key));
  const rowsByKey = new Map(table.rows.map((r, i) => [String(r[rowKey]), i]));
  const problems: { path: string; label: string; message: string; keyword: string }[] = [];
  // Row keys are submission ids: compared lowercased, as every UUID is.
  const entered = new Map(Object.entries(entries.rows).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [key, entry] of entered) {
    const index = rowsByKey.get(key);
    if (index === undefined) {
      problems.push({ path: `/${repeat.key}`, label: repeat.title, message: `Baris "${key}" tidak ada dalam laporan ini.`, keyword: 'entries' });
      continue;
    }
    for (const col of Object.keys(entry ?? {})) {
      if (!inputCols.has(col)) problems.push({ path: `/${repeat.key}/${index}/${col}`, label: labelFor(report, `/${repeat.key}/${index}/${col}`), message: 'Kolom ini tidak diisi oleh petugas.', keyword: 'entries' });
    }
  }
  const sections = new Map(report.parts.filter((p): p is SectionNode => p.kind === 'section').map((p) => [p.key, p]));
  for (const [key, values] of Object.entries(entries.sections)) {
    const part = sections.get(key);
    if (!part) {
      problems.push({ path: `/${key}`, label: key, message: `Bagian "${key}" tidak ada dalam laporan ini.`, keyword: 'entries' });
      continue;
    }
    for (const k of Object.keys(values ?? {})) {
      if (!part.fields.some((f) => f.key === k && f.input)) problems.push({ path: `/${key}/${k}`, label: labelFor(report, `/${key}/${k}`), message: 'Isian ini tidak diisi oleh petugas.', keyword: 'entries' });
    }
  }
  if (problems.length) throw new SubmissionRejected('invalid', problems);

  const data = structuredClone(built.data);
  data[repeat.key] = (data[repeat.key] as Json[]).map((row) => {
    const entry = entered.get(String(row[rowKey]));
    return entry ? applyEntries(row, entry, (k) => inputCols.has(k)) : row;
  });
  for (const [key, values] of Object.entries(entries.sections)) {
    data[key] = applyEntries(data[key] as Json | undefined, values, () => true);
  }
  return saveSubmission(sources.store, report, { id, data, guard: entries.guard });
}

export const tableReport: ReportKind = { name: 'province', build, saveEntries };
