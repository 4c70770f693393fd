/** PDFs generated from the definitions, read back as text with pdftotext. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadForms, type FieldNode } from '../engine/index.js';
import { buildReport } from '../engine/index.js';
import { saveSubmission } from '../engine/storage/index.js';
import { formDocument } from '../generators/pdf/form-document.js';
import { renderPdf } from '../generators/pdf/pdfmake.js';
import { reportDocument } from '../generators/pdf/report-document.js';
import { bigK0, uuid } from './support/submissions.js';
import { pdfFonts, pdfPages, pdfText } from './support/pdf-text.js';
import { tempStore } from './support/temp-store.js';

const forms = loadForms();
const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('blank forms', () => {
  it.each(['k0-uppka', 'r1-uppka', 'laporan-kabupaten'])('%s holds every label of its definition and its code', async (id) => {
    const model = forms.get(id)!;
    // Narrow table headers wrap, and pdftotext reads wrapped cells side by side: a label counts as
    // printed when each of its words is (hyphens at line ends are dropped by pdftotext).
    // Header-block labels print in capitals, so words compare case-insensitively.
    const text = squash(pdfText(await renderPdf(formDocument(model, undefined)))).replace(/-/g, '').toLowerCase();
    const words = (label: string) => label.toLowerCase().split(/[\s/-]+/).filter(Boolean);
    const inHeader = new Set((model.pdf.header as string[] | undefined) ?? []);
    expect(text).toContain(model.code.toLowerCase());
    for (const part of model.parts) {
      const headerOnly = part.kind === 'section' && part.fields.every((f) => f.hidden || inHeader.has(f.key));
      if (!headerOnly) expect(text).toContain(part.title.toLowerCase().replace(/-/g, ''));
      // A copied section prints only the fields its report shows (x-rollup.copy[].show).
      const show = model.rollup?.kind === 'group' ? model.rollup.copy.find((c) => c.section === part.key)?.show : undefined;
      const shown = show ? new Set(show.flatMap((item) => item.fields)) : undefined;
      const fields: readonly FieldNode[] = part.kind === 'section' ? part.fields : part.columns;
      for (const f of fields.filter((x) => !x.hidden && (!shown || shown.has(x.key)))) for (const w of words(f.label)) expect(text, f.key).toContain(w);
    }
  });

  it('numbers the member columns (1)–(9) as on paper and prints F4 on request', async () => {
    const k0 = forms.get('k0-uppka')!;
    const text = pdfText(await renderPdf(formDocument(k0, undefined)));
    for (let n = 1; n <= 9; n++) expect(text).toContain(`(${n})`);
    const folio = await renderPdf(formDocument(k0, undefined, { paper: 'FOLIO' }));
    const info = execFileSync('pdfinfo', ['-'], { input: folio }).toString();
    expect(info).toMatch(/Page size:\s+609\.4\d? x 935\.4\d? pts/);
  });
});

describe('filled forms', () => {
  it('prints the stored values, accented names and curly quotes, with Roboto embedded', async () => {
    const k0 = forms.get('k0-uppka')!;
    const data = bigK0(90, 'UPPKA “Maju” — Désa Ngatinem');
    const pdf = await renderPdf(formDocument(k0, data as never, { regionName: (c) => (c === '33' ? 'Jawa Tengah' : undefined) }));
    const text = squash(pdfText(pdf));
    expect(text).toContain('UPPKA “Maju” — Désa Ngatinem');
    expect(text).toContain('Jawa Tengah');
    expect(text).toContain('Anggota 90 — “Ibu” Sri’s keluarga');
    expect(pdfFonts(pdf)).toMatch(/Roboto-Regular\s+CID TrueType\s+Identity-H\s+yes/);
    // The member table's header rows repeat on every page it spans.
    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages.slice(1)) expect(page).toContain('Kesertaan Ber-KB');
  });
});

describe('province monthly report', () => {
  let ctx: Awaited<ReturnType<typeof tempStore>>;
  let pdf: Buffer;
  const k0 = forms.get('k0-uppka')!;
  const report = forms.get('laporan-provinsi')!;
  const names = Array.from({ length: 40 }, (_, i) => `UPPKA Uji ${String(i + 1).padStart(2, '0')}`);

  beforeAll(async () => {
    ctx = await tempStore();
    // 40 groups of 8 members: per group 2 Lestari, 2 Mandiri, 2 Non-MKJP, 2 Non-PUS, 2 stunting-risk.
    for (const name of names) await saveSubmission(ctx.store, k0, { id: uuid(), data: bigK0(8, name) });
    const built = await buildReport({ store: ctx.store, forms }, report, { provinsi: '33', tahun: 2023, bulan: 3 });
    pdf = await renderPdf(reportDocument(built, { regionName: (c) => (c === '33' ? 'Jawa Tengah' : undefined) }));
    if (process.env.LEMBAR_ARTIFACTS) writeFileSync(`${process.env.LEMBAR_ARTIFACTS}/laporan-provinsi.pdf`, pdf);
  });
  afterAll(async () => ctx.cleanup());

  it('holds the province, the month, every column number and every group', () => {
    const text = squash(pdfText(pdf));
    expect(text).toContain('PROVINSI JAWA TENGAH');
    expect(text).toContain('BULAN MARET');
    expect(text).toContain('TAHUN 2023');
    for (let n = 1; n <= 25; n++) expect(text, `(${n})`).toContain(`(${n})`);
    for (const name of names) expect(text).toContain(name);
  });

  it('has the right totals for a dataset known by construction', () => {
    const pages = pdfPages(pdf);
    const totalsLines = pages.flatMap((p) => p.split('\n')).filter((l) => /^\s*Jumlah\s+\d/.test(l)).map(squash);
    // Page 1 table: (5) 80, (6) 80, (7) 80, (8) 240, (9) 80, (10) 80 (bigK0: balita when i % 5 = 0 → 2 of 8).
    expect(totalsLines[0]).toMatch(/Jumlah 80 80 80 240 80 80 0 0 0 0/);
    // Lanjutan: pagu, realisasi, (15) 320 families, (16) 240, (17) 80, (18) 80, (19)–(22) 0, (23) 80 balita, (24) 40 old groups.
    expect(totalsLines[1]).toMatch(/Jumlah 0 0 320 240 80 80 0 0 0 0 80 40/);
  });

  it('repeats the header rows on each page and keeps the signature blocks together on the last page', () => {
    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) expect(page).toMatch(/\(4\)/);
    const last = pages.at(-1)!;
    expect(last).toContain('Kepala Perwakilan BKKBN Provinsi');
    expect(last).toContain('Koordinator Bidang KS');
    expect(last).toContain('Kepala Dinas');
    expect(pages.slice(0, -1).join('')).not.toContain('Koordinator Bidang KS');
  });
});
