/**
 * Deadlines as data (`x-deadline`) and timeliness: when a form or report for a period is due,
 * whom it is about (a group, or a region for a province report), when it first arrived, and so
 * whether it came on time, late by n days, or not yet. Days are calendar days in WIB (UTC+7),
 * the time zone the program's deadlines are read in; a receipt is the first revision's save time
 * (a correction later does not make a report late, nor an early empty one on time: it is what
 * the program counts as "received").
 */
import { sql } from 'kysely';
import type { DeadlineDecl, FieldNode, FormModel } from '../model-types.js';
import { indexModel } from '../model-index.js';
import type { Store } from '../storage/database.js';
import { tablesFor } from '../storage/submissions.js';

const WIB_OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** A reporting period: a year, or a month of it. */
export interface ReportingPeriod {
  readonly year: number;
  readonly month?: number;
}

/** The calendar day (YYYY-MM-DD) in WIB of an instant. */
export function wibDay(at: string | Date): string {
  return new Date(new Date(at).getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The day a period's submission is due (YYYY-MM-DD, WIB; due by the end of it): `day` of the month
 * `monthsAfter` months after the period's first month; a day past that month's end is its last.
 */
export function dueDate(decl: DeadlineDecl, period: ReportingPeriod): string {
  const first = decl.month ? period.month ?? 1 : 1;
  const index = period.year * 12 + (first - 1) + decl.monthsAfter;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(decl.day, last)).padStart(2, '0')}`;
}

const dayNumber = (day: string) => Math.round(new Date(`${day}T00:00:00Z`).getTime() / DAY_MS);

export type Timeliness =
  | { readonly state: 'tepat_waktu'; readonly receivedAt: string }
  | { readonly state: 'terlambat'; readonly receivedAt: string; readonly daysLate: number }
  /** Not received; `daysOverdue` once the due day has passed (0 while it is still to come). */
  | { readonly state: 'belum_ada'; readonly daysOverdue: number };

/** On time, late by n days, or not yet there, for a first receipt against a due day. */
export function timelinessOf(due: string, firstReceipt: string | undefined, now: Date): Timeliness {
  if (firstReceipt === undefined) return { state: 'belum_ada', daysOverdue: Math.max(0, dayNumber(wibDay(now)) - dayNumber(due)) };
  const late = dayNumber(wibDay(firstReceipt)) - dayNumber(due);
  return late > 0 ? { state: 'terlambat', receivedAt: firstReceipt, daysLate: late } : { state: 'tepat_waktu', receivedAt: firstReceipt };
}

/** How timeliness reads to staff: "tepat waktu", "terlambat 4 hari", "belum ada". */
export function timelinessLabel(t: Timeliness): string {
  if (t.state === 'tepat_waktu') return 'tepat waktu';
  if (t.state === 'terlambat') return `terlambat ${t.daysLate} hari`;
  return t.daysOverdue > 0 ? `belum ada (lewat ${t.daysOverdue} hari)` : 'belum ada';
}

/**
 * Whom one submission of a form with a deadline is about, as its definition says: the thing itself
 * (`x-entity`: a group's card), the thing a field refers to (`x-ref-form`: the R/1's or district
 * report's group), or a region (`x-region`: the province report's province).
 */
export type DeadlineSubject =
  | { readonly kind: 'entity' }
  | { readonly kind: 'ref'; readonly field: FieldNode; readonly form: string }
  | { readonly kind: 'region'; readonly field: FieldNode; readonly level: string };

export function deadlineSubject(model: FormModel): DeadlineSubject | undefined {
  if (model.entity) return { kind: 'entity' };
  const fields = [...indexModel(model).rootFields.values()];
  const ref = fields.find((f) => f.refForm);
  if (ref) return { kind: 'ref', field: ref, form: ref.refForm! };
  const region = fields.find((f) => f.region);
  return region ? { kind: 'region', field: region, level: region.region! } : undefined;
}

/**
 * The first receipt of each subject's submission for the period: subject (entity id, or the
 * region code) → ISO time of its first save. References to a form with `x-entity` are read as
 * that thing's entity, whichever of its revisions they name. Every version's rows count.
 */
export async function firstReceipts(store: Store, model: FormModel, period: ReportingPeriod, forms: ReadonlyMap<string, FormModel>): Promise<Map<string, string>> {
  const decl = model.deadline;
  const subject = deadlineSubject(model);
  const out = new Map<string, string>();
  if (!decl || !subject) return out;
  const tables = await tablesFor(store, model);
  const column = subject.kind === 'entity' ? '_entity' : subject.field.key;
  let q = store.db.selectFrom(tables.main.name)
    .select([sql.ref<string>(column).as('subject'), sql<string>`min(_created_at)`.as('first')])
    .where(decl.year, '=', period.year as never);
  if (decl.month) q = q.where(decl.month, '=', (period.month ?? 0) as never);
  const rows = (await q.groupBy(column).execute()) as { subject: unknown; first: unknown }[];
  const target = subject.kind === 'ref' ? forms.get(subject.form) : undefined;
  const entityOf = target?.entity ? await entityIds(store, target, rows.map((r) => String(r.subject))) : undefined;
  for (const r of rows) {
    if (r.subject === null || r.subject === undefined) continue;
    const key = entityOf?.get(String(r.subject)) ?? String(r.subject);
    const first = String(r.first);
    const had = out.get(key);
    if (!had || first < had) out.set(key, first);
  }
  return out;
}

/** Revision id → entity id, for ids naming revisions of a thing (a group's later card). */
async function entityIds(store: Store, model: FormModel, ids: readonly string[]): Promise<Map<string, string>> {
  const tables = await tablesFor(store, model);
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (!chunk.length) continue;
    const rows = (await store.db.selectFrom(tables.main.name).select(['_id', '_entity']).where('_id', 'in', chunk).execute()) as { _id: string; _entity: string | null }[];
    for (const r of rows) out.set(String(r._id), String(r._entity ?? r._id));
  }
  return out;
}
