/** PDF downloads: blank and filled forms, the district report per group, the province report. */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { buildReport } from '../engine/reports.js';
import { reportRows } from '../engine/rollup.js';
import { loadSubmission } from '../engine/storage/index.js';
import { formDocument } from '../generators/pdf/form-document.js';
import type { Paper } from '../generators/pdf/layout.js';
import { renderPdf } from '../generators/pdf/pdfmake.js';
import { reportDocument } from '../generators/pdf/report-document.js';
import { requireAccess } from './access.js';
import { formatSavedAt } from './display.js';
import type { AppDeps } from './context.js';
import { groupReport } from './group-report.js';
import { attachment, formOr404, periodParams, provinceParam, queryOf, UUID } from './http.js';
import { findSubmissionForm } from './submissions-query.js';

/** A PDF download; through `c.body` so the middleware's headers (request id, security) stay. */
const pdf = (c: Context, body: Buffer, name: string) =>
  c.body(new Uint8Array(body), 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': attachment(name) });

const paperOf = (q: string | undefined): Paper => (q?.toUpperCase() === 'F4' || q?.toUpperCase() === 'FOLIO' ? 'FOLIO' : 'A4');

async function regionNames(deps: AppDeps): Promise<(code: string) => string | undefined> {
  const rows = await deps.store.db.selectFrom('wilayah').select(['kode', 'nama']).where('tingkat', 'in', ['provinsi', 'kabupaten_kota', 'kecamatan', 'desa_kelurahan']).execute();
  const map = new Map(rows.map((r) => [String(r.kode), String(r.nama)]));
  return (code) => map.get(code);
}

export function pdfRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/forms/:id/blank.pdf', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    requireAccess(c, { action: 'read', resource: model.id });
    return pdf(c, await renderPdf(formDocument(model, undefined, { paper: paperOf(c.req.query('kertas')) })), `${model.id}-kosong.pdf`);
  });

  app.get('/api/submissions/:file{[0-9a-fA-F-]+\\.pdf}', async (c) => {
    const id = c.req.param('file').replace(/\.pdf$/, '');
    const model = UUID.test(id) ? await findSubmissionForm(deps.store, deps.forms, id) : undefined;
    const stored = model && (await loadSubmission(deps.store, model, id));
    if (!model || !stored) throw new HTTPException(404, { message: 'Kiriman tidak ditemukan.' });
    requireAccess(c, { action: 'read', resource: model.id });
    const saved = formatSavedAt(stored.createdAt);
    const doc = formDocument(model, stored.data, { paper: paperOf(c.req.query('kertas')), regionName: await regionNames(deps), reference: `Nomor rujukan ${id} · disimpan ${saved} · revisi ${stored.revision}` });
    return pdf(c, await renderPdf(doc), `${model.id}-${id}.pdf`);
  });

  app.get('/api/reports/laporan-provinsi.pdf', async (c) => {
    const report = formOr404(deps, 'laporan-provinsi');
    const provinsi = await provinceParam(queryOf(c), deps);
    const period = periodParams(queryOf(c));
    requireAccess(c, { action: 'read', resource: report.id, region: provinsi });
    const built = await buildReport(deps, report, { provinsi, ...period });
    const { repeat } = reportRows(report);
    const doc = reportDocument(report, repeat, built.data, built.totals, { paper: paperOf(c.req.query('kertas')), regionName: await regionNames(deps) });
    return pdf(c, await renderPdf(doc), `laporan-provinsi-${provinsi}-${period.tahun}-${period.bulan}.pdf`);
  });

  app.get('/api/reports/laporan-kabupaten.pdf', async (c) => {
    const { report, params, built } = await groupReport(c, deps, queryOf(c));
    const doc = formDocument(report, built.data, { paper: paperOf(c.req.query('kertas')), regionName: await regionNames(deps) });
    return pdf(c, await renderPdf(doc), `laporan-kabupaten-${params.tahun}-${params.bulan}.pdf`);
  });

  return app;
}
