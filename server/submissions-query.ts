/**
 * Listing stored submissions with the filters people use, found in the definition (province and
 * district, the period of the form's unique key). A region filter on a form without region fields
 * (R/1) follows its link to the group card.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { RegionScope } from './access.js';
import { scoped } from './record-region.js';
import { convertText, indexModel, parseWarnings, REGION_LEVELS, rowsToSubmission, tablesFor, type FieldNode, type FormModel, type Row, type Store } from '../engine/index.js';

export interface ListedSubmission {
  readonly id: string;
  readonly version: number;
  readonly revision: number;
  readonly current: boolean;
  readonly status: string;
  readonly createdAt: string;
  /** How many warnings it was saved with, and whether someone confirmed having checked them. */
  readonly warnings: number;
  readonly warningsChecked: boolean;
  readonly data: Record<string, unknown>;
}

/**
 * The warnings filter of every list (`peringatan`): submissions saved with warnings, or those of
 * them nobody has confirmed yet — the district's queue of possible duplicates and odd values.
 */
export const WARNINGS_FILTER = 'peringatan';
export const WARNINGS_FILTER_VALUES = { ada: 'Dengan peringatan', belum: 'Peringatan belum diperiksa' } as const;

/**
 * A filter of a submissions list, found in the definition: the province and district levels
 * (`x-region`) on the form's own fields or through its link to another form (R/1 → K/0), and the
 * form's own period fields (the non-reference fields of its `x-unique` key: tahun, bulan).
 * The filter's name in a URL is the region level or the field key.
 */
export interface ListFilter {
  readonly name: string;
  readonly field: FieldNode;
  /** The linking field, when the filter applies to the linked form's field. */
  readonly via?: FieldNode;
  readonly kind: 'region' | 'period';
}

export const REGION_FILTER_LEVELS = [REGION_LEVELS[0], REGION_LEVELS[1]] as const;

function regionField(model: FormModel, level: string): FieldNode | undefined {
  return [...indexModel(model).rootFields.values()].find((f) => f.region === level);
}

/** The filters a form's list offers. */
export function listFilters(forms: ReadonlyMap<string, FormModel>, model: FormModel): ListFilter[] {
  const idx = indexModel(model);
  const filters: ListFilter[] = [];
  for (const level of REGION_FILTER_LEVELS) {
    const own = regionField(model, level);
    if (own) { filters.push({ name: level, field: own, kind: 'region' }); continue; }
    for (const via of idx.rootFields.values()) {
      const target = via.refForm ? forms.get(via.refForm) : undefined;
      const linked = target && regionField(target, level);
      if (linked) { filters.push({ name: level, field: linked, via, kind: 'region' }); break; }
    }
  }
  for (const key of model.unique) {
    const f = idx.rootFields.get(key);
    if (f && !f.refForm && !f.region) filters.push({ name: key, field: f, kind: 'period' });
  }
  return filters;
}

/** The narrowest region a list is filtered to (what access checks). */
export function regionFilterValue(filters: Filters): string | undefined {
  return [...REGION_FILTER_LEVELS].reverse().map((l) => filters[l]).find((v) => v) || undefined;
}

/** The filter values of a request, by filter name (empty ones left out). */
export type Filters = Record<string, string>;

export function filtersFrom(filters: readonly ListFilter[], get: (name: string) => string | undefined): Filters {
  const out: Filters = Object.fromEntries(filters.map((f) => [f.name, (get(f.name) ?? '').slice(0, 100)]).filter(([, v]) => v));
  const warnings = get(WARNINGS_FILTER);
  if (warnings && warnings in WARNINGS_FILTER_VALUES) out[WARNINGS_FILTER] = warnings;
  return out;
}

/** Whether a converted filter value is one the field's column can hold. */
function canHold(field: FieldNode, value: unknown): boolean {
  if (field.valueType === 'integer') return Number.isSafeInteger(value);
  if (field.valueType === 'number') return typeof value === 'number' && Number.isFinite(value);
  if (field.valueType === 'boolean') return typeof value === 'boolean';
  return typeof value === 'string';
}

/**
 * The list's filters (listFilters) and the warnings queue applied to a query over the form's main
 * table: the submission list, its exports.
 */
export async function filtered<Q extends SelectQueryBuilder<any, any, any>>(deps: { store: Store; forms: ReadonlyMap<string, FormModel> }, model: FormModel, query: Q, filters: Filters): Promise<Q> {
  const { store, forms } = deps;
  let q = query as SelectQueryBuilder<any, any, any>;
  for (const filter of listFilters(forms, model)) {
    // NUL is never part of a value (PostgreSQL text cannot hold it): both dialects read it as absent.
    const raw = filters[filter.name]?.replaceAll('\u0000', '');
    if (raw === undefined || raw === '') continue;
    const value = convertText(filter.field, raw);
    // A value the field cannot hold ("!" or 1e308 for a month) matches nothing, on every dialect
    // (PostgreSQL would refuse to compare it with a bigint column at all).
    if (!canHold(filter.field, value)) {
      q = q.where(sql<boolean>`1 = 0`);
      continue;
    }
    if (!filter.via) {
      q = q.where(filter.field.key, '=', value as never);
      continue;
    }
    const target = await tablesFor(store, forms.get(filter.via.refForm!)!);
    q = q.where(filter.via.key, 'in', store.db.selectFrom(target.main.name).select('_entity').where('_current', '=', 1).where(filter.field.key, '=', value as never));
  }
  if (filters[WARNINGS_FILTER] === 'ada' || filters[WARNINGS_FILTER] === 'belum') q = q.where('_warnings', 'is not', null);
  if (filters[WARNINGS_FILTER] === 'belum') q = q.where('_warnings_checked_at', 'is', null);
  return q as Q;
}

export async function listSubmissions(
  store: Store, forms: ReadonlyMap<string, FormModel>, model: FormModel, filters: Filters, page = 1, perPage = 50,
  scope: RegionScope = { kind: 'all' },
): Promise<{ items: ListedSubmission[]; total: number }> {
  const tables = await tablesFor(store, model);
  // The viewer's region is part of the query: nothing outside it is ever loaded.
  let q = await scoped({ store, forms }, model, store.db.selectFrom(tables.main.name), scope);
  q = await filtered({ store, forms }, model, q, filters);
  const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirst())?.n ?? 0);
  const rows = (await q.selectAll().orderBy('_created_at', 'desc').orderBy('_id').limit(perPage).offset((page - 1) * perPage).execute()) as Row[];
  const items = rows.map((r) => ({
    id: String(r._id), version: Number(r._version), revision: Number(r._revision), current: Number(r._current) === 1,
    status: String(r._status), createdAt: String(r._created_at),
    warnings: parseWarnings(r._warnings).length, warningsChecked: !!r._warnings_checked_at,
    data: withoutRepeats(model, rowsToSubmission(model, { ...tables, children: [] }, r, new Map())),
  }));
  return { items, total };
}

/** Which form a submission id belongs to. */
export async function findSubmissionForm(store: Store, forms: ReadonlyMap<string, FormModel>, id: string): Promise<FormModel | undefined> {
  for (const model of forms.values()) {
    const tables = await tablesFor(store, model);
    if (await store.db.selectFrom(tables.main.name).select('_id').where('_id', '=', id).executeTakeFirst()) return model;
  }
  return undefined;
}

/** Listings carry the sections only; rows are read with the whole submission. */
function withoutRepeats(model: FormModel, data: Record<string, unknown>): Record<string, unknown> {
  for (const part of model.parts) if (part.kind === 'repeat') delete data[part.key];
  return data;
}

