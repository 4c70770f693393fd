/**
 * Progress against a year's targets: per region (the provinces, or the districts of one), how
 * many groups count as facilitated by a month as the target file declares it (a card in force in
 * the month, and a register of the year up to the month with one of the declared activities), the
 * share of the target, the milestone of the month's quarter and whether the region is on track;
 * and the same for every month of the year up to it ("progress over the months").
 *
 * Cards are read once (every revision's bookkeeping columns, as the reports do) and the card in
 * force is chosen per month in memory; registers are read as one grouped query: the first month
 * of the year each group had a qualifying register.
 */
import type { FormModel } from '../model-types.js';
import { indexModel } from '../model-index.js';
import { REGION_LEVELS, type RegionLevel } from '../regions.js';
import type { Store } from '../storage/database.js';
import { inForce, revisionsOf } from '../storage/entities.js';
import { tablesFor } from '../storage/submissions.js';
import { milestoneFor, quarterOf, type Milestone, type TargetPlan } from './target-plan.js';
import { readTargets, seedTargets, targetGroups } from './target-store.js';

/**
 * - `tanpa-target`: no target, or a target of 0 — a share of nothing is not a percentage, so
 *   neither is shown as 0 % (or as infinitely ahead);
 * - `pemetaan`: the quarter's milestone has no percentage (Q1: data mapping);
 * - `sesuai`: at or above the quarter's milestone; `tertinggal`: below it;
 * - `tanpa-tonggak`: the plan declares no milestone for the quarter.
 */
export type ProgressStatus = 'tanpa-target' | 'pemetaan' | 'sesuai' | 'tertinggal' | 'tanpa-tonggak';

export interface Assessment {
  /** Facilitated / target × 100, one decimal; null without a target (or a target of 0). */
  readonly percent: number | null;
  readonly status: ProgressStatus;
  /** null when not assessed (no target, or a milestone without a percentage). */
  readonly onTrack: boolean | null;
}

export interface ProgressRow extends Assessment {
  readonly region: string;
  readonly name: string;
  readonly target: number | null;
  /** Groups with a card in force in the month. */
  readonly groups: number;
  readonly facilitated: number;
  /** Flagged target groups ("kelompok sasaran") with a card in force, and how many are facilitated. */
  readonly flagged: number;
  readonly flaggedFacilitated: number;
  /** Facilitated groups by the end of each month of the year, January first, up to the month. */
  readonly byMonth: readonly number[];
  /** The groups behind the counts of the month (drill-down): each with its card in force. */
  readonly cards: readonly GroupStanding[];
}

/** One group counted in a row: its card in force in the month, facilitated, flagged. */
export interface GroupStanding {
  readonly entity: string;
  readonly cardId: string;
  readonly facilitated: boolean;
  readonly flagged: boolean;
  /** In a total: false where the group's region has no target (its facilitation is not counted). */
  readonly countedFacilitated?: boolean;
}

/** What each count of a progress row is made of, by its name on the page. */
export const PROGRESS_COUNTS = {
  kelompok: (g: GroupStanding) => true,
  fasilitasi: (g: GroupStanding) => g.facilitated && g.countedFacilitated !== false,
  sasaran: (g: GroupStanding) => g.flagged,
  sasaran_fasilitasi: (g: GroupStanding) => g.flagged && g.facilitated,
} as const;

export interface ProgressTotal extends Omit<ProgressRow, 'region' | 'name'> {
  readonly label: string;
  /** Facilitated groups in regions without a target: shown, not counted in the percentage. */
  readonly outsideTarget: number;
}

export interface TargetProgress {
  readonly plan: TargetPlan;
  readonly year: number;
  readonly month: number;
  readonly quarter: number;
  readonly milestone?: Milestone;
  /** The level of the rows, and the region they lie in (none: the whole country). */
  readonly level: RegionLevel;
  readonly parent?: string;
  readonly rows: readonly ProgressRow[];
}

export interface ProgressSources {
  readonly store: Store;
  readonly forms: ReadonlyMap<string, FormModel>;
}

/** Share of a target, one decimal. */
const percentOf = (count: number, target: number) => Math.round((count * 1000) / target) / 10;

/** A count against a target and the milestone in force. */
export function assess(target: number | null, facilitated: number, milestone: Milestone | undefined): Assessment {
  // A target of 0 entered on purpose ("no groups this year") is kept as such, but a percentage of
  // zero groups is meaningless: it reads "tanpa target" like a region without one.
  if (target === null || target <= 0) return { percent: null, status: 'tanpa-target', onTrack: null };
  const percent = percentOf(facilitated, target);
  if (!milestone) return { percent, status: 'tanpa-tonggak', onTrack: null };
  if (milestone.percent === undefined) return { percent, status: 'pemetaan', onTrack: null };
  const onTrack = percent >= milestone.percent;
  return { percent, status: onTrack ? 'sesuai' : 'tertinggal', onTrack };
}

/** The level below a region code (codes nest by dots: 33 → kabupaten_kota). */
function levelBelow(code: string): RegionLevel | undefined {
  return REGION_LEVELS[code.split('.').length];
}
const levelOf = (code: string): RegionLevel | undefined => REGION_LEVELS[code.split('.').length - 1];

function regionFieldOf(model: FormModel, level: RegionLevel): string | undefined {
  return [...indexModel(model).rootFields.values()].find((f) => f.region === level)?.key;
}

export class ProgressQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProgressQueryError';
  }
}

const CHUNK = 500;

export interface ProgressQuery {
  readonly year: number;
  readonly month: number;
  /** Rows one level below this region instead of the plan's level. */
  readonly parent?: string;
  /** Only these rows (the viewer's region): the groups of the others are not read at all. */
  readonly include?: (region: string) => boolean;
}

/**
 * Progress for a year up to a month. Rows are the regions of the plan's level (the provinces), or,
 * with `parent`, the regions one level below it (a province's districts). Seeds the year's targets
 * from the plan's file on first use.
 */
export async function targetProgress(sources: ProgressSources, plan: TargetPlan, query: ProgressQuery): Promise<TargetProgress> {
  const { store, forms } = sources;
  const { year, month, parent } = query;
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new ProgressQueryError('Bulan harus 1–12.');
  if (plan.year === year) await seedTargets(store, plan);
  const rule = plan.facilitated;
  const group = forms.get(rule.groupForm)!;
  const register = forms.get(rule.activityForm)!;
  const level = parent ? levelBelow(parent) : plan.level;
  const levelField = level && regionFieldOf(group, level);
  if (!level || !levelField) throw new ProgressQueryError(`Kelompok tidak dapat dihitung per wilayah di bawah ${parent}.`);
  const parentField = parent ? regionFieldOf(group, levelOf(parent)!) : undefined;
  if (parent && !parentField) throw new ProgressQueryError(`Kelompok tidak dapat dihitung untuk wilayah ${parent}.`);

  const allRegions = (parent
    ? await store.db.selectFrom('wilayah').select(['kode', 'nama']).where('induk', '=', parent).orderBy('kode').execute()
    : await store.db.selectFrom('wilayah').select(['kode', 'nama']).where('tingkat', '=', level).orderBy('kode').execute()) as { kode: string; nama: string }[];
  const regions = query.include ? allRegions.filter((r) => query.include!(r.kode)) : allRegions;

  const groupTables = await tablesFor(store, group);
  const main = groupTables.main.name;
  // The groups that had a card (any revision) in the rows' regions, or in the parent region, or all.
  const narrowed = regions.length < allRegions.length;
  const codes = regions.map((r) => r.kode);
  const within = narrowed || parent;
  const groupsWithin = () => {
    const q = store.db.selectFrom(main).select('_entity');
    return narrowed ? q.where(levelField, 'in', codes.length ? codes : ['']) : q.where(parentField!, '=', parent!);
  };
  const revisions = await revisionsOf(store.db, group, groupTables, within ? (q) => q.where('_entity', 'in', groupsWithin()) : undefined);

  // The card in force per group for each month up to `month`.
  const chosen: Map<string, string>[] = [];
  for (let m = 1; m <= month; m++) {
    const byEntity = new Map<string, string>();
    for (const [entity, list] of revisions) {
      const card = inForce(list, { year, month: m });
      if (card) byEntity.set(entity, card.id);
    }
    chosen.push(byEntity);
  }
  const ids = [...new Set(chosen.flatMap((m) => [...m.values()]))];
  const regionOfCard = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await store.db.selectFrom(main).select(['_id', levelField]).where('_id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const r of rows) regionOfCard.set(String(r._id), String(r[levelField]));
  }

  // The first month of the year, up to `month`, with a register showing a declared activity.
  const registerTables = await tablesFor(store, register);
  let activity = store.db.selectFrom(registerTables.main.name)
    .select((eb) => [rule.link, eb.fn.min(rule.month).as('first')])
    .where('_current', '=', 1).where('_status', '=', 'aktif')
    .where(rule.year, '=', year).where(rule.month, '<=', month)
    .where((eb) => eb.or(rule.anyOf.map((f) => eb(f, '=', 1))))
    .groupBy(rule.link);
  if (within) activity = activity.where(rule.link, 'in', groupsWithin());
  const firstMonth = new Map((await activity.execute()).map((r) => [String(r[rule.link]).toLowerCase(), Number(r.first)]));

  const targets = await readTargets(store, year);
  const flags = await targetGroups(store, year);
  const milestone = milestoneFor(plan, month);
  const tally = new Map(regions.map((r) => [r.kode, { byMonth: new Array<number>(month).fill(0), groups: 0, flagged: 0, flaggedFacilitated: 0, cards: [] as GroupStanding[] }]));
  chosen.forEach((byEntity, i) => {
    const m = i + 1;
    for (const [entity, id] of byEntity) {
      const t = tally.get(regionOfCard.get(id) ?? '');
      if (!t) continue;
      const first = firstMonth.get(entity.toLowerCase());
      const facilitated = first !== undefined && first <= m;
      if (facilitated) t.byMonth[i]!++;
      if (m === month) {
        t.groups++;
        t.cards.push({ entity, cardId: id, facilitated, flagged: flags.has(entity) });
        if (flags.has(entity)) {
          t.flagged++;
          if (facilitated) t.flaggedFacilitated++;
        }
      }
    }
  });

  const rows: ProgressRow[] = regions.map((r) => {
    const t = tally.get(r.kode)!;
    const target = targets.get(r.kode)?.value ?? null;
    const facilitated = t.byMonth[month - 1]!;
    return { region: r.kode, name: r.nama, target, groups: t.groups, facilitated, ...assess(target, facilitated, milestone), flagged: t.flagged, flaggedFacilitated: t.flaggedFacilitated, byMonth: t.byMonth, cards: t.cards };
  });
  return { plan, year, month, quarter: quarterOf(month), ...(milestone ? { milestone } : {}), level, ...(parent ? { parent } : {}), rows };
}

/**
 * The total of some rows (those a viewer sees; all of them: the national line). The percentage
 * counts the regions that have a target (above 0) only: groups facilitated where no target was
 * set are reported beside it (`outsideTarget`) rather than making up for regions behind theirs.
 */
export function progressTotal(progress: TargetProgress, rows: readonly ProgressRow[], label: string): ProgressTotal {
  const counted = rows.filter((r) => r.target !== null && r.target > 0);
  const sum = (list: readonly ProgressRow[], f: (r: ProgressRow) => number) => list.reduce((s, r) => s + f(r), 0);
  const target = counted.length ? sum(counted, (r) => r.target!) : null;
  const facilitated = sum(counted, (r) => r.facilitated);
  return {
    label, target, groups: sum(rows, (r) => r.groups), facilitated,
    ...assess(target, facilitated, progress.milestone),
    outsideTarget: sum(rows, (r) => r.facilitated) - facilitated,
    flagged: sum(rows, (r) => r.flagged), flaggedFacilitated: sum(rows, (r) => r.flaggedFacilitated),
    byMonth: Array.from({ length: progress.month }, (_, i) => sum(counted, (r) => r.byMonth[i]!)),
    // Facilitated ones count where there is a target, as the number does (see behindCount).
    cards: rows.flatMap((r) => (counted.includes(r) ? r.cards : r.cards.map((card) => ({ ...card, countedFacilitated: false })))),
  };
}

/** One month of a row's or total's progress, against the milestone of that month's quarter. */
export interface MonthPoint extends Assessment {
  readonly month: number;
  readonly facilitated: number;
  readonly milestone?: Milestone;
}

export function monthlyProgress(plan: TargetPlan, row: Pick<ProgressRow, 'target' | 'byMonth'>): MonthPoint[] {
  return row.byMonth.map((facilitated, i) => {
    const milestone = milestoneFor(plan, i + 1);
    return { month: i + 1, facilitated, ...assess(row.target, facilitated, milestone), ...(milestone ? { milestone } : {}) };
  });
}
