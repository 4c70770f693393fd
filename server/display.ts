/** How stored values read on screen and in print: labels for codes, Ya/Tidak, 1.234.567. */
import type { FieldNode } from '../engine/model-types.js';

const number = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 });

export function formatNumber(n: number): string {
  return number.format(n);
}

/** A field's value as text; region codes go through `regionName`. */
export function displayValue(f: FieldNode, v: unknown, regionName?: (code: string) => string | undefined): string {
  if (v === undefined || v === null || v === '') return '';
  if (f.valueType === 'boolean' || typeof v === 'boolean') return v === true ? 'Ya' : v === false ? 'Tidak' : String(v);
  if (f.options) return f.options.find((o) => o.value === v)?.label ?? String(v);
  if (f.region && typeof v === 'string') return regionName?.(v) ?? v;
  if (typeof v === 'number') return f.key === 'tahun' || f.key.startsWith('tahun_') ? String(v) : formatNumber(v);
  return String(v);
}
