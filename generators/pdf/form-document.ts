/**
 * The PDF of a form, filled (a stored submission) or blank (for groups that fill on paper),
 * built from the form model alone: the code in the corner, sections as labelled lines, numbered
 * tables whose header rows repeat on every page, Ya/Tidak and choices as boxes. A report's copied
 * section prints the items its copy shows (`x-rollup.copy[].show`), numbered as on its paper; the
 * blank form of a table report is the report's own layout (report-document.ts).
 */
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { FieldNode, FormModel, RepeatNode, SectionNode } from '../../engine/model-types.js';
import { shownItems } from '../../engine/reports/copy-report.js';
import { formatValue } from '../format.js';
import { box, gridLayout, pageSize, styles, yaTidak, type Paper } from './layout.js';
import { blankReportDocument } from './report-document.js';
import { headerRows, type HeaderColumn } from './table-header.js';

type Json = Record<string, unknown>;

export interface FormPdfOptions {
  readonly paper?: Paper;
  /** Region code → name; codes print as names. */
  readonly regionName?: (code: string) => string | undefined;
  /** Printed under the title of a filled form (reference number, saved at). */
  readonly reference?: string;
}

const MARGIN = 36;

const text = (f: FieldNode, v: unknown, opts: FormPdfOptions): string => formatValue(f, v, opts);

/** The value of a section field: a line with its value, boxes for choices and Ya/Tidak. */
function fieldValue(f: FieldNode, v: unknown, blank: boolean, opts: FormPdfOptions): Content {
  if (f.type === 'boolean') return yaTidak(v);
  if (f.type === 'choice' && !f.region && (f.options?.length ?? 0) <= 8) {
    return {
      columns: f.options!.flatMap((o) => [box(v === o.value), { text: o.label, width: 'auto', style: 'small', margin: [0, 0, 8, 0] }]),
      columnGap: 2,
    };
  }
  return blank ? { text: ' ', style: 'small' } : { text: text(f, v, opts), style: 'small' };
}

function sectionContent(model: FormModel, part: SectionNode, data: Json | undefined, opts: FormPdfOptions): Content[] {
  const values = (data?.[part.key] ?? {}) as Json;
  const blank = data === undefined;
  const printed = (f: FieldNode) => !f.hidden && !(f.personal && blank === false && values[f.key] === undefined);
  const line = (number: string, label: string, f: FieldNode | undefined): TableCell[] => [
    { text: number, style: 'small' },
    { text: label, style: 'small' },
    { text: ':', style: 'small' },
    (f ? fieldValue(f, values[f.key], blank, opts) : { text: ' ', style: 'small' }) as TableCell,
  ];
  // A copied section with a `show` list: one numbered line per item, a group's fields indented
  // under its title (or under its first field); a field shown only under a condition is left out
  // of a filled form when empty.
  const items = shownItems(model, part.key);
  const body: TableCell[][] = items
    ? items.flatMap((item, i) => {
        const fields = item.fields.filter((f) => printed(f) && (blank || !f.showWhen || values[f.key] !== undefined));
        const sub = (f: FieldNode) => line('', `    ${f.label}`, f);
        if (item.title) return [line(`${i + 1}.`, item.title, undefined), ...fields.map(sub)];
        const [first, ...rest] = fields;
        return first ? [line(`${i + 1}.`, first.label, first), ...rest.map(sub)] : [];
      })
    : part.fields.filter(printed).map((f, i) => line(`${i + 1}.`, f.label, f));
  return [
    { text: part.title, style: 'section' },
    {
      table: { widths: [14, 170, 6, '*'], body, dontBreakRows: true },
      layout: { hLineWidth: (i: number) => (i === 0 ? 0 : 0.4), vLineWidth: () => 0, hLineColor: () => '#999', paddingTop: () => 3, paddingBottom: () => 3 },
    },
  ];
}

/** A repeat's printed columns: choice fields with one number per code print one column per code. */
/** Relative widths: free text (names) 4, everything else 1; the row number has a fixed width. */
interface PrintedColumn { header: HeaderColumn; width: number; cell: (row: Json) => TableCell }

function printedColumns(part: RepeatNode): PrintedColumn[] {
  const cols: PrintedColumn[] = [];
  if (part.rowNumberColumn !== undefined) cols.push({ header: { label: 'No.', groups: [], number: `(${part.rowNumberColumn})` }, width: 0, cell: () => ({ text: '' }) });
  // Ya/Tidak columns without a paper number that share a heading (the assumed stunting-risk flags)
  // print as one column listing what is Ya: a portrait page has no room for one column each.
  const flagGroups = new Map<string, FieldNode[]>();
  for (const f of part.columns) {
    if (f.type === 'boolean' && f.column === undefined && f.headerGroup?.length) {
      const key = f.headerGroup.join(' / ');
      flagGroups.set(key, [...(flagGroups.get(key) ?? []), f]);
    }
  }
  const printedGroups = new Set<string>();
  for (const f of part.columns) {
    if (f.hidden) continue;
    const groups = f.headerGroup ?? [];
    const flagKey = groups.join(' / ');
    const flags = flagGroups.get(flagKey);
    if (flags && flags.length > 1 && flags.includes(f)) {
      if (printedGroups.has(flagKey)) continue;
      printedGroups.add(flagKey);
      cols.push({
        header: { label: `${flagKey} (${flags.map((x) => x.label).join(', ')})`, groups: [], number: '' },
        width: 3,
        cell: (row) => ({ text: flags.filter((x) => row[x.key] === true).map((x) => x.label).join(', ') }),
      });
      continue;
    }
    if (typeof f.column === 'object') {
      for (const [code, n] of Object.entries(f.column)) {
        const label = f.options?.find((o) => String(o.value) === code)?.label ?? code;
        cols.push({ header: { label, groups: [...groups, f.label], number: `(${n})` }, width: 0.8, cell: (row) => ({ text: row[f.key] === undefined ? '' : String(row[f.key]) === code ? '√' : '', alignment: 'center' }) });
      }
      continue;
    }
    const label = f.type === 'boolean' ? `${f.label} (Ya/Tidak)` : f.label;
    cols.push({
      header: { label, groups, number: typeof f.column === 'number' ? `(${f.column})` : '' },
      width: f.type === 'text' ? (f.pattern ? 2.6 : 4) : f.type === 'choice' ? 1.9 : f.type === 'boolean' ? 1.5 : 1,
      cell: (row) => {
        const v = row[f.key];
        if (f.type === 'boolean') return { text: formatValue(f, v), alignment: 'center' };
        return { text: formatValue(f, v), alignment: typeof v === 'number' ? 'right' : 'left' };
      },
    });
  }
  return cols;
}

/** Column widths in points that fill `available`: the row number gets 18, the rest by weight. */
function widths(cols: readonly PrintedColumn[], available: number): number[] {
  const fixed = cols.filter((c) => c.width === 0).length * 18;
  // 2 × padding and a line per column are outside the widths pdfmake is given.
  const room = available - fixed - cols.length * 5;
  const total = cols.reduce((s, c) => s + c.width, 0);
  return cols.map((c) => (c.width === 0 ? 18 : Math.floor((room * c.width) / total)));
}

function repeatContent(part: RepeatNode, data: Json | undefined, available: number): Content[] {
  const cols = printedColumns(part);
  const header = headerRows(cols.map((c) => c.header));
  const rows = data === undefined
    ? Array.from({ length: Number(part.pdf.emptyRows ?? 10) }, () => ({}) as Json)
    : ((data[part.key] as Json[] | undefined) ?? []);
  const body = rows.map((row, i) => cols.map((c, k) => ({ ...((k === 0 && part.rowNumberColumn !== undefined ? { text: data === undefined ? ' ' : String(i + 1), alignment: 'center' } : c.cell(row)) as object), style: 'cell' }) as TableCell));
  return [
    { text: part.title, style: 'section' },
    {
      table: { headerRows: header.length, widths: widths(cols, available), body: [...header, ...body], dontBreakRows: true },
      layout: gridLayout,
    },
  ];
}

/**
 * The lines under the title that `x-pdf.header` names (the district report's KABUPATEN/KOTA,
 * BULAN, TAHUN, NAMA KAMPUNG KB), as "LABEL : value" with a line to write on when blank.
 */
function headerBlock(model: FormModel, data: Json | undefined, opts: FormPdfOptions): Content[] {
  const wanted = model.pdf.header;
  const fields = wanted.flatMap((key) => model.parts.flatMap((p) => (p.kind === 'section' ? p.fields.filter((f) => f.key === key).map((f) => [p, f] as const) : [])));
  if (!fields.length) return [];
  return [{
    table: {
      widths: [130, 6, '*'],
      body: fields.map(([part, f]) => {
        const value = data === undefined ? '' : text(f, (data[part.key] as Json | undefined)?.[f.key], opts);
        return [{ text: f.label.toUpperCase(), style: 'small', bold: true }, { text: ':', style: 'small' }, { text: value || ' ', style: 'small' }];
      }),
    },
    layout: { hLineWidth: (i: number) => (i === 0 ? 0 : 0.4), vLineWidth: () => 0, hLineColor: () => '#999' },
    margin: [0, 8, 0, 4],
  }];
}

/** The document of a form, blank when `data` is undefined. */
export function formDocument(model: FormModel, data: Json | undefined, opts: FormPdfOptions = {}): TDocumentDefinitions {
  // A table report's blank form prints as the report does: landscape pages, numbered columns split
  // over the pages their `x-pdf.page` says, signature blocks.
  if (data === undefined && model.rollup?.kind === 'province') return blankReportDocument(model, opts);
  const content: Content[] = [
    { text: model.title.toUpperCase(), style: 'title' },
    ...(opts.reference ? [{ text: opts.reference, style: 'small', alignment: 'center' as const, margin: [0, 2, 0, 0] as [number, number, number, number] }] : []),
    ...headerBlock(model, data, opts),
  ];
  const landscape = model.pdf.orientation === 'landscape';
  const paper = opts.paper === 'FOLIO' ? { width: 609.45, height: 935.43 } : { width: 595.28, height: 841.89 };
  const available = (landscape ? paper.height : paper.width) - 2 * MARGIN;
  const inHeader = new Set(model.pdf.header);
  for (const part of model.parts) {
    // A section printed whole in the header block (the district report's period) is not repeated.
    if (part.kind === 'section' && part.fields.every((f) => f.hidden || inHeader.has(f.key))) continue;
    content.push(...(part.kind === 'section' ? sectionContent(model, part, data, opts) : repeatContent(part, data, available)));
  }
  return {
    pageSize: pageSize(opts.paper ?? 'A4'),
    pageOrientation: landscape ? 'landscape' : 'portrait',
    pageMargins: [MARGIN, 44, MARGIN, 40],
    header: (page: number) => ({ text: model.code, style: 'code', margin: [36, 18, 36, 0] }),
    footer: (page: number, pages: number) => ({ text: `Halaman ${page} dari ${pages}`, alignment: 'center', fontSize: 7, margin: [0, 12, 0, 0] }),
    info: { title: `${model.code} — ${model.title}`, creator: 'Lembar', producer: 'Lembar (pdfmake)' },
    content,
    styles,
    defaultStyle: { font: 'Roboto', fontSize: 9 },
  };
}
