/**
 * A stored submission as people read it (receipt, a report's copied parts): sections as label and
 * value, repeats as tables, every value through the one formatter. Pure: model and data in.
 */
import type { FormModel, PartNode } from '../../engine/index.js';
import { formatValue, type FormatContext } from '../format.js';

type Json = Record<string, unknown>;

export type SummaryPart =
  | { readonly isSection: true; readonly title: string; readonly fields: readonly { label: string; value: string }[] }
  | { readonly isSection: false; readonly title: string; readonly headers: readonly string[]; readonly rows: readonly { number: number; cells: readonly string[] }[] };

export function summaryPart(part: PartNode, data: Json, ctx: FormatContext): SummaryPart {
  if (part.kind === 'section') {
    const values = (data[part.key] as Json | undefined) ?? {};
    return { isSection: true, title: part.title, fields: part.fields.filter((f) => !f.hidden).map((f) => ({ label: f.label, value: formatValue(f, values[f.key], ctx) || '—' })) };
  }
  const cols = part.columns.filter((c) => !c.hidden);
  return {
    isSection: false, title: part.title, headers: cols.map((c) => c.label),
    rows: ((data[part.key] as Json[] | undefined) ?? []).map((r, i) => ({ number: i + 1, cells: cols.map((c) => formatValue(c, r[c.key], ctx)) })),
  };
}

export function summaryView(model: FormModel, data: Json, ctx: FormatContext, only?: (part: PartNode) => boolean): SummaryPart[] {
  return model.parts.filter((p) => !only || only(p)).map((p) => summaryPart(p, data, ctx));
}
