/**
 * The PDF of a rolled-up report (the province monthly report): landscape, title block from the
 * report's header fields, numbered two-level column headers repeated on every page, one row per
 * group, a totals row, the "Lanjutan" columns on their own pages, and the signature blocks kept
 * together. Everything comes from the report definition's columns and `x-pdf` hints. The blank
 * report (for staff who fill it on paper) is the same document with empty rows and dotted lines.
 */
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { BuiltReport, FieldNode, FormModel, RepeatNode, SectionNode } from '../../engine/index.js';
import { indexModel } from '../../engine/model-index.js';
import { formatNumber, formatValue } from '../format.js';
import { gridLayout, pageSize, styles, type Paper } from './layout.js';
import { headerRows } from './table-header.js';

type Json = Record<string, unknown>;

export interface ReportPdfOptions {
  readonly paper?: Paper;
  readonly regionName?: (code: string) => string | undefined;
}

const cellText = (f: FieldNode, v: unknown): string => formatValue(f, v);
/** What a blank report prints where a value goes. */
const DOTS = '…………';

function headerLine(report: FormModel, data: Json, opts: ReportPdfOptions): string {
  const wanted = report.pdf.header;
  const parts: string[] = [];
  for (const part of report.parts) {
    if (part.kind !== 'section') continue;
    for (const f of part.fields) {
      if (!wanted.includes(f.key)) continue;
      const v = (data[part.key] as Json | undefined)?.[f.key];
      const shown = formatValue(f, v, opts) || DOTS;
      parts.push(`${f.label.toUpperCase()} ${shown.toUpperCase()}`);
    }
  }
  return parts.join('     ');
}

function pageTable(repeat: RepeatNode, cols: readonly FieldNode[], rows: readonly Json[], totals: Json | undefined, blank: boolean): Content {
  const header = headerRows([
    { label: 'No', groups: [], number: repeat.rowNumberColumn ? `(${repeat.rowNumberColumn})` : '' },
    ...cols.map((c) => ({ label: c.label, groups: c.headerGroup ?? [], number: typeof c.column === 'number' ? `(${c.column})` : '' })),
  ]);
  // Cells stay as small as pdfmake allows (text, and alignment only where it is not the default):
  // a province of 10,000 groups is a quarter of a million of them.
  const body: TableCell[][] = rows.map((r, i) => [
    { text: blank ? ' ' : String(i + 1), alignment: 'center' },
    ...cols.map((c) => (c.valueType === 'string' ? { text: cellText(c, r[c.key]) } : { text: cellText(c, r[c.key]), alignment: 'center' }) as TableCell),
  ]);
  if (totals) {
    // "Jumlah" spans the number column and the text columns before the first count.
    const lead = cols.findIndex((c) => c.valueType !== 'string');
    const span = 1 + (lead < 0 ? cols.length : lead);
    body.push([
      { text: 'Jumlah', bold: true, style: 'cell', colSpan: span },
      ...cols.map((c, i) => (i + 1 < span ? ({} as TableCell) : ({ text: c.key in totals ? formatNumber(totals[c.key] as number) : '', bold: true, style: 'cell', alignment: 'center' }) as TableCell)),
    ]);
  }
  return {
    table: {
      headerRows: header.length,
      dontBreakRows: true,
      // Names take the free width; counts and Ya/Tidak get fixed widths so headers never clip.
      widths: [20, ...cols.map((c) => (c.valueType === 'string' ? '*' : c.valueType === 'boolean' ? 62 : c.widget === 'rupiah' ? 70 : 42))],
      body: [...header, ...body],
    },
    layout: gridLayout,
  };
}

function signatures(report: FormModel, data: Json, opts: ReportPdfOptions): Content | undefined {
  const list = report.pdf.signatures;
  if (!list.length) return undefined;
  const values: Record<string, string> = {};
  for (const part of report.parts) {
    if (part.kind !== 'section') continue;
    for (const f of (part as SectionNode).fields) {
      const v = (data[part.key] as Json | undefined)?.[f.key];
      if (v !== undefined) values[f.key] = formatValue(f, v, opts);
    }
  }
  const fill = (t: string) => t.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? DOTS);
  // A heading whose placeholders are all empty (no place and date yet) prints its `unfilled` line.
  const keys = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const heading = (s: (typeof list)[number]) => (s.unfilled && keys(s.heading).length && keys(s.heading).every((k) => values[k] === undefined) ? s.unfilled : s.heading);
  return {
    unbreakable: true,
    margin: [0, 18, 0, 0],
    columns: list.map((s) => ({
      width: '*',
      alignment: 'center',
      stack: [
        { text: fill(heading(s)), style: 'small' },
        { text: fill(s.title), style: 'small', margin: [0, 0, 0, 42] },
        { text: `( ${values[s.name] ?? '………………………………'} )`, style: 'small' },
      ],
    })),
  } as Content;
}

/** "(12) Orientasi … : Ya (R/1/UPPKA/20), LAPORAN KABUPATEN/KOTA Orientasi …: Tidak" per row. */
function disagreementNote(built: BuiltReport): Content | undefined {
  const list = built.disagreements ?? [];
  if (!list.length) return undefined;
  const yn = (v: unknown) => (typeof v === 'boolean' ? (v ? 'Ya' : 'Tidak') : String(v));
  return {
    unbreakable: list.length <= 12,
    margin: [0, 12, 0, 0],
    stack: [
      { text: `Catatan: ${list.length} isian tidak sama dengan laporan pembanding`, style: 'small', bold: true },
      { ul: list.map((d) => ({ text: `${d.rowLabel} — ${d.column}: ${yn(d.value)} (${d.sourceCode}); ${d.otherCode}, ${d.otherField}: ${yn(d.otherValue)}`, style: 'small' })) },
    ],
  } as Content;
}

interface PrintedTable {
  readonly repeat: RepeatNode;
  readonly rows: readonly Json[];
  readonly totals: Json;
  readonly received: readonly { readonly code: string; readonly count: number }[];
}

/** The report document from a built report with a table (rows, totals and header values). */
export function reportDocument(built: BuiltReport, opts: ReportPdfOptions = {}): TDocumentDefinitions {
  if (!built.table) throw new Error(`Report ${built.model.id} has no table to print.`);
  return tableDocument(built.model, built.data, built.table, opts, false, disagreementNote(built), built.approval);
}

/**
 * The blank report: the filled one's pages, headers, column numbers and signature blocks, with
 * the table's `x-pdf.emptyRows` empty rows, an empty Jumlah row and dotted lines for the values.
 */
export function blankReportDocument(report: FormModel, opts: ReportPdfOptions = {}): TDocumentDefinitions {
  const decl = report.rollup;
  const repeat = decl?.kind === 'province' ? indexModel(report).repeats.get(decl.rows) : undefined;
  if (!repeat) throw new Error(`Report ${report.id} has no table to print.`);
  const rows = Array.from({ length: repeat.pdf.emptyRows }, () => ({}) as Json);
  return tableDocument(report, {}, { repeat, rows, totals: {}, received: [] }, opts, true);
}

function tableDocument(report: FormModel, data: Json, table: PrintedTable, opts: ReportPdfOptions, blank: boolean, note?: Content, approval?: string): TDocumentDefinitions {
  const { repeat, rows, totals } = table;
  const visible = repeat.columns.filter((c) => !c.hidden);
  const pages = [...new Set(visible.map((c) => c.pdf.page))].sort((a, b) => a - b);
  const showTotals = report.pdf.totals;
  const title = report.title.replace(/\s*\([^)]*\)\s*$/, '').toUpperCase();
  const content: Content[] = [];
  pages.forEach((p, i) => {
    const cols = visible.filter((c) => c.pdf.page === p || (p !== pages[0] && c.pdf.repeat));
    content.push({
      stack: [
        ...(i > 0 ? [{ text: 'Lanjutan', italics: true, style: 'small' }] : []),
        { text: title, style: 'title' },
        { text: headerLine(report, data, opts), style: 'title', margin: [0, 2, 0, table.received.length ? 2 : 8] },
        ...(approval && i === 0 ? [{ text: `Status persetujuan: ${approval}`, style: 'small', alignment: 'center' as const, margin: [0, 0, 0, 4] as [number, number, number, number] }] : []),
        ...table.received.map((r) => ({ text: `${r.code} bulan ini diterima dari ${r.count} dari ${rows.length} kelompok; kolom kegiatan kelompok yang belum lapor kosong.`, style: 'small', alignment: 'center' as const, margin: [0, 0, 0, 8] as [number, number, number, number] })),
      ],
      ...(i > 0 ? { pageBreak: 'before' as const } : {}),
    });
    content.push(pageTable(repeat, cols, rows, showTotals ? totals : undefined, blank));
  });
  if (note) content.push(note);
  const sign = signatures(report, data, opts);
  if (sign) content.push(sign);
  return {
    pageSize: pageSize(opts.paper ?? 'A4'),
    pageOrientation: report.pdf.orientation === 'portrait' ? 'portrait' : 'landscape',
    pageMargins: [28, 40, 28, 36],
    header: () => ({ text: report.code, style: 'code', margin: [28, 16, 28, 0] }),
    footer: (page: number, count: number) => ({ text: `Halaman ${page} dari ${count}`, alignment: 'center', fontSize: 7, margin: [0, 10, 0, 0] }),
    info: { title: `${report.code} — ${title}`, creator: 'Lembar', producer: 'Lembar (pdfmake)' },
    content,
    styles,
    defaultStyle: { font: 'Roboto', fontSize: 8 },
  };
}
