/**
 * What the approval pages and the reports show: for a month and the viewer's scope, the months
 * they submit (their own) and the months they decide on (a province's districts, the national
 * level's provinces), each with its state, who took the last step and the steps the viewer may take;
 * and for a report, the state of the month it is about and who signed it.
 */
import {
  APPROVAL_ACTION_LABELS, APPROVAL_BLOCKING, APPROVAL_STATUS_LABELS, approvalActionsFrom, approvalHistory, approvalMonthName, approvalRegionAt,
  approvalState, approvalStates, approvalTime, monthOf, regionChildren, regionNames,
  type ApprovalAction, type ApprovalLevel, type ApprovalRecord, type ApprovalStatus, type FormModel,
} from '../../engine/index.js';
import type { Viewer } from '../access.js';
import type { AppDeps } from '../context.js';
import { regionOfData } from '../record-region.js';
import { approvalRefusal } from './approval-actions.js';

export interface ApprovalRow {
  readonly level: ApprovalLevel;
  readonly region: string;
  readonly name: string;
  readonly status: ApprovalStatus;
  readonly label: string;
  readonly by?: string;
  readonly at?: string;
  readonly note?: string;
  /** What the viewer may do with this month now. */
  readonly actions: readonly { readonly action: ApprovalAction; readonly label: string; readonly needsNote: boolean }[];
  /** Why a step that the order would allow is held back (the districts in the way, the month above). */
  readonly held?: string;
  readonly history: readonly { readonly action: ApprovalAction; readonly label: string; readonly by: string; readonly at: string; readonly note?: string }[];
}

export interface ApprovalListing {
  readonly year: number;
  readonly month: number;
  readonly period: string;
  /** The viewer's own month (a district's or a province's), which they submit. */
  readonly own?: ApprovalRow;
  /** The month above the viewer's own (a district sees its province's). */
  readonly above?: ApprovalRow;
  /** The months the viewer decides on. */
  readonly rows: readonly ApprovalRow[];
  /** What the rows are ("Kabupaten/kota di Jawa Tengah", "Provinsi"). */
  readonly rowsTitle?: string;
}

const LABEL = (s: ApprovalStatus) => APPROVAL_STATUS_LABELS[s];

async function rowOf(deps: AppDeps, viewer: Viewer, record: ApprovalRecord, name: string, held?: { action: ApprovalAction; why: string }): Promise<ApprovalRow> {
  const actor = viewer.account.role === (record.level === 'kabupaten' ? 'provinsi' : 'pusat') ? 'parent' : 'self';
  const actions = approvalActionsFrom(record.status, actor)
    .filter((a) => !approvalRefusal(viewer, record.level, record.region, a) && held?.action !== a)
    .map((a) => ({ action: a, label: APPROVAL_ACTION_LABELS[a], needsNote: a === 'kembalikan' || a === 'buka' }));
  const history = (await approvalHistory(deps.store, record.level, record.region, record.year, record.month))
    .map((h) => ({ action: h.action, label: APPROVAL_ACTION_LABELS[h.action], by: h.by.name, at: approvalTime(h.at), ...(h.note ? { note: h.note } : {}) }));
  return {
    level: record.level, region: record.region, name, status: record.status, label: LABEL(record.status),
    ...(record.by ? { by: record.by.name } : {}), ...(record.at ? { at: approvalTime(record.at) } : {}), ...(record.note ? { note: record.note } : {}),
    actions, ...(held && approvalActionsFrom(record.status, actor).includes(held.action) ? { held: held.why } : {}), history,
  };
}

/** The approval page's content for the viewer (kabupaten, provinsi or pusat) and a month. */
export async function approvalListing(deps: AppDeps, viewer: Viewer, year: number, month: number): Promise<ApprovalListing> {
  const { role } = viewer.account;
  const period = approvalMonthName(year, month);
  const bound = viewer.scope.kind === 'regions' ? viewer.scope.codes[0] : undefined;
  if (role === 'pusat') {
    const provinces = await regionChildren(deps.store, null);
    const states = await approvalStates(deps.store, 'provinsi', provinces.map((p) => p.kode), year, month);
    const rows = await Promise.all(provinces.map((p) => rowOf(deps, viewer, states.get(p.kode)!, p.nama)));
    return { year, month, period, rows, rowsTitle: 'Provinsi' };
  }
  if (role === 'provinsi' && bound) {
    const districts = await regionChildren(deps.store, bound);
    const states = await approvalStates(deps.store, 'kabupaten', districts.map((d) => d.kode), year, month);
    const own = await approvalState(deps.store, 'provinsi', bound, year, month);
    const names = await regionNames(deps.store, [bound]);
    const blocking = districts.filter((d) => APPROVAL_BLOCKING.includes(states.get(d.kode)!.status));
    const held = blocking.length ? { action: 'ajukan' as const, why: `Belum dapat diajukan: ${blocking.map((d) => `${d.nama} (${LABEL(states.get(d.kode)!.status)})`).join(', ')} belum disetujui.` } : undefined;
    // A district month is reopened only while the province month is neither submitted nor approved.
    const closedAbove = own.status === 'diajukan' || own.status === 'disetujui'
      ? { action: 'buka' as const, why: `Laporan provinsi bulan ini ${LABEL(own.status)}; ${own.status === 'disetujui' ? 'minta pusat membukanya kembali' : 'minta pusat mengembalikannya'} lebih dahulu.` }
      : undefined;
    const rows = await Promise.all(districts.map((d) => rowOf(deps, viewer, states.get(d.kode)!, d.nama, closedAbove)));
    const name = names(bound) ?? bound;
    return { year, month, period, own: await rowOf(deps, viewer, own, name, held), rows, rowsTitle: `Kabupaten/kota di ${name}` };
  }
  if (role === 'kabupaten' && bound) {
    const province = approvalRegionAt('provinsi', bound)!;
    const names = await regionNames(deps.store, [bound, province]);
    const own = await rowOf(deps, viewer, await approvalState(deps.store, 'kabupaten', bound, year, month), names(bound) ?? bound);
    const above = await rowOf(deps, viewer, await approvalState(deps.store, 'provinsi', province, year, month), names(province) ?? province);
    return { year, month, period, own, above, rows: [] };
  }
  return { year, month, period, rows: [] };
}

export interface ReportApproval {
  readonly level: ApprovalLevel;
  readonly region: string;
  readonly status: ApprovalStatus;
  readonly label: string;
  /** One line for the report page and its print: "Disetujui oleh … pada 21-11-2026 10:15 WIB." */
  readonly text: string;
  readonly by?: string;
  readonly at?: string;
}

/** The line a report prints for the approval state of its month. */
export function approvalText(record: ApprovalRecord): string {
  const by = record.by?.name ?? '';
  const at = record.at ? approvalTime(record.at) : '';
  switch (record.status) {
    case 'belum': return 'Belum diajukan untuk disetujui.';
    case 'diajukan': return `Diajukan oleh ${by} pada ${at}; menunggu persetujuan ${record.level === 'kabupaten' ? 'provinsi' : 'pusat'}.`;
    case 'disetujui': return `Disetujui oleh ${by} pada ${at}.`;
    case 'dikembalikan': return `Dikembalikan oleh ${by} pada ${at}${record.note ? `: ${record.note}` : ''}.`;
    case 'dibuka': return `Dibuka kembali oleh ${by} pada ${at}${record.note ? `: ${record.note}` : ''}.`;
  }
}

/**
 * The approval state of the month a report is about (for `params` keyed by field key, as
 * `readReportParams` gives them): the district's month for a report within a district (a group's
 * report), the province's for a province report. Undefined for a report without a month or region.
 */
export async function reportApproval(deps: AppDeps, report: FormModel, params: Readonly<Record<string, unknown>>): Promise<ReportApproval | undefined> {
  const period = monthOf(report, params, true);
  const section = report.rollup?.params.section;
  if (!period || !section) return undefined;
  const region = await regionOfData(deps, report, { [section]: params });
  if (!region) return undefined;
  const district = approvalRegionAt('kabupaten', region);
  const level: ApprovalLevel = district ? 'kabupaten' : 'provinsi';
  const record = await approvalState(deps.store, level, district ?? approvalRegionAt('provinsi', region)!, period.year, period.month!);
  return {
    level, region: record.region, status: record.status, label: LABEL(record.status), text: approvalText(record),
    ...(record.by ? { by: record.by.name } : {}), ...(record.at ? { at: approvalTime(record.at) } : {}),
  };
}
