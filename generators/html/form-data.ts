/**
 * From an HTML form post (flat names like `anggota.2.usia`) to a submission shaped by the model.
 * Values that cannot be converted stay as typed, so the validator names the field and the page
 * shows the user's own input back. Derived fields are computed here, not trusted from the page;
 * fields hidden by `x-show-when` are dropped.
 */
import type { FormModel } from '../../engine/model-types.js';
import { indexModel } from '../../engine/model-index.js';
import { hiddenFields } from '../../engine/show-when.js';
import { convertText } from '../../engine/convert-text.js';

type Json = Record<string, unknown>;

const convert = convertText;

/** Parse a form post. `extraRow` appends an empty row to that repeat (the no-JavaScript "add row"). */
export function formDataToSubmission(model: FormModel, body: Record<string, string | File | (string | File)[]>): Json {
  const data: Json = {};
  const value = (name: string): string | undefined => {
    const v = body[name];
    const first = Array.isArray(v) ? v[0] : v;
    return typeof first === 'string' ? first : undefined;
  };
  for (const part of model.parts) {
    if (part.kind === 'section') {
      const section: Json = {};
      for (const f of part.fields) {
        const raw = value(`${part.key}.${f.key}`);
        const v = raw === undefined ? undefined : convert(f, raw);
        if (v !== undefined) section[f.key] = v;
      }
      data[part.key] = section;
      continue;
    }
    const indexes = new Set<number>();
    for (const name of Object.keys(body)) {
      const m = new RegExp(`^${part.key}\\.(\\d+)\\.`).exec(name);
      if (m) indexes.add(Number(m[1]));
    }
    const rows: Json[] = [];
    for (const i of [...indexes].sort((a, b) => a - b)) {
      const row: Json = {};
      for (const c of part.columns) {
        const raw = value(`${part.key}.${i}.${c.key}`);
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
