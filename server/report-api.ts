/**
 * Reports over the JSON API, one set of routes for every report definition:
 * `/api/reports/:id.json` and every output of the registry (`.csv`, `.pdf`, …), and
 * `POST /api/reports/:id/entries` for what staff enter (parameters beside `rows` and `sections`):
 * a section of another role (`x-rollup.enteredBySection`) is a 403 naming each field.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { saveReportEntries, SubmissionRejected } from '../engine/index.js';
import { withApprovalGuard } from './monitoring/approval-lock.js';
import { outputFor } from '../generators/outputs.js';
import { seesPersonal, viewerOf } from './access.js';
import { audit } from './audit.js';
import type { AppDeps } from './context.js';
import { auditExport } from './record-access.js';
import { attachment, queryOf, reportOr404 } from './http.js';
import { builtReport, ParamsRejected, paramsQuery, reportFileName, reportParams } from './report-data.js';
import { regionCodesOf, regionNamer } from './page-data.js';
import { artefact, dataRevision, namesOf } from './heavy.js';
import { reportApproval } from './monitoring/approval-view.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const errorsOf = (issues: readonly { path: string; label: string; message: string }[]) => ({ errors: issues.map(({ path, label, message }) => ({ path, label, message })) });

/** `rows` and `sections` of an entries body: objects of objects, or a 422 saying where. */
function entriesOf(body: Json): { rows: Record<string, Json>; sections: Record<string, Json> } | { problems: { path: string; label: string; message: string }[] } {
  const problems: { path: string; label: string; message: string }[] = [];
  const part = (key: 'rows' | 'sections'): Record<string, Json> => {
    const v = body[key];
    if (v === undefined) return {};
    if (!isObject(v)) {
      problems.push({ path: `/${key}`, label: key, message: 'Harus berupa objek.' });
      return {};
    }
    for (const [k, x] of Object.entries(v)) if (!isObject(x)) problems.push({ path: `/${key}/${k}`, label: k, message: 'Harus berupa objek berisi isian.' });
    return v as Record<string, Json>;
  };
  const rows = part('rows');
  const sections = part('sections');
  return problems.length ? { problems } : { rows, sections };
}

export function reportApiRoutes(deps: AppDeps, idempotencyKey: (h: string | undefined) => string, jsonBody: (c: any) => Promise<unknown>): Hono {
  const api = new Hono();
  const names = regionNamer(deps);

  api.get('/reports/:file{[a-z0-9-]+\\.[a-z0-9]+}', async (c) => {
    const [id, ext] = c.req.param('file').split('.') as [string, string];
    const report = reportOr404(deps, id);
    const output = ext === 'json' ? undefined : outputFor(ext, 'report');
    if (ext !== 'json' && !output) throw new HTTPException(404, { message: `Laporan tidak tersedia sebagai .${ext}.` });
    let params;
    try {
      params = await reportParams(deps, report, queryOf(c));
    } catch (e) {
      if (e instanceof ParamsRejected) return c.json(errorsOf(e.issues), 400);
      throw e;
    }
    const revision = dataRevision(deps.store); // before the build: a save during it makes this artefact stale
    const approval = await reportApproval(deps, report, params);
    const built = { ...(await builtReport(c, deps, report, params)), ...(approval ? { approval: approval.text } : {}) };
    await auditExport(c, deps, report.id, `${ext}: ${new URL(c.req.url).search}`, undefined, built.region);
    if (!output) {
      if (!built.table) return c.json(built.data);
      const rows = built.table.rows.length;
      return c.json({
        ...built.data, jumlah: built.table.totals, persetujuan: approval ? { status: approval.status, keterangan: approval.text } : null, diterima: built.table.received.map((r) => ({ formulir: r.form, kode: r.code, jumlah: r.count, dari: rows })),
        // Where a column and the field it should agree with (agreesWith) differ, per row.
        selisih: (built.disagreements ?? []).map((d) => ({ baris: d.row, kelompok: d.rowLabel, kolom: d.column, nilai: d.value, laporan: d.otherCode, isian: d.otherField, nilai_laporan: d.otherValue })),
      });
    }
    const codes = regionCodesOf(report, built.data);
    const paper = c.req.query('kertas')?.toUpperCase();
    const opts = { names: await namesOf(names, codes), paper: paper === 'F4' || paper === 'FOLIO' ? 'FOLIO' as const : 'A4' as const };
    // Cached by report, parameters, paper, the data revision (the next save makes it stale) and
    // what the viewer may see: a masked copy never serves the district, a full one never the province.
    const key = `report|${report.id}@${report.hash}|${output.ext}|${opts.paper}|${paramsQuery(report, params)}|${revision}|${approval?.text ?? ''}|${seesPersonal(c) ? 'lengkap' : 'disamarkan'}`;
    const body = await artefact(c, key, async () => ({ ext: output.ext, what: 'report', built, opts }));
    return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, { 'Content-Type': output.mediaType, 'Content-Disposition': attachment(reportFileName(report, params, output.ext)) });
  });

  api.post('/reports/:id/entries', async (c) => {
    const report = reportOr404(deps, c.req.param('id'));
    const id = idempotencyKey(c.req.header('Idempotency-Key'));
    const body = await jsonBody(c);
    if (!isObject(body)) return c.json({ errors: [{ path: '', label: 'Kiriman', message: 'Isi permintaan harus berupa objek JSON.' }] }, 422);
    const fromBody = (k: string) => (body[k] === undefined || body[k] === null || typeof body[k] === 'object' ? undefined : String(body[k]));
    let params;
    try {
      params = await reportParams(deps, report, fromBody);
    } catch (e) {
      if (e instanceof ParamsRejected) return c.json(errorsOf(e.issues), 400);
      throw e;
    }
    const built = await builtReport(c, deps, report, params, 'write');
    const entries = entriesOf(body);
    if ('problems' in entries) return c.json({ errors: entries.problems }, 422);
    try {
      const outcome = await withApprovalGuard(c, deps, (guard) => saveReportEntries(deps, report, params, id, { ...entries, by: viewerOf(c).account.role, guard }));
      if (outcome.status === 'created') await audit(deps.store, c, { action: 'simpan', resource: report.id, record: outcome.id, revision: outcome.revision, region: built.region });
      return c.json({ id: outcome.id, revision: outcome.revision, supersedes: outcome.supersedes }, outcome.status === 'created' ? 201 : 200);
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      const forbidden = e.issues.length > 0 && e.issues.every((i) => i.keyword === 'entered-by');
      return c.json(errorsOf(e.issues), e.kind === 'conflict' ? 409 : forbidden ? 403 : 422);
    }
  });

  return api;
}
