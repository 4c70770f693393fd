/**
 * Downloads of a form's submissions that stream: `/api/forms/:id/submissions.csv` (the main
 * table), `.zip` (a CSV per table: the main one and one per repeat) and `.xlsx` (a sheet per
 * table), with the submission list's filters, the viewer's region and masking; and a report as
 * a workbook (`/api/reports/:id.xlsx`). The first bytes leave after the first page is read.
 */
import { Hono } from 'hono';
import { viewerOf, seesPersonal } from '../access.js';
import type { AppDeps } from '../context.js';
import { formOr404 } from '../http.js';
import { auditExport } from '../record-access.js';
import { filtersFrom, listFilters } from '../submissions-query.js';
import type { ByteSink } from './byte-stream.js';
import { streamed, XLSX_TYPE } from './streamed-download.js';
import { writeCsv } from './csv-writer.js';
import { exportSelection } from './export-query.js';
import { exportTables, type ExportTable } from './export-tables.js';
import { reportWorkbookRoute } from './report-workbook.js';
import { writeXlsx } from './xlsx-writer.js';
import { writeCsvZip } from './zip-writer.js';

interface Format {
  readonly ext: 'csv' | 'zip' | 'xlsx';
  readonly mediaType: string;
  /** Only the main table (a plain CSV has room for one). */
  readonly mainOnly: boolean;
  readonly write: (formId: string, tables: readonly ExportTable[], sink: ByteSink) => Promise<void>;
}

const FORMATS: readonly Format[] = [
  { ext: 'csv', mediaType: 'text/csv; charset=utf-8', mainOnly: true, write: (_id, [main], sink) => writeCsv(main!, (b) => sink.write(b), () => sink.ready()) },
  { ext: 'zip', mediaType: 'application/zip', mainOnly: false, write: writeCsvZip },
  { ext: 'xlsx', mediaType: XLSX_TYPE, mainOnly: false, write: (_id, tables, sink) => writeXlsx(tables, sink) },
];

export function exportRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  for (const format of FORMATS) {
    app.get(`/api/forms/:id/submissions.${format.ext}`, async (c) => {
      const model = formOr404(deps, c.req.param('id'));
      const filters = filtersFrom(listFilters(deps.forms, model), (k) => c.req.query(k));
      const sel = await exportSelection(deps, model, filters, viewerOf(c).scope, new Date().toISOString());
      // One row read before the status line: a query the database refuses is an error page, not a cut file.
      await sel.base.select('_id').limit(1).execute();
      const tables = exportTables(deps.store, sel, seesPersonal(c), format.mainOnly, deps.forms);
      await auditExport(c, deps, model.id, `${format.ext}: ${new URL(c.req.url).search}`);
      return streamed(c, deps, format.mediaType, `${model.id}.${format.ext}`, (sink) => format.write(model.id, tables, sink));
    });
  }
  app.route('/', reportWorkbookRoute(deps));
  return app;
}
