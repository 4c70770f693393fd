/**
 * Province report benchmark. For N groups (each a K/0 of 10 members in one province) it measures
 * the roll-up from SQLite and our report PDF in one process (whose peak memory is the report's),
 * and, in another, the baseline: a bare pdfmake document with the same tables (the same cell
 * objects, header rows and widths, without title block, signatures, page header or roll-up); plus,
 * for context, one plain single-header table of the same rows. The parent runs N = 1,000 and 10,000 and prints the ratios and the growth.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadForms } from '../engine/index.js';
import { buildReport, reportRows, type BuiltReport } from '../engine/index.js';
import { loadRegions, openStore, publishDefinition, saveSubmission } from '../engine/storage/index.js';
import { renderPdf } from '../generators/pdf/pdfmake.js';
import { reportDocument } from '../generators/pdf/report-document.js';
import { bigK0, uuid } from '../test/support/submissions.js';
import type { Content } from 'pdfmake/interfaces.js';

export interface ReportRun { groups: number; rollupMs: number; pdfMs: number; bareMs: number; plainMs: number; pages: number; maxRssMb: number }

/** Step 1, own process: a database with N groups. */
async function seed(dir: string, n: number): Promise<void> {
  const forms = loadForms();
  const store = openStore(join(dir, 'lembar.sqlite'));
  for (const m of forms.values()) await publishDefinition(store, m);
  await loadRegions(store);
  const k0 = forms.get('k0-uppka')!;
  for (let i = 0; i < n; i++) await saveSubmission(store, k0, { id: uuid(), data: bigK0(10, `UPPKA ${String(i + 1).padStart(5, '0')}`) });
  await store.close();
}

/** Step 2, own process (so its peak memory is the report's alone): roll-up and PDF. */
async function report(dir: string): Promise<Partial<ReportRun>> {
  const forms = loadForms();
  const store = openStore(join(dir, 'lembar.sqlite'));
  const model = forms.get('laporan-provinsi')!;
  const { repeat } = reportRows(model);
  let t = performance.now();
  const built = await buildReport({ store, forms }, model, { provinsi: '33', tahun: 2023, bulan: 3 });
  const rollupMs = performance.now() - t;
  t = performance.now();
  const doc = reportDocument(built, { regionName: () => 'Jawa Tengah' });
  const pdf = await renderPdf(doc);
  const pdfMs = performance.now() - t;
  await store.close();
  const cols = repeat.columns.filter((c) => !c.hidden);
  const rows = (built.data[repeat.key] as Record<string, unknown>[]).map((r) => cols.map((c) => String(r[c.key] ?? '')));
  writeFileSync(join(dir, 'rows.json'), JSON.stringify({ header: cols.map((c) => c.label), rows, data: built.data, totals: built.table!.totals }));
  const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
  return { rollupMs, pdfMs, pages, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/** Step 3, own process: the baseline, a bare pdfmake table with the same rows and columns. */
async function bare(dir: string): Promise<Partial<ReportRun>> {
  const { header, rows, data, totals } = JSON.parse(readFileSync(join(dir, 'rows.json'), 'utf8')) as { header: string[]; rows: string[][]; data: Record<string, unknown>; totals: Record<string, unknown> };
  // The very same table objects (cells, header rows, widths) in a bare document: no title block,
  // signatures, page header or footer, and no roll-up. Building them is not timed.
  const model = loadForms().get('laporan-provinsi')!;
  const { repeat } = reportRows(model);
  const rebuilt: BuiltReport = { model, params: {}, data, savedId: null, table: { repeat, rowKey: 'kelompok_id', rows: (data[repeat.key] as Record<string, unknown>[]) ?? [], totals, received: [] } };
  const tables = (reportDocument(rebuilt).content as Content[]).filter((c) => typeof c === 'object' && c !== null && 'table' in c);
  let t = performance.now();
  await renderPdf({ pageOrientation: 'landscape', pageMargins: [28, 40, 28, 36], content: tables, defaultStyle: { fontSize: 8 } });
  const bareMs = performance.now() - t;
  // For context: one plain table with the same rows and a single header row.
  t = performance.now();
  await renderPdf({
    pageOrientation: 'landscape',
    content: [{ table: { headerRows: 1, widths: header.map(() => '*'), body: [header, ...rows] } }],
    defaultStyle: { fontSize: 8 },
  });
  return { bareMs, plainMs: performance.now() - t };
}

const steps = { seed, report, bare } as const;

function step(name: keyof typeof steps, dir: string, n: number): Partial<ReportRun> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--step', name, dir, String(n)], { maxBuffer: 1 << 20 }).toString();
  return JSON.parse(out.trim().split('\n').at(-1) || '{}') as Partial<ReportRun>;
}

export function benchReport(n: number): ReportRun {
  const dir = mkdtempSync(join(tmpdir(), 'lembar-bench-report-'));
  try {
    step('seed', dir, n);
    // Two alternating runs each, best of two: this machine's timing noise is larger than the
    // difference being measured. Peak memory is the larger of the report's two runs.
    const reports = [step('report', dir, n), step('bare', dir, n), step('report', dir, n), step('bare', dir, n)];
    const [r1, b1, r2, b2] = reports as [Partial<ReportRun>, Partial<ReportRun>, Partial<ReportRun>, Partial<ReportRun>];
    const best = (r1.pdfMs! + r1.rollupMs!) <= (r2.pdfMs! + r2.rollupMs!) ? r1 : r2;
    return { groups: n, ...best, maxRssMb: Math.max(r1.maxRssMb!, r2.maxRssMb!), bareMs: Math.min(b1.bareMs!, b2.bareMs!), plainMs: Math.min(b1.plainMs!, b2.plainMs!) } as ReportRun;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--step')) {
  const [name, dir, n] = process.argv.slice(process.argv.indexOf('--step') + 1) as [keyof typeof steps, string, string];
  console.log(JSON.stringify((await steps[name](dir, Number(n))) ?? {}));
}
