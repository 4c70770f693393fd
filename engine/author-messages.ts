/**
 * Sentences for the *author* of a definition (program staff editing a form file), from the errors
 * of the meta-schema check. Kept apart from engine/messages.ts on purpose: that table speaks to the
 * person filling the form ("Wajib diisi."), and it also phrases every submission error, so its
 * sentences must not change when the definition vocabulary grows. Here a missing keyword is named,
 * and an unknown one is answered with the nearest allowed name ("maksudnya `totals`?").
 */
import type { ErrorObject } from 'ajv';
import type { DefinitionProblem } from './issues.js';
import { escapePointer } from './messages.js';

/** Optimal string alignment distance (Levenshtein plus adjacent swaps: `cuont` is one from `count`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The allowed name closest to `name`, when it is close enough to be a slip of the keyboard. */
export function nearestName(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 2)));
  return bestDistance <= limit ? best : undefined;
}

const quoteList = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(', ');

/** "Kata kunci `totls` tidak dikenal; maksudnya `totals`?" or the list of allowed names. */
export function unknownKeywordMessage(name: string, allowed: readonly string[]): string {
  const near = nearestName(name, allowed);
  if (near) return `Kata kunci \`${name}\` tidak dikenal; maksudnya \`${near}\`?`;
  return `Kata kunci \`${name}\` tidak dikenal di sini. Yang boleh: ${quoteList(allowed)}.`;
}

/**
 * Keywords that open an object to keys no `properties` entry names: storage keeps only declared
 * fields, so such a key would be accepted on saving and then silently lost.
 */
const OPENING_KEYWORDS = new Set(['patternProperties', 'unevaluatedProperties', 'propertyNames', 'dependentSchemas']);
/** Keywords that declare content; inside a constraint subschema they would add keys or rows storage ignores. */
const STRUCTURE_KEYWORDS = new Set(['properties', 'items', 'prefixItems', 'additionalProperties', 'contains', 'oneOf', 'title', 'description']);

function unknownKeyword(error: ErrorObject): string {
  const name = (error.params as { additionalProperty: string }).additionalProperty;
  const parent = error.parentSchema as { title?: string; properties?: Record<string, unknown> } | undefined;
  const allowed = Object.keys(parent?.properties ?? {});
  if (OPENING_KEYWORDS.has(name) && (parent?.title === 'node' || parent?.title === 'constraint' || parent === undefined)) {
    return `Kata kunci \`${name}\` tidak didukung: setiap isian bagian atau baris harus disebut satu per satu di "properties" (bagian tertutup), supaya tidak ada isian yang diterima lalu dibuang saat disimpan.`;
  }
  if (parent?.title === 'constraint' && STRUCTURE_KEYWORDS.has(name)) {
    return `\`${name}\` tidak boleh di dalam allOf, anyOf, not, if, then atau else: di situ hanya batasan atas nilai isian ini (minimum, pattern, enum, …). Isian dan barisnya dinyatakan di "properties"/"items" bagiannya, supaya tidak ada isian yang diterima lalu dibuang.`;
  }
  if (allowed.length === 0) return `Kata kunci \`${name}\` tidak dikenal di sini.`;
  return unknownKeywordMessage(name, allowed);
}

const typeWords: Record<string, string> = {
  string: 'teks', integer: 'bilangan bulat', number: 'angka', boolean: 'true atau false', object: 'objek { … }', array: 'daftar [ … ]', null: 'null',
};

const show = (v: unknown): string => (typeof v === 'string' ? `\`${v}\`` : `\`${JSON.stringify(v)}\``);

type Phrase = (error: ErrorObject) => string;

const phrases: Record<string, Phrase> = {
  additionalProperties: unknownKeyword,
  required: (e) => `Kata kunci \`${(e.params as { missingProperty: string }).missingProperty}\` wajib ada di sini.`,
  dependentRequired: (e) => {
    const p = e.params as { property: string; missingProperty: string };
    return `\`${p.property}\` memerlukan \`${p.missingProperty}\` di tempat yang sama.`;
  },
  type: (e) => {
    const types = String((e.params as { type: string | string[] }).type).split(',');
    return `Harus berupa ${types.map((t) => typeWords[t] ?? t).join(' atau ')}.`;
  },
  enum: (e) => {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
    const near = typeof e.data === 'string' ? nearestName(e.data, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
    return `Nilai ${show(e.data)} tidak dikenal${near ? `; maksudnya \`${near}\`?` : '.'} Pilihan: ${allowed.map(show).join(', ')}.`;
  },
  const: (e) => `Harus bernilai ${show((e.params as { allowedValue: unknown }).allowedValue)}.`,
  pattern: (e) => {
    const p = (e.params as { pattern: string }).pattern;
    if (p === '^[a-z][a-z0-9_]{0,62}$') return `${show(e.data)} bukan nama isian yang sah: huruf kecil, angka dan garis bawah, diawali huruf.`;
    if (p === '^[a-z0-9]+(-[a-z0-9]+)*$') return `${show(e.data)} bukan nama formulir yang sah: huruf kecil, angka dan tanda hubung, seperti \`k0-uppka\`.`;
    if (p === '^[a-z0-9][a-z0-9-]*$') return `${show(e.data)} bukan kode aturan yang sah: huruf kecil, angka dan tanda hubung.`;
    return `${show(e.data)} tidak sesuai pola ${show(p)}.`;
  },
  format: (e) => {
    const f = (e.params as { format: string }).format;
    if (f === 'regex') return `Pola (regex) ${show(e.data)} tidak sah.`;
    if (f === 'date') return 'Harus berupa tanggal TTTT-BB-HH.';
    return `Bentuk ${show(e.data)} tidak sesuai format ${f}.`;
  },
  minimum: (e) => `Tidak boleh kurang dari ${(e.params as { limit: number }).limit}.`,
  maximum: (e) => `Tidak boleh lebih dari ${(e.params as { limit: number }).limit}.`,
  exclusiveMinimum: (e) => `Harus lebih dari ${(e.params as { limit: number }).limit}.`,
  minLength: () => 'Tidak boleh kosong.',
  minItems: (e) => `Daftar ini harus berisi paling sedikit ${(e.params as { limit: number }).limit} butir.`,
  minProperties: () => 'Tidak boleh kosong.',
  uniqueItems: (e) => {
    const p = e.params as { i: number; j: number };
    return `Butir ke-${p.j + 1} dan ke-${p.i + 1} sama; tiap butir cukup ditulis sekali.`;
  },
  propertyNames: (e) => `${show((e.params as { propertyName: string }).propertyName)} bukan nama yang sah: huruf kecil, angka dan garis bawah, diawali huruf.`,
  errorMessage: (e) => e.message ?? 'Bentuk tidak sesuai.',
  anyOf: () => 'Bentuk nilai ini tidak sesuai dengan yang diizinkan untuk kata kunci ini.',
  oneOf: () => 'Bentuk nilai ini tidak sesuai dengan yang diizinkan untuk kata kunci ini.',
};

/** Where an error points: a missing or unknown keyword is pointed at itself, not at its parent. */
function pointerOf(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${error.instancePath}/${escapePointer(String(p.additionalProperty))}`;
  if (error.keyword === 'required') return `${error.instancePath}/${escapePointer(String(p.missingProperty))}`;
  if (error.keyword === 'propertyNames') return `${error.instancePath}/${escapePointer(String(p.propertyName))}`;
  return error.instancePath;
}

/**
 * Errors that only explain another one: the `if` wrappers, a failed `anyOf`/`oneOf`'s branch
 * errors, and the inner errors of a `propertyNames` that is reported by name.
 */
function explanatory(error: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (error.keyword === 'if') return true;
  if (/\/(anyOf|oneOf)\/\d+\//.test(error.schemaPath)) {
    return all.some((o) => o !== error && o.instancePath === error.instancePath && (o.keyword === 'anyOf' || o.keyword === 'oneOf' || o.keyword === 'errorMessage'))
      || all.some((o) => o !== error && ['anyOf', 'oneOf', 'errorMessage'].includes(o.keyword) && error.instancePath.startsWith(`${o.instancePath}/`));
  }
  // Inside `propertyNames` ajv reports the object; the `propertyNames` error itself names the key.
  if (error.propertyName !== undefined || error.schemaPath.includes('/propertyNames/')) return true;
  // "exactly one of …" beside a misspelt keyword is the typo's echo: the typo is the problem.
  if (['errorMessage', 'oneOf', 'anyOf', 'minProperties', 'maxProperties'].includes(error.keyword)) {
    return all.some((o) => o.keyword === 'additionalProperties' && o.instancePath === error.instancePath);
  }
  return false;
}

/** One problem per meta-schema error that the author needs to read, deduplicated. */
export function authorProblems(errors: readonly ErrorObject[]): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (explanatory(error, errors)) continue;
    const phrase = phrases[error.keyword];
    const message = phrase ? phrase(error) : `Bentuk tidak sesuai (aturan \`${error.keyword}\`).`;
    const problem = { pointer: pointerOf(error), message };
    const key = `${problem.pointer}\n${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(problem);
    }
  }
  return out;
}
