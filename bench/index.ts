/**
 * `npm run bench`: every benchmark, each measured against its raw baseline in the same run.
 * Not part of `npm test`: timings vary with the machine; ratios are what to compare.
 */
import { benchStorage } from './storage.js';
import { benchReport } from './report.js';
import { benchServer } from './server.js';
import { benchEntryRows } from './entry-rows.js';
import { benchExport, printExport } from './export.js';
import { benchRollup } from './rollup.js';

const only = process.argv[2];

if (!only || only === 'storage') {
  const storage = await benchStorage();
  console.log('## Storage (K/0 with 10 members, one transaction per submission, synchronous=FULL)');
  console.log(`  through the storage layer: ${storage.storage.toFixed(0)} submissions/s`);
  console.log(`  raw better-sqlite3 loop:   ${storage.raw.toFixed(0)} submissions/s`);
  console.log(`  ratio: ${storage.ratio.toFixed(2)} (aim ≥ 0.80)`);
}

if (!only || only === 'report') {
  console.log('## Province report PDF (groups of 10 members, one province)');
  const small = benchReport(1_000);
  const large = benchReport(10_000);
  for (const r of [small, large]) {
    console.log(`  ${r.groups} groups: roll-up ${r.rollupMs.toFixed(0)} ms, report PDF ${r.pdfMs.toFixed(0)} ms (${r.pages} pages), bare pdfmake with the same tables ${r.bareMs.toFixed(0)} ms, peak memory ${r.maxRssMb} MB`);
    console.log(`    ratio report (roll-up + PDF) / bare pdfmake: ${((r.pdfMs + r.rollupMs) / r.bareMs).toFixed(2)} (aim ≤ 1.25); PDF alone: ${(r.pdfMs / r.bareMs).toFixed(2)}; one plain single-header table of the same rows: ${r.plainMs.toFixed(0)} ms`);
  }
  console.log(`  growth 1,000 → 10,000 groups: ${((large.pdfMs + large.rollupMs) / (small.pdfMs + small.rollupMs)).toFixed(1)}× (aim ≤ 11×); peak memory at 10,000: ${large.maxRssMb} MB (aim < 1024)`);
}

if (!only || only === 'server') await benchServer();

if (!only || only === 'entry-rows') {
  const r = await benchEntryRows();
  console.log('## K/0 entry page in Chromium, CPU throttled 4× (add a member row and re-check the whole form)');
  console.log(`  at row 1: ${r.row1Ms.toFixed(1)} ms (add ${r.parts.row1.add.toFixed(1)}, check ${r.parts.row1.check.toFixed(1)}); at row 200: ${r.row200Ms.toFixed(1)} ms (add ${r.parts.row200.add.toFixed(1)}, check ${r.parts.row200.check.toFixed(1)})`);
  console.log(`  ratio row 200 / row 1: ${r.ratio.toFixed(2)} (aim ≤ 5)`);
}

if (!only || only === 'rollup') await benchRollup();

if (!only || only === 'export') printExport(await benchExport());
