/**
 * A 200-member K/0 stays responsive (issue 18): in one Chromium run with the CPU throttled (CDP
 * Emulation.setCPUThrottlingRate, a cheap phone), the cost of adding a member row and re-checking
 * the whole form with the page's own validator (window.LembarValidasi.check, as Simpan does) at
 * row 1 and at row 200, as a ratio. Each try starts on a drawn page (as a tap does: the earlier
 * try's removed row is laid out before, not inside, the next try), and each cost is the median
 * of its tries. The rows are filled so the check has real values to read.
 */
import type { Page } from 'playwright-core';
import { signedIn, startServerAndBrowser, stopServerAndBrowser } from '../test/support/browser.js';

const THROTTLE = 4;
const TRIES = 15;

// Sent as source text: tsx's transform would wrap the inner functions in a helper the page lacks.
/** In the page: the list's rows (its own children, live: a selector over the whole form per call would be the benchmark's own O(n)) and one row filled, within the row only. */
const HELPERS = `
  var form = document.querySelector('form.formulir');
  var shown = form.querySelector('[data-repeat="anggota"] > .baris-daftar').children;
  var add = form.querySelector('[data-add="anggota"]');
  var fill = function (i) {
    var row = shown[i];
    var set = function (name, v) { row.querySelectorAll('[name="anggota.' + i + '.' + name + '"]').forEach(function (el) { if (el.type === 'radio') el.checked = el.value === v; else el.value = v; }); };
    set('nama', 'Anggota ' + (i + 1)); set('usia', '30'); set('status', 'non_pus');
    ['mkjp_lestari', 'mkjp_mandiri', 'non_mkjp'].forEach(function (k) { set(k, 'tidak'); });
  };`;

/** Grow the list to `rows - 1` filled rows (the try adds the `rows`th). The form starts with one row, kept. */
const GROW = (rows: number) => `(function () {${HELPERS}
  while (shown.length < ${rows} - 1) { add.click(); fill(shown.length - 1); }
  for (var i = 0; i < shown.length; i++) fill(i);
  return shown.length;
})()`;

/** One try: add a row and fill it, then check the whole form; the row is removed again afterwards (not timed). */
const TRY = `(function () {${HELPERS}
  var t0 = performance.now();
  add.click();
  fill(shown.length - 1);
  var t1 = performance.now();
  window.LembarValidasi.check(form);
  var t2 = performance.now();
  shown[shown.length - 1].querySelector('[data-remove]').click();
  return { add: t1 - t0, check: t2 - t1 };
})()`;

type Cost = { total: number; add: number; check: number };

export async function benchEntryRows(): Promise<{ row1Ms: number; row200Ms: number; ratio: number; parts: Record<'row1' | 'row200', { add: number; check: number }> }> {
  const running = await startServerAndBrowser();
  try {
    const context = await signedIn(running.srv, running.browser.newContext({ viewport: { width: 360, height: 740 } }), 'kader');
    const open = async (rows: number): Promise<Page> => {
      const page = await context.newPage();
      await page.goto(running.srv.url('/forms/k0-uppka'));
      await page.waitForFunction(() => !!(window as any).LembarValidasi);
      await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
      await page.evaluate(GROW(rows));
      return page;
    };
    // Row 1 first, then the same page grown to 200: one page, one renderer, as on a phone.
    const page = await open(1);
    const tries: Record<'row1' | 'row200', { add: number; check: number }[]> = { row1: [], row200: [] };
    for (const key of ['row1', 'row200'] as const) {
      if (key === 'row200') await page.evaluate(GROW(200));
      for (let t = 0; t < TRIES; t++) {
        // Untimed: the page drawn (two frames), as it is when a finger taps "Tambah".
        await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
        tries[key].push(await page.evaluate(TRY) as { add: number; check: number });
      }
    }
    await context.close();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const cost = (xs: { add: number; check: number }[]): Cost => ({ total: median(xs.map((x) => x.add + x.check)), add: median(xs.map((x) => x.add)), check: median(xs.map((x) => x.check)) });
    const row1 = cost(tries.row1);
    const row200 = cost(tries.row200);
    return { row1Ms: row1.total, row200Ms: row200.total, ratio: row200.total / row1.total, parts: { row1, row200 } };
  } finally {
    await stopServerAndBrowser(running);
  }
}
