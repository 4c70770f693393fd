/**
 * A report's roll-ups (`x-rollup` on its columns) as rows of a table the studio edits with
 * pickers: per column, where its number comes from (a field's value, a count of rows, a count of
 * groups, a register's activity flag) and which rows count (one comparison, or "any of these is
 * Ya"), never a typed expression. A condition the pickers cannot show is kept as it is, in words,
 * for the JSON tab. Whether the result reads real fields is for the checker to say.
 */
import type { FormModel } from '../model-types.js';
import { picked } from './choices.js';
import { describeCondition, EditRefused, partsOf, RULE_OPERATORS, type RuleOperator } from './edit.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** How a column's number is made, as the editor names it, and the `x-rollup` key that says it. */
export const ROLLUP_KINDS = {
  nilai: { label: 'nilai isian kelompok', key: 'value' },
  hitung: { label: 'banyaknya baris', key: 'count' },
  kelompok: { label: 'banyaknya kelompok', key: 'countGroup' },
  tanda: { label: 'kegiatan bulan itu (Ya/Tidak)', key: 'flag' },
} as const;
export type RollupKind = keyof typeof ROLLUP_KINDS;

export interface RollupRow {
  readonly part: string;
  readonly key: string;
  readonly label: string;
  readonly from: string;
  readonly kind: RollupKind;
  /** The source field or repeat; empty for a count of groups. */
  readonly source: string;
  /** The condition in words ("" when every row counts). */
  readonly where: string;
  /** The condition as the pickers hold it, when it is one of theirs. */
  readonly simple?: { readonly field: string; readonly operator: RuleOperator; readonly value: string } | { readonly anyTrue: readonly string[] };
}

const KEY_OF_OPERATOR: Record<string, RuleOperator> = Object.fromEntries(Object.entries(RULE_OPERATORS).map(([name, o]) => [o.key, name as RuleOperator]));

function simpleWhere(where: unknown): RollupRow['simple'] {
  const w = obj(where);
  if (Array.isArray(w.anyTrue) && Object.keys(w).length === 1) return { anyTrue: w.anyTrue.map(String) };
  if (typeof w.field !== 'string' || Object.keys(w).length !== 2) return undefined;
  const [op, value] = Object.entries(w).find(([k]) => k !== 'field')!;
  if (op === 'filled' && value === true) return { field: w.field, operator: 'wajib', value: '' };
  const name = KEY_OF_OPERATOR[op];
  return name && ['string', 'number', 'boolean'].includes(typeof value) ? { field: w.field, operator: name, value: String(value) } : undefined;
}

/** Every rolled-up column of a report definition, in paper order. */
export function rollupRows(def: Json): RollupRow[] {
  return partsOf(def).flatMap((p) => Object.entries(obj(p.holder.properties)).flatMap(([key, f]): RollupRow[] => {
    const r = obj(obj(f)['x-rollup']);
    if (typeof r.from !== 'string') return [];
    const kind = (Object.entries(ROLLUP_KINDS).find(([, k]) => k.key in r)?.[0] ?? 'nilai') as RollupKind;
    const source = kind === 'kelompok' ? '' : String(r[ROLLUP_KINDS[kind].key] ?? '');
    const simple = r.where === undefined ? undefined : simpleWhere(r.where);
    return [{ part: p.key, key, label: String(obj(f).title ?? key), from: r.from, kind, source, where: r.where === undefined ? '' : describeCondition(r.where), ...(simple ? { simple } : {}) }];
  }));
}

export interface RollupInput {
  readonly kind: RollupKind;
  readonly source?: string;
  /** `undefined`: keep the condition as it is; `null`: every row counts. */
  readonly where?: { readonly field: string; readonly operator: RuleOperator; readonly value: string } | { readonly anyTrue: readonly string[] } | null;
}

/** The value typed as the source form's field holds it (a number, Ya/Tidak, a code). */
function typed(source: FormModel | undefined, field: string, raw: string): unknown {
  const f = source?.parts.flatMap((p) => (p.kind === 'section' ? p.fields : p.columns)).find((x) => x.key === field);
  const text = raw.trim();
  if (f?.valueType === 'boolean') return /^(ya|true|1)$/i.test(text);
  if ((f?.valueType === 'integer' || f?.valueType === 'number') && text !== '' && Number.isFinite(Number(text.replace(',', '.')))) return Number(text.replace(',', '.'));
  return text;
}

/** Set how one report column is rolled up; its pairing with another report (`agreesWith`) stays. */
export function setRollup(def: Json, part: string, key: string, input: RollupInput, source: FormModel | undefined): Json {
  const next = structuredClone(def);
  const holder = partsOf(next).find((p) => p.key === part)?.holder;
  const field = Object.hasOwn(obj(holder?.properties), key) ? obj(obj(holder?.properties)[key]) : {};
  const at = `/properties/${part}/${key}/x-rollup`;
  const was = obj(field['x-rollup']);
  if (typeof was.from !== 'string') throw new EditRefused(at, `Kolom "${key}" tidak dihitung dari formulir lain.`);
  const kind = picked(ROLLUP_KINDS, input.kind);
  if (!kind) throw new EditRefused(at, 'Pilih cara menghitung kolom ini.');
  if (input.kind !== 'kelompok' && !input.source) throw new EditRefused(at, `Pilih ${input.kind === 'hitung' ? 'tabel berulang yang dihitung barisnya' : 'isian asal angkanya'}.`);
  const rollup: Json = { from: was.from, [kind.key]: input.kind === 'kelompok' ? true : input.source };
  let where: unknown = was.where;
  if (input.where === null) where = undefined;
  else if (input.where && 'anyTrue' in input.where) {
    if (!input.where.anyTrue.length) throw new EditRefused(at, 'Pilih paling sedikit satu isian Ya/Tidak.');
    where = { anyTrue: [...input.where.anyTrue] };
  } else if (input.where) {
    const op = picked(RULE_OPERATORS, input.where.operator);
    if (!op || !input.where.field) throw new EditRefused(at, 'Pilih isian dan pembanding syarat baris yang dihitung.');
    if (op.key === 'filled') where = { field: input.where.field, filled: true };
    else {
      if (input.where.value.trim() === '') throw new EditRefused(at, 'Isi nilai pembanding syarat baris yang dihitung.');
      where = { field: input.where.field, [op.key]: typed(source, input.where.field, input.where.value) };
    }
  }
  if (where !== undefined && input.kind !== 'nilai') rollup.where = where;
  if (was.agreesWith !== undefined) rollup.agreesWith = was.agreesWith;
  field['x-rollup'] = rollup;
  return next;
}
