/**
 * Typed text → a field's value, the way people write it (1.250.000 for Rupiah, "ya"/"tidak"):
 * shared by form posts and report parameters in URLs. Text that does not convert stays as typed,
 * so the validator names the field and the page shows the person's own input back.
 */
import type { FieldNode } from './model-types.js';

export function convertText(f: Pick<FieldNode, 'valueType' | 'format'>, raw: string): unknown {
  const text = raw.trim();
  if (text === '') return undefined;
  if (f.valueType === 'boolean') return text === 'ya' ? true : text === 'tidak' ? false : text;
  if (f.valueType === 'integer') {
    const digits = text.replace(/[.\s]/g, '');
    return /^-?\d+$/.test(digits) ? Number(digits) : text;
  }
  if (f.valueType === 'number') {
    const n = Number(text.replace(/\./g, '').replace(',', '.'));
    return Number.isFinite(n) ? n : text;
  }
  // Submission ids are compared lowercased everywhere.
  return f.format === 'uuid' ? text.toLowerCase() : text;
}
