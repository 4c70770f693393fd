/**
 * The JSON API, for integrations and for phones that sync offline. Access is declared per route
 * in access.ts; records are read and written through record-access.ts (region scope, masking,
 * audit); user errors are 4xx with Indonesian messages, never 5xx.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { carryFormerKeys, loadSubmission, SubmissionRejected, regionChildren } from '../engine/index.js';
import { seesPersonal, viewerOf } from './access.js';
import { confirmWarningsForViewer, readForViewer, requireFormWriter, saveForViewer, setStatusForViewer, statusChange } from './record-access.js';
import { maskPersonal } from './personal.js';
import type { AppDeps } from './context.js';
import { formOr404, UUID } from './http.js';
import { reportApiRoutes } from './report-api.js';
import { pageParam, perPageParam } from './paging.js';
import { filtersFrom, listFilters, listSubmissions } from './submissions-query.js';
import { versionForData } from './studio/registry.js';

export async function jsonBody(c: { req: { json: () => Promise<unknown>; header: (name: string) => string | undefined } }): Promise<unknown> {
  // A form post or text/plain aimed at the API (a cross-site form can send those) is refused
  // before its body is read.
  if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw new HTTPException(415, { message: 'Isi permintaan harus JSON dengan header "Content-Type: application/json".' });
  }
  try {
    return await c.req.json();
  } catch {
    throw new HTTPException(400, { message: 'Isi permintaan bukan JSON yang sah.' });
  }
}

function idempotencyKey(header: string | undefined): string {
  if (!header || !UUID.test(header)) {
    throw new HTTPException(400, { message: 'Header "Idempotency-Key" wajib berisi UUID kiriman dari perangkat.' });
  }
  return header.toLowerCase();
}

export function apiRoutes(deps: AppDeps): Hono {
  const api = new Hono();

  api.get('/forms', (c) => {
    return c.json([...deps.forms.values()].map((m) => ({ id: m.id, code: m.code, title: m.title, version: m.version, kind: m.formKind })));
  });

  api.get('/forms/:id', (c) => {
    const model = formOr404(deps, c.req.param('id'));
    return c.json(model.schema);
  });

  api.post('/forms/:id/submissions', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    if (model.formKind !== 'form') throw new HTTPException(404, { message: `Formulir "${model.id}" tidak ada; entri laporan dikirim ke /api/reports/${model.id}/entries.` });
    const id = idempotencyKey(c.req.header('Idempotency-Key'));
    const data = carryFormerKeys(model, await jsonBody(c));
    // `?revises=<id>`: this submission is a new revision of that one (an updated group card).
    const revises = c.req.query('revises') || undefined;
    try {
      // Checked and stored with the version in force for the submission's own period.
      const outcome = await saveForViewer(c, deps, versionForData(deps.forms, model, data), id, data, { revises });
      return c.json({
        id: outcome.id, revision: outcome.revision, supersedes: outcome.supersedes, entity: outcome.entity,
        status: outcome.status === 'created' ? 'tersimpan' : 'sudah tersimpan',
        warnings: outcome.warnings.map(({ path, label, message }) => ({ path, label, message })),
      }, outcome.status === 'created' ? 201 : 200);
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      const errors = e.issues.map(({ path, label, message }) => ({ path, label, message }));
      return c.json({ errors }, e.kind === 'conflict' ? 409 : e.kind === 'not-found' ? 404 : 422);
    }
  });

  // Deactivate a group (all its cards) with a reason and the day it stopped, or reactivate it.
  api.post('/submissions/:id/status', async (c) => {
    requireFormWriter(c);
    const body = await jsonBody(c);
    const change = statusChange(body as Record<string, unknown>);
    if ('errors' in change) return c.json({ errors: change.errors }, 422);
    const record = await setStatusForViewer(c, deps, c.req.param('id'), change.status, change);
    return c.json({ id: record.stored.id, entity: record.stored.entity, status: change.status, alasan: change.reason ?? null, tanggal: change.at ?? null });
  });

  // The district confirms having checked a submission's warnings (a possible duplicate group).
  api.post('/submissions/:id/peringatan', async (c) => {
    const body = (await jsonBody(c)) as Record<string, unknown>;
    const note = typeof body.catatan === 'string' ? body.catatan.trim() : '';
    const record = await confirmWarningsForViewer(c, deps, c.req.param('id'), note);
    const stored = await loadSubmission(deps.store, record.model, record.stored.id);
    return c.json({ id: record.stored.id, diperiksa: stored?.warningsChecked });
  });

  // The list as JSON; its downloads (.csv, .xlsx, .zip) stream from server/export/.
  api.get('/forms/:id/submissions', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    const page = pageParam(c.req.query('page'));
    const perPage = perPageParam(c.req.query('per_page'));
    const listed = await listSubmissions(deps.store, deps.forms, model, filtersFrom(listFilters(deps.forms, model), (k) => c.req.query(k)), page, perPage, viewerOf(c).scope);
    const items = seesPersonal(c) ? listed.items : listed.items.map((it) => ({ ...it, data: maskPersonal(model, it.data) }));
    return c.json({ items, total: listed.total, page, per_page: perPage });
  });

  api.get('/submissions/:id', async (c) => {
    const { model, stored, data } = await readForViewer(c, deps, c.req.param('id'));
    return c.json({ ...stored, data, form: model.id, code: model.code });
  });

  api.get('/regions', async (c) => {
    const parent = c.req.query('parent');
    return c.json(await regionChildren(deps.store, parent ? parent : null));
  });

  api.route('/', reportApiRoutes(deps, idempotencyKey, jsonBody));

  return api;
}
