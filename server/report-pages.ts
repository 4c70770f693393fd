/**
 * Report pages for staff, one pair of routes for every report definition (`/reports/:id`): the
 * parameter form built from the report's parameter section, then the report as its shape asks —
 * a rolled-up table with the cells and sections staff enter (the province report), or the parts
 * copied from one group's card with the sections the district enters (the district report).
 * Each account edits only the sections its role enters (`x-rollup.enteredBySection`); the others
 * are shown read-only, and a post leaves them as saved.
 */
import { withApprovalGuard } from './monitoring/approval-lock.js';
import { Hono, type Context } from 'hono';
import { randomUUID } from 'node:crypto';
import {
  cellSources, drillable, indexModel, loadSubmission, paramFields, readReportParams, regionParam, regionSummarySql, reportRows, REGION_LEVELS, regionChildren, saveReportEntries, SubmissionRejected,
  type BuiltReport, type FieldNode, type FormModel, type ReportEntries, type SectionNode, type ValidationIssue,
} from '../engine/index.js';
import { formatNumber, formatFor, formatValue } from '../generators/format.js';
import { formDataToSubmission } from '../generators/html/form-data.js';
import { page, render } from '../generators/html/render.js';
import { summaryPart } from '../generators/html/summary-view.js';
import { formView } from '../generators/html/view-model.js';
import { OUTPUTS } from '../generators/outputs.js';
import { covers, seesPersonal, viewerOf, type RegionScope } from './access.js';
import { HTTPException } from 'hono/http-exception';
import { maskValue } from './personal.js';
import { audit } from './audit.js';
import type { AppDeps } from './context.js';
import { reportOr404, shell, UUID } from './http.js';
import { referenceOptions, regionCodesOf, regionNamer } from './page-data.js';
import { builtReport, paramsQuery } from './report-data.js';
import { formBody } from './form-body.js';
import { reportApproval } from './monitoring/approval-view.js';

type Json = Record<string, unknown>;
/** One numbered item of a copied section as the report shows it. */
type ShownItem = NonNullable<BuiltReport['shown']>[string][number];

/** Sections copied from another form (`x-rollup.copy`), by key. */
const copiedKeys = (report: FormModel) => new Set(report.rollup?.kind === 'group' ? report.rollup.copy.map((c) => c.section) : []);

/**
 * Sections staff enter on a report: not copied, not the parameters, with a field to fill; with a
 * role, only those that role enters (its `enteredBySection` entry, else the report's `enteredBy`).
 */
function enteredSections(report: FormModel, role?: string): SectionNode[] {
  const copied = copiedKeys(report);
  const table = report.rollup?.kind === 'province';
  const decl = report.rollup;
  const enters = (key: string) => role === undefined || (decl?.enteredBySection[key] ?? decl?.enteredBy ?? []).some((r) => r === role);
  return report.parts.filter((p): p is SectionNode => p.kind === 'section' && !copied.has(p.key) && p.key !== report.rollup?.params.section
    && p.fields.some((f) => !f.hidden && (!table || f.input)) && enters(p.key));
}

/** A copied section as the report shows it (`show`): numbered items, a group's fields under its title. */
function shownSection(part: SectionNode, items: readonly ShownItem[], data: Json, name: (code: string) => string | undefined) {
  const values = (data[part.key] as Json | undefined) ?? {};
  const fields: { label: string; value: string }[] = [];
  items.forEach((item, i) => {
    item.fields.forEach((f, k) => {
      const value = formatValue(f, values[f.key], { regionName: name });
      // A field shown only under a condition (jenis usaha lainnya) is left out when empty.
      if (f.showWhen && !value) return;
      const label = item.title ? `${i + 1}. ${item.title} — ${f.label}` : k === 0 ? `${i + 1}. ${f.label}` : f.label;
      fields.push({ label, value: value || '—' });
    });
  });
  return { isSection: true, title: part.title, fields };
}

/** The report's title-block values (`x-pdf.header`), as the print has them, for the page heading. */
function headerValues(report: FormModel, data: Json, name: (code: string) => string | undefined): string[] {
  return report.pdf.header.flatMap((key) => report.parts.flatMap((p) => (p.kind === 'section' ? p.fields.filter((f) => f.key === key).map((f) => formatValue(f, (data[p.key] as Json | undefined)?.[f.key], { regionName: name })) : [])))
    .filter((v) => v && !UUID.test(v));
}

/**
 * A missing parameter on the page takes today's value where the definition says what that is: a
 * year field (its range is years) this year, a choice of the twelve months this month.
 */
function pageDefault(f: FieldNode, now: Date): string | undefined {
  if (formatFor(f) === 'year') return String(now.getFullYear());
  const values = f.options?.map((o) => o.value);
  if (values?.length === 12 && values.every((v, i) => v === i + 1)) return String(now.getMonth() + 1);
  return undefined;
}

export function reportPageRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const names = regionNamer(deps);

  /** The parameter form: a control per parameter field, with the values of this request. */
  async function paramControls(report: FormModel, get: (name: string) => string | undefined, scope: RegionScope) {
    const { section, fields } = paramFields(report);
    const controls = [];
    for (const { field, name } of fields) {
      const value = get(name) ?? '';
      let options: { value: string; label: string; selected: boolean }[] | undefined;
      let search: { term: string; hint: string } | undefined;
      if (field.refForm) {
        const refName = `${section.key}.${field.key}`;
        const refs = await referenceOptions(deps, report, { [section.key]: { [field.key]: value.toLowerCase() } }, { [refName]: get('cari') ?? '' }, scope);
        options = (refs.options[field.refForm] ?? []).map((o) => ({ value: o.id, label: o.label, selected: o.id === value.toLowerCase() }));
        search = refs.search[refName];
      } else if (field.region) {
        const depth = REGION_LEVELS.indexOf(field.region as (typeof REGION_LEVELS)[number]);
        const regions = depth === 0 ? await regionChildren(deps.store, null)
          : ((await deps.store.db.selectFrom('wilayah').select(['kode', 'nama']).where('tingkat', '=', field.region).orderBy('kode').limit(2000).execute()) as { kode: string; nama: string }[]);
        options = regions.map((r) => ({ value: r.kode, label: r.nama, selected: r.kode === value }));
      } else if (field.options) {
        options = field.options.map((o) => ({ value: String(o.value), label: o.label, selected: String(o.value) === value }));
      }
      controls.push({ name, label: field.label, value, options, search, empty: !!options && (field.refForm !== undefined || field.region !== undefined), numeric: field.valueType === 'integer' && !options });
    }
    return controls;
  }

  /** The table view: rows with the staff's input cells, totals, target and entered sections. */
  function tableView(built: BuiltReport, report: FormModel, name: (code: string) => string | undefined, role: string, entryValues?: Json, query = '') {
    const table = built.table!;
    const cols = table.repeat.columns.filter((col) => !col.hidden);
    // Every counted number links to the rows behind it (drill-down), a row's total included.
    const drill = (col: FieldNode, row?: string) => `/reports/${report.id}/rincian?${query}&kolom=${encodeURIComponent(col.key)}${row ? `&id=${encodeURIComponent(row)}` : ''}`;
    const counted = (v: unknown) => (typeof v === 'number' && v > 0) || v === true;
    return {
      rowCount: table.rows.length,
      target: built.target,
      received: table.received.map((r) => ({ code: r.code, count: r.count, of: table.rows.length })),
      headers: cols.map((col) => (typeof col.column === 'number' ? `(${col.column}) ${col.label}` : col.label)),
      rows: table.rows.map((r, i) => ({
        number: i + 1,
        cells: cols.map((col) => ({
          input: col.input, label: `${col.label}, ${String((table.rowLabel && r[table.rowLabel]) ?? i + 1)}`, id: `r${i}-${col.key}`,
          name: `${table.repeat.key}.${String(r[table.rowKey])}.${col.key}`, numeric: col.valueType === 'integer',
          value: col.input ? (r[col.key] === undefined ? '' : String(r[col.key])) : formatValue(col, r[col.key], { regionName: name }),
          href: drillable(col) && counted(r[col.key]) ? drill(col, String(r[table.rowKey]))
            : col.key === table.rowLabel && UUID.test(String(r[table.rowKey])) ? `/submissions/${String(r[table.rowKey])}` : undefined,
        })),
      })),
      totals: cols.map((col) => ({
        value: col.key in table.totals ? formatNumber(table.totals[col.key] as number) : '',
        href: drillable(col) && counted(table.totals[col.key]) ? drill(col) : undefined,
      })),
      disagreements: (built.disagreements ?? []).map((d) => ({
        group: d.rowLabel, column: d.column, source: d.sourceCode, value: formatValue(cols.find((c) => c.key === d.columnKey)!, d.value),
        other: d.otherCode, field: d.otherField, otherValue: typeof d.otherValue === 'boolean' ? (d.otherValue ? 'Ya' : 'Tidak') : String(d.otherValue),
      })),
      sections: enteredSections(report, role).map((s) => ({
        title: s.title,
        fields: s.fields.filter((f) => f.input).map((f) => ({
          id: `${s.key}-${f.key}`, name: `${s.key}.${f.key}`, label: f.label,
          value: String((entryValues?.[s.key] as Json | undefined)?.[f.key] ?? (built.data[s.key] as Json | undefined)?.[f.key] ?? ''),
        })),
      })),
    };
  }

  async function reportPage(c: Context, extra: { issues?: readonly ValidationIssue[]; saved?: number; values?: Json } = {}): Promise<string> {
    const report = reportOr404(deps, c.req.param('id'));
    const now = new Date();
    const given = paramFields(report).fields.some(({ name }) => c.req.query(name) !== undefined);
    const get = (name: string) => c.req.query(name) ?? paramFields(report).fields.map((p) => (p.name === name ? pageDefault(p.field, now) : undefined)).find((v) => v !== undefined);
    const { params, issues: paramIssues } = await readReportParams(deps.store, report, get);
    const ctx: Json = {
      report, controls: await paramControls(report, get, viewerOf(c).scope), saved: extra.saved,
      paramErrors: given ? paramIssues.filter((i) => c.req.query(paramFields(report).fields.find((p) => `/${paramFields(report).section.key}/${p.field.key}` === i.path)?.name ?? '') !== undefined) : [],
    };
    if (!paramIssues.length) {
      const built = await builtReport(c, deps, report, params);
      const name = await names(regionCodesOf(report, built.data));
      const query = paramsQuery(report, params);
      const role = viewerOf(c).account.role;
      const header = headerValues(report, built.data, name);
      const approval = await reportApproval(deps, report, params);
      Object.assign(ctx, {
        shown: true, query, entryId: randomUUID(), approval,
        heading: (header.length ? header : paramFields(report).section.fields.map((f) => formatValue(f, params[f.key], { regionName: name })).filter((v) => v && !UUID.test(v))).join(' — '),
        downloads: [...OUTPUTS.values()].filter((o) => o.report).map((o) => ({ href: `/api/reports/${report.id}.${o.ext}?${query}`, label: `Unduh ${o.ext.toUpperCase()}`,
          // A PDF is made in the server's render pool: lembar.js says so while it is prepared.
          preparing: o.ext === 'pdf' ? 'Menyiapkan PDF… laporan besar bisa sampai satu menit.' : undefined })),
      });
      if (built.table) {
        const param = regionParam(report);
        const others = param ? paramFields(report).fields.filter((f) => f.field.key !== param.key).map(({ field, name: n }) => `${n}=${encodeURIComponent(String(params[field.key] ?? ''))}`).join('&') : '';
        Object.assign(ctx, { isTable: true, national: param ? `/reports/${report.id}/nasional?${others}` : undefined }, tableView(built, report, name, role, extra.values, query));
      }
      else {
        const copied = copiedKeys(report);
        const entered = new Set(enteredSections(report, role).map((s) => s.key));
        // Sections other roles enter (the province's part for the district) are shown read-only.
        const others = enteredSections(report).filter((s) => !entered.has(s.key));
        const view = formView(report, { submissionId: '', values: { ...built.data, ...(extra.values ?? {}) }, issues: extra.issues });
        Object.assign(ctx, {
          copied: report.parts.filter((p) => copied.has(p.key)).map((p) => {
            const items = built.shown?.[p.key];
            return items && p.kind === 'section' ? shownSection(p, items, built.data, name) : summaryPart(p, built.data, { regionName: name });
          }),
          entered: view.parts.filter((p) => entered.has(p.key)),
          others: others.map((p) => summaryPart(p, built.data, { regionName: name })),
        });
      }
      ctx.errors = (extra.issues ?? []).map((i) => ({ href: `#f-${i.path.slice(1).replace(/\//g, '-')}`, label: i.label, message: i.message }));
    }
    // The report's own validator bundle says which entered fields x-show-when hides.
    return page(report.title, render('report', ctx), shell(c, ctx.entered ? { script: true, validator: `/forms/${report.id}/validasi.js?v=${report.hash}`, downloads: true } : { downloads: true }));
  }

  app.get('/reports/:id', async (c) => c.html(await reportPage(c)));

  // A table report one level up (the national summary of the province report): one row per
  // region of its filter parameter within the viewer's scope, each number linked to the rows behind it.
  app.get('/reports/:id/nasional', async (c) => {
    const report = reportOr404(deps, c.req.param('id'));
    const param = report.rollup?.kind === 'province' ? regionParam(report) : undefined;
    if (!param) throw new HTTPException(404, { message: 'Laporan ini tidak punya ringkasan per wilayah.' });
    const { fields, section } = paramFields(report);
    const paramName = fields.find((f) => f.field.key === param.key)!.name;
    // Without a period: this year and month, as the report page defaults.
    const fallback = (k: string) => { const f = fields.find((x) => x.name === k); return f ? pageDefault(f.field, new Date()) : undefined; };
    const { params, issues } = await readReportParams(deps.store, report, (k) => (k === paramName ? undefined : c.req.query(k) ?? fallback(k)));
    const left = issues.filter((i) => i.path !== `/${section.key}/${param.key}`);
    if (left.length) throw new HTTPException(422, { message: left.map((i) => `${i.label}: ${i.message}`).join(' ') });
    const scope = viewerOf(c).scope;
    const summary = (await regionSummarySql(deps, report, params, (code) => covers(scope, code)))!;
    const table = reportRows(report);
    const cols = table.repeat.columns.filter((col) => !col.hidden && col.key in summary.totals);
    const name = await names(summary.rows.map((r) => r.code));
    const period = fields.filter((f) => f.field.key !== param.key).map(({ field, name: n }) => `${n}=${encodeURIComponent(String(params[field.key] ?? ''))}`).join('&');
    const link = (code: string, col?: FieldNode) => (col && drillable(col)
      ? `/reports/${report.id}/rincian?${paramName}=${code}&${period}&kolom=${encodeURIComponent(col.key)}`
      : `/reports/${report.id}?${paramName}=${code}&${period}`);
    return c.html(page(`Ringkasan nasional ${report.title}`, render('report-national', {
      report, regionLabel: param.label,
      period: fields.filter((f) => f.field.key !== param.key).map(({ field }) => formatValue(field, params[field.key])).join(' '),
      headers: cols.map((col) => (typeof col.column === 'number' ? `(${col.column}) ${col.label}` : col.label)),
      rows: summary.rows.map((r) => ({
        name: name(r.code) ?? r.code, href: link(r.code), groups: r.rows,
        received: r.received.map((x) => `${x.code}: ${x.count} dari ${r.rows}`).join(', '),
        cells: cols.map((col) => ({ value: formatNumber(r.totals[col.key] as number), href: (r.totals[col.key] as number) > 0 ? link(r.code, col) : undefined })),
      })),
      groups: summary.rows.reduce((n, r) => n + r.rows, 0),
      totals: cols.map((col) => formatNumber((summary.totals[col.key] as number | undefined) ?? 0)),
    }), shell(c)));
  });

  // The rows behind one number of a table report: `kolom`, and `id` (a row key) for one row's cell.
  app.get('/reports/:id/rincian', async (c) => {
    const report = reportOr404(deps, c.req.param('id'));
    if (report.rollup?.kind !== 'province') throw new HTTPException(404, { message: 'Laporan ini tidak punya rincian angka.' });
    const { params, issues } = await readReportParams(deps.store, report, (k) => c.req.query(k));
    if (issues.length) throw new HTTPException(422, { message: issues.map((i) => `${i.label}: ${i.message}`).join(' ') });
    // The report's own access check (its region parameter against the viewer's scope).
    const built = await builtReport(c, deps, report, params);
    const found = await cellSources(deps, report, params, c.req.query('kolom') ?? '', c.req.query('id'));
    if (!found) throw new HTTPException(404, { message: 'Kolom ini tidak dihitung dari data kelompok, jadi tidak punya rincian.' });
    const seeAll = seesPersonal(c);
    const items = [];
    for (const row of found.rows) {
      for (const item of row.items) {
        const model = deps.forms.get(item.formId)!;
        let detail = model.code;
        if (item.repeat !== undefined && item.row !== undefined) {
          const stored = await loadSubmission(deps.store, model, item.submissionId);
          const repeat = indexModel(model).repeats.get(item.repeat);
          const nameField = repeat?.columns.find((col) => col.type === 'text');
          const member = (stored?.data[item.repeat] as Json[] | undefined)?.[item.row];
          const shownName = nameField && member ? String(nameField.personal && !seeAll ? maskValue(member[nameField.key]) : member[nameField.key] ?? '') : '';
          detail = `${repeat?.rowLabel ?? 'Baris'} no. ${item.row + 1}${shownName ? `: ${shownName}` : ''}`;
        }
        items.push({ group: row.label, detail, href: `/submissions/${item.submissionId}` });
      }
    }
    const heading = typeof found.column.column === 'number' ? `(${found.column.column}) ${found.column.label}` : found.column.label;
    const name = await names(regionCodesOf(report, built.data));
    return c.html(page(`Rincian ${heading}`, render('report-drill', {
      report, heading, total: found.total, items,
      subject: paramFields(report).section.fields.map((f) => formatValue(f, params[f.key], { regionName: name })).filter((v) => v && !UUID.test(v)).join(' — '),
      row: c.req.query('id') ? found.rows[0]?.label : undefined,
      back: `/reports/${report.id}?${paramsQuery(report, params)}`,
    }), shell(c)));
  });

  app.post('/reports/:id', async (c) => {
    const report = reportOr404(deps, c.req.param('id'));
    const { params, issues } = await readReportParams(deps.store, report, (k) => c.req.query(k));
    if (issues.length) return c.html(await reportPage(c), 400);
    const built = await builtReport(c, deps, report, params, 'write');
    const body = await formBody(c);
    const role = viewerOf(c).account.role;
    const parsed = built.table ? tableEntries(report, built, body) : partEntries(report, body, role);
    const id = typeof body._id === 'string' && UUID.test(body._id) ? body._id.toLowerCase() : randomUUID();
    try {
      if (parsed.unknown.length) {
        throw new SubmissionRejected('invalid', parsed.unknown.map((n) => ({ path: '', label: 'Kiriman', message: `Isian "${n.slice(0, 80)}" tidak ada di laporan ini.`, keyword: 'entries' })));
      }
      const outcome = await withApprovalGuard(c, deps, (guard) => saveReportEntries(deps, report, params, id, { ...parsed.entries, by: role, guard }));
      if (outcome.status === 'created') await audit(deps.store, c, { action: 'simpan', resource: report.id, record: outcome.id, revision: outcome.revision, region: built.region });
      return c.html(await reportPage(c, { saved: outcome.revision }));
    } catch (e) {
      if (!(e instanceof SubmissionRejected)) throw e;
      const forbidden = e.issues.length > 0 && e.issues.every((i) => i.keyword === 'entered-by');
      return c.html(await reportPage(c, { issues: e.issues, values: parsed.entries.sections as Json }), forbidden ? 403 : 422);
    }
  });

  return app;
}

type Body = Record<string, string | File | (string | File)[]>;
const first = (v: Body[string]): string | undefined => (Array.isArray(v) ? (typeof v[0] === 'string' ? v[0] : undefined) : typeof v === 'string' ? v : undefined);

/**
 * A table report's post: `<repeat>.<row key>.<column>` for input cells and `<section>.<field>`
 * for entered sections. Only names the report has become keys (a name like
 * `baris.__proto__.pagu` must never reach an object as a key); any other name is reported.
 */
function tableEntries(report: FormModel, built: BuiltReport, body: Body): { entries: ReportEntries; unknown: string[] } {
  const table = built.table!;
  const inputCols = new Map(table.repeat.columns.filter((c) => c.input).map((c) => [c.key, c]));
  const rowKeys = new Set(table.rows.map((r) => String(r[table.rowKey])));
  // Every entered section is parsed (another role's is then refused by name, never ignored).
  const sections = new Map(enteredSections(report).map((s) => [s.key, new Map(s.fields.filter((f) => f.input).map((f) => [f.key, f]))]));
  const rows = new Map<string, Json>();
  const entered = new Map<string, Json>();
  const unknown: string[] = [];
  for (const [name, raw] of Object.entries(body)) {
    if (name === '_id') continue;
    const text = first(raw);
    const parts = name.split('.');
    const col = parts.length === 3 && parts[0] === table.repeat.key && rowKeys.has(parts[1]!.toLowerCase()) ? inputCols.get(parts[2]!) : undefined;
    const field = parts.length === 2 ? sections.get(parts[0]!)?.get(parts[1]!) : undefined;
    if (text === undefined || (!col && !field)) {
      unknown.push(name);
      continue;
    }
    if (col) {
      const key = parts[1]!.toLowerCase();
      const row = rows.get(key) ?? {};
      const digits = text.replace(/[.\s]/g, '');
      row[col.key] = col.valueType === 'integer' && /^-?\d+$/.test(digits) ? Number(digits) : text.trim();
      rows.set(key, row);
    } else {
      const section = entered.get(parts[0]!) ?? {};
      section[field!.key] = text.trim();
      entered.set(parts[0]!, section);
    }
  }
  return { entries: { rows: Object.fromEntries(rows), sections: Object.fromEntries(entered) }, unknown };
}

/**
 * A copy report's post: the role's own sections, parsed as the entry forms are (a Ya/Tidak left
 * out is cleared); another role's section only when the post names its fields, so that the save
 * refuses it by name, and otherwise stays as saved.
 */
function partEntries(report: FormModel, body: Body, role: string): { entries: ReportEntries; unknown: string[] } {
  const all = enteredSections(report);
  const own = new Set(enteredSections(report, role).map((s) => s.key));
  const known = new Set(all.flatMap((s) => s.fields.map((f) => `${s.key}.${f.key}`)));
  const unknown = Object.keys(body).filter((n) => n !== '_id' && n !== '_aksi' && !known.has(n));
  const posted = formDataToSubmission(report, body);
  const named = (s: SectionNode) => s.fields.some((f) => `${s.key}.${f.key}` in body);
  const sections = Object.fromEntries(all.filter((s) => own.has(s.key) || named(s)).map((s) => [s.key, (posted[s.key] as Json | undefined) ?? {}]));
  return { entries: { rows: {}, sections }, unknown };
}
