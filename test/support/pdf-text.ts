/** Read a PDF back as text with poppler's pdftotext (installed by the test command when missing). */
import { execFileSync } from 'node:child_process';

export function pdfText(pdf: Buffer, layout = false): string {
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
}

export function pdfPages(pdf: Buffer): string[] {
  return pdfText(pdf, true).split('\f').filter((p) => p.trim());
}

export function pdfFonts(pdf: Buffer): string {
  return execFileSync('pdffonts', ['-'], { input: pdf }).toString('utf8');
}
