/** Page sizes, styles and small drawing helpers shared by the form and report PDFs. */
import type { Content, PageSize, StyleDictionary } from 'pdfmake/interfaces.js';

export type Paper = 'A4' | 'FOLIO';

/** F4/Folio is 215 × 330 mm. */
export function pageSize(paper: Paper): PageSize {
  return paper === 'FOLIO' ? { width: 609.45, height: 935.43 } : 'A4';
}

export const styles: StyleDictionary = {
  title: { fontSize: 12, bold: true, alignment: 'center' },
  code: { fontSize: 9, bold: true, alignment: 'right' },
  section: { fontSize: 10, bold: true, margin: [0, 10, 0, 4] },
  tableHeader: { fontSize: 7.5, bold: true },
  columnNumber: { fontSize: 7, italics: true },
  cell: { fontSize: 8 },
  small: { fontSize: 8 },
};

/** A tick box: empty, or with an X drawn in it. */
export function box(checked: boolean, size = 8): Content {
  const lines = checked
    ? [
        { type: 'line' as const, x1: 1.5, y1: 1.5, x2: size - 1.5, y2: size - 1.5, lineWidth: 1 },
        { type: 'line' as const, x1: size - 1.5, y1: 1.5, x2: 1.5, y2: size - 1.5, lineWidth: 1 },
      ]
    : [];
  return { canvas: [{ type: 'rect', x: 0, y: 0, w: size, h: size, lineWidth: 0.7 }, ...lines], width: size + 3 } as Content;
}

/** "☒ Ya ☐ Tidak" as drawn boxes; both empty when the value is unknown (a blank form). */
export function yaTidak(value: unknown): Content {
  return {
    columns: [box(value === true), { text: 'Ya', width: 'auto', style: 'small' }, { text: '', width: 10 }, box(value === false), { text: 'Tidak', width: 'auto', style: 'small' }],
    columnGap: 2,
  };
}

/** The thin grid used by every table. */
export const gridLayout = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  paddingLeft: () => 2,
  paddingRight: () => 2,
  paddingTop: () => 1.5,
  paddingBottom: () => 1.5,
};
