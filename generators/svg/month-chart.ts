/**
 * Columns over the months of a year (progress up to each month), with each month's reference (the
 * milestone of its quarter) as a dashed step. Values are written above their columns; months not
 * reached yet are left empty, with their names still on the axis.
 */
import { coord } from './escape.js';
import { label, svgFrame, type ChartText } from './frame.js';

export interface MonthPoint {
  /** "Jan". */
  readonly label: string;
  /** null: not reached yet, or nothing to show. */
  readonly value: number | null;
  readonly valueLabel: string;
  /** The reference for this month (a milestone percentage), if any. */
  readonly reference?: number;
}

export interface MonthChart extends ChartText {
  readonly points: readonly MonthPoint[];
  readonly unit: string;
  readonly max?: number;
  /** Legend for the dashed reference steps ("Tonggak triwulan"). */
  readonly referenceLabel?: string;
}

const WIDTH = 640;
const HEIGHT = 300;
const LEFT = 56;
const RIGHT = 16;
const TOP = 40;
const PLOT_H = 200;

export function monthChartSvg(chart: MonthChart): string {
  const values = chart.points.flatMap((p) => [p.value ?? 0, p.reference ?? 0]);
  const top = Math.max(chart.max ?? 0, ...values, 1);
  const end = chart.max !== undefined && top <= chart.max ? chart.max : niceEnd(top);
  const slots = Math.max(chart.points.length, 1);
  const slotW = (WIDTH - LEFT - RIGHT) / slots;
  const bottom = TOP + PLOT_H;
  const y = (v: number) => bottom - (Math.max(0, v) / end) * PLOT_H;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (end / 4) * i;
    parts.push(`<line x1="${LEFT}" y1="${coord(y(v))}" x2="${WIDTH - RIGHT}" y2="${coord(y(v))}" stroke="#d0d5db" stroke-width="1"/>`);
    parts.push(label(LEFT - 6, y(v) + 4, `${Math.round(v * 10) / 10}${chart.unit}`, { anchor: 'end', fill: '#444444', size: 11 }));
  }
  chart.points.forEach((p, i) => {
    const x0 = LEFT + i * slotW;
    const mid = x0 + slotW / 2;
    if (p.value !== null) {
      const h = bottom - y(p.value);
      parts.push(`<rect x="${coord(x0 + slotW * 0.2)}" y="${coord(bottom - h)}" width="${coord(slotW * 0.6)}" height="${coord(h)}" fill="#2f5d8a"/>`);
      parts.push(label(mid, bottom - h - 5, p.valueLabel, { anchor: 'middle', size: 11 }));
    }
    if (p.reference !== undefined) {
      parts.push(`<line x1="${coord(x0)}" y1="${coord(y(p.reference))}" x2="${coord(x0 + slotW)}" y2="${coord(y(p.reference))}" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="6 3"/>`);
    }
    parts.push(label(mid, bottom + 16, p.label, { anchor: 'middle' }));
  });
  if (chart.referenceLabel && chart.points.some((p) => p.reference !== undefined)) {
    parts.push(`<line x1="${LEFT}" y1="${TOP - 20}" x2="${LEFT + 30}" y2="${TOP - 20}" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="6 3"/>`);
    parts.push(label(LEFT + 36, TOP - 16, chart.referenceLabel));
  }
  return svgFrame(chart, WIDTH, HEIGHT, parts.join(''));
}

/** A round scale end above `v`: 1, 2 or 5 times a power of ten. */
function niceEnd(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
