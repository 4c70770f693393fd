/**
 * A report's parameters are the fields of its parameter section (`x-rollup.params`): read by
 * their key or URL name (`paramNames`), converted like typed text, and checked by the same
 * validator as the report, so the year range and month list come from the definition alone.
 */
import type { FieldNode, FormModel, SectionNode } from '../model-types.js';
import type { ValidationIssue } from '../issues.js';
import { convertText } from '../convert-text.js';
import { regionByCode } from '../regions.js';
import type { Store } from '../storage/database.js';
import { validatorFor } from '../validator.js';
import type { ReportParams } from './types.js';

/** The parameter section of a report and its fields with the name each is read by. */
export function paramFields(report: FormModel): { section: SectionNode; fields: { field: FieldNode; name: string }[] } {
  const decl = report.rollup;
  const section = report.parts.find((p): p is SectionNode => p.kind === 'section' && p.key === decl?.params.section);
  if (!decl || !section) throw new Error(`Report ${report.id} has no parameter section.`);
  return { section, fields: section.fields.map((field) => ({ field, name: decl.params.names[field.key] ?? field.key })) };
}

export type ParamSource = (name: string) => string | undefined;

/**
 * The parameters read from `source`, or every problem with them (label and Indonesian message).
 * Region parameters must name a region of their level in the region data.
 */
export async function readReportParams(store: Store, report: FormModel, source: ParamSource): Promise<{ params: ReportParams; issues: readonly ValidationIssue[] }> {
  const { section, fields } = paramFields(report);
  const values: Record<string, unknown> = {};
  for (const { field, name } of fields) {
    const raw = source(name) ?? source(field.key);
    const v = raw === undefined ? undefined : convertText(field, raw.slice(0, 200));
    if (v !== undefined) values[field.key] = v;
  }
  const prefix = `/${section.key}`;
  const issues = validatorFor(report).validate({ [section.key]: values })
    .filter((i) => i.path === prefix || i.path.startsWith(`${prefix}/`));
  for (const { field } of fields) {
    const v = values[field.key];
    if (!field.region || typeof v !== 'string' || issues.some((i) => i.path === `${prefix}/${field.key}`)) continue;
    const region = await regionByCode(store, v);
    if (region?.tingkat !== field.region) issues.push({ path: `${prefix}/${field.key}`, label: field.label, message: `Kode "${v}" tidak terdaftar sebagai ${field.label}.`, keyword: 'region' });
  }
  return { params: values as ReportParams, issues };
}
