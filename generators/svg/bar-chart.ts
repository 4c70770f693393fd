/**
 * Horizontal bars, one per item (a province), against a reference line (the quarter's milestone).
 * Every bar has its value written beside it, so the chart reads without colour and prints in
 * black and white; an item without a value (no target) says so in words instead of a bar.
 */
import { coord } from './escape.js';
import { label, svgFrame, type ChartText } from './frame.js';

export type Tone = 'baik' | 'kurang' | 'netral';

export interface Bar {
  readonly label: string;
  /** null: no bar, `valueLabel` says why ("tanpa target"). */
  readonly value: number | null;
  readonly valueLabel: string;
  readonly tone?: Tone;
}

export interface BarChart extends ChartText {
  readonly bars: readonly Bar[];
  /** Unit of the axis ticks ("%"). */
  readonly unit: string;
  /** The scale's end; at least the largest value. Default 100. */
  readonly max?: number;
  readonly reference?: { readonly value: number; readonly label: string };
  /** Said in place of the bars when there are none. */
  readonly empty?: string;
}

export const TONE_FILL: Readonly<Record<Tone, string>> = { baik: '#1b6e3a', kurang: '#b3261e', netral: '#5f6b7a' };

const WIDTH = 640;
const LABEL_W = 180;
const PLOT_X = LABEL_W + 10;
const PLOT_W = 330;
const ROW_H = 22;
const TOP = 34;
const BOTTOM = 34;

/** The scale's end: the declared max, raised to the next tenth above the largest value. */
function scaleEnd(values: readonly number[], max = 100): number {
  const top = Math.max(max, ...values);
  return top <= max ? max : Math.ceil(top / 10) * 10;
}

/** Names longer than the label column are cut with an ellipsis (the full name is in the table). */
function fit(text: string, chars = 27): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

export function barChartSvg(chart: BarChart): string {
  const values = chart.bars.map((b) => b.value).filter((v): v is number => typeof v === 'number');
  const end = scaleEnd([...values, chart.reference?.value ?? 0], chart.max);
  const x = (v: number) => PLOT_X + (Math.max(0, v) / end) * PLOT_W;
  const rows = Math.max(chart.bars.length, 1);
  const height = TOP + rows * ROW_H + BOTTOM;
  const plotBottom = TOP + rows * ROW_H;
  const parts: string[] = [];

  // Grid and ticks: quarters of the scale.
  for (let i = 0; i <= 4; i++) {
    const v = (end / 4) * i;
    parts.push(`<line x1="${coord(x(v))}" y1="${TOP - 4}" x2="${coord(x(v))}" y2="${coord(plotBottom)}" stroke="#d0d5db" stroke-width="1"/>`);
    parts.push(label(x(v), plotBottom + 16, `${Math.round(v * 10) / 10}${chart.unit}`, { anchor: 'middle', fill: '#444444', size: 11 }));
  }
  if (!chart.bars.length) parts.push(label(PLOT_X, TOP + 15, chart.empty ?? 'Tidak ada data.', { fill: '#444444' }));
  chart.bars.forEach((bar, i) => {
    const y = TOP + i * ROW_H;
    parts.push(label(LABEL_W, y + 15, fit(bar.label), { anchor: 'end' }));
    if (bar.value === null) {
      parts.push(label(PLOT_X + 4, y + 15, bar.valueLabel, { fill: '#444444' }));
      return;
    }
    const w = Math.max(x(bar.value) - PLOT_X, bar.value > 0 ? 1 : 0);
    parts.push(`<rect x="${PLOT_X}" y="${coord(y + 4)}" width="${coord(w)}" height="${ROW_H - 8}" fill="${TONE_FILL[bar.tone ?? 'netral']}"/>`);
    parts.push(label(PLOT_X + w + 6, y + 15, bar.valueLabel));
  });
  if (chart.reference) {
    const rx = x(chart.reference.value);
    parts.push(`<line x1="${coord(rx)}" y1="${TOP - 6}" x2="${coord(rx)}" y2="${coord(plotBottom)}" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="6 3"/>`);
    parts.push(label(rx, TOP - 12, chart.reference.label, { anchor: rx > PLOT_X + PLOT_W * 0.7 ? 'end' : 'middle', weight: 'bold' }));
  }
  return svgFrame(chart, WIDTH, height, parts.join(''));
}
