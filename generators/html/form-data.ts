/**
 * From an HTML form post (flat names like `anggota.2.usia`) to a submission shaped by the model.
 * Values that cannot be converted stay as typed, so the validator names the field and the page
 * shows the user's own input back. Derived fields are computed here, not trusted from the page;
 * fields hidden by `x-show-when` are dropped.
 */
import type { FieldNode, FormModel } from '../../engine/model-types.js';
import { indexModel } from '../../engine/model-index.js';
import { hiddenFields } from '../../engine/show-when.js';
import { convertText } from '../../engine/convert-text.js';

type Json = Record<string, unknown>;

const convert = convertText;

/** Names an entry page posts besides its fields: bookkeeping, never stored. */
export const BOOKKEEPING_NAMES: ReadonlySet<string> = new Set(['_id', '_aksi', '_tambah', '_versi', '_csrf', '_revises', '_kasus']);

/** A form post refused before it is read into a submission: too many rows (413) or a name the form has not (422). */
export interface PostProblem {
  readonly status: 413 | 422;
  readonly path: string;
  readonly label: string;
  readonly message: string;
}

const ROW_NAME = /^([^.]+)\.(\d{1,9})\.([^.]+)$/;

/**
 * Checks the names of a form post before anything is built from it: every name must be a field
 * (`section.field`), a cell of a row (`repeat.<n>.column`), a search box of a reference field
 * (`_cari.section.field`) or bookkeeping. Rows are counted while reading and the check stops at
 * the first repeat past its `maxItems`, so a post of 10,000 blank rows costs one pass over its
 * names and nothing is rendered back. `_tambah` (add a row) must name a repeat below its limit.
 */
export function formPostProblems(model: FormModel, body: Readonly<Record<string, unknown>>, extraNames: ReadonlySet<string> = new Set()): PostProblem[] {
  const idx = indexModel(model);
  const sectionFields = new Map<string, FieldNode>(model.parts.flatMap((p) => (p.kind === 'section' ? p.fields.map((f) => [`${p.key}.${f.key}`, f] as const) : [])));
  const rowsSeen = new Map<string, Set<string>>();
  const unknown: PostProblem[] = [];
  for (const name of Object.keys(body)) {
    if (BOOKKEEPING_NAMES.has(name) || extraNames.has(name) || sectionFields.has(name)) continue;
    if (name.startsWith('_cari.') && sectionFields.get(name.slice(6))?.refForm) continue;
    const m = ROW_NAME.exec(name);
    const repeat = m ? idx.repeats.get(m[1]!) : undefined;
    if (m && repeat && idx.rowFields.get(repeat.key)!.has(m[3]!)) {
      let seen = rowsSeen.get(repeat.key);
      if (!seen) rowsSeen.set(repeat.key, (seen = new Set()));
      seen.add(m[2]!);
      if (repeat.maxItems !== undefined && seen.size > repeat.maxItems) {
        return [{ status: 413, path: repeat.pointer, label: repeat.title, message: `Kiriman terlalu besar: ${repeat.title} paling banyak ${repeat.maxItems.toLocaleString('id-ID')} baris.` }];
      }
      continue;
    }
    // A few names are enough to tell the sender; a post of thousands is not listed back.
    if (unknown.length < 10) unknown.push({ status: 422, path: '', label: 'Kiriman', message: `Isian "${name.slice(0, 80)}" tidak ada di formulir ini.` });
  }
  if (unknown.length) return unknown;
  const add = body._tambah;
  if (add !== undefined) {
    const repeat = typeof add === 'string' ? idx.repeats.get(add) : undefined;
    if (!repeat) return [{ status: 422, path: '', label: 'Kiriman', message: 'Bagian yang hendak ditambah barisnya tidak ada di formulir ini.' }];
    if (repeat.maxItems !== undefined && (rowsSeen.get(repeat.key)?.size ?? 0) >= repeat.maxItems) {
      return [{ status: 422, path: repeat.pointer, label: repeat.title, message: `${repeat.title} paling banyak ${repeat.maxItems.toLocaleString('id-ID')} baris: tidak dapat menambah baris lagi.` }];
    }
  }
  return [];
}

/**
 * Parse a form post (check it with `formPostProblems` first: this reads every row it is given).
 * One pass over the names finds each repeat's rows.
 */
export function formDataToSubmission(model: FormModel, body: Record<string, string | File | (string | File)[]>): Json {
  const data: Json = {};
  const value = (name: string): string | undefined => {
    const v = body[name];
    const first = Array.isArray(v) ? v[0] : v;
    return typeof first === 'string' ? first : undefined;
  };
  // A page opened before a field was renamed still sends it under its former key.
  const fieldValue = (prefix: string, f: { key: string; formerKeys: readonly string[] }): string | undefined => {
    for (const k of [f.key, ...[...f.formerKeys].reverse()]) {
      const v = value(`${prefix}.${k}`);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const indexes = new Map<string, Set<number>>();
  for (const name of Object.keys(body)) {
    const m = ROW_NAME.exec(name);
    if (!m) continue;
    let set = indexes.get(m[1]!);
    if (!set) indexes.set(m[1]!, (set = new Set()));
    set.add(Number(m[2]));
  }
  for (const part of model.parts) {
    if (part.kind === 'section') {
      const section: Json = {};
      for (const f of part.fields) {
        const raw = fieldValue(part.key, f);
        const v = raw === undefined ? undefined : convert(f, raw);
        if (v !== undefined) section[f.key] = v;
      }
      data[part.key] = section;
      continue;
    }
    const rows: Json[] = [];
    for (const i of [...(indexes.get(part.key) ?? [])].sort((a, b) => a - b)) {
      const row: Json = {};
      for (const c of part.columns) {
        const raw = fieldValue(`${part.key}.${i}`, c);
        const v = raw === undefined ? undefined : convert(c, raw);
        if (v !== undefined) row[c.key] = v;
      }
      if (Object.keys(row).length) rows.push(row); // a row left blank is not a member
    }
    data[part.key] = rows;
  }
  applyDerived(model, data);
  for (const pointer of hiddenFields(model, data)) {
    const [, section, key] = pointer.split('/');
    delete (data[section!] as Json)[key!];
  }
  for (const part of model.parts) {
    if (part.kind === 'section' && !part.required && Object.keys(data[part.key] as Json).length === 0) delete data[part.key];
  }
  return data;
}

/** Fill `x-derived` fields (jumlah anggota = number of member rows). */
export function applyDerived(model: FormModel, data: Json): void {
  for (const f of indexModel(model).rootFields.values()) {
    if (!f.derived) continue;
    const [, section] = f.pointer.split('/');
    const rows = data[f.derived.count];
    (data[section!] as Json)[f.key] = Array.isArray(rows) ? rows.length : 0;
  }
}
