/** How stored values read on screen and in print: labels for codes, Ya/Tidak, 1.234.567. */
import type { FieldNode } from '../engine/model-types.js';

const number = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 });

export function formatNumber(n: number): string {
  return number.format(n);
}

const savedLong = new Intl.DateTimeFormat('id-ID', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Jakarta' });
const savedShort = new Intl.DateTimeFormat('id-ID', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' });

/**
 * When a submission was saved, as staff read it: Western Indonesian Time (the server stores UTC),
 * `long` on a receipt or a PDF ("29 November 2026 pukul 20.44"), `short` in a list.
 */
export function formatSavedAt(iso: string, style: 'long' | 'short' = 'long'): string {
  return `${(style === 'long' ? savedLong : savedShort).format(new Date(iso))} WIB`;
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
