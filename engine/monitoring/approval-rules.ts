/**
 * The order of approval up the chain, as DHIS2 has it (lower levels first): a district submits its
 * month, the province approves it or returns it with a note; the province submits its own month,
 * the national level approves or returns it. The approving level may reopen an approved month
 * (with a reason). Pure rules: who acts, which state an action may start from, what it leads to.
 */
import { REGION_LEVELS, type RegionLevel } from '../regions.js';

/** The levels whose months are approved (`tingkat`): a district's month and a province's month. */
export const APPROVAL_LEVELS = ['kabupaten', 'provinsi'] as const;
export type ApprovalLevel = (typeof APPROVAL_LEVELS)[number];

export const APPROVAL_ACTIONS = ['ajukan', 'setujui', 'kembalikan', 'buka'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/** `dibuka`: reopened after approval; like `belum`, the level may change its data and submit again. */
export type ApprovalStatus = 'belum' | 'diajukan' | 'disetujui' | 'dikembalikan' | 'dibuka';

export const APPROVAL_STATUS_LABELS: Readonly<Record<ApprovalStatus, string>> = {
  belum: 'belum diajukan', diajukan: 'diajukan', disetujui: 'disetujui', dikembalikan: 'dikembalikan', dibuka: 'dibuka kembali',
};

export const APPROVAL_ACTION_LABELS: Readonly<Record<ApprovalAction, string>> = {
  ajukan: 'Ajukan', setujui: 'Setujui', kembalikan: 'Kembalikan', buka: 'Buka kembali',
};

/** The region level each approval level is about. */
export const APPROVAL_REGION_LEVEL: Readonly<Record<ApprovalLevel, RegionLevel>> = { kabupaten: REGION_LEVELS[1], provinsi: REGION_LEVELS[0] };

/** The level whose month contains this one's (the district's province); none above the province. */
export const APPROVAL_PARENT: Readonly<Record<ApprovalLevel, ApprovalLevel | undefined>> = { kabupaten: 'provinsi', provinsi: undefined };

/** The level of a region code (`33` a province, `33.74` a district), if it is one approvals are about. */
export function approvalLevelOf(region: string): ApprovalLevel | undefined {
  const depth = region.split('.').length;
  return depth === 1 ? 'provinsi' : depth === 2 ? 'kabupaten' : undefined;
}

/** The code of the approval region at `level` that contains `region` (its first segments). */
export function approvalRegionAt(level: ApprovalLevel, region: string): string | undefined {
  const depth = REGION_LEVELS.indexOf(APPROVAL_REGION_LEVEL[level]) + 1;
  const parts = region.split('.');
  return parts.length >= depth ? parts.slice(0, depth).join('.') : undefined;
}

/** The level itself submits; the level above approves, returns and reopens. */
export function approvalActor(action: ApprovalAction): 'self' | 'parent' {
  return action === 'ajukan' ? 'self' : 'parent';
}

const FROM: Readonly<Record<ApprovalAction, readonly ApprovalStatus[]>> = {
  ajukan: ['belum', 'dikembalikan', 'dibuka'],
  setujui: ['diajukan'],
  kembalikan: ['diajukan'],
  buka: ['disetujui'],
};

const TO: Readonly<Record<ApprovalAction, ApprovalStatus>> = { ajukan: 'diajukan', setujui: 'disetujui', kembalikan: 'dikembalikan', buka: 'dibuka' };

/** States in which a lower level's month keeps the level above from submitting. */
export const APPROVAL_BLOCKING: readonly ApprovalStatus[] = ['diajukan', 'dikembalikan', 'dibuka'];

/**
 * The state an action leads to from `current`, or why it may not be taken (a sentence to follow
 * the name of the month, e.g. "Kota Semarang Desember 2026: …").
 */
export function approvalTransition(current: ApprovalStatus, action: ApprovalAction): { status: ApprovalStatus } | { refusal: string } {
  if (FROM[action].includes(current)) return { status: TO[action] };
  if (action === 'ajukan') {
    return { refusal: current === 'diajukan' ? 'sudah diajukan dan menunggu persetujuan.' : 'sudah disetujui; untuk mengubahnya minta tingkat di atasnya membuka kembali.' };
  }
  if (action === 'buka') return { refusal: `tidak dapat dibuka kembali karena statusnya ${APPROVAL_STATUS_LABELS[current]}; hanya yang sudah disetujui yang dapat dibuka kembali.` };
  if (current === 'disetujui') return { refusal: 'sudah disetujui.' };
  if (current === 'dikembalikan') return { refusal: 'sudah dikembalikan dan belum diajukan lagi.' };
  return { refusal: `belum diajukan (status: ${APPROVAL_STATUS_LABELS[current]}).` };
}

/** The actions that may be taken from `current` by the level itself or the level above. */
export function approvalActionsFrom(current: ApprovalStatus, actor: 'self' | 'parent'): ApprovalAction[] {
  return APPROVAL_ACTIONS.filter((a) => approvalActor(a) === actor && FROM[a].includes(current));
}

export const APPROVAL_NOTE_MAX = 300;

/** A note's problem for an action: returning needs a note, reopening a reason; none is too long. */
export function approvalNoteProblem(action: ApprovalAction, note: string): string | undefined {
  if (note.length > APPROVAL_NOTE_MAX) return `Catatan paling banyak ${APPROVAL_NOTE_MAX} karakter.`;
  if (!note && action === 'kembalikan') return 'Tuliskan catatan: apa yang harus diperbaiki sebelum diajukan lagi.';
  if (!note && action === 'buka') return 'Tuliskan alasan laporan dibuka kembali.';
  return undefined;
}

export const APPROVAL_MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'] as const;

/** "Desember 2026". */
export function approvalMonthName(year: number, month: number): string {
  return `${APPROVAL_MONTHS[month - 1] ?? String(month)} ${year}`;
}

/** An instant as staff read it in WIB: "21-11-2026 10:15 WIB". */
export function approvalTime(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 7 * 3600 * 1000).toISOString();
  return `${t.slice(8, 10)}-${t.slice(5, 7)}-${t.slice(0, 4)} ${t.slice(11, 16)} WIB`;
}

export interface ApprovalPeriodIssue {
  readonly path: string;
  readonly label: string;
  readonly message: string;
}

/**
 * The month an approval is about, from what was sent (numbers or digits), or every problem naming
 * its field: a year of this program (2000–2100), a month 1–12, and not a month still to come (WIB).
 */
export function approvalPeriod(tahun: unknown, bulan: unknown, now = new Date()): { year: number; month: number } | { issues: ApprovalPeriodIssue[] } {
  const read = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,4}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);
  const year = read(tahun);
  const month = read(bulan);
  const issues: ApprovalPeriodIssue[] = [];
  if (!Number.isInteger(year) || year < 2000 || year > 2100) issues.push({ path: '/tahun', label: 'Tahun', message: 'Isi tahun 2000–2100.' });
  if (!Number.isInteger(month) || month < 1 || month > 12) issues.push({ path: '/bulan', label: 'Bulan', message: 'Isi bilangan 1–12.' });
  if (issues.length) return { issues };
  const today = new Date(now.getTime() + 7 * 3600 * 1000);
  if (year * 12 + month > today.getUTCFullYear() * 12 + today.getUTCMonth() + 1) {
    issues.push({ path: '/bulan', label: 'Bulan', message: `${approvalMonthName(year, month)} belum tiba; laporannya belum dapat diajukan atau disetujui.` });
    return { issues };
  }
  return { year, month };
}
