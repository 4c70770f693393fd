/**
 * The JSON API, for integrations and for phones that sync offline. Every handler goes through
 * `requireAccess`; user errors are 4xx with Indonesian messages, never 5xx.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { buildReport, saveGroupReportEntries, saveReportInputs } from '../engine/reports.js';
import { reportRows } from '../engine/rollup.js';
import { loadSubmission, saveSubmission, SubmissionRejected, regionChildren } from '../engine/storage/index.js';
import { requireAccess } from './access.js';
import type { AppDeps } from './context.js';
import { reportCsv, submissionsCsv } from './csv.js';
import { attachment, formOr404, periodParams, provinceParam, queryOf, UUID } from './http.js';
import { findSubmissionForm, listSubmissions, FILTERS, type Filters } from './submissions-query.js';
import { groupReport } from './group-report.js';

async function jsonBody(c: { req: { json: () => Promise<unknown> } }): Promise<unknown> {
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

function filtersOf(query: (k: string) => string | undefined): Filters {
  return Object.fromEntries(FILTERS.map((f) => [f, query(f)]).filter(([, v]) => v)) as Filters;
}

export function apiRoutes(deps: AppDeps): Hono {
  const api = new Hono();

  api.get('/forms', (c) => {
    requireAccess(c, { action: 'read', resource: 'forms' });
    return c.json([...deps.forms.values()].map((m) => ({ id: m.id, code: m.code, title: m.title, version: m.version, kind: m.formKind })));
  });

  api.get('/forms/:id', (c) => {
    const model = formOr404(deps, c.req.param('id'));
    requireAccess(c, { action: 'read', resource: model.id });
    return c.json(model.schema);
  });

  api.post('/forms/:id/submissions', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    requireAccess(c, { action: 'write', resource: model.id });
    const id = idempotencyKey(c.req.header('Idempotency-Key'));
    const data = await jsonBody(c);
    try {
      const outcome = await saveSubmission(deps.store, model, { id, data });
      return c.json({ id: outcome.id, revision: outcome.revision, supersedes: outcome.supersedes, status: outcome.status === 'created' ? 'tersimpan' : 'sudah tersimpan' }, outcome.status === 'created' ? 201 : 200);
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      const errors = e.issues.map(({ path, label, message }) => ({ path, label, message }));
      return c.json({ errors }, e.kind === 'conflict' ? 409 : 422);
    }
  });

  const list = async (c: any, csv: boolean) => {
    const model = formOr404(deps, c.req.param('id'));
    requireAccess(c, { action: 'read', resource: model.id, region: c.req.query('kabupaten_kota') || c.req.query('provinsi') || undefined });
    const page = Math.max(1, Number(c.req.query('page')) || 1);
    const perPage = csv ? 100_000 : Math.min(200, Math.max(1, Number(c.req.query('per_page')) || 50));
    const { items, total } = await listSubmissions(deps.store, deps.forms, model, filtersOf((k) => c.req.query(k)), page, perPage);
    if (csv) {
      return c.body(submissionsCsv(model, items), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(`${model.id}.csv`) });
    }
    return c.json({ items, total, page, per_page: perPage });
  };
  api.get('/forms/:id/submissions.csv', (c) => list(c, true));
  api.get('/forms/:id/submissions', (c) => list(c, false));

  api.get('/submissions/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new HTTPException(404, { message: 'Kiriman tidak ditemukan.' });
    const model = await findSubmissionForm(deps.store, deps.forms, id);
    const stored = model && (await loadSubmission(deps.store, model, id));
    if (!model || !stored) throw new HTTPException(404, { message: 'Kiriman tidak ditemukan.' });
    requireAccess(c, { action: 'read', resource: model.id });
    return c.json({ ...stored, form: model.id, code: model.code });
  });

  api.get('/regions', async (c) => {
    requireAccess(c, { action: 'read', resource: 'regions' });
    const parent = c.req.query('parent');
    return c.json(await regionChildren(deps.store, parent ? parent : null));
  });

  const province = async (c: any) => {
    const report = formOr404(deps, 'laporan-provinsi');
    const provinsi = await provinceParam(queryOf(c), deps);
    const period = periodParams(queryOf(c));
    requireAccess(c, { action: 'read', resource: report.id, region: provinsi });
    return { report, params: { provinsi, ...period }, built: await buildReport(deps, report, { provinsi, ...period }) };
  };
  api.get('/reports/laporan-provinsi.json', async (c) => {
    const { built } = await province(c);
    return c.json({ ...built.data, jumlah: built.totals });
  });
  api.get('/reports/laporan-provinsi.csv', async (c) => {
    const { report, params, built } = await province(c);
    const { repeat } = reportRows(report);
    return c.body(reportCsv(repeat, built.data[repeat.key] as Record<string, unknown>[], built.totals), 200, {
      'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(`laporan-provinsi-${params.provinsi}-${params.tahun}-${params.bulan}.csv`),
    });
  });
  api.post('/reports/laporan-provinsi/entries', async (c) => {
    const report = formOr404(deps, 'laporan-provinsi');
    const id = idempotencyKey(c.req.header('Idempotency-Key'));
    const body = (await jsonBody(c)) as { provinsi?: unknown; tahun?: unknown; bulan?: unknown; rows?: unknown; sections?: unknown };
    const fromBody = (k: string) => (body?.[k as 'tahun'] === undefined ? undefined : String(body[k as 'tahun']));
    const provinsi = await provinceParam(fromBody, deps);
    const period = periodParams(fromBody);
    requireAccess(c, { action: 'write', resource: report.id, region: provinsi });
    const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : {});
    try {
      const outcome = await saveReportInputs(deps, report, { provinsi, ...period }, id, { rows: obj(body.rows), sections: obj(body.sections) });
      return c.json({ id: outcome.id, revision: outcome.revision, supersedes: outcome.supersedes }, outcome.status === 'created' ? 201 : 200);
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      return c.json({ errors: e.issues.map(({ path, label, message }) => ({ path, label, message })) }, e.kind === 'conflict' ? 409 : 422);
    }
  });

  api.get('/reports/laporan-kabupaten.json', async (c) => {
    const { built } = await groupReport(c, deps, queryOf(c));
    return c.json(built.data);
  });

  api.post('/reports/laporan-kabupaten/entries', async (c) => {
    const id = idempotencyKey(c.req.header('Idempotency-Key'));
    const body = (await jsonBody(c)) as Record<string, unknown> | null;
    const fromBody = (k: string) => (body && typeof body === 'object' && body[k] !== undefined ? String(body[k]) : undefined);
    const { report, params, built } = await groupReport(c, deps, fromBody);
    requireAccess(c, { action: 'write', resource: report.id, region: (built.data.identitas_kelompok as { kabupaten_kota?: string } | undefined)?.kabupaten_kota });
    const sections = body && typeof body.sections === 'object' && body.sections !== null && !Array.isArray(body.sections) ? (body.sections as Record<string, Record<string, unknown>>) : {};
    try {
      const outcome = await saveGroupReportEntries(deps, report, { ...params }, id, sections);
      return c.json({ id: outcome.id, revision: outcome.revision, supersedes: outcome.supersedes }, outcome.status === 'created' ? 201 : 200);
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      return c.json({ errors: e.issues.map(({ path, label, message }) => ({ path, label, message })) }, e.kind === 'conflict' ? 409 : 422);
    }
  });

  return api;
}
