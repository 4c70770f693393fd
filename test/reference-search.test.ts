/**
 * A reference field whose targets are too many for one list (the country's ~100,000 group cards):
 * the R/1 page and the district report page search groups by name instead of listing them all.
 * Real server, real SQLite, over HTTP; Enter in the search box in Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ARTIFACTS, launchChromium, signedIn } from './support/browser.js';
import { startServer } from './support/server.js';
import { bigK0 } from './support/submissions.js';
import { REFERENCE_LIST_ALL } from '../server/page-data.js';

let srv: Awaited<ReturnType<typeof startServer>>;
const ids = new Map<string, string>();
beforeAll(async () => {
  srv = await startServer();
  const names = [...Array.from({ length: REFERENCE_LIST_ALL }, (_, i) => `UPPKA Cari ${String(i).padStart(3, '0')}`), 'UPPKA 100% Mandiri'];
  for (const name of names) {
    const id = randomUUID();
    const res = await srv.fetch(srv.url('/api/forms/k0-uppka/submissions'), { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': id }, body: JSON.stringify(bigK0(1, name)) });
    expect(res.status).toBe(201);
    ids.set(name, id);
  }
}, 120_000);
afterAll(async () => srv?.close());

/** The options of the R/1 group picker, and the hint beside its search box. */
function picker(html: string) {
  const select = /<select id="f-identitas-kelompok_id"[^>]*>([\s\S]*?)<\/select>/.exec(html)![1]!;
  const options = [...select.matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)].slice(1).map((m) => ({ id: m[1]!, selected: !!m[2], label: m[3]! }));
  return { options, hint: /id="f-identitas-kelompok_id-cari-hasil">([^<]*)</.exec(html)?.[1] };
}

const search = async (term: string, extra: Record<string, string> = {}) => {
  const body = new URLSearchParams({ _id: randomUUID(), _aksi: 'wilayah', '_cari.identitas.kelompok_id': term, ...extra });
  const res = await srv.fetch(srv.url('/forms/r1-uppka'), { method: 'POST', body });
  expect(res.status).toBe(200);
  return picker(await res.text());
};

describe('choosing a group among more than a list can hold', () => {
  it('shows a search box instead of every group', async () => {
    const page = picker(await (await srv.fetch(srv.url('/forms/r1-uppka'))).text());
    expect(page.options).toEqual([]);
    const total = (await (await srv.fetch(srv.url('/api/forms/k0-uppka/submissions'))).json()).total as number;
    expect(total).toBeGreaterThan(REFERENCE_LIST_ALL);
    expect(page.hint).toBe(`Ada ${total.toLocaleString('id-ID')} pilihan. Ketik sebagian nama, lalu tekan Cari.`);
  });

  it('lists what the search finds, keeps the chosen group, and takes % literally', async () => {
    const found = await search('cari 01');
    expect(found.options.map((o) => o.label)).toEqual(Array.from({ length: 10 }, (_, i) => `UPPKA Cari 01${i}`));
    expect(found.hint).toBe('Ditemukan 10 yang cocok dengan “cari 01”.');

    const chosen = ids.get('UPPKA Cari 150')!;
    const kept = await search('Cari 01', { 'identitas.kelompok_id': chosen });
    expect(kept.options[0]).toEqual({ id: chosen, selected: true, label: 'UPPKA Cari 150' });
    expect(kept.options).toHaveLength(11);

    expect((await search('100%')).options.map((o) => o.label)).toEqual(['UPPKA 100% Mandiri']);
    const many = await search('Cari');
    expect(many.options).toHaveLength(50);
    expect(many.hint).toContain('Lebih dari 50 cocok dengan “Cari”');
    // Typed text is data: escaped on the page, a parameter in SQL.
    const odd = await srv.fetch(srv.url('/forms/r1-uppka'), { method: 'POST', body: new URLSearchParams({ _aksi: 'wilayah', '_cari.identitas.kelompok_id': `<b>x</b>' or 1=1 --` }) });
    expect(odd.status).toBe(200);
    const oddHtml = await odd.text();
    expect(oddHtml).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(oddHtml).not.toContain('<b>x</b>');
    expect(picker(oddHtml).options).toEqual([]);
    const none = await search('Tidak Ada Kelompok Begini');
    expect(none.options).toEqual([]);
    expect(none.hint).toBe('Tidak ada yang cocok dengan “Tidak Ada Kelompok Begini”.');
  });

  it('searches on the district report page too', async () => {
    const html = await (await srv.fetchAs('kabupaten', srv.url(`/reports/laporan-kabupaten?cari=${encodeURIComponent('Cari 15')}`))).text();
    expect(html).toContain('Ditemukan 10 yang cocok dengan “Cari 15”.');
    expect(html).toContain('>UPPKA Cari 159</option>');
    expect(html).not.toContain('>UPPKA Cari 160</option>');
    const chosen = ids.get('UPPKA Cari 155')!;
    const report = await (await srv.fetchAs('kabupaten', srv.url(`/reports/laporan-kabupaten?kelompok=${chosen}&tahun=2026&bulan=10`))).text();
    expect(report).toContain(`<option value="${chosen}" selected>UPPKA Cari 155</option>`);
    expect(report).toContain('C. Jenis Kegiatan');
  });

  it('searches with Enter in the box, in the browser', async () => {
    const browser = await launchChromium();
    try {
      const page = await (await signedIn(srv, browser.newContext())).newPage();
      await page.goto(srv.url('/forms/r1-uppka'));
      await page.getByLabel('Cari Kelompok UPPKA').fill('Cari 19');
      await page.getByLabel('Cari Kelompok UPPKA').press('Enter');
      await page.getByText('Ditemukan 10 yang cocok').waitFor();
      await page.setViewportSize({ width: 360, height: 740 });
      await page.locator('#f-identitas-kelompok_id-cari').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'r1-group-search-360x740.png') });
      await page.getByLabel('Kelompok UPPKA', { exact: false }).last().selectOption({ label: 'UPPKA Cari 193' });
      expect(await page.locator('#f-identitas-kelompok_id').inputValue()).toBe(ids.get('UPPKA Cari 193'));
    } finally {
      await browser.close();
    }
  });
});
