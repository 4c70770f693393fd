/**
 * The PDF of a rolled-up report (the province monthly report): landscape, title block from the
 * report's header fields, numbered two-level column headers repeated on every page, one row per
 * group, a totals row, the "Lanjutan" columns on their own pages, and the signature blocks kept
 * together. Everything comes from the report definition's columns and `x-pdf` hints.
 */
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { BuiltReport, FieldNode, FormModel, RepeatNode, SectionNode } from '../../engine/index.js';
import { formatNumber, formatValue } from '../format.js';
import { gridLayout, pageSize, styles, type Paper } from './layout.js';
import { headerRows } from './table-header.js';

type Json = Record<string, unknown>;

export interface ReportPdfOptions {
  readonly paper?: Paper;
  readonly regionName?: (code: string) => string | undefined;
}

const cellText = (f: FieldNode, v: unknown): string => formatValue(f, v);

function headerLine(report: FormModel, data: Json, opts: ReportPdfOptions): string {
  const wanted = report.pdf.header;
  const parts: string[] = [];
  for (const part of report.parts) {
    if (part.kind !== 'section') continue;
    for (const f of part.fields) {
      if (!wanted.includes(f.key)) continue;
      const v = (data[part.key] as Json | undefined)?.[f.key];
      const shown = formatValue(f, v, opts);
      parts.push(`${f.label.toUpperCase()} ${shown.toUpperCase()}`);
    }
  }
  return parts.join('     ');
}

function pageTable(repeat: RepeatNode, cols: readonly FieldNode[], rows: readonly Json[], totals: Json | undefined): Content {
  const header = headerRows([
    { label: 'No', groups: [], number: repeat.rowNumberColumn ? `(${repeat.rowNumberColumn})` : '' },
    ...cols.map((c) => ({ label: c.label, groups: c.headerGroup ?? [], number: typeof c.column === 'number' ? `(${c.column})` : '' })),
  ]);
  // Cells stay as small as pdfmake allows (text, and alignment only where it is not the default):
  // a province of 10,000 groups is a quarter of a million of them.
  const body: TableCell[][] = rows.map((r, i) => [
    { text: String(i + 1), alignment: 'center' },
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
  const fill = (t: string) => t.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '…………');
  return {
    unbreakable: true,
    margin: [0, 18, 0, 0],
    columns: list.map((s) => ({
      width: '*',
      alignment: 'center',
      stack: [
        { text: fill(s.heading), style: 'small' },
        { text: fill(s.title), style: 'small', margin: [0, 0, 0, 42] },
        { text: `( ${values[s.name] ?? '………………………………'} )`, style: 'small' },
      ],
    })),
  } as Content;
}

/** The report document from a built report with a table (rows, totals and header values). */
export function reportDocument(built: BuiltReport, opts: ReportPdfOptions = {}): TDocumentDefinitions {
  const { model: report, data } = built;
  if (!built.table) throw new Error(`Report ${report.id} has no table to print.`);
  const { repeat, rows, totals } = built.table;
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
        { text: headerLine(report, data, opts), style: 'title', margin: [0, 2, 0, built.table!.received.length ? 2 : 8] },
        ...built.table!.received.map((r) => ({ text: `${r.code} bulan ini diterima dari ${r.count} dari ${rows.length} kelompok; kolom kegiatan kelompok yang belum lapor kosong.`, style: 'small', alignment: 'center' as const, margin: [0, 0, 0, 8] as [number, number, number, number] })),
      ],
      ...(i > 0 ? { pageBreak: 'before' as const } : {}),
    });
    content.push(pageTable(repeat, cols, rows, showTotals ? totals : undefined));
  });
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
