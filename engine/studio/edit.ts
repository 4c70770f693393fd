/**
 * The studio's structured edits, as pure functions on a draft definition (the resolved JSON
 * Schema: sections are `properties.<part>` objects, repeats `properties.<part>.items`): what the
 * editor's rows and buttons do, so staff never type JSON. Each returns a new definition, or an
 * `EditRefused` naming the field, in Indonesian. Whether the result is a valid form is for the
 * checker (`checkDraft`) to say, as for any definition.
 */
type Json = Record<string, unknown>;

export class EditRefused extends Error {
  constructor(readonly pointer: string, message: string) {
    super(message);
    this.name = 'EditRefused';
  }
}

/** A field's kinds as the editor offers them, and the JSON Schema each starts as. */
export const FIELD_KINDS = {
  teks: { label: 'Teks', schema: { type: 'string', maxLength: 100 } },
  angka: { label: 'Angka', schema: { type: 'integer', minimum: 0 } },
  tanggal: { label: 'Tanggal', schema: { type: 'string', format: 'date' } },
  pilihan: { label: 'Pilihan', schema: { type: 'string', oneOf: [] } },
  ya_tidak: { label: 'Ya/Tidak', schema: { type: 'boolean' } },
} as const;
export type FieldKind = keyof typeof FIELD_KINDS;

const KEY = /^[a-z][a-z0-9_]{0,62}$/;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

export interface PartRef {
  readonly key: string;
  readonly title: string;
  readonly repeat: boolean;
  /** The object whose `properties` are the fields (the section, or the repeat's items). */
  readonly holder: Json;
}

/** The parts of a definition in paper order. */
export function partsOf(def: Json): PartRef[] {
  return Object.entries(obj(def.properties)).map(([key, node]) => {
    const n = obj(node);
    const repeat = n.type === 'array';
    return { key, title: String(n.title ?? key), repeat, holder: repeat ? obj(n.items) : n };
  });
}

function clonePart(def: Json, part: string): { next: Json; holder: Json } {
  const next = structuredClone(def);
  const node = obj(obj(next.properties)[part]);
  if (!Object.keys(node).length) throw new EditRefused(`/properties/${part}`, `Bagian "${part}" tidak ada.`);
  const holder = node.type === 'array' ? obj(node.items) : node;
  if (!holder.properties) holder.properties = {};
  return { next, holder };
}

function fieldOf(holder: Json, part: string, key: string): Json {
  const f = obj(holder.properties)[key];
  if (!f) throw new EditRefused(`/properties/${part}/${key}`, `Isian "${key}" tidak ada di bagian "${part}".`);
  return f as Json;
}

/** What the editor may set on a field; `undefined` leaves a property, `null` removes it. */
export interface FieldEdit {
  readonly label?: string;
  readonly help?: string | null;
  readonly required?: boolean;
  readonly column?: number | null;
  readonly minimum?: number | null;
  readonly maximum?: number | null;
  readonly maxLength?: number | null;
  readonly pattern?: string | null;
  readonly patternMessage?: string | null;
  readonly personal?: boolean;
  readonly assumed?: string | null;
}

function set(target: Json, key: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null || value === '') delete target[key];
  else target[key] = value;
}

export function editField(def: Json, part: string, key: string, edit: FieldEdit): Json {
  const { next, holder } = clonePart(def, part);
  const f = fieldOf(holder, part, key);
  if (edit.label !== undefined) {
    if (!edit.label.trim()) throw new EditRefused(`/properties/${part}/${key}/title`, 'Label tidak boleh kosong.');
    const was = String(f.title ?? key);
    f.title = edit.label.trim();
    if (was !== f.title) relabelTestCases(next, part, key, was, f.title as string);
  }
  set(f, 'description', edit.help === undefined ? undefined : edit.help?.trim() ?? null);
  set(f, 'x-column', edit.column);
  set(f, 'minimum', edit.minimum);
  set(f, 'maximum', edit.maximum);
  set(f, 'maxLength', edit.maxLength);
  set(f, 'pattern', edit.pattern);
  if (edit.patternMessage !== undefined) {
    // ajv-errors' keyword, as the definitions write a pattern's message.
    const messages = obj(f.errorMessage);
    set(messages, 'pattern', edit.patternMessage);
    if (Object.keys(messages).length) f.errorMessage = messages;
    else delete f.errorMessage;
  }
  if (edit.personal !== undefined) set(f, 'x-personal', edit.personal ? true : null);
  set(f, 'x-assumed', edit.assumed);
  if (edit.required !== undefined) {
    const required = new Set(Array.isArray(holder.required) ? (holder.required as string[]) : []);
    if (edit.required) required.add(key);
    else required.delete(key);
    const order = Object.keys(obj(holder.properties));
    holder.required = order.filter((k) => required.has(k));
  }
  return next;
}

/**
 * A renamed field's label in the test cases that expect a message at it: the case still checks
 * the same rule, now shown under the new label ("Anggota no. 1 — Usia" → "… — Umur").
 */
function relabelTestCases(def: Json, part: string, key: string, was: string, now: string): void {
  const at = new RegExp(`^/${part}(/\\d+)?/${key}$`);
  for (const c of Array.isArray(def['x-test-cases']) ? (def['x-test-cases'] as Json[]) : []) {
    for (const list of [c.errors, c.warnings]) {
      for (const e of Array.isArray(list) ? (list as Json[]) : []) {
        if (typeof e.path !== 'string' || !at.test(e.path) || typeof e.label !== 'string') continue;
        if (e.label === was) e.label = now;
        else if (e.label.endsWith(` — ${was}`)) e.label = `${e.label.slice(0, -was.length)}${now}`;
      }
    }
  }
}

export function addField(def: Json, part: string, key: string, label: string, kind: FieldKind, required: boolean): Json {
  if (!KEY.test(key)) throw new EditRefused(`/properties/${part}`, 'Kunci isian: huruf kecil, angka dan garis bawah, diawali huruf (mis. "jumlah_pertemuan").');
  if (!label.trim()) throw new EditRefused(`/properties/${part}`, 'Label isian baru tidak boleh kosong.');
  if (!(kind in FIELD_KINDS)) throw new EditRefused(`/properties/${part}`, 'Pilih jenis isian.');
  const { next, holder } = clonePart(def, part);
  const exists = partsOf(def).some((p) => key in obj(p.holder.properties));
  if (exists) throw new EditRefused(`/properties/${part}`, `Kunci "${key}" sudah dipakai isian lain di formulir ini.`);
  (holder.properties as Json)[key] = { ...structuredClone(FIELD_KINDS[kind].schema), title: label.trim() };
  if (required) holder.required = [...(Array.isArray(holder.required) ? (holder.required as string[]) : []), key];
  return next;
}

/** Move a field one place up (-1) or down (+1) within its part: the paper order is the JSON's. */
export function moveField(def: Json, part: string, key: string, by: -1 | 1): Json {
  const { next, holder } = clonePart(def, part);
  fieldOf(holder, part, key);
  const keys = Object.keys(obj(holder.properties));
  const i = keys.indexOf(key);
  const j = i + by;
  if (j < 0 || j >= keys.length) return next;
  [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  const props = obj(holder.properties);
  holder.properties = Object.fromEntries(keys.map((k) => [k, props[k]]));
  if (Array.isArray(holder.required)) holder.required = keys.filter((k) => (holder.required as string[]).includes(k));
  return next;
}

/** Add a code to a choice field's list (or change the label of an existing code). */
export function setOption(def: Json, part: string, key: string, code: string, label: string): Json {
  const { next, holder } = clonePart(def, part);
  const f = fieldOf(holder, part, key);
  if (!Array.isArray(f.oneOf)) throw new EditRefused(`/properties/${part}/${key}`, `Isian "${String(f.title ?? key)}" bukan pilihan.`);
  if (!code.trim() || !label.trim()) throw new EditRefused(`/properties/${part}/${key}/oneOf`, 'Kode dan label pilihan harus diisi.');
  const value = f.type === 'integer' ? Number(code) : code.trim();
  if (f.type === 'integer' && !Number.isInteger(value)) throw new EditRefused(`/properties/${part}/${key}/oneOf`, 'Kode pilihan isian ini harus bilangan bulat.');
  const options = f.oneOf as Json[];
  const found = options.find((o) => o.const === value);
  if (found) found.title = label.trim();
  else options.push({ const: value, title: label.trim() });
  return next;
}

export function removeOption(def: Json, part: string, key: string, code: string): Json {
  const { next, holder } = clonePart(def, part);
  const f = fieldOf(holder, part, key);
  if (!Array.isArray(f.oneOf)) throw new EditRefused(`/properties/${part}/${key}`, `Isian "${String(f.title ?? key)}" bukan pilihan.`);
  f.oneOf = (f.oneOf as Json[]).filter((o) => String(o.const) !== code);
  return next;
}

/** Add a test case (`x-test-cases`) from data filled in the preview, with the errors it gives now. */
export function addTestCase(def: Json, name: string, data: unknown, errors: readonly { path: string; message: string }[], warnings: readonly { path: string; message: string }[]): Json {
  if (!name.trim()) throw new EditRefused('/x-test-cases', 'Beri nama kasus uji.');
  const next = structuredClone(def);
  const cases = Array.isArray(next['x-test-cases']) ? (next['x-test-cases'] as Json[]) : [];
  if (cases.some((c) => c.name === name.trim())) throw new EditRefused('/x-test-cases', `Kasus uji "${name.trim()}" sudah ada.`);
  cases.push({ name: name.trim(), data, errors: errors.map(({ path, message }) => ({ path, message })), ...(warnings.length ? { warnings: warnings.map(({ path, message }) => ({ path, message })) } : {}) });
  next['x-test-cases'] = cases;
  return next;
}
