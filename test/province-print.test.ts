/**
 * The blank province report prints like the filled one: downloaded from the server's blank-form
 * route and read back with pdftotext beside the filled report's PDF — landscape, two pages split
 * where the filled one splits its columns, the "MKJP" header level, signature blocks and the
 * "….. <year>" date line (the year from the report's period; dotted on the blank).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { bigK0 } from './support/submissions.js';
import { pdfPages } from './support/pdf-text.js';
import { startServer } from './support/server.js';

let srv: Awaited<ReturnType<typeof startServer>>;
let blank: Buffer;
let filled: Buffer;
const squash = (s: string) => s.replace(/\s+/g, ' ');

beforeAll(async () => {
  srv = await startServer({ as: 'provinsi' });
  const card = { ...bigK0(3, 'UPPKA Cetak Provinsi'), kartu: { tahun: 2025 } };
  const saved = await srv.fetchAs('kader', srv.url('/api/forms/k0-uppka/submissions'), { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: JSON.stringify(card) });
  expect(saved.status).toBe(201);
  const b = await srv.fetchAs('provinsi', srv.url('/forms/laporan-provinsi/blank.pdf'));
  expect(b.status).toBe(200);
  blank = Buffer.from(await b.arrayBuffer());
  const f = await srv.fetchAs('provinsi', srv.url('/api/reports/laporan-provinsi.pdf?provinsi=33&tahun=2025&bulan=10'));
  expect(f.status).toBe(200);
  filled = Buffer.from(await f.arrayBuffer());
});
afterAll(async () => srv.close());

const info = (pdf: Buffer) => execFileSync('pdfinfo', ['-'], { input: pdf }).toString();
const numbers = (page: string) => [...page.matchAll(/\((\d+)\)/g)].map((m) => Number(m[1])).filter((n) => n <= 25);

describe('the blank province report', () => {
  it('is landscape A4 on two pages, as the filled report of a small province', () => {
    for (const pdf of [blank, filled]) {
      expect(info(pdf)).toMatch(/Page size:\s+841\.89 x 595\.2\d* pts/);
      expect(info(pdf)).toMatch(/Pages:\s+2\b/);
    }
  });

  it('prints columns (1)–(14) on page 1 and the Lanjutan columns (15)–(25) on page 2, like the filled one', () => {
    for (const pdf of [blank, filled]) {
      const [one, two] = pdfPages(pdf);
      expect(new Set(numbers(one!))).toEqual(new Set(Array.from({ length: 14 }, (_, i) => i + 1)));
      expect(two).toContain('Lanjutan');
      // Page 2 repeats (1) No and (4) the group's name, then (15)–(25).
      expect(new Set(numbers(two!))).toEqual(new Set([1, 4, ...Array.from({ length: 11 }, (_, i) => i + 15)]));
      expect(squash(two!)).toContain('Pagu');
      expect(squash(two!)).toContain('Realisasi');
    }
  });

  it('has the header levels as on paper: Kesertaan Ber-KB, PUS, MKJP over Lestari and Mandiri', () => {
    const one = pdfPages(blank)[0]!;
    const lines = one.split('\n');
    const row = (word: string) => lines.findIndex((l) => new RegExp(`\\b${word}\\b`).test(l));
    expect(row('Kesertaan')).toBeGreaterThanOrEqual(0);
    expect(row('PUS')).toBeGreaterThan(row('Kesertaan'));
    expect(row('MKJP')).toBeGreaterThan(row('PUS'));
    expect(row('Lestari')).toBeGreaterThan(row('MKJP'));
    expect(lines[row('Lestari')]).toContain('Mandiri');
  });

  it('ends with the three signature blocks and a dotted date line; the filled one prints the period\'s year', () => {
    const last = squash(pdfPages(blank).at(-1)!);
    for (const t of ['Mengetahui,', 'Kepala Perwakilan BKKBN Provinsi', 'Koordinator Bidang KS', 'Kepala Dinas']) expect(last).toContain(t);
    expect(last).toContain('….. …………');
    expect(squash(pdfPages(blank)[0]!)).toContain('PROVINSI ………… BULAN ………… TAHUN …………');
    const filledLast = squash(pdfPages(filled).at(-1)!);
    expect(filledLast).toContain('….. 2025');
    expect(filledLast).toContain('Koordinator Bidang KS');
  });

  it('has empty numbered rows to write in and a Jumlah row, as the filled one has its groups and totals', () => {
    const one = pdfPages(blank)[0]!;
    expect(one).toContain('Jumlah');
    expect(one).not.toContain('UPPKA Cetak');
    // The group's name wraps in its cell; its first words are on the filled page.
    expect(squash(pdfPages(filled)[0]!)).toContain('UPPKA Cetak');
  });
});
