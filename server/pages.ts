/**
 * The HTML pages: home, generated entry forms, submission lists and receipts (the report pages are
 * in report-pages.ts). Entry pages work without JavaScript: the server validates and re-renders
 * with every typed value kept; lembar.js only adds conveniences on top.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { readdirSync, readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { indexModel, loadCurrent, regionByCode, regionParam, regionChildren, revisionHistory, SubmissionRejected, type FormModel, type ValidationIssue } from '../engine/index.js';
import { validatorBundle } from '../generators/client/validator-bundle.js';
import { formDataToSubmission } from '../generators/html/form-data.js';
import { page, render } from '../generators/html/render.js';
import { formView } from '../generators/html/view-model.js';
import { seesPersonal, viewerOf } from './access.js';
import { maskPersonal } from './personal.js';
import { confirmWarningsForViewer, readForViewer, requireFormWriter, saveForViewer, setStatusForViewer, statusChange } from './record-access.js';
import { ROLE_INFO } from './auth/roles.js';
import type { AppDeps } from './context.js';
import { formatSavedAt, formatValue } from '../generators/format.js';
import { summaryView } from '../generators/html/summary-view.js';
import { formOr404, shell, UUID } from './http.js';
import { referenceOptions, regionCodesOf, regionNamer, regionOptions } from './page-data.js';
import { reportPageRoutes } from './report-pages.js';
import { registryOf, versionForData } from './studio/registry.js';
import { MONTHS as MONTH_NAMES } from './monitoring/timeliness-routes.js';
import { formBody, refusedPost } from './form-body.js';
import { pageParam } from './paging.js';
import { filtersFrom, listFilters, listSubmissions, REGION_FILTER_LEVELS, WARNINGS_FILTER, WARNINGS_FILTER_VALUES, type Filters } from './submissions-query.js';

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
const STATIC_NAMES = new Set(readdirSync(STATIC_DIR).filter((n) => /^[a-z]+\.(css|js)$/.test(n)));
const staticFiles = new Map<string, { body: string; type: string }>();
/**
 * The pages' own style and script, minified once by esbuild: the sources keep their comments, the
 * phones on a slow connection get only the code (lembar.js 13 KB → 8 KB).
 */
function staticFile(name: string): { body: string; type: string } | undefined {
  if (!STATIC_NAMES.has(name)) return undefined;
  let f = staticFiles.get(name);
  if (!f) {
    const css = name.endsWith('.css');
    const source = readFileSync(`${STATIC_DIR}${name}`, 'utf8');
    f = {
      body: transformSync(source, { loader: css ? 'css' : 'js', minify: true, target: 'es2019', legalComments: 'none' }).code,
      type: css ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
    };
    staticFiles.set(name, f);
  }
  return f;
}

/** An entry form (not a report definition) named in the URL, or 404. */
function entryFormOr404(deps: AppDeps, id: string | undefined): FormModel {
  const model = formOr404(deps, id);
  if (model.formKind !== 'form') throw new HTTPException(404, { message: `Formulir "${model.id}" tidak ada; laporan ada di /reports/${model.id}.` });
  return model;
}

/** `YYYY-MM` from a query (`?periode=2027-01`), or undefined. */
function periodParam(raw: string | undefined): { tahun: number; bulan: number } | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(raw ?? '');
  const tahun = m ? Number(m[1]) : NaN;
  const bulan = m ? Number(m[2]) : NaN;
  return m && bulan >= 1 && bulan <= 12 && tahun >= 2000 && tahun <= 2100 ? { tahun, bulan } : undefined;
}

export function errorPage(message: string, c?: Context): string {
  return page('Kesalahan', render('error', { message }), c ? shell(c) : {});
}

type Json = Record<string, unknown>;

/** The `_cari.<field>` search terms of a form post (reference fields with too many targets). */
function searchTerms(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => k.startsWith('_cari.') && typeof v === 'string').map(([k, v]) => [k.slice(6), v as string]));
}

/**
 * An entry page for `model`. The studio's preview renders a draft with it: posted to the preview
 * (`action`), checked with the draft's validator (`validator`), never saved (`preview`).
 */
export async function entryPage(
  c: Context, deps: AppDeps, model: FormModel,
  input: { values?: Json; issues?: readonly ValidationIssue[]; submissionId: string; revises?: string; search?: Record<string, string> },
  options: { action?: string; preview?: boolean; validator?: string; note?: string } = {},
): Promise<string> {
  const references = await referenceOptions(deps, model, input.values ?? {}, input.search, viewerOf(c).scope);
  const view = formView(model, {
    ...input,
    regionOptions: await regionOptions(deps, model, input.values ?? {}),
    referenceOptions: references.options,
    referenceSearch: references.search,
  });
  const form = { ...view, ...(options.action ? { action: options.action } : {}), ...(options.preview ? { preview: true } : {}), ...(options.note ? { note: options.note } : {}) };
  return page(model.title, render('form', { form }), shell(c, { script: true, validator: options.validator ?? `/forms/${model.id}/validasi.js?v=${model.hash}` }));
}

export function pageRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const names = regionNamer(deps);

  app.get('/static/:file{[a-z]+\\.(css|js)}', (c) => {
    const f = staticFile(c.req.param('file'));
    if (!f) return c.notFound();
    return c.body(f.body, 200, { 'Content-Type': f.type, 'Cache-Control': 'public, max-age=3600' });
  });

  app.get('/', (c) => {
    const all = [...deps.forms.values()];
    const monitor = ROLE_INFO[viewerOf(c).account.role].readsReports;
    const reports = all.filter((m) => m.formKind === 'report' && m.rollup).map((m) => ({ ...m, national: m.rollup?.kind === 'province' && !!regionParam(m) }));
    return c.html(page('Beranda', render('home', { forms: all.filter((m) => m.formKind === 'form'), reports, monitor }), shell(c)));
  });

  app.get('/forms/:id/validasi.js', async (c) => {
    // The version the page was rendered with (named by its hash), which may not be this month's.
    const current = formOr404(deps, c.req.param('id'));
    const model = registryOf(deps.forms)?.byHash(current.id, c.req.query('v') ?? '') ?? current;
    return c.body(await validatorBundle(model), 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400' });
  });

  app.get('/forms/:id', async (c) => {
    // `?periode=YYYY-MM`: the version in force that month (the studio publishes from a period).
    const base = entryFormOr404(deps, c.req.param('id'));
    const period = periodParam(c.req.query('periode'));
    const registry = registryOf(deps.forms);
    const model = (period && registry?.at(base.id, period)) || base;
    const versions = registry?.versionsOf(base.id) ?? [];
    const note = versions.length > 1 ? `Versi ${model.version} formulir ini, berlaku untuk ${period ? `${MONTH_NAMES[period.bulan - 1]} ${period.tahun}` : 'bulan ini'}.` : undefined;
    // `?perbarui=<id>`: the form filled with that submission's current revision, saved as its next
    // revision; `&tahun_baru=1` makes it the card of this year (x-entity.year set to this year).
    const revising = c.req.query('perbarui');
    const yearField = model.entity?.year ? indexModel(model).rootFields.get(model.entity.year) : undefined;
    const thisYear = period?.tahun ?? new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear();
    const withYear = (values: Json): Json => {
      if (!yearField) return values;
      const [, section] = yearField.pointer.split('/');
      return { ...values, [section!]: { ...(values[section!] as Json | undefined), [yearField.key]: thisYear } };
    };
    // A new card is this year's card (x-entity.year), which staff may change.
    if (!revising) return c.html(await entryPage(c, deps, model, { submissionId: randomUUID(), values: withYear({}) }, { note }));
    const record = await readForViewer(c, deps, revising);
    if (record.model.id !== model.id) throw new HTTPException(404, { message: 'Kiriman tidak ditemukan.' });
    const current = await loadCurrent(deps.store, model, record.stored.id);
    if (!current || current.status !== 'aktif') throw new HTTPException(409, { message: 'Kartu ini sudah nonaktif; aktifkan dulu sebelum memperbaruinya.' });
    const stored = structuredClone(current.data) as Json;
    const values = c.req.query('tahun_baru') === '1' ? withYear(stored) : stored;
    return c.html(await entryPage(c, deps, model, { values, submissionId: randomUUID(), revises: current.id }, { note }));
  });

  app.post('/submissions/:id/status', async (c) => {
    requireFormWriter(c);
    const body = await formBody(c);
    const change = statusChange(body as Record<string, unknown>);
    if ('errors' in change) {
      return c.html(errorPage(change.errors.map((e) => `${e.label}: ${e.message}`).join(' '), c), 422);
    }
    const record = await setStatusForViewer(c, deps, c.req.param('id'), change.status, change);
    return c.redirect(`/submissions/${record.stored.id}`, 303);
  });

  app.post('/submissions/:id/peringatan', async (c) => {
    const body = await formBody(c);
    const record = await confirmWarningsForViewer(c, deps, c.req.param('id'), typeof body.catatan === 'string' ? body.catatan.trim() : '');
    return c.redirect(`/submissions/${record.stored.id}#peringatan`, 303);
  });

  app.post('/forms/:id', async (c) => {
    const current = entryFormOr404(deps, c.req.param('id'));
    const body = await formBody(c);
    // Read with the version the page was made from (`_versi`), then checked and stored with the
    // version in force for the submission's own period.
    const paged = registryOf(deps.forms)?.versionsOf(current.id).find((v) => String(v.model.version) === String(body._versi))?.model ?? current;
    const refused = refusedPost(c, paged, body);
    if (refused) return refused;
    const model = versionForData(deps.forms, paged, formDataToSubmission(paged, body));
    const id = typeof body._id === 'string' && UUID.test(body._id) ? body._id.toLowerCase() : randomUUID();
    const revises = typeof body._revises === 'string' && UUID.test(body._revises) ? body._revises.toLowerCase() : undefined;
    const values = formDataToSubmission(model, body);
    const addRow = typeof body._tambah === 'string' ? body._tambah : undefined;
    if (addRow || body._aksi === 'wilayah') {
      if (addRow && Array.isArray(values[addRow])) (values[addRow] as Json[]).push({});
      return c.html(await entryPage(c, deps, model, { values, submissionId: id, revises, search: searchTerms(body) }));
    }
    try {
      await saveForViewer(c, deps, model, id, values, { revises });
      return c.redirect(`/submissions/${id}?baru=1`, 303);
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      return c.html(await entryPage(c, deps, model, { values, issues: e.issues, search: searchTerms(body), revises, submissionId: e.kind === 'conflict' ? randomUUID() : id }), e.kind === 'conflict' ? 409 : 422);
    }
  });

  app.get('/forms/:id/submissions', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    const available = listFilters(deps.forms, model);
    const filters: Filters = filtersFrom(available, (k) => c.req.query(k));
    // The two region levels a list filters by (province, district): names are the levels.
    const [top, second] = REGION_FILTER_LEVELS;
    // Staff pick a district from the chosen province's list. A district alone brings its
    // province; a district left over from another province (the province was changed) is dropped
    // rather than matching nothing.
    if (filters[second] && !filters[top]) {
      const district = await regionByCode(deps.store, filters[second]);
      if (district?.tingkat === second && district.induk) filters[top] = district.induk;
      else delete filters[second];
    }
    const districts = filters[top] ? await regionChildren(deps.store, filters[top]) : [];
    if (filters[second] && !districts.some((d) => d.kode === filters[second])) delete filters[second];
    const pageNo = pageParam(c.req.query('page'));
    const listed = await listSubmissions(deps.store, deps.forms, model, filters, pageNo, 50, viewerOf(c).scope);
    const { total } = listed;
    const items = seesPersonal(c) ? listed.items : listed.items.map((it) => ({ ...it, data: maskPersonal(model, it.data) }));
    const fields = model.parts.flatMap((p) => (p.kind === 'section' ? p.fields.map((f) => [p.key, f] as const) : [])).filter(([, f]) => !f.hidden && !f.personal).slice(0, 6);
    const codes = items.flatMap((it) => fields.filter(([, f]) => f.region).map(([s, f]) => (it.data[s] as Json)?.[f.key] as string)).filter(Boolean);
    const name = await names(codes);
    const query = (p: number) => new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), page: String(p) }).toString();
    const pages = Math.max(1, Math.ceil(total / 50));
    const provinces = (await regionChildren(deps.store, null)).map((r) => ({ ...r, selected: r.kode === filters[top] }));
    const regionFilter = (level: string) => available.find((f) => f.kind === 'region' && f.name === level);
    return c.html(page(`Daftar ${model.code}`, render('submissions', {
      form: model, total, page: pageNo, pages, filters,
      top: regionFilter(top) && { name: top, label: regionFilter(top)!.field.label, options: provinces },
      second: regionFilter(second) && { name: second, label: regionFilter(second)!.field.label, options: districts.map((r) => ({ ...r, selected: r.kode === filters[second] })) },
      periods: available.filter((f) => f.kind === 'period').map((f) => ({
        name: f.name, label: f.field.label, value: filters[f.name] ?? '', numeric: f.field.valueType === 'integer',
        options: f.field.options?.map((o) => ({ value: String(o.value), label: o.label, selected: String(o.value) === filters[f.name] })),
      })),
      warningChoices: Object.entries(WARNINGS_FILTER_VALUES).map(([value, label]) => ({ value, label, selected: filters[WARNINGS_FILTER] === value })),
      columns: fields.map(([, f]) => f.label),
      items: items.map((it) => ({ ...it, createdAt: formatSavedAt(it.createdAt, 'short'), cells: fields.map(([s, f]) => formatValue(f, (it.data[s] as Json | undefined)?.[f.key], { regionName: name })) })),
      query: new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]).toString(),
      prev: pageNo > 1 ? query(pageNo - 1) : '', next: pageNo < pages ? query(pageNo + 1) : '',
    }), shell(c)));
  });

  app.get('/submissions/:id', async (c) => {
    const { model, stored, data } = await readForViewer(c, deps, c.req.param('id'));
    const parts = summaryView(model, data, { regionName: await names(regionCodesOf(model, data)) });
    const viewer = viewerOf(c);
    const writes = ROLE_INFO[viewer.account.role].writesForms && model.formKind === 'form';
    const history = model.entity ? await revisionHistory(deps.store, model, stored.id) : [];
    const yearField = model.entity?.year ? indexModel(model).rootFields.get(model.entity.year) : undefined;
    const cardYear = yearField ? (data[yearField.pointer.split('/')[1]!] as Json | undefined)?.[yearField.key] : undefined;
    const thisYear = new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear();
    return c.html(page(model.code, render('submission', {
      ...stored, form: model, parts, fresh: c.req.query('baru') === '1',
      createdAt: formatSavedAt(stored.createdAt),
      warnings: stored.warnings.map((w) => ({ label: w.label, message: w.message })),
      checked: stored.warningsChecked && { ...stored.warningsChecked, at: formatSavedAt(stored.warningsChecked.at, 'short') },
      // Province and national staff flag a group as one of its year's target groups (issue 17).
      targetGroup: model.entity && ['provinsi', 'pusat'].includes(viewer.account.role) && typeof cardYear === 'number' ? `/pantau/sasaran?kelompok=${stored.entity}&tahun=${cardYear}` : undefined,
      canCheck: ROLE_INFO[viewer.account.role].checksWarnings && stored.warnings.length > 0 && !stored.warningsChecked,
      inactive: stored.status === 'nonaktif',
      statusAt: stored.statusAt,
      canRevise: writes && stored.current && stored.status === 'aktif',
      canStop: writes && !!model.entity && stored.status === 'aktif',
      canRestart: writes && !!model.entity && stored.status === 'nonaktif',
      newYear: writes && stored.current && stored.status === 'aktif' && typeof cardYear === 'number' && cardYear < thisYear ? thisYear : undefined,
      history: history.length > 1 ? history.map((h) => ({ ...h, createdAt: formatSavedAt(h.createdAt, 'short'), self: h.id === stored.id })) : [],
      today: new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10),
    }), shell(c, { script: c.req.query('baru') === '1' }))); // the receipt clears the form's draft (lembar.js)
  });

  app.route('/', reportPageRoutes(deps));
  return app;
}
