/**
 * Who has reported for a month, on time or late, and who has not: every form and report with a
 * deadline (`x-deadline`), for every group in force that month (within a scope), summed per
 * district and province; reports about a region (the province report) per province. Everything
 * is found in the definitions: the group form (`x-entity`), what each submission is about, its
 * period fields and due day, the group's contact fields.
 */
import type { FieldNode, FormModel } from '../model-types.js';
import { indexModel } from '../model-index.js';
import { REGION_LEVELS } from '../regions.js';
import type { Store } from '../storage/database.js';
import { idsInForce } from '../storage/entities.js';
import { rowsToSubmission, type Row } from '../storage/row-mapping.js';
import { tablesFor } from '../storage/submissions.js';
import { deadlineSubject, dueDate, firstReceipts, timelinessOf, type ReportingPeriod, type Timeliness } from './deadlines.js';

export interface TimelinessColumn {
  readonly formId: string;
  readonly code: string;
  readonly title: string;
  /** The period this column counts: the year for a yearly form (K/0), else the month. */
  readonly period: ReportingPeriod;
  readonly due: string;
  readonly assumed?: string;
}

export interface GroupTimeliness {
  /** The group (its entity id) and the card in force in the month. */
  readonly entity: string;
  readonly cardId: string;
  readonly title: string;
  /** Region code per level (provinsi, kabupaten_kota, …) as on the card. */
  readonly regions: Readonly<Record<string, string>>;
  /** The `x-entity.contact` fields with their values (personal ones are the caller's to mask). */
  readonly contact: readonly { readonly field: FieldNode; readonly value: unknown }[];
  /** One per group column, in order. */
  readonly cells: readonly Timeliness[];
}

export interface Tally {
  readonly expected: number;
  readonly onTime: number;
  readonly late: number;
  readonly missing: number;
  /** Share received on time, 0–1; undefined when nothing was expected. */
  readonly rate?: number;
}

export interface RegionTimeliness {
  readonly code: string;
  readonly level: string;
  readonly groups: number;
  /** Per group column: how that region's groups stand. */
  readonly tallies: readonly Tally[];
  /** Per region column (the province report) at this region's level; empty for other levels. */
  readonly own: readonly (Timeliness | undefined)[];
}

export interface TimelinessSummary {
  readonly period: { readonly year: number; readonly month: number };
  /** Forms and reports about a group (K/0, R/1, the district report). */
  readonly groupColumns: readonly TimelinessColumn[];
  /** Reports about a region, with the region level (the province report, per province). */
  readonly regionColumns: readonly (TimelinessColumn & { readonly level: string })[];
  readonly groups: readonly GroupTimeliness[];
  readonly districts: readonly RegionTimeliness[];
  readonly provinces: readonly RegionTimeliness[];
  /** All groups in scope together. */
  readonly total: readonly Tally[];
}

function column(model: FormModel, period: { year: number; month: number }): TimelinessColumn {
  const decl = model.deadline!;
  const p: ReportingPeriod = decl.month ? period : { year: period.year };
  return { formId: model.id, code: model.code, title: model.title, period: p, due: dueDate(decl, p), ...(decl.assumed ? { assumed: decl.assumed } : {}) };
}

export function tally(cells: readonly Timeliness[]): Tally {
  const onTime = cells.filter((c) => c.state === 'tepat_waktu').length;
  const late = cells.filter((c) => c.state === 'terlambat').length;
  const expected = cells.length;
  return { expected, onTime, late, missing: expected - onTime - late, ...(expected ? { rate: onTime / expected } : {}) };
}

/**
 * Timeliness for a month. `narrowGroups` narrows the group form's query to the viewer's scope
 * (a where on its region field); `now` decides how overdue a missing submission is.
 */
export async function timelinessFor(
  store: Store, forms: ReadonlyMap<string, FormModel>, period: { year: number; month: number }, now: Date,
  narrowGroups: (q: any) => any = (q) => q,
): Promise<TimelinessSummary> {
  const withDeadline = [...forms.values()].filter((m) => m.deadline && deadlineSubject(m));
  const groupForm = [...forms.values()].find((m) => m.entity);
  const aboutGroup = (m: FormModel) => {
    const s = deadlineSubject(m)!;
    return s.kind === 'entity' ? m === groupForm : s.kind === 'ref' && s.form === groupForm?.id;
  };
  // Up the chain: the group's card, its registers, then the reports made from them.
  const rank = (m: FormModel) => (m === groupForm ? 0 : m.formKind === 'form' ? 1 : 2);
  const groupModels = withDeadline.filter(aboutGroup).sort((a, b) => rank(a) - rank(b));
  const regionModels = withDeadline.filter((m) => deadlineSubject(m)!.kind === 'region');
  const groupColumns = groupModels.map((m) => column(m, period));
  const regionColumns = regionModels.map((m) => ({ ...column(m, period), level: (deadlineSubject(m) as { level: string }).level }));

  const groups: GroupTimeliness[] = [];
  if (groupForm) {
    const tables = await tablesFor(store, groupForm);
    const inForce = await idsInForce(store.db, groupForm, tables, period, narrowGroups);
    const receipts = await Promise.all(groupModels.map((m, i) => firstReceipts(store, m, groupColumns[i]!.period, forms)));
    const idx = indexModel(groupForm);
    const regionFields = [...idx.rootFields.values()].filter((f) => f.region);
    const contact = (groupForm.entity?.contact ?? []).map((k) => idx.rootFields.get(k)).filter((f): f is FieldNode => !!f);
    const title = groupForm.titleField ? idx.rootFields.get(groupForm.titleField) : undefined;
    const since = groupForm.entity?.since ? idx.rootFields.get(groupForm.entity.since) : undefined;
    const cardIds = [...inForce.values()];
    const byId = new Map<string, Row>();
    for (let i = 0; i < cardIds.length; i += 500) {
      const rows = (await store.db.selectFrom(tables.main.name).selectAll().where('_id', 'in', cardIds.slice(i, i + 500)).execute()) as Row[];
      for (const r of rows) byId.set(String(r._id), r);
    }
    const value = (data: Record<string, unknown>, f: FieldNode) => (data[f.pointer.split('/')[1]!] as Record<string, unknown> | undefined)?.[f.key];
    for (const [entity, cardId] of inForce) {
      const row = byId.get(cardId);
      if (!row) continue;
      const data = rowsToSubmission(groupForm, { ...tables, children: [] }, row, new Map());
      groups.push({
        entity, cardId,
        title: String((title && value(data, title)) ?? cardId),
        regions: Object.fromEntries(regionFields.map((f) => [f.region!, String(value(data, f) ?? '')])),
        contact: contact.map((f) => ({ field: f, value: value(data, f) })),
        cells: groupColumns.map((col, i) => {
          const t = timelinessOf(col.due, receipts[i]!.get(entity), now);
          // A group formed during the year makes its first card when it forms: not late for it.
          const formedThisYear = groupModels[i] === groupForm && since !== undefined && value(data, since) === period.year;
          return formedThisYear && t.state === 'terlambat' ? { state: 'tepat_waktu' as const, receivedAt: t.receivedAt } : t;
        }),
      });
    }
    groups.sort((a, b) => (a.regions[REGION_LEVELS[1]] ?? '').localeCompare(b.regions[REGION_LEVELS[1]] ?? '') || a.title.localeCompare(b.title, 'id'));
  }

  const regionReceipts = await Promise.all(regionModels.map((m, i) => firstReceipts(store, m, regionColumns[i]!.period, forms)));
  const byRegion = (level: string): RegionTimeliness[] => {
    const codes = [...new Set(groups.map((g) => g.regions[level]).filter((c): c is string => !!c))].sort();
    return codes.map((code) => {
      const members = groups.filter((g) => g.regions[level] === code);
      return {
        code, level, groups: members.length,
        tallies: groupColumns.map((_, i) => tally(members.map((g) => g.cells[i]!))),
        own: regionColumns.map((col, i) => (col.level === level ? timelinessOf(col.due, regionReceipts[i]!.get(code), now) : undefined)),
      };
    });
  };
  return {
    period, groupColumns, regionColumns, groups,
    districts: byRegion(REGION_LEVELS[1]),
    provinces: byRegion(REGION_LEVELS[0]),
    total: groupColumns.map((_, i) => tally(groups.map((g) => g.cells[i]!))),
  };
}
