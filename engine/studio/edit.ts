/**
 * The studio's structured edits, as pure functions on a draft definition (the resolved JSON
 * Schema: sections are `properties.<part>` objects, repeats `properties.<part>.items`): what the
 * editor's rows and buttons do, so staff never type JSON. Each returns a new definition, or an
 * `EditRefused` naming the field, in Indonesian. Whether the result is a valid form is for the
 * checker (`checkDraft`) to say, as for any definition.
 */
import { renameKey } from '../rename-key.js';
import { picked } from './choices.js';

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
  const node = Object.hasOwn(obj(next.properties), part) ? obj(obj(next.properties)[part]) : {};
  if (!Object.keys(node).length) throw new EditRefused(`/properties/${part}`, `Bagian "${part}" tidak ada.`);
  const holder = node.type === 'array' ? obj(node.items) : node;
  if (!holder.properties) holder.properties = {};
  return { next, holder };
}

function fieldOf(holder: Json, part: string, key: string): Json {
  // Own properties only: a key such as "__proto__" or "constructor" names no field.
  const f = Object.hasOwn(obj(holder.properties), key) ? obj(holder.properties)[key] : undefined;
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
  /** Paper header groups above the column, outermost first ("Akseptor KB / MKJP"). */
  readonly headerGroup?: string | null;
  /** Shown only when another field has this value (`x-show-when` as `{field, equals}`). */
  readonly showWhen?: { readonly field: string; readonly value: string } | null;
  /** Calculated, never typed: the number of rows of this repeat (`x-derived.count`). */
  readonly derivedCount?: string | null;
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
  if (edit.headerGroup !== undefined) {
    const groups = (edit.headerGroup ?? '').split('/').map((g) => g.trim()).filter(Boolean);
    set(f, 'x-header-group', groups.length > 1 ? groups : groups[0] ?? null);
  }
  if (edit.showWhen !== undefined) {
    const when = edit.showWhen;
    if (!when || !when.field) delete f['x-show-when'];
    else {
      if (when.field === key) throw new EditRefused(`/properties/${part}/${key}/x-show-when`, 'Syarat tampil tidak boleh bergantung pada isian itu sendiri.');
      if (when.value.trim() === '') throw new EditRefused(`/properties/${part}/${key}/x-show-when`, 'Isi nilai yang membuat isian ini tampil.');
      f['x-show-when'] = { field: when.field, equals: typedValue(next, when.field, when.value) };
    }
  }
  if (edit.derivedCount !== undefined) {
    if (edit.derivedCount && !partsOf(next).some((p) => p.repeat && p.key === edit.derivedCount)) throw new EditRefused(`/properties/${part}/${key}/x-derived`, `Tabel berulang "${edit.derivedCount}" tidak ada.`);
    set(f, 'x-derived', edit.derivedCount ? { count: edit.derivedCount } : null);
  }
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
  const chosen = picked(FIELD_KINDS, kind);
  if (!chosen) throw new EditRefused(`/properties/${part}`, 'Pilih jenis isian.');
  const { next, holder } = clonePart(def, part);
  const exists = partsOf(def).some((p) => Object.hasOwn(obj(p.holder.properties), key));
  if (exists) throw new EditRefused(`/properties/${part}`, `Kunci "${key}" sudah dipakai isian lain di formulir ini.`);
  (holder.properties as Json)[key] = { ...structuredClone(chosen.schema), title: label.trim() };
  if (required) holder.required = [...(Array.isArray(holder.required) ? (holder.required as string[]) : []), key];
  return next;
}

/**
 * Give a field a new key, explicitly (a label change never does): the definition records the
 * former key (`x-renamed-from`), and publishing renames the column, so stored data is carried.
 */
export function renameField(def: Json, part: string, from: string, to: string): Json {
  const at = `/properties/${part}/${from}`;
  const { holder } = clonePart(def, part);
  const field = fieldOf(holder, part, from);
  const next = to.trim();
  if (next === from) return structuredClone(def);
  // A report's parameters are named in its addresses (bookmarks, downloads, other reports' links),
  // and its rolled-up rows are computed, not stored: there is no data to carry, only names to break.
  // Its entries are posted by the report pages and API, which do not carry former keys: refused.
  const rollup = obj(def['x-rollup']);
  if (part === rollup.params) throw new EditRefused(at, 'Kunci parameter laporan dipakai di alamat laporan dan unduhan; kuncinya tidak dapat diganti. Ganti labelnya saja.');
  if (part === rollup.rows) throw new EditRefused(at, 'Kolom hitungan laporan tidak disimpan, jadi kuncinya tidak perlu diganti. Ganti labelnya saja.');
  if (def['x-kind'] === 'report') throw new EditRefused(at, 'Kunci isian laporan belum dapat diganti dari studio; ganti labelnya saja.');
  if (!KEY.test(next)) throw new EditRefused(at, 'Kunci isian: huruf kecil, angka dan garis bawah, diawali huruf (mis. "jumlah_pertemuan").');
  const taken = partsOf(def).find((p) => Object.hasOwn(obj(p.holder.properties), next));
  if (taken) throw new EditRefused(at, `Kunci "${next}" sudah dipakai isian lain di bagian "${taken.title}".`);
  const former = partsOf(def).flatMap((p) => Object.entries(obj(p.holder.properties)).map(([k, f]) => ({ k, f: obj(f) })))
    .find(({ k, f }) => k !== from && Array.isArray(f['x-renamed-from']) && (f['x-renamed-from'] as unknown[]).includes(next));
  if (former) throw new EditRefused(at, `Kunci "${next}" dulu dipakai isian "${String(former.f.title ?? former.k)}"; kiriman lama dengan kunci itu dibawa ke isian tersebut. Pilih kunci lain.`);
  // Back to a key this field had before is allowed: the column is renamed back.
  void field;
  return renameKey(def, { part, from, to: next });
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

/** Where `x-rules` live in a definition: the form, a section, or a repeat's rows. */
export interface RuleHolder {
  /** `''` for the form, else the part's key. */
  readonly part: string;
  readonly title: string;
  /** Rules of a repeat are checked per row and name that row's fields. */
  readonly repeat: boolean;
  readonly rules: readonly Json[];
}

export function ruleHolders(def: Json): RuleHolder[] {
  const out: RuleHolder[] = [{ part: '', title: 'Seluruh formulir', repeat: false, rules: Array.isArray(def['x-rules']) ? (def['x-rules'] as Json[]) : [] }];
  for (const p of partsOf(def)) {
    const node = p.repeat ? p.holder : obj(obj(def.properties)[p.key]);
    out.push({ part: p.key, title: p.title, repeat: p.repeat, rules: Array.isArray(node['x-rules']) ? (node['x-rules'] as Json[]) : [] });
  }
  return out;
}

function rulesAt(def: Json, part: string): Json[] {
  if (part === '') return (def['x-rules'] = Array.isArray(def['x-rules']) ? def['x-rules'] : []) as Json[];
  const { holder } = { holder: partsOf(def).find((p) => p.key === part)?.holder };
  if (!holder) throw new EditRefused('/x-rules', `Bagian "${part}" tidak ada.`);
  return (holder['x-rules'] = Array.isArray(holder['x-rules']) ? holder['x-rules'] : []) as Json[];
}

/** The comparisons the rule editor offers, as the rule vocabulary spells them. */
export const RULE_OPERATORS = {
  wajib: { label: 'harus diisi', key: 'filled' },
  sama: { label: 'sama dengan', key: 'equals' },
  tidak_sama: { label: 'tidak sama dengan', key: 'notEquals' },
  kurang: { label: 'kurang dari', key: 'lt' },
  paling_besar: { label: 'paling besar', key: 'lte' },
  lebih: { label: 'lebih dari', key: 'gt' },
  paling_kecil: { label: 'paling kecil', key: 'gte' },
} as const;
export type RuleOperator = keyof typeof RULE_OPERATORS;

export interface RuleInput {
  readonly field: string;
  readonly operator: RuleOperator;
  /** A value typed in; or `valueField`, another field to compare with. */
  readonly value?: string;
  readonly valueField?: string;
  /** Only checked when this field has this value (optional). */
  readonly whenField?: string;
  readonly whenValue?: string;
  readonly message: string;
  readonly severity: 'galat' | 'peringatan';
}

/** A typed value as the field holds it: a number for a number field, Ya/Tidak as true/false. */
function typedValue(def: Json, field: string, raw: string): unknown {
  const f = partsOf(def).map((p) => obj(obj(p.holder.properties)[field])).find((x) => Object.keys(x).length);
  const text = raw.trim();
  if (f?.type === 'boolean') return /^(ya|true|1)$/i.test(text);
  if ((f?.type === 'integer' || f?.type === 'number') && text !== '' && Number.isFinite(Number(text.replace(',', '.')))) return Number(text.replace(',', '.'));
  return text;
}

export function addRule(def: Json, part: string, input: RuleInput): Json {
  const next = structuredClone(def);
  const op = picked(RULE_OPERATORS, input.operator);
  if (!op) throw new EditRefused('/x-rules', 'Pilih pembanding aturan.');
  if (!input.field) throw new EditRefused('/x-rules', 'Pilih isian yang diperiksa aturan.');
  if (!input.message.trim()) throw new EditRefused('/x-rules', 'Tuliskan pesan yang dibaca pengisi bila aturan tidak terpenuhi.');
  const rules = rulesAt(next, part);
  let assert: Json;
  if (op.key === 'filled') assert = { field: input.field, filled: true };
  else if (input.valueField) assert = { field: input.field, [op.key === 'equals' ? 'eq' : op.key === 'notEquals' ? 'eq' : op.key]: { field: input.valueField } };
  else {
    if (input.value === undefined || input.value.trim() === '') throw new EditRefused('/x-rules', 'Isi nilai pembanding, atau pilih isian lain untuk dibandingkan.');
    assert = { field: input.field, [op.key]: typedValue(next, input.field, input.value) };
  }
  if (input.valueField && op.key === 'notEquals') assert = { not: assert };
  const base = `${input.field}-${input.operator}`.replace(/_/g, '-');
  let id = base;
  for (let i = 2; rules.some((r) => r.id === id); i++) id = `${base}-${i}`;
  const rule: Json = { id, assert, message: input.message.trim() };
  if (input.whenField && input.whenValue !== undefined && input.whenValue.trim() !== '') rule.when = { field: input.whenField, equals: typedValue(next, input.whenField, input.whenValue) };
  if (input.severity === 'peringatan') rule.severity = 'peringatan';
  rules.push(rule);
  return next;
}

export function editRule(def: Json, part: string, index: number, change: { message?: string; severity?: 'galat' | 'peringatan' }): Json {
  const next = structuredClone(def);
  const rule = rulesAt(next, part)[index];
  if (!rule) throw new EditRefused('/x-rules', 'Aturan itu tidak ada.');
  if (change.message !== undefined) {
    if (!change.message.trim()) throw new EditRefused('/x-rules', 'Pesan aturan tidak boleh kosong.');
    rule.message = change.message.trim();
  }
  if (change.severity === 'peringatan') rule.severity = 'peringatan';
  else if (change.severity === 'galat') delete rule.severity;
  return next;
}

export function removeRule(def: Json, part: string, index: number): Json {
  const next = structuredClone(def);
  const rules = rulesAt(next, part);
  if (!rules[index]) throw new EditRefused('/x-rules', 'Aturan itu tidak ada.');
  rules.splice(index, 1);
  return next;
}

const WORDS: Record<string, string> = { equals: 'sama dengan', notEquals: 'tidak sama dengan', eq: 'sama dengan', lt: 'kurang dari', lte: 'paling besar', gt: 'lebih dari', gte: 'paling kecil', in: 'salah satu dari', notIn: 'bukan salah satu dari' };

/** A condition in words for the rule table ("usia paling kecil 15"). */
export function describeCondition(c: unknown): string {
  const o = obj(c);
  const operand = (v: unknown): string => {
    const x = obj(v);
    if ('field' in x) return `isian ${String(x.field)}`;
    if ('count' in x) return `banyaknya baris ${String(x.count)}`;
    if ('today' in x) return x.today === 'year' ? 'tahun ini' : 'bulan ini';
    if ('param' in x) return `parameter ${String(x.param)}`;
    if ('sum' in x) return `jumlah ${(x.sum as string[]).join(' + ')}`;
    if (typeof v === 'boolean') return v ? 'Ya' : 'Tidak';
    return Array.isArray(v) ? v.join(', ') : JSON.stringify(v);
  };
  if (Array.isArray(o.all)) return (o.all as unknown[]).map(describeCondition).join(' dan ');
  if (Array.isArray(o.any)) return (o.any as unknown[]).map(describeCondition).join(' atau ');
  if ('not' in o) return `bukan (${describeCondition(o.not)})`;
  if (Array.isArray(o.atMostOne)) return `paling banyak satu dari ${(o.atMostOne as string[]).join(', ')} bernilai Ya`;
  if (Array.isArray(o.anyTrue)) return `salah satu dari ${(o.anyTrue as string[]).join(', ')} bernilai Ya`;
  if (Array.isArray(o.noneTrue)) return `tidak satu pun dari ${(o.noneTrue as string[]).join(', ')} bernilai Ya`;
  if (typeof o.field === 'string') {
    if ('filled' in o) return `${o.field} ${o.filled ? 'diisi' : 'kosong'}`;
    if ('inMonth' in o) return `${o.field} di dalam bulan laporan`;
    for (const [k, w] of Object.entries(WORDS)) if (k in o) return `${o.field} ${w} ${operand(o[k])}`;
  }
  return JSON.stringify(c);
}
