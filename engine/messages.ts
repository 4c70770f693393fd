/**
 * Bahasa Indonesia sentences for ajv's errors. A table from keyword to sentence (the error is the
 * sentence, as in json-schema-to-typescript's rule tables); keywords not in the table fall back to
 * ajv-i18n's `id` locale so no English ajv text ever reaches a user.
 */
import type { ErrorObject } from 'ajv';
import localizeModule from 'ajv-i18n/localize/id/index.js';

type Localize = (errors?: ErrorObject[] | null) => void;
// CommonJS interop: depending on the loader the function is the module or its `default`.
const localizeId: Localize =
  (localizeModule as unknown as { default?: Localize }).default ?? (localizeModule as unknown as Localize);

const fmt = (n: unknown): string =>
  typeof n === 'number' ? n.toLocaleString('id-ID') : String(n);

const typeNames: Record<string, string> = {
  integer: 'Harus berupa bilangan bulat.',
  number: 'Harus berupa angka.',
  string: 'Harus berupa teks.',
  boolean: 'Pilih Ya atau Tidak.',
  object: 'Bentuk isian tidak sesuai.',
  array: 'Harus berupa daftar baris.',
};

/**
 * A code list's option labels for the place an error points at. Supplied by the caller from the
 * form model (the validator does not carry schemas, so the same code runs in the browser).
 */
export type OptionLabels = (instancePath: string) => readonly string[] | undefined;

function optionTitles(error: ErrorObject, options?: OptionLabels): string[] {
  const fromModel = options?.(error.instancePath);
  if (fromModel) return [...fromModel];
  const own = (error.parentSchema as { oneOf?: { title?: string; const?: unknown }[] } | undefined)?.oneOf ?? [];
  return own.map((o) => o.title ?? String(o.const));
}

type Phrase = (error: ErrorObject, options?: OptionLabels) => string;

const phrases: Record<string, Phrase> = {
  required: () => 'Wajib diisi.',
  type: (e) => {
    const t = (e.params as { type: string }).type;
    return typeNames[t.split(',')[0] ?? ''] ?? 'Jenis isian tidak sesuai.';
  },
  minimum: (e) => `Tidak boleh kurang dari ${fmt((e.params as { limit: number }).limit)}.`,
  exclusiveMinimum: (e) => `Harus lebih dari ${fmt((e.params as { limit: number }).limit)}.`,
  maximum: (e) => `Tidak boleh lebih dari ${fmt((e.params as { limit: number }).limit)}.`,
  exclusiveMaximum: (e) => `Harus kurang dari ${fmt((e.params as { limit: number }).limit)}.`,
  minLength: (e) => {
    const limit = (e.params as { limit: number }).limit;
    return limit <= 1 ? 'Wajib diisi.' : `Paling sedikit ${limit} karakter.`;
  },
  maxLength: (e) => `Paling banyak ${(e.params as { limit: number }).limit} karakter.`,
  minItems: (e) => `Paling sedikit ${(e.params as { limit: number }).limit} baris.`,
  maxItems: (e) => `Paling banyak ${fmt((e.params as { limit: number }).limit)} baris.`,
  pattern: () => 'Bentuk isian tidak sesuai.',
  format: (e) => {
    const f = (e.params as { format: string }).format;
    if (f === 'date') return 'Harus berupa tanggal yang benar (TTTT-BB-HH).';
    if (f === 'uuid') return 'Harus berupa kode rujukan (UUID) yang benar.';
    if (f === 'email') return 'Harus berupa alamat surel yang benar.';
    if (f === 'regex') return 'Pola (regex) tidak sah.';
    return 'Bentuk isian tidak sesuai.';
  },
  oneOf: (e, options) => `Pilih salah satu dari daftar: ${optionTitles(e, options).join(', ')}.`,
  enum: (e) =>
    `${e.data === undefined ? 'Nilai' : `Nilai ${JSON.stringify(e.data)}`} tidak dikenal. Pilihan: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}.`,
  const: (e) => `Harus bernilai ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}.`,
  additionalProperties: (e) =>
    `Isian "${(e.params as { additionalProperty: string }).additionalProperty}" tidak dikenal di bagian ini.`,
  propertyNames: (e) => `Nama "${(e.params as { propertyName: string }).propertyName}" tidak dikenal atau tidak sah.`,
  uniqueItems: () => 'Ada baris yang sama persis.',
  minProperties: () => 'Tidak boleh kosong.',
  errorMessage: (e) => e.message ?? 'Isian tidak sesuai.',
};

/** One Indonesian sentence for an ajv error. */
export function indonesianMessage(error: ErrorObject, options?: OptionLabels): string {
  const phrase = phrases[error.keyword];
  if (phrase) return phrase(error, options);
  const copy = { ...error };
  localizeId([copy]);
  const text = copy.message ?? 'isian tidak sesuai';
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

/**
 * Ajv reports a failed code list as one `const` error per option plus the `oneOf`; the person
 * needs one sentence. Drop errors that only explain a failed `oneOf` at the same place, and the
 * `if` wrappers that only point at their `then`.
 */
export function collapseErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const oneOfAt = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => `${e.instancePath}|${e.schemaPath}`));
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    const i = e.schemaPath.lastIndexOf('/oneOf/');
    if (i < 0) return true;
    return !oneOfAt.has(`${e.instancePath}|${e.schemaPath.slice(0, i + '/oneOf'.length)}`);
  });
}

/** Where an error points: for `required`, the missing field itself rather than its parent. */
export function errorPointer(error: ErrorObject): string {
  if (error.keyword === 'required') {
    return `${error.instancePath}/${escapePointer((error.params as { missingProperty: string }).missingProperty)}`;
  }
  if (error.keyword === 'additionalProperties') {
    return `${error.instancePath}/${escapePointer((error.params as { additionalProperty: string }).additionalProperty)}`;
  }
  if (error.keyword === 'propertyNames') {
    return `${error.instancePath}/${escapePointer((error.params as { propertyName: string }).propertyName)}`;
  }
  return error.instancePath;
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
