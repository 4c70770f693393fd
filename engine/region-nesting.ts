/**
 * The region fields of a section name one place: each level lies inside the one above it
 * (Desa/Kelurahan 33.74.01.1001 inside Kecamatan 33.74.01 inside … Provinsi 33). Without this a
 * card could name a village of one province and the province of another, and be counted in the
 * other province's report. Pure (codes nest by prefix); storage runs it once every code is known
 * to exist, so an unknown code is named as such rather than as a misfit below it.
 */
import type { FieldNode, FormModel } from './model-types.js';
import type { ValidationIssue } from './issues.js';
import { labelFor } from './model-index.js';
import { REGION_LEVELS, type RegionLevel } from './regions.js';

type Json = Record<string, unknown>;

export function regionNestingIssues(model: FormModel, data: unknown, invalid: ReadonlySet<string>): ValidationIssue[] {
  if (!data || typeof data !== 'object') return [];
  const issues: ValidationIssue[] = [];
  for (const part of model.parts) {
    if (part.kind !== 'section') continue;
    const values = (data as Json)[part.key];
    if (!values || typeof values !== 'object') continue;
    const levels = part.fields.filter((f): f is FieldNode & { region: RegionLevel } => !!f.region && REGION_LEVELS.includes(f.region as RegionLevel))
      .sort((a, b) => REGION_LEVELS.indexOf(a.region) - REGION_LEVELS.indexOf(b.region));
    let above: { field: FieldNode; code: string } | undefined;
    for (const f of levels) {
      const code = (values as Json)[f.key];
      const path = `/${part.key}/${f.key}`;
      if (typeof code !== 'string' || invalid.has(path)) continue;
      if (above && !code.startsWith(`${above.code}.`)) {
        issues.push({ path, label: labelFor(model, path), message: `Tidak berada di ${above.field.label} yang dipilih. Pilih ulang dari ${above.field.label} ke bawah.`, keyword: 'region' });
        continue;
      }
      above = { field: f, code };
    }
  }
  return issues;
}
