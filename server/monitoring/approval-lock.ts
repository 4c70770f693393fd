/**
 * Approved months are locked: a save that would change the data behind one answers 423 naming who
 * approved it and when. What a record's month and region are comes from its definition: the month
 * from its period fields (`monthOf`: the R/1's and the reports' tahun/bulan), the region from its
 * region fields or the group card it links to (`regionOfData`). A record without a month that
 * lives across revisions (a group's K/0 cards, `x-entity`) locks an approved month only when the
 * save would change which card is in force in that month, or whether the group counts in it
 * (a new card, a revision, a deactivation or reactivation), decided with `inForce`.
 *
 * Data of a district is locked by its district month and by the province month above it (the
 * province report rolls up every group of the province); a province report only by its province
 * month.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  approvalMonthName, approvalRegionAt, approvalState, approvalTime, approvedMonths, candidateRevision, entityRevisions,
  approvedCountQuery, loadCurrent, loadSubmission, monthOf, monthsChanged, regionNames,
  type ApprovalLevel, type ApprovalRecord, type ApprovalRevisionRow, type ApprovalWatch, type FormModel, type Period, type WriteGuard,
} from '../../engine/index.js';
import { covers, viewerOf } from '../access.js';
import type { AppDeps } from '../context.js';
import { regionOfData } from '../record-region.js';
import { findSubmissionForm } from '../submissions-query.js';

type Json = Record<string, unknown>;

export type LockTarget =
  /** A record about to be saved: a new one, or a new revision of `revises`. */
  | { readonly kind: 'save'; readonly model: FormModel; readonly data: unknown; readonly revises?: string }
  /** A report's staff entries for these parameters (keyed by field key). */
  | { readonly kind: 'entries'; readonly model: FormModel; readonly params: Readonly<Json> }
  /** A stored record's entity deactivated (from `at`, else today) or reactivated. */
  | { readonly kind: 'status'; readonly id: string; readonly status: 'aktif' | 'nonaktif'; readonly at?: string };

/** Who must reopen a month of each level: the level above. */
const REOPENED_BY: Readonly<Record<ApprovalLevel, string>> = { kabupaten: 'provinsi', provinsi: 'pusat' };

/** The 423 for an approved month, in the words staff read. */
async function locked(deps: AppDeps, record: ApprovalRecord): Promise<HTTPException> {
  const name = (await regionNames(deps.store, [record.region]))(record.region) ?? record.region;
  const by = record.by?.name || 'tingkat di atasnya';
  const when = record.at ? ` pada ${approvalTime(record.at)}` : '';
  return new HTTPException(423, {
    message: `Data ${approvalMonthName(record.year, record.month)} ${name} sudah disetujui oleh ${by}${when}; minta ${REOPENED_BY[record.level]} membuka kembali untuk mengubahnya.`,
  });
}

/** The approval regions whose months lock data of `region`: its district (if it has one) and province. */
function lockRegions(region: string): { level: ApprovalLevel; code: string }[] {
  return (['kabupaten', 'provinsi'] as const).flatMap((level) => {
    const code = approvalRegionAt(level, region);
    return code ? [{ level, code }] : [];
  });
}

/** What a write was checked against: the months watched and how many of them were approved. */
interface Checked { readonly watched: readonly ApprovalWatch[]; readonly approved: number }

/** 423 when the month of `region` is approved at its district or province. */
async function requireMonthOpen(deps: AppDeps, region: string, period: Period): Promise<Checked> {
  const watched = lockRegions(region).map(({ level, code }) => ({ level, region: code, year: period.year, month: period.month! }));
  for (const w of watched) {
    const record = await approvalState(deps.store, w.level, w.region, w.year, w.month);
    if (record.status === 'disetujui') throw await locked(deps, record);
  }
  return { watched, approved: 0 };
}

/** The approved months that lock data of any of `regions`, district months first within a month. */
async function approvedFor(deps: AppDeps, regions: readonly string[]): Promise<ApprovalRecord[]> {
  const seen = new Set<string>();
  const approved: ApprovalRecord[] = [];
  for (const region of regions) {
    for (const { level, code } of lockRegions(region)) {
      if (seen.has(`${level}|${code}`)) continue;
      seen.add(`${level}|${code}`);
      approved.push(...(await approvedMonths(deps.store, level, code)));
    }
  }
  // The nearer approval (the district's) is the one named when both hold.
  return approved.sort((a, b) => a.year - b.year || a.month - b.month || (a.level === 'kabupaten' ? -1 : 1));
}

/**
 * 423 when an approved month of any of `regions` would see another revision in force. The
 * revisions are read only when some month is approved (most saves find none).
 */
async function requireCardsOpen(deps: AppDeps, regions: readonly string[], revisions: () => Promise<{ before: readonly ApprovalRevisionRow[]; after: readonly ApprovalRevisionRow[] } | undefined>): Promise<Checked> {
  const approved = await approvedFor(deps, regions);
  // Every month of these regions is watched: one approved after this check may be one the write changes.
  const checked = { watched: regions.flatMap((r) => lockRegions(r).map(({ level, code }) => ({ level, region: code }))), approved: approved.length };
  if (!approved.length) return checked;
  const compared = await revisions();
  if (!compared) return checked;
  for (const record of approved) {
    if (monthsChanged(compared.before, compared.after, [{ year: record.year, month: record.month }]).length) throw await locked(deps, record);
  }
  return checked;
}

const todayWib = () => new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Refuse (423) a write that would change data behind an approved month. Writes the viewer may not
 * make at all (outside their region) are left to the handler's own 403, so that the lock tells
 * nobody about another region's approvals; anything it cannot place (invalid data, an unknown id)
 * is left to the handler's own answer too.
 */
export async function requireUnlocked(c: Context, deps: AppDeps, target: LockTarget): Promise<void> {
  const checked = await unlocked(c, deps, target);
  if (!checked || !checked.watched.length) return;
  c.set('approvalGuard', { target, guard: guardOf(checked) });
}

/** An approval changed between the check and the write's transaction: the write checks again. */
export class ApprovalChanged extends Error {}

/** The check again, inside the write's transaction: the same number of watched months approved. */
function guardOf(checked: Checked): WriteGuard {
  return async (w) => {
    const [row] = await w.query(approvedCountQuery(w.db, checked.watched));
    if (Number(row?.n ?? 0) !== checked.approved) throw new ApprovalChanged();
  };
}

/**
 * A write that was checked against the approvals (requireUnlocked, before its handler): its
 * guard runs inside the write's transaction; when an approval changed since the check, the check
 * runs again (423 now, if the month got locked) and the write once more.
 */
export async function withApprovalGuard<T>(c: Context, deps: AppDeps, write: (guard: WriteGuard | undefined) => Promise<T>): Promise<T> {
  const held = c.get('approvalGuard');
  if (!held) return write(undefined);
  try {
    return await write(held.guard);
  } catch (e) {
    if (!(e instanceof ApprovalChanged)) throw e;
    const again = await unlocked(c, deps, held.target);
    return write(again && again.watched.length ? guardOf(again) : undefined);
  }
}

declare module 'hono' {
  interface ContextVariableMap {
    approvalGuard: { readonly target: LockTarget; readonly guard: WriteGuard } | undefined;
  }
}

async function unlocked(c: Context, deps: AppDeps, target: LockTarget): Promise<Checked | undefined> {
  const scope = viewerOf(c).scope;
  if (target.kind === 'entries') {
    const period = monthOf(target.model, target.params, true);
    const section = target.model.rollup?.params.section;
    if (!period || !section) return;
    const region = await regionOfData(deps, target.model, { [section]: target.params });
    return region && covers(scope, region) ? requireMonthOpen(deps, region, period) : undefined;
  }
  if (target.kind === 'save') {
    if (!isObject(target.data)) return;
    const { model, data } = target;
    const region = await regionOfData(deps, model, data);
    if (!region || !covers(scope, region)) return;
    const period = monthOf(model, data);
    if (period) return requireMonthOpen(deps, region, period);
    if (!model.entity) return;
    // A revision that moves the group changes the months of the district it leaves as well.
    const priorCard = target.revises ? await loadCurrent(deps.store, model, target.revises) : undefined;
    const priorRegion = priorCard ? await regionOfData(deps, model, priorCard.data) : undefined;
    return requireCardsOpen(deps, priorRegion ? [region, priorRegion] : [region], async () => {
      const prior = target.revises ? await entityRevisions(deps.store, model, target.revises) : undefined;
      const before = prior?.revisions ?? [];
      const candidate = candidateRevision(model, data, { id: '(baru)', entity: prior?.entity ?? '(baru)', createdAt: new Date().toISOString() });
      return { before, after: [...before, candidate] };
    });
  }
  const model = await findSubmissionForm(deps.store, deps.forms, target.id.toLowerCase());
  const stored = model && (await loadSubmission(deps.store, model, target.id));
  if (!model || !stored) return;
  const region = await regionOfData(deps, model, stored.data);
  if (!region || !covers(scope, region)) return;
  const period = monthOf(model, stored.data);
  if (period) return requireMonthOpen(deps, region, period);
  if (!model.entity) return;
  return requireCardsOpen(deps, [region], async () => {
    const found = await entityRevisions(deps.store, model, stored.id);
    if (!found) return undefined;
    // A status change applies to every revision of the entity (as setSubmissionStatus stores it).
    const statusAt = target.status === 'nonaktif' ? target.at ?? todayWib() : null;
    return { before: found.revisions, after: found.revisions.map((r) => ({ ...r, status: target.status, statusAt })) };
  });
}
