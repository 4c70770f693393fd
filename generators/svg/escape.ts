/** Text and attribute values inside SVG markup: every character with a meaning in XML escaped. */
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeXml(value: unknown): string {
  // Characters XML 1.0 does not allow at all (control characters) are dropped, not escaped.
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** An id usable in `id` and `aria-labelledby` (letters, digits, dash). */
export function safeId(value: string): string {
  return value.replace(/[^A-Za-z0-9-]/g, '-') || 'grafik';
}

/** A number for a coordinate: at most two decimals, no exponent. */
export const coord = (n: number): string => String(Math.round(n * 100) / 100);
