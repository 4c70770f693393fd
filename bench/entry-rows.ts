/**
 * A 200-member K/0 stays responsive (issue 18): in one Chromium run with the CPU throttled (CDP
 * Emulation.setCPUThrottlingRate, a cheap phone), the cost of adding a member row and re-checking
 * the whole form with the page's own validator (window.LembarValidasi.check, as Simpan does) at
 * row 1 and at row 200, as a ratio. Each is the median of several tries; the rows are filled so
 * the check has real values to read.
 */
import { signedIn, startServerAndBrowser, stopServerAndBrowser } from '../test/support/browser.js';

const THROTTLE = 4;
const TRIES = 7;

/** In the page: grow the list to `rows` filled rows, then time (add one row + re-check) `tries` times, removing it each time; the median. */
const IN_PAGE = `function (rows, tries) {
  var form = document.querySelector('form.formulir');
  // The list's own children (live): a selector over the whole form per call would be the benchmark's own O(n).
  var shown = form.querySelector('[data-repeat="anggota"] > .baris-daftar').children;
  var list = function () { return shown; };
  var add = form.querySelector('[data-add="anggota"]');
  // Within the row only: a query over the whole form per field would be the benchmark's own cost.
  var fill = function (i) {
    var row = list()[i];
    var set = function (name, v) { row.querySelectorAll('[name="anggota.' + i + '.' + name + '"]').forEach(function (el) { if (el.type === 'radio') el.checked = el.value === v; else el.value = v; }); };
    set('nama', 'Anggota ' + (i + 1)); set('usia', '30'); set('status', 'non_pus');
    ['mkjp_lestari', 'mkjp_mandiri', 'non_mkjp'].forEach(function (k) { set(k, 'tidak'); });
  };
  while (list().length < rows - 1) { add.click(); fill(list().length - 1); }
  for (var i = 0; i < list().length; i++) fill(i);
  var total = [], adding = [], checking = [];
  for (var t = 0; t < tries; t++) {
    var t0 = performance.now();
    add.click();
    fill(list().length - 1);
    var t1 = performance.now();
    window.LembarValidasi.check(form);
    var t2 = performance.now();
    total.push(t2 - t0); adding.push(t1 - t0); checking.push(t2 - t1);
    list()[list().length - 1].querySelector('[data-remove]').click();
  }
  var median = function (xs) { xs.sort(function (a, b) { return a - b; }); return xs[Math.floor(xs.length / 2)]; };
  return { total: median(total), add: median(adding), check: median(checking) };
}`;

export async function benchEntryRows(): Promise<{ row1Ms: number; row200Ms: number; ratio: number; parts: Record<'row1' | 'row200', { add: number; check: number }> }> {
  const running = await startServerAndBrowser();
  try {
    const context = await signedIn(running.srv, running.browser.newContext({ viewport: { width: 360, height: 740 } }), 'kader');
    const page = await context.newPage();
    await page.goto(running.srv.url('/forms/k0-uppka'));
    await page.waitForFunction(() => !!(window as any).LembarValidasi);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    /** Grow the list to `rows` filled rows, then time (add one row + re-check) TRIES times, removing it each time. */
    // Sent as source text: tsx's transform would wrap the inner functions in a helper the page lacks.
    const measure = (rows: number) => page.evaluate(`(${IN_PAGE})(${rows}, ${TRIES})`) as Promise<{ total: number; add: number; check: number }>;
    // Row 1: the list holds none yet besides the one being added (the form starts with one row, kept).
    const row1 = await measure(1);
    const row200 = await measure(200);
    await context.close();
    return { row1Ms: row1.total, row200Ms: row200.total, ratio: row200.total / row1.total, parts: { row1, row200 } };
  } finally {
    await stopServerAndBrowser(running);
  }
}
