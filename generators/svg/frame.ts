/**
 * What every chart shares: the outer `<svg>` with its accessible name and description (`<title>`,
 * `<desc>`, role="img", aria-labelledby / aria-describedby), a white background for printing,
 * and its natural size (text stays legible on a phone, where the page scrolls it sideways; it
 * fits a portrait A4 page), with a view box so a viewer may scale it.
 */
import { coord, escapeXml, safeId } from './escape.js';

export interface ChartText {
  /** Unique on the page: ids of the title and description derive from it. */
  readonly id: string;
  readonly title: string;
  /** A sentence or two saying what the chart shows, for screen readers and as a fallback. */
  readonly description: string;
}

export function svgFrame(text: ChartText, width: number, height: number, body: string): string {
  const id = safeId(text.id);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="grafik" viewBox="0 0 ${coord(width)} ${coord(height)}" width="${coord(width)}" height="${coord(height)}" role="img" aria-labelledby="${id}-judul" aria-describedby="${id}-ket" font-family="sans-serif" font-size="12">`
    + `<title id="${id}-judul">${escapeXml(text.title)}</title>`
    + `<desc id="${id}-ket">${escapeXml(text.description)}</desc>`
    + `<rect x="0" y="0" width="${coord(width)}" height="${coord(height)}" fill="#ffffff"/>`
    + body
    + '</svg>';
}

/** A text element; `anchor` start, middle or end. */
export function label(x: number, y: number, text: string, options: { anchor?: 'start' | 'middle' | 'end'; weight?: 'bold'; fill?: string; size?: number } = {}): string {
  const attrs = [`x="${coord(x)}"`, `y="${coord(y)}"`];
  if (options.anchor && options.anchor !== 'start') attrs.push(`text-anchor="${options.anchor}"`);
  if (options.weight) attrs.push(`font-weight="${options.weight}"`);
  if (options.size) attrs.push(`font-size="${options.size}"`);
  attrs.push(`fill="${options.fill ?? '#1a1a1a'}"`);
  return `<text ${attrs.join(' ')}>${escapeXml(text)}</text>`;
}
