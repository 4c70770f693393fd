/**
 * Which month a record belongs to, read from its definition, and whether a change to a thing that
 * lives across revisions (a group's K/0 cards) would change what is in force in a month: what the
 * lock of approved months needs to decide, without naming any form.
 */
import { indexModel, readPointer } from '../model-index.js';
import type { FieldNode, FormModel } from '../model-types.js';
import type { Store } from '../storage/database.js';
import { inForce, revisionsOf, type Period, type RevisionRow } from '../storage/entities.js';
import { tablesFor } from '../storage/submissions.js';

/** A choice of the twelve months (codes 1–12). */
const isMonthField = (f: FieldNode) => f.valueType === 'integer' && f.options?.length === 12 && f.options.every((o, i) => o.value === i + 1);
/** An integer whose range is years. */
const isYearField = (f: FieldNode) => f.valueType === 'integer' && !f.options && (f.minimum ?? 0) >= 1900 && (f.maximum ?? Number.POSITIVE_INFINITY) <= 2200;

/**
 * The fields naming a record's month: a report's `x-rollup.period` (year, month), else the period
 * fields of the form's `x-unique` key (neither a reference nor a region: the R/1's tahun and bulan),
 * the month being the choice of twelve and the year the integer of years. Undefined for a form
 * without a monthly period (a K/0 card lives across months).
 */
export function monthFields(model: FormModel): { year: FieldNode; month: FieldNode } | undefined {
  const fields = indexModel(model).rootFields;
  const declared = model.rollup?.period;
  if (declared) {
    const year = fields.get(declared.year);
    const month = fields.get(declared.month);
    return year && month ? { year, month } : undefined;
  }
  const period = model.unique.map((k) => fields.get(k)).filter((f): f is FieldNode => !!f && !f.refForm && !f.region);
  const month = period.find(isMonthField);
  const year = period.find((f) => f !== month && isYearField(f));
  return year && month ? { year, month } : undefined;
}

/** The month of a record's data (or of a report's parameters keyed by field), if it names one. */
export function monthOf(model: FormModel, data: unknown, byKey = false): Period | undefined {
  const fields = monthFields(model);
  if (!fields) return undefined;
  const read = (f: FieldNode) => (byKey ? (data as Record<string, unknown> | undefined)?.[f.key] : readPointer(data, f.pointer));
  const year = read(fields.year);
  const month = read(fields.month);
  return Number.isInteger(year) && Number.isInteger(month) && (month as number) >= 1 && (month as number) <= 12 ? { year: year as number, month: month as number } : undefined;
}

/** A revision as it would be stored from `data` (its card year and founding year from `x-entity`). */
export function candidateRevision(model: FormModel, data: unknown, base: Pick<RevisionRow, 'id' | 'entity' | 'createdAt'> & Partial<Pick<RevisionRow, 'status' | 'statusAt'>>): RevisionRow {
  const fields = indexModel(model).rootFields;
  const int = (key: string | undefined) => {
    const f = key ? fields.get(key) : undefined;
    const v = f ? readPointer(data, f.pointer) : undefined;
    return typeof v === 'number' && Number.isInteger(v) ? v : null;
  };
  return { ...base, status: base.status ?? 'aktif', statusAt: base.statusAt ?? null, year: int(model.entity?.year), since: int(model.entity?.since) };
}

/** Every revision of the entity that `anyId` (the entity or one of its revisions) belongs to. */
export async function entityRevisions(store: Store, model: FormModel, anyId: string): Promise<{ entity: string; revisions: RevisionRow[] } | undefined> {
  const tables = await tablesFor(store, model);
  const own = await store.db.selectFrom(tables.main.name).select(['_entity']).where('_id', '=', anyId.toLowerCase()).executeTakeFirst();
  if (!own) return undefined;
  const entity = String(own._entity ?? anyId.toLowerCase());
  const revisions = (await revisionsOf(store.db, model, tables, (q) => q.where('_entity', '=', entity))).get(entity) ?? [];
  return { entity, revisions };
}

/** The months of `months` whose revision in force differs between `before` and `after`. */
export function monthsChanged(before: readonly RevisionRow[], after: readonly RevisionRow[], months: readonly Period[]): Period[] {
  return months.filter((p) => inForce(before, p)?.id !== inForce(after, p)?.id);
}
