/**
 * Renaming a field's key, the one change to a published form that must carry data rather than
 * add it: the definition records the former key on the field (`x-renamed-from`), the migration
 * renames the column (engine/storage/migrate.ts), the server re-keys the earlier versions still in
 * force for earlier months (server/studio/registry.ts), and data sent under a former key (a page
 * opened before, an offline outbox) is carried to the new key before it is checked.
 *
 * Keys are scoped as rules resolve them: a repeat's column is named in that repeat's rules and
 * show-when only; a section field everywhere else, except inside a repeat that has a column of the
 * same key (the row's own column wins there).
 */
import { buildModel } from './build-model.js';
import type { FormModel } from './model-types.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface KeyRename {
  /** The section or repeat the field is in. */
  readonly part: string;
  readonly from: string;
  readonly to: string;
}

/** Condition keys whose value is a list of field keys. */
const KEY_LISTS = new Set(['atMostOne', 'anyTrue', 'noneTrue', 'sum']);

/** Rename a field key inside a condition or rule (`field`, `at`, key lists), leaving text alone. */
function renameInCondition(node: unknown, from: string, to: string): unknown {
  if (Array.isArray(node)) return node.map((x) => renameInCondition(x, from, to));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if ((k === 'field' || k === 'at') && v === from) out[k] = to;
    else if (KEY_LISTS.has(k) && Array.isArray(v)) out[k] = v.map((x) => (x === from ? to : x));
    else if (k === 'message' || k === 'id' || k === 'x-assumed') out[k] = v;
    else out[k] = renameInCondition(v, from, to);
  }
  return out;
}

const renameIn = (values: unknown, from: string, to: string): unknown =>
  Array.isArray(values) ? values.map((x) => (x === from ? to : x)) : values;

/** Rename in the rules and show-when of one holder's fields (a section or a repeat's items). */
function renameInHolder(holder: Json, from: string, to: string): void {
  if (Array.isArray(holder['x-rules'])) holder['x-rules'] = renameInCondition(holder['x-rules'], from, to);
  for (const f of Object.values(obj(holder.properties))) {
    const field = obj(f);
    if ('x-show-when' in field) field['x-show-when'] = renameInCondition(field['x-show-when'], from, to);
    const copy = obj(field['x-copy-from']);
    for (const k of ['link', 'year', 'month']) if (copy[k] === from) copy[k] = to;
  }
}

/** The key renamed in one submission's data (in place, keeping the order of its keys). */
function renameInData(data: unknown, part: string, from: string, to: string): void {
  const value = obj(data)[part];
  for (const h of Array.isArray(value) ? value.map(obj) : [obj(value)]) {
    if (!(from in h)) continue;
    const entries = Object.entries(h).map(([k, v]) => [k === from ? to : k, v] as const);
    for (const k of Object.keys(h)) delete h[k];
    Object.assign(h, Object.fromEntries(entries));
  }
}

/** The examples' and test cases' data, patches and expected messages, under the new key. */
function renameInTestCases(def: Json, part: string, from: string, to: string): void {
  const at = new RegExp(`^/${part}(/(?:\\d+|-))?/${from}(?=/|$)`);
  const pointer = (p: unknown) => (typeof p === 'string' ? p.replace(at, (_m, row: string | undefined) => `/${part}${row ?? ''}/${to}`) : p);
  // A patch that adds a whole row, or sets the whole part, carries the key in its value.
  const whole = new RegExp(`^/${part}(/(?:\\d+|-))?$`);
  for (const example of list(def.examples)) renameInData(example, part, from, to);
  for (const c of list(def['x-test-cases']).map(obj)) {
    renameInData(c.data, part, from, to);
    for (const op of list(c.patch).map(obj)) {
      if (typeof op.path === 'string' && whole.test(op.path) && op.value !== undefined) {
        const row = /\/(\d+|-)$/.test(op.path);
        const wrapped = { [part]: row ? [op.value] : op.value };
        renameInData(wrapped, part, from, to);
        op.value = row ? (wrapped[part] as unknown[])[0] : wrapped[part];
      }
      op.path = pointer(op.path);
      if ('from' in op) op.from = pointer(op.from);
    }
    for (const e of [...list(c.errors), ...list(c.warnings)].map(obj)) e.path = pointer(e.path);
  }
}

/**
 * The definition with `from` renamed to `to` in `part` (a new object; the input is untouched):
 * the property keeps its place, `required`, rules, show-when, form hints and test cases follow,
 * and the field records the former key in `x-renamed-from`. Throws when the part or the field is
 * missing, or the new key is taken: callers check first and say so to the user.
 */
export function renameKey(def: Json, { part, from, to }: KeyRename): Json {
  const next = structuredClone(def);
  const partNode = obj(obj(next.properties)[part]);
  const repeat = partNode.type === 'array';
  const holder = repeat ? obj(partNode.items) : partNode;
  const props = obj(holder.properties);
  if (!Object.hasOwn(props, from)) throw new Error(`no field ${from} in ${part}`);
  if (Object.hasOwn(props, to)) throw new Error(`field ${to} exists in ${part}`);
  const field = obj(props[from]);
  field['x-renamed-from'] = [...list(field['x-renamed-from']).filter((k) => k !== to), from];
  holder.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k === from ? to : k, v]));
  holder.required = renameIn(holder.required, from, to);
  if (holder.required === undefined) delete holder.required;

  if (repeat) renameInHolder(holder, from, to);
  else {
    if (Array.isArray(next['x-rules'])) next['x-rules'] = renameInCondition(next['x-rules'], from, to);
    for (const node of Object.values(obj(next.properties))) {
      const n = obj(node);
      if (n.type !== 'array') renameInHolder(n, from, to);
      else if (!(from in obj(obj(n.items).properties))) renameInHolder(obj(n.items), from, to);
    }
    if ('x-unique' in next) next['x-unique'] = renameIn(next['x-unique'], from, to);
    if (next['x-title-field'] === from) next['x-title-field'] = to;
    const deadline = obj(next['x-deadline']);
    for (const k of ['year', 'month']) if (deadline[k] === from) deadline[k] = to;
    const entity = obj(next['x-entity']);
    for (const k of ['year', 'since']) if (entity[k] === from) entity[k] = to;
    if ('contact' in entity) entity.contact = renameIn(entity.contact, from, to);
    const duplicate = obj(entity.duplicate);
    if ('fields' in duplicate) duplicate.fields = renameIn(duplicate.fields, from, to);
    // The printed header and signatures name section fields, and `{key}` in a signature's text.
    const pdf = obj(next['x-pdf']);
    if ('header' in pdf) pdf.header = renameIn(pdf.header, from, to);
    for (const sig of Array.isArray(pdf.signatures) ? pdf.signatures.map(obj) : []) {
      if (sig.name === from) sig.name = to;
      for (const k of ['heading', 'title']) if (typeof sig[k] === 'string') sig[k] = (sig[k] as string).replaceAll(`{${from}}`, `{${to}}`);
    }
  }
  renameInTestCases(next, part, from, to);
  return next;
}

/**
 * Submitted data with every value sent under a field's former key moved to its key (when the
 * key itself is absent): what a page opened before the rename, or an outbox filled offline,
 * sends. Anything else is returned as it came, for the validator to judge.
 */
export function carryFormerKeys(model: FormModel, data: unknown): unknown {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return data;
  const renamed = model.parts.map((p) => ({ part: p, fields: (p.kind === 'section' ? p.fields : p.columns).filter((f) => f.formerKeys.length) })).filter((x) => x.fields.length);
  if (!renamed.length) return data;
  const out: Json = { ...(data as Json) };
  const carry = (row: unknown, fields: typeof renamed[number]['fields']): unknown => {
    if (!row || typeof row !== 'object' || Array.isArray(row)) return row;
    const r: Json = { ...(row as Json) };
    for (const f of fields) {
      for (const former of [...f.formerKeys].reverse()) {
        if (!(former in r)) continue;
        if (!(f.key in r)) r[f.key] = r[former];
        delete r[former];
      }
    }
    return r;
  };
  for (const { part, fields } of renamed) {
    const value = out[part.key];
    out[part.key] = part.kind === 'repeat' && Array.isArray(value) ? value.map((row) => carry(row, fields)) : carry(value, fields);
  }
  return out;
}

/**
 * The renames a version declares, as they apply to an earlier version: each field's most recent
 * former key that the earlier one still has (in the same part) and whose new key it lacks.
 */
export function renamesFrom(earlier: FormModel, later: FormModel): KeyRename[] {
  const out: KeyRename[] = [];
  for (const part of later.parts) {
    const before = earlier.parts.find((p) => p.key === part.key && p.kind === part.kind);
    if (!before) continue;
    const keys = new Set((before.kind === 'section' ? before.fields : before.columns).map((f) => f.key));
    for (const f of part.kind === 'section' ? part.fields : part.columns) {
      const from = [...f.formerKeys].reverse().find((k) => keys.has(k));
      if (from && !keys.has(f.key)) out.push({ part: part.key, from, to: f.key });
    }
  }
  return out;
}

/**
 * An earlier version as it reads data once a later one renamed keys: the same form with the new
 * keys (recording the former ones), known to its tables and pages by the hash it was published
 * under.
 */
export function rekeyModel(model: FormModel, renames: readonly KeyRename[]): FormModel {
  if (!renames.length) return model;
  const schema = renames.reduce<Json>((def, r) => renameKey(def, r), model.schema as Json);
  const { model: rekeyed } = buildModel(model.id, schema as FormModel['schema']);
  return { ...rekeyed, publishedHash: model.publishedHash ?? model.hash };
}
