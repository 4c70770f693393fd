/**
 * A report as a workbook (`/api/reports/:id.xlsx`), beside its JSON, CSV and PDF: the same
 * parameters, access check, masking and audit as report-api.ts, and the same sheet writer as the
 * submission exports. A rolled-up table is one sheet (rows, then the totals line); a report
 * about one group has a sheet of its sections' entries and one per repeating part.
 */
import { Hono } from 'hono';
import { regionNames, type BuiltReport, type FieldNode } from '../../engine/index.js';
import type { FormatContext } from '../../generators/format.js';
import { formatValue } from '../../generators/format.js';
import type { AppDeps } from '../context.js';
import { queryOf, reportOr404 } from '../http.js';
import { reportApproval } from '../monitoring/approval-view.js';
import { regionCodesOf } from '../page-data.js';
import { auditExport } from '../record-access.js';
import { builtReport, ParamsRejected, reportFileName, reportParams } from '../report-data.js';
import { fieldColumns, type ExportColumn } from './export-columns.js';
import type { ExportTable } from './export-tables.js';
import { streamed, XLSX_TYPE } from './streamed-download.js';
import { writeXlsx } from './xlsx-writer.js';

type Json = Record<string, unknown>;
interface Line { readonly no: number | string; readonly data: Json }

/** A table held in memory already (a report is built whole), as one page. */
const table = <R>(key: string, title: string, columns: readonly ExportColumn<R>[], records: readonly R[], ctx: FormatContext): ExportTable<R> => ({
  key, title, columns, async* pages() { yield { records, ctx }; },
});

const heading = (f: FieldNode) => (typeof f.column === 'number' ? `(${f.column}) ${f.label}` : f.label);

function lineColumns(columns: readonly FieldNode[], numberHeading: string): ExportColumn<Line>[] {
  return [
    { header: numberHeading, kind: 'number', value: (l) => l.no },
    ...columns.filter((c) => !c.hidden).flatMap((f) => fieldColumns<Line>({ ...f, label: heading(f) }, (l) => l.data[f.key])),
  ];
}

/** The sheets of a built report. */
export function reportTables(built: BuiltReport, ctx: FormatContext): ExportTable[] {
  const t = built.table;
  if (t) {
    const lines: Line[] = [...t.rows.map((r, i) => ({ no: i + 1, data: r as Json })), { no: 'Jumlah', data: t.totals as Json }];
    return [table('utama', built.model.code, lineColumns(t.repeat.columns, t.repeat.rowNumberColumn ? `(${t.repeat.rowNumberColumn}) No` : 'No'), lines, ctx)];
  }
  const entries: { part: string; label: string; text: string }[] = [];
  const repeats: ExportTable[] = [];
  for (const part of built.model.parts) {
    const value = built.data[part.key];
    if (part.kind === 'section') {
      for (const f of part.fields) if (!f.hidden) entries.push({ part: part.title, label: f.label, text: formatValue(f, (value as Json | undefined)?.[f.key], ctx) });
      continue;
    }
    const rows = ((value as Json[] | undefined) ?? []).map((r, i) => ({ no: i + 1, data: r }));
    repeats.push(table(part.key, part.title, lineColumns(part.columns, 'No'), rows, ctx));
  }
  const entryColumns: ExportColumn<(typeof entries)[number]>[] = [
    { header: 'Bagian', kind: 'text', value: (e) => e.part },
    { header: 'Isian', kind: 'text', value: (e) => e.label },
    { header: 'Nilai', kind: 'text', value: (e) => e.text },
  ];
  return [table('isian', built.model.code, entryColumns, entries, ctx), ...repeats];
}

export function reportWorkbookRoute(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/api/reports/:file{[a-z0-9-]+\\.xlsx}', async (c) => {
    const report = reportOr404(deps, c.req.param('file').split('.')[0]);
    let params;
    try {
      params = await reportParams(deps, report, queryOf(c));
    } catch (e) {
      if (e instanceof ParamsRejected) return c.json({ errors: e.issues.map(({ path, label, message }) => ({ path, label, message })) }, 400);
      throw e;
    }
    const approval = await reportApproval(deps, report, params);
    const built = { ...(await builtReport(c, deps, report, params)), ...(approval ? { approval: approval.text } : {}) };
    await auditExport(c, deps, report.id, `xlsx: ${new URL(c.req.url).search}`, undefined, built.region);
    const ctx = { regionName: await regionNames(deps.store, regionCodesOf(report, built.data)) };
    return streamed(c, deps, XLSX_TYPE, reportFileName(report, params, 'xlsx'), (sink) => writeXlsx(reportTables(built, ctx), sink));
  });
  return app;
}
