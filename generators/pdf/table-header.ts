/**
 * Multi-level table headers from column data: `x-header-group` paths become spanning cells,
 * each column's label sits under its groups, and a last row carries the paper's column numbers
 * "(1)", "(2)"… Pure: columns in, pdfmake header rows out.
 */
import type { TableCell } from 'pdfmake/interfaces.js';

export interface HeaderColumn {
  readonly label: string;
  readonly groups: readonly string[];
  /** Printed in the number row, e.g. "(6)"; empty when the column has no number. */
  readonly number: string;
}

const cell = (text: string, extra: Record<string, unknown> = {}): TableCell => ({ text, style: 'tableHeader', alignment: 'center', ...extra }) as TableCell;

/** Header rows (group levels, labels, numbers): use their count as the table's `headerRows`. */
export function headerRows(columns: readonly HeaderColumn[]): TableCell[][] {
  const depth = Math.max(0, ...columns.map((c) => c.groups.length));
  const rows: TableCell[][] = Array.from({ length: depth + 1 }, () => []);
  for (let level = 0; level < depth; level++) {
    for (let i = 0; i < columns.length; ) {
      const col = columns[i]!;
      if (col.groups.length <= level) {
        // No group from this level down: an empty cell spans to the label row, and the label is
        // written in the label row itself. (pdfmake sizes rows by their own cells only, so a label
        // in a spanning cell would be clipped.) The borders between the two are hidden.
        rows[level]!.push(col.groups.length === level ? cell('', { rowSpan: depth - level, border: [true, true, true, false] }) : ({} as TableCell));
        i++;
        continue;
      }
      const prefix = col.groups.slice(0, level + 1).join('\u0000');
      let span = 1;
      while (i + span < columns.length && columns[i + span]!.groups.length > level && columns[i + span]!.groups.slice(0, level + 1).join('\u0000') === prefix) span++;
      rows[level]!.push(cell(col.groups[level]!, span > 1 ? { colSpan: span } : {}));
      for (let k = 1; k < span; k++) rows[level]!.push({} as TableCell);
      i += span;
    }
  }
  for (const col of columns) rows[depth]!.push(cell(col.label, col.groups.length < depth ? { border: [true, false, true, true] } : {}));
  rows.push(columns.map((c) => cell(c.number, { style: 'columnNumber' })));
  return rows;
}
