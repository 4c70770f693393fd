/**
 * Listing stored submissions with the filters people use (provinsi, kabupaten/kota, bulan,
 * tahun). A filter applies to the form's own field of that name; a region filter on a form without
 * region fields (R/1) follows its link to the group card.
 */
import { sql } from 'kysely';
import { indexModel, rowsToSubmission, tablesFor, type FieldNode, type FormModel, type Row, type Store } from '../engine/index.js';

export const FILTERS = ['provinsi', 'kabupaten_kota', 'bulan', 'tahun'] as const;
export type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export interface ListedSubmission {
  readonly id: string;
  readonly version: number;
  readonly revision: number;
  readonly current: boolean;
  readonly status: string;
  readonly createdAt: string;
  readonly data: Record<string, unknown>;
}

/** The field a filter applies to: the form's own of that name, or its linked form's (R/1 → K/0). */
export function filterField(forms: ReadonlyMap<string, FormModel>, model: FormModel, name: string): FieldNode | undefined {
  const idx = indexModel(model);
  const own = idx.rootFields.get(name);
  if (own) return own;
  for (const f of idx.rootFields.values()) {
    const target = f.refForm ? forms.get(f.refForm) : undefined;
    const linked = target && indexModel(target).rootFields.get(name);
    if (linked) return linked;
  }
  return undefined;
}

export async function listSubmissions(
  store: Store, forms: ReadonlyMap<string, FormModel>, model: FormModel, filters: Filters, page = 1, perPage = 50,
): Promise<{ items: ListedSubmission[]; total: number }> {
  const tables = await tablesFor(store, model);
  const idx = indexModel(model);
  let q = store.db.selectFrom(tables.main.name);
  for (const [name, raw] of Object.entries(filters)) {
    if (raw === undefined || raw === '') continue;
    const own = idx.rootFields.get(name);
    const value = own?.valueType === 'integer' ? Number(raw) : raw;
    if (own) {
      q = q.where(name, '=', value as never);
      continue;
    }
    const link = [...idx.rootFields.values()].find((f) => f.refForm && indexModel(forms.get(f.refForm)!).rootFields.has(name));
    if (link) {
      const target = await tablesFor(store, forms.get(link.refForm!)!);
      q = q.where(link.key, 'in', store.db.selectFrom(target.main.name).select('_id').where(name, '=', value as never));
    }
  }
  const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirst())?.n ?? 0);
  const rows = (await q.selectAll().orderBy('_created_at', 'desc').orderBy('_id').limit(perPage).offset((page - 1) * perPage).execute()) as Row[];
  const items = rows.map((r) => ({
    id: String(r._id), version: Number(r._version), revision: Number(r._revision), current: Number(r._current) === 1,
    status: String(r._status), createdAt: String(r._created_at),
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
