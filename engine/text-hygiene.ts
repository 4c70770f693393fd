/**
 * What text a field may hold, checked in the engine so that the API, the HTML post and the
 * browser's own checks (the same code is bundled for it) agree:
 * - well-formed UTF-16 only: a lone surrogate ("Grup\ud800X") would be stored as invalid UTF-8
 *   and read back as U+FFFD;
 * - no control or format characters (NUL, ESC, U+202E that turns text around, zero-width
 *   characters that make two names look alike), except newlines in a multi-line field and the
 *   zero-width joiner inside an emoji sequence;
 * - a required text needs at least one visible character (not only spaces or blank letters).
 * Values are trimmed before they are checked and stored (`normalizeSubmission`).
 */
import type { FieldNode, FormModel } from './model-types.js';

/** A lone surrogate: in a `u` regex a half of a pair on its own is a code point of category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Control, format and line/paragraph separator characters; `\n`/`\r` are judged separately. */
const INVISIBLE = /(?:(?!\n|\r)\p{Cc})|\p{Cf}|\p{Zl}|\p{Zp}/gu;
const NEWLINE = /[\n\r]/;
/** An emoji joined to the next (👩‍🌾): the one format character people do type, from the emoji keyboard. */
const EMOJI_JOINER = /\p{Extended_Pictographic}\uFE0F?\u200D(?=\p{Extended_Pictographic})/gu;
/** Letters that print as blank (Hangul fillers, blank Braille) count as invisible too. */
const VISIBLE = /[^\s\p{Cc}\p{Cf}\p{Z}\u115F\u1160\u3164\uFFA0\u2800]/u;

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The Indonesian sentence for a text value a field may not hold, or undefined when it may. */
export function textProblem(field: Pick<FieldNode, 'required' | 'multiline'>, value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'Berisi karakter rusak (bukan teks yang utuh). Hapus isian ini lalu ketik ulang.';
  if (!field.multiline && NEWLINE.test(value)) return 'Harus satu baris: tidak boleh berisi baris baru.';
  const hidden = value.replace(EMOJI_JOINER, (m) => m.slice(0, -1)).match(INVISIBLE);
  if (hidden) {
    const names = [...new Set(hidden.map(codePoint))].slice(0, 3).join(', ');
    return `Berisi karakter tersembunyi atau karakter kendali (${names}) yang tidak boleh ada. Hapus isian ini lalu ketik ulang.`;
  }
  if (field.required && !VISIBLE.test(value)) return 'Wajib diisi dengan huruf atau angka, bukan hanya spasi.';
  return undefined;
}

/** Every text field of the model with the place its values are found. */
function textFields(model: FormModel): { part: string; repeat: boolean; field: FieldNode }[] {
  return model.parts.flatMap((p) => (p.kind === 'section' ? p.fields : p.columns)
    .filter((f) => f.type === 'text')
    .map((field) => ({ part: p.key, repeat: p.kind === 'repeat', field })));
}

const fieldsOf = new WeakMap<FormModel, ReturnType<typeof textFields>>();
const cachedTextFields = (model: FormModel) => {
  let hit = fieldsOf.get(model);
  if (!hit) fieldsOf.set(model, (hit = textFields(model)));
  return hit;
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Calls `visit` for each text value of a submission, with its JSON pointer. */
export function eachText(model: FormModel, data: unknown, visit: (field: FieldNode, pointer: string, value: string) => void): void {
  if (!isObject(data)) return;
  for (const { part, repeat, field } of cachedTextFields(model)) {
    const holder = data[part];
    if (!repeat) {
      const v = isObject(holder) ? holder[field.key] : undefined;
      if (typeof v === 'string') visit(field, `/${part}/${field.key}`, v);
      continue;
    }
    if (!Array.isArray(holder)) continue;
    holder.forEach((row, i) => {
      const v = isObject(row) ? row[field.key] : undefined;
      if (typeof v === 'string') visit(field, `/${part}/${i}/${field.key}`, v);
    });
  }
}

/**
 * The submission with every text value trimmed and submission ids (`format: uuid`) lowercased,
 * as a new object (the caller's is left as sent). Anything that is not a known text field is
 * copied as it is: the validator judges it.
 */
export function normalizeSubmission(model: FormModel, data: unknown): unknown {
  if (!isObject(data)) return data;
  let out: Json | undefined;
  const copyPart = (part: string): unknown => {
    out ??= { ...data };
    const current = out[part];
    if (current === data[part]) out[part] = Array.isArray(current) ? current.map((r) => (isObject(r) ? { ...r } : r)) : { ...(current as Json) };
    return out[part];
  };
  eachText(model, data, (field, pointer, value) => {
    const normal = field.format === 'uuid' ? value.trim().toLowerCase() : value.trim();
    if (normal === value) return;
    const [, part, a, b] = pointer.split('/');
    const holder = copyPart(part!);
    if (b === undefined) (holder as Json)[a!] = normal;
    else ((holder as Json[])[Number(a)] as Json)[b] = normal;
  });
  return out ?? data;
}
