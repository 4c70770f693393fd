/**
 * The HTML pages: home, generated entry forms, submission lists and receipts, and the province
 * report. Entry pages work without JavaScript: the server validates and re-renders with every typed
 * value kept; lembar.js only adds conveniences on top.
 */
import { Hono, type Context } from 'hono';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FormModel } from '../engine/model-types.js';
import { indexModel } from '../engine/model-index.js';
import type { ValidationIssue } from '../engine/issues.js';
import { buildReport, saveGroupReportEntries, saveReportInputs } from '../engine/reports.js';
import { GROUP_REPORT, groupReport } from './group-report.js';
import { reportRows } from '../engine/rollup.js';
import { loadSubmission, regionChildren, saveSubmission, SubmissionRejected, tablesFor } from '../engine/storage/index.js';
import { formView } from '../generators/html/view-model.js';
import { validatorBundle } from '../generators/client/validator-bundle.js';
import { page, render } from '../generators/html/render.js';
import { requireAccess } from './access.js';
import type { AppDeps } from './context.js';
import { displayValue, formatNumber } from './display.js';
import { formDataToSubmission } from '../generators/html/form-data.js';
import { formOr404, MONTHS, UUID } from './http.js';
import { FILTERS, findSubmissionForm, listSubmissions, type Filters } from './submissions-query.js';

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
const staticFiles = new Map<string, { body: string; type: string }>();
function staticFile(name: string): { body: string; type: string } {
  let f = staticFiles.get(name);
  if (!f) {
    f = { body: readFileSync(`${STATIC_DIR}${name}`, 'utf8'), type: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8' };
    staticFiles.set(name, f);
  }
  return f;
}

export function errorPage(message: string): string {
  return page('Kesalahan', render('error', { message }));
}

type Json = Record<string, unknown>;

/** Options for the region pickers, each level narrowed by the chosen parent. */
async function regionOptions(deps: AppDeps, model: FormModel, values: Json) {
  const levels = ['provinsi', 'kabupaten_kota', 'kecamatan', 'desa_kelurahan', 'kampung_kb'];
  const chosen = new Map<string, string>();
  for (const f of indexModel(model).rootFields.values()) {
    if (!f.region) continue;
    const [, section] = f.pointer.split('/');
    const v = (values[section!] as Json | undefined)?.[f.key];
    if (typeof v === 'string') chosen.set(f.region, v);
  }
  const out: Record<string, { kode: string; nama: string }[]> = {};
  let parent: string | null = null;
  for (const level of levels) {
    out[level] = level === 'provinsi' || parent ? await regionChildren(deps.store, parent) : [];
    const v = chosen.get(level);
    parent = v && out[level]!.some((r) => r.kode === v) ? v : null;
  }
  return out;
}

/** Group cards an R/1 may point to: current, active, by name. */
async function referenceOptions(deps: AppDeps, model: FormModel) {
  const out: Record<string, { id: string; label: string }[]> = {};
  for (const f of indexModel(model).rootFields.values()) {
    if (!f.refForm || out[f.refForm]) continue;
    const target = deps.forms.get(f.refForm);
    if (!target) continue;
    const tables = await tablesFor(deps.store, target);
    const nameField = indexModel(target).rootFields.has('nama_kelompok') ? 'nama_kelompok' : '_id';
    const rows = await deps.store.db.selectFrom(tables.main.name).select(['_id', nameField]).where('_current', '=', 1).where('_status', '=', 'aktif').orderBy(nameField).limit(5000).execute();
    out[f.refForm] = rows.map((r) => ({ id: String(r._id), label: String(r[nameField]) }));
  }
  return out;
}

async function entryPage(deps: AppDeps, model: FormModel, input: { values?: Json; issues?: readonly ValidationIssue[]; submissionId: string }): Promise<string> {
  const view = formView(model, {
    ...input,
    regionOptions: await regionOptions(deps, model, input.values ?? {}),
    referenceOptions: await referenceOptions(deps, model),
  });
  return page(model.title, render('form', { form: view }), { script: true, validator: `/forms/${model.id}/validasi.js?v=${model.hash}` });
}

function regionNamer(deps: AppDeps): (codes: string[]) => Promise<(code: string) => string | undefined> {
  return async (codes) => {
    const rows = codes.length ? await deps.store.db.selectFrom('wilayah').select(['kode', 'nama']).where('kode', 'in', codes).execute() : [];
    const map = new Map(rows.map((r) => [String(r.kode), String(r.nama)]));
    return (code) => map.get(code);
  };
}

export function pageRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const names = regionNamer(deps);

  app.get('/static/:file{[a-z]+\\.(css|js)}', (c) => {
    const f = staticFile(c.req.param('file'));
    return c.body(f.body, 200, { 'Content-Type': f.type, 'Cache-Control': 'public, max-age=3600' });
  });

  app.get('/', (c) => {
    requireAccess(c, { action: 'read', resource: 'forms' });
    const all = [...deps.forms.values()];
    return c.html(page('Beranda', render('home', { forms: all.filter((m) => m.formKind === 'form') })));
  });

  app.get('/forms/:id/validasi.js', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    return c.body(await validatorBundle(model), 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400' });
  });

  app.get('/forms/:id', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    requireAccess(c, { action: 'write', resource: model.id });
    return c.html(await entryPage(deps, model, { submissionId: randomUUID() }));
  });

  app.post('/forms/:id', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    requireAccess(c, { action: 'write', resource: model.id });
    const body = await c.req.parseBody({ all: true });
    const id = typeof body._id === 'string' && UUID.test(body._id) ? body._id.toLowerCase() : randomUUID();
    const values = formDataToSubmission(model, body);
    const addRow = typeof body._tambah === 'string' ? body._tambah : undefined;
    if (addRow || body._aksi === 'wilayah') {
      if (addRow && Array.isArray(values[addRow])) (values[addRow] as Json[]).push({});
      return c.html(await entryPage(deps, model, { values, submissionId: id }));
    }
    try {
      await saveSubmission(deps.store, model, { id, data: values });
      return c.redirect(`/submissions/${id}?baru=1`, 303);
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      return c.html(await entryPage(deps, model, { values, issues: e.issues, submissionId: e.kind === 'conflict' ? randomUUID() : id }), e.kind === 'conflict' ? 409 : 422);
    }
  });

  app.get('/forms/:id/submissions', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    requireAccess(c, { action: 'read', resource: model.id, region: c.req.query('kabupaten_kota') || c.req.query('provinsi') || undefined });
    const filters = Object.fromEntries(FILTERS.map((f) => [f, c.req.query(f) ?? ''])) as Filters;
    const pageNo = Math.max(1, Number(c.req.query('page')) || 1);
    const { items, total } = await listSubmissions(deps.store, deps.forms, model, filters, pageNo, 50);
    const fields = model.parts.flatMap((p) => (p.kind === 'section' ? p.fields.map((f) => [p.key, f] as const) : [])).filter(([, f]) => !f.hidden && !f.personal).slice(0, 6);
    const codes = items.flatMap((it) => fields.filter(([, f]) => f.region).map(([s, f]) => (it.data[s] as Json)?.[f.key] as string)).filter(Boolean);
    const name = await names(codes);
    const query = (p: number) => new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), page: String(p) }).toString();
    const pages = Math.max(1, Math.ceil(total / 50));
    const provinces = (await regionChildren(deps.store, null)).map((r) => ({ ...r, selected: r.kode === filters.provinsi }));
    return c.html(page(`Daftar ${model.code}`, render('submissions', {
      form: model, total, page: pageNo, pages, filters, provinces,
      months: MONTHS.map((label, i) => ({ value: i + 1, label, selected: String(i + 1) === filters.bulan })),
      columns: fields.map(([, f]) => f.label),
      items: items.map((it) => ({ ...it, cells: fields.map(([s, f]) => displayValue(f, (it.data[s] as Json | undefined)?.[f.key], name)) })),
      query: new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]).toString(),
      prev: pageNo > 1 ? query(pageNo - 1) : '', next: pageNo < pages ? query(pageNo + 1) : '',
    })));
  });

  app.get('/submissions/:id', async (c) => {
    const id = c.req.param('id');
    const model = UUID.test(id) ? await findSubmissionForm(deps.store, deps.forms, id) : undefined;
    const stored = model && (await loadSubmission(deps.store, model, id));
    if (!model || !stored) return c.html(errorPage('Kiriman tidak ditemukan.'), 404);
    requireAccess(c, { action: 'read', resource: model.id });
    const codes = model.parts.flatMap((p) => (p.kind === 'section' ? p.fields.filter((f) => f.region).map((f) => (stored.data[p.key] as Json | undefined)?.[f.key] as string) : [])).filter(Boolean);
    const name = await names(codes);
    const parts = model.parts.map((p) => p.kind === 'section'
      ? { isSection: true, title: p.title, fields: p.fields.filter((f) => !f.hidden).map((f) => ({ label: f.label, value: displayValue(f, (stored.data[p.key] as Json | undefined)?.[f.key], name) || '—' })) }
      : { isSection: false, title: p.title, headers: p.columns.map((col) => col.label),
          rows: ((stored.data[p.key] as Json[] | undefined) ?? []).map((r, i) => ({ number: i + 1, cells: p.columns.map((col) => displayValue(col, r[col.key], name)) })) });
    return c.html(page(model.code, render('submission', {
      ...stored, form: model, parts, fresh: c.req.query('baru') === '1',
      createdAt: new Date(stored.createdAt).toLocaleString('id-ID', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Jakarta' }),
    })));
  });

  const reportPage = async (c: Context, extra: { errors?: readonly ValidationIssue[]; saved?: number } = {}) => {
    const report = formOr404(deps, 'laporan-provinsi');
    const provinces = await regionChildren(deps.store, null);
    const now = new Date();
    const provinsi = c.req.query('provinsi') ?? '';
    const tahun = Number(c.req.query('tahun')) || now.getFullYear();
    const bulan = Number(c.req.query('bulan')) || now.getMonth() + 1;
    const province = provinces.find((p) => p.kode === provinsi);
    const shown = !!province && tahun >= 2020 && tahun <= 2100 && bulan >= 1 && bulan <= 12;
    const ctx: Json = {
      report, tahun, shown, ...extra,
      provinces: provinces.map((p) => ({ ...p, selected: p.kode === provinsi })),
      months: MONTHS.map((label, i) => ({ value: i + 1, label, selected: i + 1 === bulan })),
    };
    if (shown) {
      requireAccess(c, { action: 'read', resource: report.id, region: provinsi });
      const built = await buildReport(deps, report, { provinsi, tahun, bulan });
      const { repeat } = reportRows(report);
      const cols = repeat.columns.filter((col) => !col.hidden);
      const rows = built.data[repeat.key] as Json[];
      const link = repeat.columns.find((col) => col.refForm)?.key ?? 'kelompok_id';
      const signature = report.parts.find((p) => p.kind === 'section' && p.fields.every((f) => f.input));
      Object.assign(ctx, {
        provinceName: province.nama, monthName: MONTHS[bulan - 1], rowCount: rows.length, target: province.target_2023,
        query: new URLSearchParams({ provinsi, tahun: String(tahun), bulan: String(bulan) }).toString(),
        entryId: randomUUID(),
        headers: cols.map((col) => `(${String(col.column)}) ${col.label}`),
        rows: rows.map((r, i) => ({
          number: i + 1,
          cells: cols.map((col) => ({
            input: col.input, label: `${col.label}, ${String(r.nama_kelompok ?? '')}`, id: `r${i}-${col.key}`,
            name: `baris.${String(r[link])}.${col.key}`, numeric: col.valueType === 'integer',
            value: col.input ? (r[col.key] === undefined ? '' : String(r[col.key])) : displayValue(col, r[col.key]),
          })),
        })),
        totals: cols.map((col) => (col.key in built.totals ? formatNumber(built.totals[col.key] as number) : '')),
        signatureFields: signature && signature.kind === 'section' ? signature.fields.map((f) => ({
          id: `ttd-${f.key}`, name: `${signature.key}.${f.key}`, label: f.label, value: String((built.data[signature.key] as Json | undefined)?.[f.key] ?? ''),
        })) : [],
      });
    }
    return page('Laporan provinsi', render('report', ctx));
  };

  app.get('/reports/laporan-provinsi', async (c) => c.html(await reportPage(c)));

  /** The district report page: pick a group and month, read what is copied, enter the rest. */
  const groupReportPage = async (c: Context, extra: { issues?: readonly ValidationIssue[]; saved?: number; values?: Json } = {}) => {
    const report = formOr404(deps, GROUP_REPORT);
    const now = new Date();
    const kelompok = (c.req.query('kelompok') ?? '').toLowerCase();
    const tahun = Number(c.req.query('tahun')) || now.getFullYear();
    const bulan = Number(c.req.query('bulan')) || now.getMonth() + 1;
    const groups = Object.values(await referenceOptions(deps, report))[0] ?? [];
    const ctx: Json = {
      report, tahun, ...extra,
      groups: groups.map((g) => ({ ...g, selected: g.id === kelompok })),
      months: MONTHS.map((label, i) => ({ value: i + 1, label, selected: i + 1 === bulan })),
    };
    if (UUID.test(kelompok) && groups.some((g) => g.id === kelompok)) {
      const query = new URLSearchParams({ kelompok, tahun: String(tahun), bulan: String(bulan) });
      const { built } = await groupReport(c, deps, (k) => query.get(k) ?? undefined);
      const copiedKeys = new Set(((report.rollup?.copy as { section: string }[] | undefined) ?? []).map((x) => x.section));
      const codes = report.parts.flatMap((p) => (p.kind === 'section' ? p.fields.filter((f) => f.region).map((f) => (built.data[p.key] as Json | undefined)?.[f.key] as string) : [])).filter(Boolean);
      const name = await names(codes);
      const view = formView(report, { submissionId: '', values: { ...built.data, ...(extra.values ?? {}) }, issues: extra.issues });
      // Sections people enter here: not copied from the card, and not just the page's parameters.
      const enteredKeys = new Set(report.parts.filter((p) => p.kind === 'section' && !copiedKeys.has(p.key) && p.fields.some((f) => !f.hidden && !query.has(f.key))).map((p) => p.key));
      Object.assign(ctx, {
        shown: true, query: query.toString(), entryId: randomUUID(),
        copied: report.parts.filter((p) => copiedKeys.has(p.key)).map((p) => p.kind === 'section'
          ? { isSection: true, title: p.title, fields: p.fields.map((f) => ({ label: f.label, value: displayValue(f, (built.data[p.key] as Json | undefined)?.[f.key], name) || '—' })) }
          : { isSection: false, title: p.title, headers: p.columns.map((col) => col.label), rows: ((built.data[p.key] as Json[] | undefined) ?? []).map((r, i) => ({ number: i + 1, cells: p.columns.map((col) => displayValue(col, r[col.key], name)) })) }),
        entered: view.parts.filter((p) => enteredKeys.has(p.key)),
        errors: view.errors,
      });
    }
    return page('Laporan kabupaten/kota', render('group-report', ctx), { script: true });
  };

  app.get('/reports/laporan-kabupaten', async (c) => c.html(await groupReportPage(c)));

  app.post('/reports/laporan-kabupaten', async (c) => {
    const report = formOr404(deps, GROUP_REPORT);
    const query = (k: string) => c.req.query(k);
    const { params, built } = await groupReport(c, deps, query);
    requireAccess(c, { action: 'write', resource: report.id, region: (built.data.identitas_kelompok as { kabupaten_kota?: string } | undefined)?.kabupaten_kota });
    const body = await c.req.parseBody({ all: true });
    const posted = formDataToSubmission(report, body);
    const copied = new Set(((report.rollup?.copy as { section: string }[] | undefined) ?? []).map((x) => x.section));
    const sections = Object.fromEntries(Object.entries(posted).filter(([k, v]) => !copied.has(k) && v && typeof v === 'object' && !Array.isArray(v))) as Record<string, Json>;
    const id = typeof body._id === 'string' && UUID.test(body._id) ? body._id : randomUUID();
    try {
      const outcome = await saveGroupReportEntries(deps, report, { ...params }, id, sections);
      return c.html(await groupReportPage(c, { saved: outcome.revision }));
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      return c.html(await groupReportPage(c, { issues: e.issues, values: sections }), 422);
    }
  });

  app.post('/reports/laporan-provinsi', async (c) => {
    const report = formOr404(deps, 'laporan-provinsi');
    const provinsi = c.req.query('provinsi') ?? '';
    const tahun = Number(c.req.query('tahun'));
    const bulan = Number(c.req.query('bulan'));
    requireAccess(c, { action: 'write', resource: report.id, region: provinsi });
    const body = await c.req.parseBody();
    const { repeat } = reportRows(report);
    const rows: Record<string, Json> = {};
    const sections: Record<string, Json> = {};
    for (const [name, raw] of Object.entries(body)) {
      if (typeof raw !== 'string') continue;
      const parts = name.split('.');
      if (parts[0] === repeat.key && parts.length === 3) {
        const col = repeat.columns.find((x) => x.key === parts[2]);
        if (!col?.input) continue;
        const digits = raw.replace(/[.\s]/g, '');
        (rows[parts[1]!] ??= {})[col.key] = col.valueType === 'integer' && /^-?\d+$/.test(digits) ? Number(digits) : raw.trim();
      } else if (parts.length === 2) {
        (sections[parts[0]!] ??= {})[parts[1]!] = raw.trim();
      }
    }
    const id = typeof body._id === 'string' && UUID.test(body._id) ? body._id : randomUUID();
    try {
      const outcome = await saveReportInputs(deps, report, { provinsi, tahun, bulan }, id, { rows, sections });
      return c.html(await reportPage(c, { saved: outcome.revision }));
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      return c.html(await reportPage(c, { errors: e.issues }), 422);
    }
  });

  return app;
}
