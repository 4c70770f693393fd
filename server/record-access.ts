/**
 * Reading and writing one submission on behalf of the viewer: the record's region checked against
 * the viewer's scope (a read outside it is a 404, a write a 403), personal fields masked for roles
 * that do not need them, and every write and export in the audit trail.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ROLE_INFO } from './auth/roles.js';
import { carryFormerKeys, confirmWarnings, indexModel, loadSubmission, saveSubmission, setSubmissionStatus, SubmissionRejected, validatorFor, type FormModel, type SaveOutcome, type StoredSubmission } from '../engine/index.js';
import { readsModel, requireReadable, requireWritable, seesPersonal, viewerOf } from './access.js';
import { audit } from './audit.js';
import type { AppDeps } from './context.js';
import { UUID } from './http.js';
import { shownTo } from './personal.js';
import { regionField, regionLink, regionOfData } from './record-region.js';
import { findSubmissionForm } from './submissions-query.js';
import { withApprovalGuard } from './monitoring/approval-lock.js';

/** Save a submission for the viewer: only inside their region (and a revised one only if it was). */
export async function saveForViewer(c: Context, deps: AppDeps, model: FormModel, id: string, sent: unknown, options: { revises?: string } = {}): Promise<SaveOutcome> {
  const viewer = viewerOf(c);
  // A value under a renamed field's former key (an outbox filled before the rename) is carried.
  const data = carryFormerKeys(model, sent);
  // Invalid data gets its messages first (a half-chosen address names no village yet). Fields the
  // server copies from a linked submission (x-copy-from) are not the sender's to fill.
  const copied = new Set([...indexModel(model).rootFields.values()].filter((f) => f.copyFrom).map((f) => f.pointer));
  const issues = validatorFor(model).validate(data).filter((i) => !copied.has(i.path));
  if (issues.length) throw new SubmissionRejected('invalid', issues);
  const region = data && typeof data === 'object' ? await regionOfData(deps, model, data as Record<string, unknown>) : undefined;
  // A form that has no region at all is for national accounts only; a register whose group card
  // does not exist has no region either, and the save refuses it (422) with nothing stored.
  if (region !== undefined || (!regionField(model) && !regionLink(deps, model))) requireWritable(c, region);
  if (options.revises !== undefined) {
    // Revising someone else's card is a write in the card's region too (a move out of a village
    // must be made by someone who may write there).
    const prior = UUID.test(options.revises.toLowerCase()) ? await loadSubmission(deps.store, model, options.revises) : undefined;
    if (prior) requireWritable(c, await regionOfData(deps, model, prior.data));
  }
  const outcome = await withApprovalGuard(c, deps, (guard) => saveSubmission(deps.store, model, { id, data, revises: options.revises, linked: (formId) => deps.forms.get(formId), guard }));
  if (outcome.status === 'created') await audit(deps.store, c, { action: 'simpan', resource: model.id, record: outcome.id, revision: outcome.revision, region }, viewer);
  return outcome;
}

/** Deactivate a record's entity (a group that stopped) with a reason and day, or reactivate it. */
export async function setStatusForViewer(c: Context, deps: AppDeps, rawId: string, status: 'aktif' | 'nonaktif', change: { reason?: string; at?: string }): Promise<ReadRecord> {
  const record = await readForViewer(c, deps, rawId);
  requireWritable(c, record.region);
  await withApprovalGuard(c, deps, (guard) => setSubmissionStatus(deps.store, record.model, record.stored.id, status, { ...change, guard }));
  await audit(deps.store, c, { action: status === 'nonaktif' ? 'nonaktifkan' : 'aktifkan', resource: record.model.id, record: record.stored.id, region: record.region, detail: change.reason });
  return record;
}

/**
 * The district (or province) confirms having checked a submission's warnings, with a note:
 * recorded on the submission and in the audit trail. 403 for roles that do not check, 409 when
 * there is nothing to confirm.
 */
export async function confirmWarningsForViewer(c: Context, deps: AppDeps, rawId: string, note: string): Promise<ReadRecord> {
  const viewer = viewerOf(c);
  if (!ROLE_INFO[viewer.account.role].checksWarnings) throw new HTTPException(403, { message: 'Peringatan diperiksa oleh OPD KB kabupaten/kota atau perwakilan provinsi.' });
  if (note.length > 300) throw new HTTPException(422, { message: 'Catatan pemeriksaan paling banyak 300 karakter.' });
  const record = await readForViewer(c, deps, rawId);
  const done = await confirmWarnings(deps.store, record.model, record.stored.id, { by: viewer.account.name || viewer.account.username, note });
  if (done === 'none') throw new HTTPException(409, { message: 'Kiriman ini tidak punya peringatan untuk diperiksa.' });
  await audit(deps.store, c, { action: 'periksa', resource: record.model.id, record: record.stored.id, region: record.region, detail: note || undefined });
  return record;
}

export interface ReadRecord {
  readonly model: FormModel;
  readonly stored: StoredSubmission;
  readonly region: string | undefined;
  /** The data as the viewer may see it (personal fields masked where the role needs none). */
  readonly data: Record<string, unknown>;
}

/** One submission by id for the viewer, or 404 (also when it lies outside their region). */
export async function readForViewer(c: Context, deps: AppDeps, rawId: string): Promise<ReadRecord> {
  const id = rawId.toLowerCase();
  const model = UUID.test(id) ? await findSubmissionForm(deps.store, deps.forms, id) : undefined;
  const stored = model && (await loadSubmission(deps.store, model, id));
  // A report's saved entries are for those who read reports; for others they do not exist.
  if (!model || !stored || !readsModel(c, model)) throw new HTTPException(404, { message: 'Kiriman tidak ditemukan.' });
  const region = await regionOfData(deps, model, stored.data);
  requireReadable(c, region);
  return { model, stored, region, data: shownTo(seesPersonal(c), model, stored.data) };
}

/** An export (a download of data) in the audit trail. */
export async function auditExport(c: Context, deps: AppDeps, resource: string, detail: string, record?: string, region?: string): Promise<void> {
  // A HEAD (a download manager asking the size) gets the headers only: nothing was downloaded.
  if (c.req.method === 'HEAD') return;
  await audit(deps.store, c, { action: 'unduh', resource, record, region, detail });
}

/** Status changes are made by those who fill forms (kader, PKB) in their region. */
export function requireFormWriter(c: Context): void {
  if (!ROLE_INFO[viewerOf(c).account.role].writesForms) throw new HTTPException(403, { message: 'Peran Anda tidak dapat mengubah status kartu.' });
}

type StatusRequest = { status: 'aktif' | 'nonaktif'; reason?: string; at?: string };

/**
 * A status change as posted (`status`, `alasan`, `tanggal`), checked: deactivating needs a reason
 * and a real day that has come (WIB); messages name the field.
 */
export function statusChange(body: Record<string, unknown>, today = new Date()): StatusRequest | { errors: { path: string; label: string; message: string }[] } {
  const errors: { path: string; label: string; message: string }[] = [];
  const status = body.status;
  if (status !== 'aktif' && status !== 'nonaktif') errors.push({ path: '/status', label: 'Status', message: 'Status harus "aktif" atau "nonaktif".' });
  const reason = typeof body.alasan === 'string' ? body.alasan.trim() : '';
  const at = typeof body.tanggal === 'string' ? body.tanggal.trim() : '';
  if (status === 'nonaktif') {
    if (!reason) errors.push({ path: '/alasan', label: 'Alasan', message: 'Tuliskan alasan kelompok dinonaktifkan.' });
    else if (reason.length > 300) errors.push({ path: '/alasan', label: 'Alasan', message: 'Alasan paling banyak 300 karakter.' });
    const todayWib = new Date(today.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
    if (at) {
      const valid = /^\d{4}-\d{2}-\d{2}$/.test(at) && new Date(`${at}T00:00:00Z`).toISOString().slice(0, 10) === at;
      if (!valid) errors.push({ path: '/tanggal', label: 'Tanggal berhenti', message: 'Tanggal berhenti harus tanggal yang sah (TTTT-BB-HH).' });
      else if (at > todayWib) errors.push({ path: '/tanggal', label: 'Tanggal berhenti', message: 'Tanggal berhenti tidak boleh melewati hari ini.' });
    }
  }
  if (errors.length) return { errors };
  return status === 'nonaktif' ? { status, reason, at: at || undefined } : { status: 'aktif' };
}
