/**
 * Generated entry pages in a real headless Chromium, by their visible labels, with and without
 * JavaScript: fill, submit, find the data stored; submit bad values and find the Indonesian
 * messages at the right fields with the typed values kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ARTIFACTS, signedIn, startServerAndBrowser, stopServerAndBrowser } from './support/browser.js';
import { startServer } from './support/server.js';

let srv: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
beforeAll(async () => ({ srv, browser } = await startServerAndBrowser()), 60_000);
afterAll(() => stopServerAndBrowser({ srv, browser }));

interface MemberInput { nama: string; usia: string; status: 'PUS' | 'Non-PUS'; kb?: 'MKJP Lestari' | 'MKJP Mandiri' | 'Non-MKJP'; metode?: string }

const row = (page: Page, label: string, n: number) => page.getByRole('group', { name: `${label} no. ${n}`, exact: true });

async function chooseRadio(scope: ReturnType<Page['locator']> | Page, group: RegExp, option: string) {
  await scope.getByRole('group', { name: group }).getByLabel(option, { exact: true }).check();
}

async function fillK0Identity(page: Page, name: string) {
  await page.getByLabel('Nama Kampung KB').fill('Kampung KB Melati');
  await page.getByLabel('Nama Kelompok').fill(name);
  await page.getByLabel('Tahun Terbentuk').fill('2018');
  await page.getByLabel('Jalan').fill('Jl. Kenanga “Gang 2”');
  await page.getByLabel('Provinsi').selectOption({ label: 'Jawa Tengah' });
  if (!(await page.evaluate(() => document.documentElement.classList.contains('js')))) await page.getByRole('button', { name: 'Perbarui pilihan wilayah' }).click();
  await page.getByLabel('Kabupaten/Kota').selectOption({ label: 'Kota Semarang' });
  if (!(await page.evaluate(() => document.documentElement.classList.contains('js')))) await page.getByRole('button', { name: 'Perbarui pilihan wilayah' }).click();
  await page.getByLabel('Kecamatan').selectOption({ label: 'Semarang Tengah' });
  if (!(await page.evaluate(() => document.documentElement.classList.contains('js')))) await page.getByRole('button', { name: 'Perbarui pilihan wilayah' }).click();
  await page.getByLabel('Desa/Kelurahan').selectOption({ label: 'Pekunden' });
  await chooseRadio(page, /^Jenis Usaha/, 'Kuliner');
  await page.getByLabel('Modal Saat Ini (Rp)').fill('1.500.000');
}

async function fillMember(page: Page, n: number, m: MemberInput) {
  const r = row(page, 'Anggota', n);
  await r.getByLabel('Nama', { exact: false }).first().fill(m.nama);
  await r.getByLabel('Usia').fill(m.usia);
  await chooseRadio(r, /Status/, m.status);
  for (const kb of ['MKJP Lestari', 'MKJP Mandiri', 'Non-MKJP'] as const) await chooseRadio(r, new RegExp(`^\\(\\d\\) ${kb}`), kb === m.kb ? 'Ya' : 'Tidak');
  if (m.metode) await r.getByLabel('Jenis Kontrasepsi').selectOption({ label: m.metode });
}

async function addMemberRow(page: Page, js: boolean) {
  if (js) await page.getByRole('button', { name: '+ Tambah Anggota' }).click();
  else await page.getByRole('button', { name: 'Tambah baris kosong: Anggota' }).click();
}

const members: MemberInput[] = [
  { nama: 'Sri Wahyuni', usia: '34', status: 'PUS', kb: 'MKJP Lestari', metode: 'AKDR/IUD' },
  { nama: 'Dewi Lestari', usia: '29', status: 'PUS', kb: 'Non-MKJP', metode: 'Suntik' },
  { nama: 'Ngatinem', usia: '56', status: 'Non-PUS' },
];

async function storedAfterReceipt(page: Page) {
  await expect(page.getByRole('heading', { name: 'Tersimpan' })).toBeDefined();
  const id = (await page.locator('.rujukan').textContent())!.trim();
  return (await (await srv.fetch(srv.url(`/api/submissions/${id}`))).json()) as { data: any };
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('K/0 and R/1 %s', (_name, js) => {
  it('fills K/0 with 3 members by label, submits, and the data is stored', async () => {
    const context = await signedIn(srv, browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 } }));
    const page = await context.newPage();
    await page.goto(srv.url('/forms/k0-uppka'));
    const name = `UPPKA Peramban ${js ? 'JS' : 'HTML'}`;
    await fillK0Identity(page, name);
    await fillMember(page, 1, members[0]!);
    for (let n = 2; n <= 3; n++) {
      await addMemberRow(page, js);
      await fillMember(page, n, members[n - 1]!);
    }
    if (js) expect(await page.getByLabel('Jumlah Anggota Kelompok').inputValue()).toBe('3');
    await page.screenshot({ path: join(ARTIFACTS, `k0-${js ? 'js' : 'nojs'}-360x740.png`) });
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.waitForURL(/\/submissions\/.*baru=1/);
    const stored = await storedAfterReceipt(page);
    expect(stored.data.identitas_kelompok).toMatchObject({ nama_kelompok: name, jalan: 'Jl. Kenanga “Gang 2”', provinsi: '33', kabupaten_kota: '33.74', kecamatan: '33.74.01', desa_kelurahan: '33.74.01.1001', jumlah_anggota: 3, jenis_usaha: 'kuliner', modal_saat_ini: 1500000 });
    expect(stored.data.anggota).toEqual([
      { nama: 'Sri Wahyuni', usia: 34, status: 'pus', mkjp_lestari: true, mkjp_mandiri: false, non_mkjp: false, jenis_kontrasepsi: 'iud' },
      { nama: 'Dewi Lestari', usia: 29, status: 'pus', mkjp_lestari: false, mkjp_mandiri: false, non_mkjp: true, jenis_kontrasepsi: 'suntik' },
      { nama: 'Ngatinem', usia: 56, status: 'non_pus', mkjp_lestari: false, mkjp_mandiri: false, non_mkjp: false },
    ]);
    await context.close();
  });

  it('shows Indonesian messages at the right fields and keeps every typed value', async () => {
    const context = await signedIn(srv, browser.newContext({ javaScriptEnabled: js }));
    const page = await context.newPage();
    await page.goto(srv.url('/forms/k0-uppka'));
    await fillK0Identity(page, 'UPPKA Salah Isi');
    await page.getByLabel('Tahun Terbentuk').fill('2099');
    await page.getByLabel('Telepon').fill('0812-ABC');
    await fillMember(page, 1, { nama: 'Sri Wahyuni', usia: '-3', status: 'PUS', kb: 'MKJP Lestari', metode: 'Pil' });
    await row(page, 'Anggota', 1).getByLabel('NIK').fill('3374');
    const requests: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST') requests.push(r.url()); });
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    const summary = page.getByRole('alert');
    await summary.waitFor();
    const text = await summary.textContent();
    expect(text).toContain('Tahun Terbentuk: Tahun terbentuk tidak boleh melewati tahun ini.');
    // The definition's own sentence (errorMessage), in the browser as on the server.
    expect(text).toContain('Telepon: Nomor telepon hanya boleh berisi angka, spasi, + atau - (6–20 karakter).');
    expect(text).toContain('Anggota no. 1 — NIK: NIK harus 16 digit angka.');
    expect(text).toContain('Anggota no. 1 — Usia: Tidak boleh kurang dari 0.');
    expect(text).toContain('Anggota no. 1 — Jenis Kontrasepsi: Akseptor MKJP harus memakai AKDR/IUD, implan, MOW atau MOP.');
    const usia = row(page, 'Anggota', 1).getByLabel('Usia');
    expect(await usia.inputValue()).toBe('-3');
    expect(await usia.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await usia.getAttribute('aria-describedby'))!.split(' ')[0]!;
    expect(await page.locator(`#${describedBy}`).textContent()).toBe('Tidak boleh kurang dari 0.');
    expect(await page.getByLabel('Nama Kelompok').inputValue()).toBe('UPPKA Salah Isi');
    expect(await page.getByLabel('Jalan').inputValue()).toBe('Jl. Kenanga “Gang 2”');
    expect(await row(page, 'Anggota', 1).getByLabel('Jenis Kontrasepsi').inputValue()).toBe('pil');
    // With JavaScript the same rules ran in the browser: nothing was sent.
    expect(requests.length).toBe(js ? 0 : 1);
    await summary.getByRole('link', { name: /Usia/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-anggota-0-usia');
    await context.close();
  });

  it('fills R/1 with 2 meetings by label, submits, and the data is stored', async () => {
    const context = await signedIn(srv, browser.newContext({ javaScriptEnabled: js }));
    const page = await context.newPage();
    await page.goto(srv.url('/forms/r1-uppka'));
    await page.getByLabel('Kelompok UPPKA').selectOption({ label: 'UPPKA Sejahtera' });
    await page.getByLabel(/^Bulan/).selectOption({ label: 'November' });
    await page.getByLabel(/^Tahun/).fill('2026');
    // The member count is the group's K/0's (x-copy-from): shown read-only, filled by the server.
    expect(await page.getByLabel('Jumlah Anggota Bulan Ini').getAttribute('readonly')).not.toBeNull();
    const meetings = [['2026-11-05', 'Pemasaran daring', '7'], ['2026-11-19', 'Gizi keluarga', '6']] as const;
    for (const [i, [tanggal, materi, hadir]] of meetings.entries()) {
      if (i > 0) {
        if (js) await page.getByRole('button', { name: '+ Tambah Pertemuan' }).click();
        else await page.getByRole('button', { name: 'Tambah baris kosong: Pertemuan' }).click();
      }
      const r = row(page, 'Pertemuan', i + 1);
      await r.getByLabel('Tanggal').fill(tanggal);
      await r.getByLabel('Materi/Topik').fill(materi);
      await r.getByLabel('Jumlah Hadir').fill(hadir);
    }
    for (const [group, answer] of [[/Sosialisasi kebijakan/, 'Ya'], [/Orientasi Pemberdayaan/, 'Tidak'], [/Pengembangan Model/, 'Ya'], [/Monitoring dan Evaluasi/, 'Tidak']] as const) {
      await chooseRadio(page, group, answer);
    }
    await page.getByLabel('Modal (Rp)').fill('2500000');
    await page.getByLabel('Omzet Bulan Ini (Rp)').fill('1.750.000');
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.waitForURL(/\/submissions\/.*baru=1/);
    const stored = await storedAfterReceipt(page);
    expect(stored.data.identitas).toMatchObject({ bulan: 11, tahun: 2026, jumlah_anggota: 8 });
    expect(stored.data.pertemuan).toEqual([
      { tanggal: '2026-11-05', materi: 'Pemasaran daring', jumlah_hadir: 7 },
      { tanggal: '2026-11-19', materi: 'Gizi keluarga', jumlah_hadir: 6 },
    ]);
    expect(stored.data.kegiatan_pro_pn).toEqual({ sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: true, monitoring_evaluasi: false });
    expect(stored.data.usaha).toEqual({ modal: 2500000, omzet: 1750000 });
    await context.close();
  });
});

describe('mobile page', () => {
  it('fits 360 px without sideways scrolling and stays small over the wire', async () => {
    const context = await signedIn(srv, browser.newContext({ viewport: { width: 360, height: 740 } }));
    const page = await context.newPage();
    const sizes: number[] = [];
    page.on('response', async (r) => {
      const len = Number((await r.allHeaders())['content-length'] ?? 0);
      if (len) sizes.push(len);
    });
    await page.goto(srv.url('/forms/k0-uppka'), { waitUntil: 'load' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Nothing marked hidden is drawn (the page's button style must not override the attribute).
    expect(await page.locator('[hidden]').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length)).toBe(0);
    const transferred = await page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).concat(performance.getEntriesByType('navigation') as PerformanceResourceTiming[]).reduce((s, e) => s + e.transferSize, 0));
    expect(transferred).toBeLessThan(100 * 1024);
    await page.screenshot({ path: join(ARTIFACTS, 'k0-360x740.png') });
    await context.close();
  });

  it('moves to the next field on Enter instead of posting the form', async () => {
    const context = await signedIn(srv, browser.newContext({ viewport: { width: 360, height: 740 } }));
    const page = await context.newPage();
    const posts: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
    await page.goto(srv.url('/forms/k0-uppka'));
    const focused = () => page.evaluate(() => document.activeElement?.id);
    await page.getByLabel('Nama Kelompok').fill('UPPKA Enter');
    await page.getByLabel('Nama Kelompok').press('Enter');
    expect(await focused()).toBe('f-identitas_kelompok-tahun_terbentuk');
    expect(await page.getByLabel('Tahun Terbentuk').getAttribute('enterkeyhint')).toBe('next');
    // A choice moves on past the other options of its group.
    await page.getByRole('group', { name: /^Jenis Usaha/ }).getByLabel('Kuliner', { exact: true }).press('Enter');
    const after = await page.evaluate(() => { const a = document.activeElement as HTMLInputElement; return { name: a.name, visible: !!a.offsetParent }; });
    expect(after.name).toMatch(/^identitas_kelompok\./);
    expect(after.name).not.toBe('identitas_kelompok.jenis_usaha');
    // "Lainnya" text is hidden unless Lainnya is chosen: focus skips it.
    expect(after.name).not.toBe('identitas_kelompok.jenis_usaha_lainnya');
    expect(after.visible).toBe(true);
    await page.waitForTimeout(300);
    expect(posts).toEqual([]);
    expect(await page.getByLabel('Nama Kelompok').inputValue()).toBe('UPPKA Enter');
    await context.close();
  });

  it('without JavaScript, Enter refreshes the page with every value and adds no row', async () => {
    const context = await signedIn(srv, browser.newContext({ javaScriptEnabled: false }));
    const page = await context.newPage();
    await page.goto(srv.url('/forms/k0-uppka'));
    const id = await page.locator('input[name="_id"]').inputValue();
    await page.getByLabel('Nama Kelompok').fill('UPPKA Tanpa JS Enter');
    await page.getByLabel('Provinsi').selectOption({ label: 'Jawa Tengah' });
    const posted = page.waitForRequest((r) => r.method() === 'POST');
    await page.getByLabel('Nama Kelompok').press('Enter');
    expect((await posted).postData()).toContain('_aksi=wilayah');
    await page.waitForLoadState('load');
    expect(await page.getByLabel('Nama Kelompok').inputValue()).toBe('UPPKA Tanpa JS Enter');
    expect(await page.locator('[data-repeat="anggota"] .baris-daftar > .baris').count()).toBe(1);
    // The districts of the chosen province are offered now, as with "Perbarui pilihan wilayah".
    expect(await page.getByLabel('Kabupaten/Kota').locator('option', { hasText: 'Kota Semarang' }).count()).toBe(1);
    expect(await page.locator('input[name="_id"]').inputValue()).toBe(id);
    expect((await srv.fetch(srv.url(`/api/submissions/${id}`))).status).toBe(404);
    await context.close();
  });

  it('handles 200 member rows: numbering, derived count, removal', async () => {
    const context = await signedIn(srv, browser.newContext());
    const page = await context.newPage();
    await page.goto(srv.url('/forms/k0-uppka'));
    // Real clicks on the real button, dispatched in the page: Playwright's role queries over a
    // 3,000-input page would dominate the run time (the page itself adds a row in milliseconds).
    await page.evaluate(() => { const add = document.querySelector<HTMLButtonElement>('[data-add="anggota"]')!; for (let i = 1; i < 200; i++) add.click(); });
    const jumlah = page.locator('#f-identitas_kelompok-jumlah_anggota');
    expect(await jumlah.inputValue()).toBe('200');
    await page.locator('#f-anggota-199-nama').fill('Anggota terakhir');
    await page.locator('[data-row="199"] [data-remove]').click();
    expect(await page.locator('[data-row="198"] [data-row-number]').textContent()).toBe('Anggota no. 199');
    expect(await jumlah.inputValue()).toBe('199');
    await context.close();
  });
});

/** A fresh phone (browser context) on the K/0 form with a group name typed: a draft is kept. */
async function phoneWithDraft(name: string) {
  const context = await signedIn(srv, browser.newContext());
  const page = await context.newPage();
  await page.goto(srv.url('/forms/k0-uppka'));
  await page.getByLabel('Nama Kelompok').fill(name);
  return { context, page };
}

/** The form opened without offering a draft, and starts empty. */
async function expectNoDraftOffered(page: Page) {
  await page.waitForLoadState('load');
  expect(await page.getByText('belum terkirim').count()).toBe(0);
  expect(await page.getByLabel('Nama Kelompok').inputValue()).toBe('');
}

/** A phone (360 px wide) on the K/0 form with the group's identity and its first member filled. */
async function phoneWithFilledK0(name: string) {
  const context = await signedIn(srv, browser.newContext({ viewport: { width: 360, height: 740 } }));
  const page = await context.newPage();
  await page.goto(srv.url('/forms/k0-uppka'));
  await fillK0Identity(page, name);
  await fillMember(page, 1, members[0]!);
  return { context, page };
}

/** How many stored K/0 cards carry this group name. */
async function storedCount(name: string) {
  const all = (await (await srv.fetch(srv.url('/api/forms/k0-uppka/submissions?per_page=200'))).json()) as { items: { data: any }[] };
  return all.items.filter((it) => it.data.identitas_kelompok.nama_kelompok === name).length;
}

describe('drafts on a phone with a weak signal', () => {
  it('keeps a K/0 whose answer was lost, offers it back, and sending it again stores it once', async () => {
    const name = 'UPPKA Sinyal Lemah';
    const { context, page } = await phoneWithFilledK0(name);
    await addMemberRow(page, true);
    await fillMember(page, 2, members[1]!);
    const id = await page.locator('input[name="_id"]').inputValue();

    // The post reaches the server and is stored, but the answer never reaches the phone, and
    // the outbox cannot load either (a first visit, before the service worker keeps it): the
    // page stays with a notice; the draft is kept meanwhile.
    await page.route('**/luring/kotak.js', (route) => route.abort('internetdisconnected'));
    await page.route('**/forms/k0-uppka', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fetch();
      await route.abort('internetdisconnected');
    });
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'belum sampai ke server' }).waitFor();
    await expect.poll(async () => (await srv.fetch(srv.url(`/api/submissions/${id}`))).status).toBe(200);
    await page.unroute('**/forms/k0-uppka');
    await page.unroute('**/luring/kotak.js');

    // Later, on the same phone: the form offers the draft back, with rows, regions and the id.
    await page.goto(srv.url('/forms/k0-uppka'));
    const offer = page.getByRole('status').filter({ hasText: 'belum terkirim' });
    await offer.waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'k0-draft-offer-360x740.png') });
    await offer.getByRole('button', { name: 'Pulihkan isian' }).click();
    expect(await offer.count()).toBe(0);
    expect(await page.getByLabel('Nama Kelompok').inputValue()).toBe(name);
    expect(await page.getByLabel('Jalan').inputValue()).toBe('Jl. Kenanga “Gang 2”');
    expect(await page.getByLabel('Jumlah Anggota Kelompok').inputValue()).toBe('2');
    expect(await row(page, 'Anggota', 2).getByLabel('Nama', { exact: false }).first().inputValue()).toBe('Dewi Lestari');
    expect(await row(page, 'Anggota', 2).getByLabel('Jenis Kontrasepsi').inputValue()).toBe('suntik');
    expect(await page.getByLabel('Desa/Kelurahan').evaluate((s: HTMLSelectElement) => s.options[s.selectedIndex]!.textContent)).toBe('Pekunden');
    expect(await page.getByRole('group', { name: /^Jenis Usaha/ }).getByLabel('Kuliner', { exact: true }).isChecked()).toBe(true);
    expect(await page.locator('input[name="_id"]').inputValue()).toBe(id);

    // Sent again: the server knows the id and content, shows the receipt, and keeps one copy.
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.waitForURL(/\/submissions\/.*baru=1/);
    expect((await page.locator('.rujukan').textContent())!.trim()).toBe(id);
    const stored = await storedAfterReceipt(page);
    expect(stored.data.identitas_kelompok).toMatchObject({ nama_kelompok: name, kabupaten_kota: '33.74', desa_kelurahan: '33.74.01.1001', jumlah_anggota: 2 });
    expect(await storedCount(name)).toBe(1);

    // The receipt closed the draft: a new form starts empty, without the offer.
    await page.goto(srv.url('/forms/k0-uppka'));
    await expectNoDraftOffered(page);
    await context.close();
  });

  it('keeps a draft when the form is opened and left untouched', async () => {
    const { context, page } = await phoneWithDraft('UPPKA Menunggu');
    await page.goto(srv.url('/'));
    await page.goto(srv.url('/forms/k0-uppka'));
    await page.getByText('belum terkirim').waitFor();
    await page.goto(srv.url('/'));
    await page.goto(srv.url('/forms/k0-uppka'));
    await page.getByRole('button', { name: 'Pulihkan isian' }).click();
    expect(await page.getByLabel('Nama Kelompok').inputValue()).toBe('UPPKA Menunggu');
    await context.close();
  });

  it('lets the cadre throw a draft away', async () => {
    const { context, page } = await phoneWithDraft('UPPKA Batal');
    await page.reload();
    const offer = page.getByRole('status').filter({ hasText: 'belum terkirim' });
    await offer.getByRole('button', { name: 'Buang' }).click();
    expect(await offer.count()).toBe(0);
    await page.reload();
    await expectNoDraftOffered(page);

    // A draft left for more than 30 days is not offered, and is removed.
    await page.getByLabel('Nama Kelompok').fill('UPPKA Lama');
    await page.goto(srv.url('/'));
    await page.evaluate(() => {
      const d = JSON.parse(localStorage.getItem('lembar:konsep:k0-uppka')!);
      d.waktu = new Date(Date.now() - 31 * 24 * 3600 * 1000).toISOString();
      localStorage.setItem('lembar:konsep:k0-uppka', JSON.stringify(d));
    });
    await page.goto(srv.url('/forms/k0-uppka'));
    await expectNoDraftOffered(page);
    expect(await page.evaluate(() => localStorage.getItem('lembar:konsep:k0-uppka'))).toBeNull();
    await context.close();
  });
});

describe('sending from a phone that loses its signal', () => {
  const queued = (page: Page) => page.getByRole('status').filter({ hasText: 'tersimpan di Kotak Keluar, akan dikirim otomatis' });

  /** A phone that opened the form before (the service worker keeps the page and the outbox), filling it again. */
  async function phoneUnderWorker(name: string) {
    const context = await signedIn(srv, browser.newContext({ viewport: { width: 360, height: 740 } }));
    const page = await context.newPage();
    await page.goto(srv.url('/forms/k0-uppka'));
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.goto(srv.url('/forms/k0-uppka'));
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await fillK0Identity(page, name);
    await fillMember(page, 1, members[0]!);
    return { context, page, id: await page.locator('input[name="_id"]').inputValue() };
  }

  it('with no signal, Simpan puts the form into the Kotak Keluar by itself, which sends it once the phone is back online', async () => {
    const name = 'UPPKA Tanpa Sinyal';
    const { context, page, id } = await phoneUnderWorker(name);
    const formUrl = page.url();

    await context.setOffline(true);
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    const done = queued(page);
    await done.waitFor();
    expect(await done.textContent()).toContain('Tidak ada sinyal: tersimpan di Kotak Keluar, akan dikirim otomatis');
    expect(await done.textContent()).toContain(`Nomor rujukan: ${id}`);
    await page.screenshot({ path: join(ARTIFACTS, 'k0-offline-notice-360x740.png') });
    // Done with, as after a receipt: the filled form is not left to be sent a second time.
    expect(page.url()).toBe(formUrl);
    expect(await page.locator('form.formulir').isHidden()).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('lembar:konsep:k0-uppka'))).toBeNull();
    const kept = (await page.evaluate(() => (window as any).LembarKotak.semua())) as { id: string; state: string }[];
    expect(kept.map((i) => [i.id, i.state])).toEqual([[id, 'menunggu']]);
    expect(await storedCount(name)).toBe(0);

    // Back online: sent without another press, once.
    await context.setOffline(false);
    await expect.poll(() => storedCount(name), { timeout: 20_000 }).toBe(1);
    const stored = (await (await srv.fetch(srv.url(`/api/submissions/${id}`))).json()) as { data: any };
    expect(stored.data.identitas_kelompok).toMatchObject({ nama_kelompok: name, jumlah_anggota: 1 });
    await done.getByRole('link', { name: 'Lihat Kotak Keluar' }).click();
    await page.waitForURL(/\/kotak-keluar$/);
    await expect.poll(() => page.locator(`[data-kiriman="${id}"] [data-keadaan]`).getAttribute('data-keadaan')).toBe('terkirim');
    expect(await storedCount(name)).toBe(1);
    await context.close();
  });

  it('when the link drops while sending (the phone still thinks it is online), the outbox keeps trying and sends it once', async () => {
    const name = 'UPPKA Sinyal Putus';
    const { context, page, id } = await phoneUnderWorker(name);
    // The page's post and the outbox's first tries find no link; then it comes back.
    let cut = 3;
    await context.route(/\/(api\/)?forms\/k0-uppka(\/submissions)?$/, (route) => (route.request().method() === 'POST' && cut-- > 0 ? route.abort('internetdisconnected') : route.continue()));
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    const done = queued(page);
    await done.waitFor();
    expect(await done.textContent()).toContain('Tidak ada sinyal: tersimpan di Kotak Keluar');
    await expect.poll(() => storedCount(name), { timeout: 30_000 }).toBe(1);
    expect(cut).toBeLessThan(0);
    expect((await (await srv.fetch(srv.url(`/api/submissions/${id}`))).json() as { data: any }).data.identitas_kelompok.nama_kelompok).toBe(name);
    await context.unrouteAll();
    await context.close();
  });

  it('when the post arrived but its answer was lost, the outbox sends the same submission again and it is stored once', async () => {
    const name = 'UPPKA Jawaban Hilang';
    const { context, page, id } = await phoneUnderWorker(name);
    await context.route(/\/forms\/k0-uppka$/, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fetch();
      await route.abort('internetdisconnected');
    });
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await queued(page).waitFor();
    expect(await storedCount(name)).toBe(1);
    await queued(page).getByRole('link', { name: 'Lihat Kotak Keluar' }).click();
    const sent = page.locator(`[data-kiriman="${id}"]`);
    await expect.poll(() => sent.locator('[data-keadaan]').getAttribute('data-keadaan'), { timeout: 20_000 }).toBe('terkirim');
    expect(await sent.textContent()).toContain('sudah ada di server sebelumnya');
    expect(await storedCount(name)).toBe(1);
    await context.unrouteAll();
    await context.close();
  });

  it('shows the server\'s messages when only the server can find the mistake', async () => {
    const context = await signedIn(srv, browser.newContext());
    const page = await context.newPage();
    // The page's own checks did not load (an old cached script, a dropped request): the server
    // still answers with its messages, shown as a page of their own.
    await page.route('**/validasi.js*', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
    await page.goto(srv.url('/forms/k0-uppka'));
    await fillK0Identity(page, 'UPPKA Cek Server');
    await page.getByLabel('Tahun Terbentuk').fill('2099');
    await fillMember(page, 1, members[2]!);
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'perlu diperbaiki' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Tahun Terbentuk: Tahun terbentuk tidak boleh melewati tahun ini.');
    expect(await page.getByLabel('Nama Kelompok').inputValue()).toBe('UPPKA Cek Server');
    expect(await storedCount('UPPKA Cek Server')).toBe(0);
    await context.close();
  });
});

describe('district report page with JavaScript', () => {
  it('saves the district\'s entries with an ordinary post, and Enter does not send it', async () => {
    const list = (await (await srv.fetch(srv.url('/api/forms/k0-uppka/submissions?kabupaten_kota=33.74'))).json()) as { items: { id: string }[] };
    const q = `kelompok=${list.items[0]!.id}&tahun=2026&bulan=9`;
    const context = await signedIn(srv, browser.newContext(), 'kabupaten');
    const page = await context.newPage();
    await page.goto(srv.url(`/reports/laporan-kabupaten?${q}`));
    const posts: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
    const groups = page.locator('#f-jenis_kegiatan fieldset.pilihan');
    for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).getByLabel('Tidak', { exact: true }).check();
    // "Kegiatan Lainnya" (with its x-show-when text) is the province's section now, read-only here.
    const kegiatan = page.getByRole('group', { name: /^Orientasi Pemberdayaan Ekonomi Keluarga Akseptor/ });
    await kegiatan.getByLabel('Ya', { exact: true }).check();
    await kegiatan.getByLabel('Ya', { exact: true }).press('Enter');
    expect(posts).toEqual([]);
    await page.getByRole('button', { name: 'Simpan isian laporan' }).click();
    await page.getByRole('status').filter({ hasText: 'Isian tersimpan (revisi 1).' }).waitFor();
    const stored = (await (await srv.fetchAs('kabupaten', srv.url(`/api/reports/laporan-kabupaten.json?${q}`))).json()) as { jenis_kegiatan: Record<string, unknown> };
    expect(stored.jenis_kegiatan.orientasi_pek).toBe(true);
    await context.close();
  });

  it('lets the province fill section 6, its free text shown only for "Ya", and shows it read-only to the district', async () => {
    // Another group than the test above, so neither depends on the other's saves.
    const list = (await (await srv.fetch(srv.url('/api/forms/k0-uppka/submissions?kabupaten_kota=33.74'))).json()) as { items: { id: string }[] };
    const kelompok = list.items[1]!.id;
    const q = `kelompok=${kelompok}&tahun=2026&bulan=9`;
    // Section C is the district's and comes first (the province's save is refused before it).
    const C = { materi_media_kie: true, sosialisasi_kie_pek: false, orientasi_pek: true, fasilitasi_pek: false, pengembangan_pek_stunting: false };
    const district = await srv.fetchAs('kabupaten', srv.url('/api/reports/laporan-kabupaten/entries'), {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ kelompok, tahun: 2026, bulan: 9, sections: { jenis_kegiatan: C } }),
    });
    expect(district.status, await district.clone().text()).toBe(201);

    const context = await signedIn(srv, browser.newContext(), 'provinsi');
    const page = await context.newPage();
    await page.goto(srv.url(`/reports/laporan-kabupaten?${q}`));
    const section = page.getByRole('group', { name: '6. Kegiatan Lainnya (Diisi oleh Perwakilan BKKBN Provinsi)', exact: true });
    const choose = (item: string, answer: 'Ya' | 'Tidak') => section.getByRole('group', { name: item, exact: true }).getByLabel(answer, { exact: true }).check();
    const keterangan = section.getByLabel('Kegiatan Lainnya', { exact: true });
    await choose('Identifikasi dan Inventarisasi Data', 'Ya');
    await choose('Menyusun Laporan Pelaksanaan Kegiatan', 'Tidak');
    await choose('Melakukan bimbingan teknis', 'Ya');
    // x-show-when: the text of "Pelaksanaan kegiatan Lainnya" appears only once that is "Ya".
    expect(await keterangan.isVisible()).toBe(false);
    await choose('Pelaksanaan kegiatan Lainnya', 'Tidak');
    expect(await keterangan.isVisible()).toBe(false);
    await choose('Pelaksanaan kegiatan Lainnya', 'Ya');
    await keterangan.waitFor({ state: 'visible' });
    await keterangan.fill('Pameran produk UPPKA');
    await page.getByRole('button', { name: 'Simpan isian laporan' }).click();
    await page.getByRole('status').filter({ hasText: 'Isian tersimpan (revisi 2).' }).waitFor();
    // The saved page shows the values again, the text still shown beside its "Ya".
    expect(await keterangan.inputValue()).toBe('Pameran produk UPPKA');
    expect(await keterangan.isVisible()).toBe(true);

    const saved = { lainnya_identifikasi_data: true, lainnya_menyusun_laporan: false, lainnya_bimbingan_teknis: true, lainnya_pelaksanaan: true, lainnya_keterangan: 'Pameran produk UPPKA' };
    const stored = (await (await srv.fetchAs('provinsi', srv.url(`/api/reports/laporan-kabupaten.json?${q}`))).json()) as { jenis_kegiatan: unknown; kegiatan_lainnya: unknown };
    expect(stored.kegiatan_lainnya).toEqual(saved);
    expect(stored.jenis_kegiatan).toEqual(C);
    await context.close();

    // The district sees section 6 with the province's values, and nothing in it to change.
    const districtContext = await signedIn(srv, browser.newContext(), 'kabupaten');
    const districtPage = await districtContext.newPage();
    await districtPage.goto(srv.url(`/reports/laporan-kabupaten?${q}`));
    const shown = districtPage.locator('section', { has: districtPage.getByRole('heading', { name: '6. Kegiatan Lainnya (Diisi oleh Perwakilan BKKBN Provinsi)', exact: true }) });
    expect(await shown.count()).toBe(1);
    expect(await shown.textContent()).toContain('Pameran produk UPPKA');
    expect(await shown.locator('input, select, textarea, button').count()).toBe(0);
    expect(await districtPage.locator('[name^="kegiatan_lainnya."]:enabled').count()).toBe(0);
    // Its own section C stays editable.
    expect(await districtPage.locator('[name^="jenis_kegiatan."]:enabled').count()).toBeGreaterThan(0);
    await districtContext.close();
  });
});
