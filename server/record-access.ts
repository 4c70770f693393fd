/**
 * Reading and writing one submission on behalf of the viewer: the record's region checked against
 * the viewer's scope (a read outside it is a 404, a write a 403), personal fields masked for roles
 * that do not need them, and every write and export in the audit trail.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { loadSubmission, saveSubmission, SubmissionRejected, validatorFor, type FormModel, type SaveOutcome, type StoredSubmission } from '../engine/index.js';
import { readsModel, requireReadable, requireWritable, seesPersonal, viewerOf } from './access.js';
import { audit } from './audit.js';
import type { AppDeps } from './context.js';
import { UUID } from './http.js';
import { shownTo } from './personal.js';
import { regionField, regionLink, regionOfData } from './record-region.js';
import { findSubmissionForm } from './submissions-query.js';

/** Save a submission for the viewer: only inside their region. */
export async function saveForViewer(c: Context, deps: AppDeps, model: FormModel, id: string, data: unknown): Promise<SaveOutcome> {
  const viewer = viewerOf(c);
  // Invalid data gets its messages first (a half-chosen address names no village yet).
  const issues = validatorFor(model).validate(data);
  if (issues.length) throw new SubmissionRejected('invalid', issues);
  const region = data && typeof data === 'object' ? await regionOfData(deps, model, data as Record<string, unknown>) : undefined;
  // A form that has no region at all is for national accounts only; a register whose group card
  // does not exist has no region either, and the save refuses it (422) with nothing stored.
  if (region !== undefined || (!regionField(model) && !regionLink(deps, model))) requireWritable(c, region);
  const outcome = await saveSubmission(deps.store, model, { id, data });
  if (outcome.status === 'created') await audit(deps.store, c, { action: 'simpan', resource: model.id, record: outcome.id, revision: outcome.revision, region }, viewer);
  return outcome;
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
  await audit(deps.store, c, { action: 'unduh', resource, record, region, detail });
}
