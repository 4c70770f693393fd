/**
 * Which control a field gets, chosen by ranked testers as jsonforms does: every tester scores the
 * field, the highest score wins, and `x-widget` in the definition outranks them all. The same
 * table serves the page; adding a control is adding a row.
 */
import type { FieldNode } from '../../engine/model-types.js';

export type Widget = 'text' | 'textarea' | 'number' | 'rupiah' | 'date' | 'select' | 'radio' | 'ya-tidak' | 'tel' | 'region' | 'reference' | 'hidden';

type Tester = (f: FieldNode) => number;

const NEVER = -1;

export const widgetTesters: readonly (readonly [Widget, Tester])[] = [
  ['text', (f) => (f.type === 'text' ? 1 : NEVER)],
  ['textarea', (f) => (f.multiline ? 2 : NEVER)],
  ['number', (f) => (f.type === 'integer' || f.type === 'number' ? 1 : NEVER)],
  ['date', (f) => (f.type === 'date' ? 2 : NEVER)],
  ['select', (f) => (f.type === 'choice' ? 1 : NEVER)],
  ['radio', (f) => (f.type === 'choice' && (f.options?.length ?? 99) <= 3 ? 2 : NEVER)],
  ['ya-tidak', (f) => (f.type === 'boolean' ? 2 : NEVER)],
  ['region', (f) => (f.region ? 3 : NEVER)],
  ['reference', (f) => (f.refForm ? 3 : NEVER)],
  ['hidden', (f) => (f.hidden ? 4 : NEVER)],
];

/** The control of a field: the definition's `x-widget`, else the best-ranked tester. */
export function widgetFor(f: FieldNode): Widget {
  if (f.widget) return f.widget as Widget;
  let best: Widget = 'text';
  let score = NEVER;
  for (const [widget, test] of widgetTesters) {
    const s = test(f);
    if (s > score) [best, score] = [widget, s];
  }
  return best;
}
