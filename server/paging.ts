/**
 * `page` and `per_page` from a query string. `Number()` reads `1e308`, `Infinity`, `2.5` and
 * 30-digit integers as numbers that then reach SQL as a float or an overflow; only plain
 * integers in a sane range are read here, anything else is a 400 naming the parameter.
 */
import { HTTPException } from 'hono/http-exception';

/** More pages than any list has; past it the offset would overflow nothing but is surely a mistake. */
const MAX_PAGE = 1_000_000;

function integerParam(raw: string | undefined, name: string, label: string, max: number, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d{1,7}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new HTTPException(400, { message: `Parameter "${name}" (${label}) harus bilangan bulat dari 1 sampai ${max.toLocaleString('id-ID')}.` });
  }
  return n;
}

/** The page number (1 when absent). */
export const pageParam = (raw: string | undefined): number => integerParam(raw, 'page', 'halaman', MAX_PAGE, 1);

/** Items per page: 50 when absent, at most `max` (a larger count is lowered to it, as before). */
export function perPageParam(raw: string | undefined, max = 200): number {
  const n = integerParam(raw, 'per_page', 'jumlah per halaman', 1_000_000, 50);
  return Math.min(n, max);
}
