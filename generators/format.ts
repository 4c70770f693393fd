/**
 * How a stored value reads for people, on a page, in a CSV and in a PDF: one formatter, chosen per
 * field by ranked testers as widgets are (the highest score wins). Codes read as their labels,
 * region codes as names, Ya/Tidak, 1.234.567, Rp 1.500.000, years plainly, dates as 10 Oktober 2026.
 */
import type { FieldNode } from '../engine/model-types.js';

export type ValueFormat = 'text' | 'number' | 'rupiah' | 'year' | 'date' | 'choice' | 'ya-tidak' | 'region';

export interface FormatContext {
  /** Region code → name; codes read as names when known. */
  readonly regionName?: (code: string) => string | undefined;
}

type Tester = (f: FieldNode) => number;
const NEVER = -1;

export const formatTesters: readonly (readonly [ValueFormat, Tester])[] = [
  ['text', () => 0],
  ['number', (f) => (f.valueType === 'integer' || f.valueType === 'number' ? 1 : NEVER)],
  // An integer whose whole range is years (2020–2100, 1970–2100) is a year: no thousands dot.
  ['year', (f) => (f.valueType === 'integer' && (f.minimum ?? 0) >= 1900 && (f.maximum ?? Infinity) <= 2200 ? 2 : NEVER)],
  ['rupiah', (f) => (f.widget === 'rupiah' ? 3 : NEVER)],
  ['date', (f) => (f.type === 'date' ? 2 : NEVER)],
  ['choice', (f) => (f.options?.length ? 3 : NEVER)],
  ['ya-tidak', (f) => (f.valueType === 'boolean' ? 3 : NEVER)],
  ['region', (f) => (f.region ? 4 : NEVER)],
];

const chosen = new WeakMap<FieldNode, ValueFormat>();

/** The format of a field: the best-ranked tester. */
export function formatFor(f: FieldNode): ValueFormat {
  let best = chosen.get(f);
  if (best) return best;
  let score = NEVER;
  best = 'text';
  for (const [format, test] of formatTesters) {
    const s = test(f);
    if (s > score) [best, score] = [format, s];
  }
  chosen.set(f, best);
  return best;
}

const numberFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 });
const dateFormat = new Intl.DateTimeFormat('id-ID', { dateStyle: 'long', timeZone: 'UTC' });

export const formatNumber = (n: number): string => numberFormat.format(n);

/** A field's value as text; '' when there is none. Values of an unexpected type read as typed. */
export function formatValue(f: FieldNode, v: unknown, ctx: FormatContext = {}): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v === 'boolean') return v ? 'Ya' : 'Tidak';
  switch (formatFor(f)) {
    case 'choice': return f.options!.find((o) => o.value === v)?.label ?? String(v);
    case 'region': return typeof v === 'string' ? (ctx.regionName?.(v) ?? v) : String(v);
    case 'year': return String(v);
    case 'number': return typeof v === 'number' ? formatNumber(v) : String(v);
    case 'rupiah': return typeof v === 'number' ? `Rp ${formatNumber(v)}` : String(v);
    case 'date': {
      const d = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : undefined;
      return d && !Number.isNaN(d.getTime()) ? dateFormat.format(d) : String(v);
    }
    default: return typeof v === 'number' ? formatNumber(v) : String(v);
  }
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
