/**
 * Target values as staff enter them (a page's text inputs, or JSON numbers), checked: a whole
 * number of 0 or more, or empty for "tanpa target"; each message names the region.
 */

export interface TargetInputProblem {
  readonly path: string;
  readonly label: string;
  readonly message: string;
}

/** The largest target accepted: far above any program's number of groups, below typos of extra digits. */
export const MAX_TARGET = 1_000_000;

/**
 * `input`: region code → value (number, numeric text, '' or null for none). `regions`: the
 * regions that may have a target, with their names. Unknown codes are refused, not ignored.
 */
export function checkTargetInput(
  input: Readonly<Record<string, unknown>>,
  regions: readonly { readonly kode: string; readonly nama: string }[],
): { values: Map<string, number | null>; problems: TargetInputProblem[] } {
  const names = new Map(regions.map((r) => [r.kode, r.nama]));
  const values = new Map<string, number | null>();
  const problems: TargetInputProblem[] = [];
  for (const [code, raw] of Object.entries(input)) {
    const name = names.get(code);
    if (name === undefined) {
      problems.push({ path: `/nilai/${code}`, label: code, message: `Wilayah "${code}" tidak dikenal atau bukan tingkat target ini.` });
      continue;
    }
    // "1.000" is a thousand as Indonesians write it; "3.5" is not a whole number (refused below).
    const trimmed = typeof raw === 'string' ? raw.trim() : raw;
    const text = typeof trimmed === 'string' && /^\d{1,3}(\.\d{3})+$/.test(trimmed) ? trimmed.replace(/\./g, '') : trimmed;
    if (text === '' || text === null || text === undefined) {
      values.set(code, null);
      continue;
    }
    const n = typeof text === 'number' ? text : typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(n) || n < 0) problems.push({ path: `/nilai/${code}`, label: name, message: `Target ${name} harus bilangan bulat 0 atau lebih (kosongkan bila tanpa target).` });
    else if (n > MAX_TARGET) problems.push({ path: `/nilai/${code}`, label: name, message: `Target ${name} terlalu besar (paling banyak ${MAX_TARGET.toLocaleString('id-ID')}).` });
    else values.set(code, n);
  }
  return { values, problems };
}
