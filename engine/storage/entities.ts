/**
 * Things that live across revisions (`x-entity`): a UPPKA group has one identity (`_entity`, the id
 * of its first card) and a K/0 card per budget year, each corrected by later revisions. A report
 * of a year and month uses the card *in force* then, never simply the newest one:
 *
 * 1. no card before the group was formed (`since`) or when it had stopped before the month began
 *    (deactivated from `_status_at`; a deactivation without a date hides it from every report);
 * 2. of the cards for years up to the report's year, those of the latest such year (a card made
 *    before `year` existed counts from the year the group was formed);
 * 3. of that year's revisions, the last one saved by the end of the month (WIB); when all were saved
 *    later (a card entered late), the first of them.
 */
import type { Kysely } from 'kysely';
import type { FormModel } from '../model-types.js';
import { indexModel } from '../model-index.js';
import type { FormTables } from './table-spec.js';

export interface Period {
  readonly year: number;
  /** 1–12; without it, the end of the year. */
  readonly month?: number;
}

export interface RevisionRow {
  readonly id: string;
  readonly entity: string;
  readonly createdAt: string;
  readonly status: string;
  readonly statusAt: string | null;
  readonly year: number | null;
  readonly since: number | null;
}

const WIB_OFFSET_MS = 7 * 3600 * 1000;

/** The instant a month begins in WIB, as an ISO string comparable with `_created_at`. */
export function monthStartIso(year: number, month: number): string {
  return new Date(Date.UTC(year, month - 1, 1) - WIB_OFFSET_MS).toISOString();
}

/** The revision of one entity in force in `period`, or undefined (not formed yet, or stopped). */
export function inForce(revisions: readonly RevisionRow[], period: Period): RevisionRow | undefined {
  if (!revisions.length) return undefined;
  const month = period.month ?? 12;
  const end = month === 12 ? monthStartIso(period.year + 1, 1) : monthStartIso(period.year, month + 1);
  const stopped = revisions.find((r) => r.status === 'nonaktif');
  // `_status_at` is a date (YYYY-MM-DD): the group counts in the month it stopped, not after.
  const firstDay = `${period.year}-${String(month).padStart(2, '0')}-01`;
  if (stopped && (!stopped.statusAt || stopped.statusAt < firstDay)) return undefined;
  const since = Math.min(...revisions.map((r) => r.since ?? Number.POSITIVE_INFINITY));
  if (Number.isFinite(since) && since > period.year) return undefined;
  const yearOf = (r: RevisionRow) => r.year ?? r.since ?? Number.NEGATIVE_INFINITY;
  const eligible = revisions.filter((r) => yearOf(r) <= period.year);
  if (!eligible.length) return undefined;
  const cardYear = Math.max(...eligible.map(yearOf));
  const ofYear = eligible.filter((r) => yearOf(r) === cardYear).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const saved = ofYear.filter((r) => r.createdAt < end);
  return saved.length ? saved[saved.length - 1] : ofYear[0];
}

/** The columns of the year and since fields, when the form declares them and stores them. */
function entityColumns(model: FormModel): { year?: string; since?: string } {
  const fields = indexModel(model).rootFields;
  const year = model.entity?.year && fields.has(model.entity.year) ? model.entity.year : undefined;
  const since = model.entity?.since && fields.has(model.entity.since) ? model.entity.since : undefined;
  return { year, since };
}

/**
 * Every revision of the entities `narrow` selects (all when it selects all), grouped by entity.
 * Revisions of all versions are read: a card saved under an older definition still counts.
 */
export async function revisionsOf(
  db: Kysely<any>, model: FormModel, tables: FormTables,
  narrow: (q: any) => any = (q) => q,
): Promise<Map<string, RevisionRow[]>> {
  const { year, since } = entityColumns(model);
  const columns = ['_id', '_entity', '_created_at', '_status', '_status_at', ...(year ? [year] : []), ...(since ? [since] : [])];
  const rows = (await narrow(db.selectFrom(tables.main.name).select(columns)).execute()) as Record<string, unknown>[];
  const byEntity = new Map<string, RevisionRow[]>();
  for (const r of rows) {
    const entity = String(r._entity ?? r._id);
    let list = byEntity.get(entity);
    if (!list) byEntity.set(entity, (list = []));
    list.push({
      id: String(r._id), entity, createdAt: String(r._created_at), status: String(r._status),
      statusAt: (r._status_at as string | null) ?? null,
      year: year && typeof r[year] === 'number' ? (r[year] as number) : null,
      since: since && typeof r[since] === 'number' ? (r[since] as number) : null,
    });
  }
  return byEntity;
}

/**
 * The id of the revision in force in `period` for each entity that has one. For a form without
 * `x-entity`, the current active submission of each entity (what reports used before).
 */
export async function idsInForce(
  db: Kysely<any>, model: FormModel, tables: FormTables, period: Period | undefined,
  narrow: (q: any) => any = (q) => q,
): Promise<Map<string, string>> {
  if (!model.entity || !period) {
    const rows = (await narrow(db.selectFrom(tables.main.name).select(['_id', '_entity']).where('_current', '=', 1).where('_status', '=', 'aktif')).execute()) as Record<string, unknown>[];
    return new Map(rows.map((r) => [String(r._entity ?? r._id), String(r._id)]));
  }
  // Narrow on the entities first (any revision matching), then read all their revisions.
  const matching = narrow(db.selectFrom(tables.main.name).select('_entity'));
  const revisions = await revisionsOf(db, model, tables, (q) => q.where('_entity', 'in', matching));
  const out = new Map<string, string>();
  for (const [entity, list] of revisions) {
    const chosen = inForce(list, period);
    if (chosen) out.set(entity, chosen.id);
  }
  return out;
}
