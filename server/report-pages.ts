/**
 * Report pages for staff: the province monthly report (table on screen, pagu/realisasi/keterangan
 * and signature names entered and kept as revisions, PDF and CSV) and the district report per group
 * (identity and members from the card, activities entered).
 */
import { Hono, type Context } from 'hono';
import { randomUUID } from 'node:crypto';
import type { ValidationIssue } from '../engine/issues.js';
import { buildReport, saveGroupReportEntries, saveReportInputs } from '../engine/reports.js';
import { reportRows } from '../engine/rollup.js';
import { indexModel } from '../engine/model-index.js';
import { regionChildren, SubmissionRejected } from '../engine/storage/index.js';
import { formDataToSubmission } from '../generators/html/form-data.js';
import { formView } from '../generators/html/view-model.js';
import { page, render } from '../generators/html/render.js';
import { requireAccess } from './access.js';
import type { AppDeps } from './context.js';
import { displayValue, formatNumber } from './display.js';
import { GROUP_REPORT, groupReport } from './group-report.js';
import { formOr404, MONTHS, UUID } from './http.js';
import { referenceOptions, regionNamer } from './page-data.js';

type Json = Record<string, unknown>;

export function reportPageRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const names = regionNamer(deps);

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
    // The group picker: every group of a district-sized list, or a search past that (page-data.ts).
    const ref = [...indexModel(report).rootFields.values()].find((f) => f.refForm)!;
    const [, refSection] = ref.pointer.split('/');
    const refName = ref.pointer.slice(1).split('/').join('.');
    const references = await referenceOptions(deps, report, { [refSection!]: { [ref.key]: kelompok } }, { [refName]: c.req.query('cari') ?? '' });
    const groups = references.options[ref.refForm!] ?? [];
    const ctx: Json = {
      report, tahun, ...extra,
      search: references.search[refName],
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
    // Field names come from the client: only known shapes become keys. A name like
    // `baris.__proto__.pagu` must not reach `obj[name] ??= {}`, which would write into
    // Object.prototype and break every later response of the process.
    const rows = new Map<string, Json>();
    const sections = new Map<string, Json>();
    for (const [name, raw] of Object.entries(body)) {
      if (typeof raw !== 'string') continue;
      const parts = name.split('.');
      if (parts[0] === repeat.key && parts.length === 3 && UUID.test(parts[1]!)) {
        const col = repeat.columns.find((x) => x.key === parts[2]);
        if (!col?.input) continue;
        const digits = raw.replace(/[.\s]/g, '');
        const row = rows.get(parts[1]!) ?? {};
        row[col.key] = col.valueType === 'integer' && /^-?\d+$/.test(digits) ? Number(digits) : raw.trim();
        rows.set(parts[1]!, row);
      } else if (parts.length === 2 && report.parts.some((p) => p.kind === 'section' && p.key === parts[0] && p.fields.some((f) => f.key === parts[1]))) {
        const section = sections.get(parts[0]!) ?? {};
        section[parts[1]!] = raw.trim();
        sections.set(parts[0]!, section);
      }
    }
    const id = typeof body._id === 'string' && UUID.test(body._id) ? body._id : randomUUID();
    try {
      const outcome = await saveReportInputs(deps, report, { provinsi, tahun, bulan }, id, { rows: Object.fromEntries(rows), sections: Object.fromEntries(sections) });
      return c.html(await reportPage(c, { saved: outcome.revision }));
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      return c.html(await reportPage(c, { errors: e.issues }), 422);
    }
  });

  return app;
}
