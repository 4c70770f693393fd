/**
 * Drill-down: the rows behind a number of a table report (a province report's cell or total).
 * The same roll-up as the report (rollup.ts), asked for what one column counted: the members a
 * `count` column counted, the groups of a `countGroup`, the registers of a `flag` "Ya" — so the
 * linked rows always add up to the number shown.
 */
import type { FieldNode, FormModel } from '../model-types.js';
import { reportRows, rollUpRows, type CellSource } from './rollup.js';
import { rowColumns } from './table-report.js';
import type { ReportParams, ReportSources } from './types.js';

export interface DrillRow {
  /** The row's key (the group) and its name as the report shows it. */
  readonly key: string;
  readonly label: string;
  readonly items: readonly CellSource[];
}

export interface CellDrill {
  readonly column: FieldNode;
  readonly rows: readonly DrillRow[];
  /** Items over all rows: the number the report shows (a cell, or the column's total). */
  readonly total: number;
}

/** Whether a column's numbers can be followed to rows (a count, a group count or a flag). */
export function drillable(col: FieldNode): boolean {
  return !col.input && (col.rollup?.kind === 'count' || col.rollup?.kind === 'countGroup' || col.rollup?.kind === 'flag');
}

/**
 * What `column` counted for the report's `params`, per row; only row `rowKey` when given.
 * Undefined when the report has no such drillable column.
 */
export async function cellSources(sources: ReportSources, report: FormModel, params: ReportParams, column: string, rowKey?: string): Promise<CellDrill | undefined> {
  const { decl, repeat } = reportRows(report);
  const col = repeat.columns.find((c) => c.key === column);
  if (!col || !drillable(col)) return undefined;
  const { rowKey: keyColumn, rowLabel } = rowColumns(sources, report, decl);
  const rows: DrillRow[] = [];
  await rollUpRows(sources, report, params, new Map(), (row, behind) => {
    const key = String(row[keyColumn] ?? '');
    if (rowKey !== undefined && key !== rowKey.toLowerCase()) return;
    const items = behind(column);
    if (items.length) rows.push({ key, label: String((rowLabel && row[rowLabel]) ?? key), items });
  });
  return { column: col, rows, total: rows.reduce((n, r) => n + r.items.length, 0) };
}
