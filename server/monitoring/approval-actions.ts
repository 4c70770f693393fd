/**
 * Approval actions on behalf of the viewer: the request read and checked (422 naming the field),
 * who may act (the district and province submit their own month; the province decides on its
 * districts' months, the national level on the provinces'; 403 otherwise), the order (409), and
 * every action in the audit trail beside the approval history.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  APPROVAL_ACTIONS, APPROVAL_LEVELS, APPROVAL_REGION_LEVEL, applyApproval, approvalActor, approvalMonthName, approvalNoteProblem, approvalPeriod,
  ApprovalRefused, regionByCode,
  type ApprovalAction, type ApprovalLevel, type ApprovalPeriodIssue, type ApprovalRecord, type ApprovalStep,
} from '../../engine/index.js';
import { covers, viewerOf, type Viewer } from '../access.js';
import { audit } from '../audit.js';
import type { Role } from '../auth/roles.js';
import type { AppDeps } from '../context.js';

/** The role that submits each level's month, and the role that approves, returns and reopens it. */
export const APPROVAL_ROLES: Readonly<Record<ApprovalLevel, { readonly self: Role; readonly parent: Role }>> = {
  kabupaten: { self: 'kabupaten', parent: 'provinsi' },
  provinsi: { self: 'provinsi', parent: 'pusat' },
};

const LEVEL_WORDS: Readonly<Record<ApprovalLevel, string>> = { kabupaten: 'kabupaten/kota', provinsi: 'provinsi' };
const ROLE_WORDS: Readonly<Record<string, string>> = { kabupaten: 'OPD KB kabupaten/kota', provinsi: 'Perwakilan BKKBN provinsi', pusat: 'pusat (Direktorat)' };

/** Problems with an approval request, each naming its field: 422. */
export class ApprovalInputRejected extends HTTPException {
  constructor(readonly issues: readonly ApprovalPeriodIssue[]) {
    super(422, { message: issues.map((i) => `${i.label}: ${i.message}`).join(' ') });
  }
}

/** A step as posted to the API or the page (the engine's `ApprovalStep`). */
export type ApprovalRequest = ApprovalStep;

/** The request from a JSON or form body (`tingkat`, `wilayah`, `tahun`, `bulan`, `aksi`, `catatan`), or a 422. */
export async function approvalRequest(deps: AppDeps, body: Readonly<Record<string, unknown>>): Promise<ApprovalRequest> {
  const issues: ApprovalPeriodIssue[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
  const level = text(body.tingkat) as ApprovalLevel;
  const action = text(body.aksi) as ApprovalAction;
  const region = text(body.wilayah).slice(0, 40);
  const note = typeof body.catatan === 'string' ? body.catatan.trim() : '';
  if (!APPROVAL_LEVELS.includes(level)) issues.push({ path: '/tingkat', label: 'Tingkat', message: 'Tingkat harus "kabupaten" atau "provinsi".' });
  if (!APPROVAL_ACTIONS.includes(action)) issues.push({ path: '/aksi', label: 'Aksi', message: 'Aksi harus "ajukan", "setujui", "kembalikan" atau "buka".' });
  const period = approvalPeriod(body.tahun, body.bulan);
  if ('issues' in period) issues.push(...period.issues);
  if (!region) issues.push({ path: '/wilayah', label: 'Wilayah', message: 'Isi kode wilayah.' });
  else if (APPROVAL_LEVELS.includes(level)) {
    const found = await regionByCode(deps.store, region);
    if (found?.tingkat !== APPROVAL_REGION_LEVEL[level]) issues.push({ path: '/wilayah', label: 'Wilayah', message: `Kode "${region}" tidak terdaftar sebagai ${LEVEL_WORDS[level]}.` });
  }
  if (issues.length || 'issues' in period) throw new ApprovalInputRejected(issues);
  return { level, region, year: period.year, month: period.month, action, note };
}

/** Why the viewer may not take this action (403), or undefined when they may. */
export function approvalRefusal(viewer: Viewer, level: ApprovalLevel, region: string, action: ApprovalAction): string | undefined {
  const { role } = viewer.account;
  const who = approvalActor(action);
  const needed = APPROVAL_ROLES[level][who];
  if (role !== needed) {
    return who === 'self'
      ? `Laporan ${LEVEL_WORDS[level]} diajukan oleh ${ROLE_WORDS[needed]} wilayah itu sendiri.`
      : `Laporan ${LEVEL_WORDS[level]} disetujui, dikembalikan atau dibuka kembali oleh ${ROLE_WORDS[needed]}.`;
  }
  // Submitting is for the account bound to that very region; deciding, for the region above it.
  const inside = who === 'self' ? viewer.scope.kind === 'regions' && viewer.scope.codes.includes(region) : covers(viewer.scope, region);
  return inside ? undefined : 'Wilayah ini di luar wilayah Anda.';
}

/** Take the action for the viewer: 403 for a role or region that may not, 422 for a missing note, 409 out of order. */
export async function actOnApproval(c: Context, deps: AppDeps, request: ApprovalRequest): Promise<ApprovalRecord> {
  const viewer = viewerOf(c);
  const refusal = approvalRefusal(viewer, request.level, request.region, request.action);
  if (refusal) throw new HTTPException(403, { message: refusal });
  const noteProblem = approvalNoteProblem(request.action, request.note);
  if (noteProblem) throw new ApprovalInputRejected([{ path: '/catatan', label: 'Catatan', message: noteProblem }]);
  let record: ApprovalRecord;
  try {
    record = await applyApproval(deps.store, {
      ...request, actor: { id: viewer.account.id, name: viewer.account.name || viewer.account.username, role: viewer.account.role },
    });
  } catch (e) {
    if (e instanceof ApprovalRefused) throw new HTTPException(409, { message: e.message });
    throw e;
  }
  // Each approval step is its own action in the audit trail, on the resource 'persetujuan'.
  await audit(deps.store, c, {
    action: request.action, resource: 'persetujuan', record: `${request.level}:${request.region}:${request.year}-${String(request.month).padStart(2, '0')}`,
    region: request.region, detail: `${request.action} ${LEVEL_WORDS[request.level]} ${approvalMonthName(request.year, request.month)}${request.note ? `: ${request.note}` : ''}`,
  }, viewer);
  return record;
}
