/**
 * Every downloadable output, in one registry (kysely's dialects are the model: a small interface,
 * one module each). The server's download routes iterate it: an output with `form` is offered for
 * each submission and blank form, `list` for a form's submissions, `report` for each report.
 * A new output (XLSX, say) is a new folder and one entry here.
 */
import type { BuiltReport, FormModel } from '../engine/index.js';
import { reportCsv } from './csv/index.js';
import { formDocument } from './pdf/form-document.js';
import type { Paper } from './pdf/layout.js';
import { renderPdf } from './pdf/pdfmake.js';
import { reportDocument } from './pdf/report-document.js';

export interface OutputOptions {
  readonly paper?: Paper;
  readonly regionName?: (code: string) => string | undefined;
  /** Printed under the title of a filled form (reference number, saved at). */
  readonly reference?: string;
}

export type Artefact = Uint8Array | string;

export interface Output {
  readonly name: string;
  readonly ext: string;
  readonly mediaType: string;
  /** One submission's data, or the blank form when `data` is undefined. */
  readonly form?: (model: FormModel, data: Record<string, unknown> | undefined, opts: OutputOptions) => Promise<Artefact>;
  /** A form's submissions, one line each. */
  readonly report?: (built: BuiltReport, opts: OutputOptions) => Promise<Artefact>;
}

const pdf: Output = {
  name: 'pdf', ext: 'pdf', mediaType: 'application/pdf',
  form: async (model, data, opts) => new Uint8Array(await renderPdf(formDocument(model, data, opts))),
  // A report with a table prints as the wide rolled-up table; one without (a report about one
  // group) prints like a filled form of the report definition.
  report: async (built, opts) => new Uint8Array(await renderPdf(built.table ? reportDocument(built, opts)
    : formDocument(built.model, built.data, built.approval ? { ...opts, reference: `Status persetujuan: ${built.approval}` } : opts))),
};

const csv: Output = {
  name: 'csv', ext: 'csv', mediaType: 'text/csv; charset=utf-8',
  report: async (built, opts) => reportCsv(built, opts),
};

export const OUTPUTS: ReadonlyMap<string, Output> = new Map([pdf, csv].map((o) => [o.ext, o]));

/** The output for a file extension that can render `what`, if any. */
export function outputFor(ext: string, what: 'form' | 'report'): Output | undefined {
  const o = OUTPUTS.get(ext.toLowerCase());
  return o && o[what] ? o : undefined;
}
