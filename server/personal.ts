/**
 * Personal data (fields marked `x-personal`: NIK, telepon) in full only for roles that need them
 * (the group's kader and PKB, the district); masked everywhere else, in pages, JSON, CSV and PDF.
 */
import type { FormModel } from '../engine/index.js';

type Json = Record<string, unknown>;

/** `3374012345670001` → `3374••••••••••01`: enough to tell two apart, not to use. */
export function maskValue(v: unknown): unknown {
  if (v === undefined || v === null || v === '') return v;
  const s = String(v);
  if (s.length <= 4) return '•'.repeat(s.length);
  return `${s.slice(0, 4)}${'•'.repeat(Math.max(0, s.length - 6))}${s.slice(-2)}`;
}

/** A copy of `data` with the model's personal fields masked (sections and rows). */
export function maskPersonal(model: FormModel, data: Json): Json {
  const out: Json = { ...data };
  for (const part of model.parts) {
    const fields = (part.kind === 'section' ? part.fields : part.columns).filter((f) => f.personal);
    if (!fields.length || out[part.key] === undefined) continue;
    const mask = (row: Json) => {
      const copy = { ...row };
      for (const f of fields) if (f.key in copy) copy[f.key] = maskValue(copy[f.key]);
      return copy;
    };
    const value = out[part.key];
    out[part.key] = Array.isArray(value) ? value.map((r) => (r && typeof r === 'object' ? mask(r as Json) : r)) : value && typeof value === 'object' ? mask(value as Json) : value;
  }
  return out;
}

/** `data` as the viewer may see it. */
export const shownTo = (full: boolean, model: FormModel, data: Json): Json => (full ? data : maskPersonal(model, data));
