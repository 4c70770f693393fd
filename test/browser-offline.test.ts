/**
 * Offline first (issue 18) in a real Chromium with the network cut (browser context offline):
 * a cadre opens the forms once online, then with no signal reopens them from the service
 * worker's cache, fills and queues submissions into the outbox (Kotak Keluar, IndexedDB), sees
 * them there after a reload, and once the network is back they are sent by themselves, each
 * stored once, with receipts kept and personal data gone from the phone; a refused one shows the
 * server's message and is corrected and sent again. Logging out with unsent items asks first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, signedIn, startServerAndBrowser, stopServerAndBrowser } from './support/browser.js';
import type { startServer } from './support/server.js';

let srv: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
beforeAll(async () => ({ srv, browser } = await startServerAndBrowser()), 60_000);
afterAll(() => stopServerAndBrowser({ srv, browser }));

const NIK = '3374019876540001';

/** Open a form online and wait until the service worker has kept it (page and validator). */
async function openOnline(page: Page, path: string) {
  await page.goto(srv.url(path));
  await expect.poll(() => page.evaluate(async (p) => {
    for (const k of (await caches.keys()).filter((n) => n.startsWith('lembar-f:'))) {
      const c = await caches.open(k);
      if (await c.match(p) && (await c.keys()).some((r) => r.url.includes('/validasi.js?v='))) return true;
    }
    return false;
  }, srv.url(path)), { timeout: 20_000 }).toBe(true);
}

/** K/0 fields set by name in the page (30 rows take the UI long), then the same Simpan path as a tap. */
async function fillK0(page: Page, name: string, members: number) {
  await page.getByLabel('Nama Kampung KB').fill('Kampung KB Melati');
  await page.getByLabel('Nama Kelompok').fill(name);
  await page.getByLabel('Tahun Terbentuk').fill('2018');
  // The region pickers load their lists from the worker's cache: no signal here.
  await page.getByLabel('Provinsi').selectOption({ label: 'Jawa Tengah' });
  await page.getByLabel('Kabupaten/Kota').selectOption({ label: 'Kota Semarang' });
  await page.getByLabel('Kecamatan').selectOption({ label: 'Semarang Tengah' });
  await page.getByLabel('Desa/Kelurahan').selectOption({ label: 'Pekunden' });
  await page.getByRole('group', { name: /^Jenis Usaha/ }).getByLabel('Kuliner', { exact: true }).check();
  await page.getByLabel('Telepon', { exact: false }).first().fill('081234567890');
  await page.evaluate(({ n, nik }) => {
    const form = document.querySelector<HTMLFormElement>('form.formulir')!;
    const add = form.querySelector<HTMLButtonElement>('[data-add="anggota"]')!;
    while (form.querySelectorAll('[data-repeat="anggota"] > .baris-daftar > .baris').length < n) add.click();
    const set = (field: string, value: string) => {
      const els = form.querySelectorAll<HTMLInputElement>(`[name="${field}"]`);
      els.forEach((el) => { if (el.type === 'radio') el.checked = el.value === value; else el.value = value; });
    };
    for (let i = 0; i < n; i++) {
      set(`anggota.${i}.nama`, `Anggota ${i + 1}`);
      set(`anggota.${i}.usia`, String(25 + (i % 30)));
      set(`anggota.${i}.status`, 'non_pus');
      for (const kb of ['mkjp_lestari', 'mkjp_mandiri', 'non_mkjp']) set(`anggota.${i}.${kb}`, 'tidak');
    }
    set('anggota.0.nik', nik);
    form.dispatchEvent(new Event('change', { bubbles: true }));
  }, { n: members, nik: NIK });
}

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
type Period = { tahun: number; bulan: number };

async function fillR1(page: Page, month: Period, present: string) {
  await page.getByLabel('Kelompok UPPKA').selectOption({ label: 'UPPKA Sejahtera' });
  await page.getByLabel(/^Bulan/).selectOption({ label: MONTHS[month.bulan - 1]! });
  await page.getByLabel(/^Tahun/).fill(String(month.tahun));
  const r = page.getByRole('group', { name: 'Pertemuan no. 1', exact: true });
  await r.getByLabel('Tanggal').fill(`${month.tahun}-${String(month.bulan).padStart(2, '0')}-12`);
  await r.getByLabel('Materi/Topik').fill('Pemasaran daring');
  await r.getByLabel('Jumlah Hadir').fill(present);
  for (const group of [/Sosialisasi kebijakan/, /Orientasi Pemberdayaan/, /Pengembangan Model/, /Monitoring dan Evaluasi/]) {
    await page.getByRole('group', { name: group }).getByLabel('Tidak', { exact: true }).check();
  }
  await page.getByLabel('Modal (Rp)').fill('2500000');
  await page.getByLabel('Omzet Bulan Ini (Rp)').fill('750000');
}

/** Simpan with no signal: into the outbox by itself, the page says so; then to the outbox page. */
async function queue(page: Page): Promise<string> {
  const id = await page.locator('input[name="_id"]').inputValue();
  await page.getByRole('button', { name: 'Simpan', exact: true }).click();
  const done = page.getByRole('status').filter({ hasText: 'Tidak ada sinyal: tersimpan di Kotak Keluar, akan dikirim otomatis' });
  await done.waitFor();
  expect(await done.textContent()).toContain(`Nomor rujukan: ${id}`);
  expect(await page.locator('form.formulir').isHidden()).toBe(true);
  await done.getByRole('link', { name: 'Lihat Kotak Keluar' }).click();
  await page.waitForURL(/\/kotak-keluar$/);
  await page.locator(`[data-kiriman="${id}"]`).waitFor();
  return id;
}

const item = (page: Page, id: string) => page.locator(`[data-kiriman="${id}"]`);
const stateOf = (page: Page, id: string) => item(page, id).locator('[data-keadaan]').getAttribute('data-keadaan');
const outbox = (page: Page) => page.evaluate(() => (window as any).LembarKotak.semua()) as Promise<any[]>;

async function storedCount(form: string, match: (d: any) => boolean) {
  const all = (await (await srv.fetchAs('kader', srv.url(`/api/forms/${form}/submissions?per_page=200`))).json()) as { items: { id: string; data: any }[] };
  return all.items.filter((it) => match(it.data));
}

describe('a cadre with no signal', { timeout: 60_000 }, () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await signedIn(srv, browser.newContext({ viewport: { width: 360, height: 740 } }), 'kader');
    page = await context.newPage();
    if (process.env.DEBUG_OFFLINE) {
      page.on('console', (m) => console.log('console:', m.text()));
      page.on('pageerror', (e) => console.log('pageerror:', e.message));
      context.on('request', (r) => { if (r.method() !== 'GET') console.log('req:', r.method(), r.url(), r.serviceWorker() ? 'sw' : '', r.postData()?.slice(0, 80)); });
      context.on('requestfailed', (r) => { if (r.method() !== 'GET') console.log('failed:', r.url(), r.failure()?.errorText); });
      page.on('framenavigated', (f) => { if (f === page.mainFrame()) console.log('nav:', f.url()); });
    }
  });
  afterAll(() => context.close());

  it('opens forms visited before, queues three submissions, sends each once when back online, keeps receipts and drops personal data', async () => {
    await openOnline(page, '/forms/k0-uppka');
    await openOnline(page, '/forms/r1-uppka');
    await context.setOffline(true);

    // Reopened with no signal: from the phone, each time with a submission id of its own.
    await page.goto(srv.url('/forms/k0-uppka'));
    const firstId = await page.locator('input[name="_id"]').inputValue();
    await page.reload();
    expect(await page.locator('input[name="_id"]').inputValue()).not.toBe(firstId);
    expect(await page.evaluate(() => typeof (window as any).LembarValidasi?.check)).toBe('function');

    await fillK0(page, 'UPPKA Luring Tiga Puluh', 30);
    expect(await page.getByLabel('Jumlah Anggota Kelompok').inputValue()).toBe('30');
    const big = await queue(page);
    await page.screenshot({ path: join(ARTIFACTS, 'kotak-keluar-360x740.png') });

    await page.goto(srv.url('/forms/k0-uppka'));
    expect(await page.getByText('belum terkirim').count()).toBe(0);
    await fillK0(page, 'UPPKA Luring Kecil', 2);
    const small = await queue(page);

    await page.goto(srv.url('/forms/r1-uppka'));
    await fillR1(page, { tahun: 2026, bulan: 5 }, '6');
    const register = await queue(page);

    // After a reload with no signal, all three are in the outbox, waiting, in order.
    await page.reload();
    for (const id of [big, small, register]) expect(await stateOf(page, id)).toBe('menunggu');
    expect((await outbox(page)).map((i) => i.id)).toEqual([big, small, register]);
    expect((await storedCount('k0-uppka', (d) => /^UPPKA Luring/.test(d.identitas_kelompok.nama_kelompok))).map((s) => s.id)).toEqual([]);

    // Back online: sent by themselves, in order, each stored once.
    await context.setOffline(false);
    for (const id of [big, small, register]) await expect.poll(() => stateOf(page, id), { timeout: 20_000 }).toBe('terkirim');
    for (const id of [big, small, register]) expect((await srv.fetchAs('kader', srv.url(`/api/submissions/${id}`))).status).toBe(200);
    const bigs = await storedCount('k0-uppka', (d) => d.identitas_kelompok.nama_kelompok === 'UPPKA Luring Tiga Puluh');
    expect(bigs.map((b) => b.id)).toEqual([big]);
    const full = (await (await srv.fetchAs('kader', srv.url(`/api/submissions/${big}`))).json()) as { data: any };
    expect(full.data.anggota).toHaveLength(30);
    expect(full.data.anggota[0].nik).toBe(NIK);
    expect((await storedCount('k0-uppka', (d) => d.identitas_kelompok.nama_kelompok === 'UPPKA Luring Kecil')).map((b) => b.id)).toEqual([small]);
    expect((await storedCount('r1-uppka', (d) => d.identitas.bulan === 5 && d.identitas.tahun === 2026)).map((b) => b.id)).toEqual([register]);

    // Receipts stay (reference number = submission id, time); what was typed is gone from the phone.
    await expect.poll(async () => (await item(page, big).textContent()) ?? '').toContain(`Nomor rujukan: ${big}`);
    expect(await item(page, big).textContent()).toContain('Terkirim: ');
    const kept = JSON.stringify(await outbox(page));
    expect(kept).not.toContain(NIK);
    expect(kept).not.toContain('081234567890');
    expect(kept).not.toContain('Anggota 1');
    await page.reload();
    expect(await stateOf(page, big)).toBe('terkirim');

    // Sending again (another tab, a lost answer) stores nothing twice: the same ids.
    await page.evaluate(() => (window as any).LembarKotak.kirim());
    expect((await storedCount('k0-uppka', (d) => /^UPPKA Luring/.test(d.identitas_kelompok.nama_kelompok))).length).toBe(2);
  });

  it('shows a refused item with the server\'s message, reopens it filled, and sends the correction', async () => {
    await context.setOffline(true);
    await page.goto(srv.url('/forms/r1-uppka'));
    // More present than the group has members: only the server knows the group's count.
    await fillR1(page, { tahun: 2026, bulan: 6 }, '20');
    const id = await queue(page);
    await context.setOffline(false);
    await expect.poll(() => stateOf(page, id), { timeout: 20_000 }).toBe('ditolak');
    expect(await item(page, id).textContent()).toContain('Jumlah hadir tidak boleh melebihi jumlah anggota.');
    expect((await srv.fetchAs('kader', srv.url(`/api/submissions/${id}`))).status).toBe(404);

    await item(page, id).getByRole('button', { name: 'Buka dan perbaiki' }).click();
    await page.waitForURL(/\/forms\/r1-uppka#kotak=/);
    const summary = page.getByRole('alert').filter({ hasText: 'perlu diperbaiki' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Jumlah hadir tidak boleh melebihi jumlah anggota.');
    const meeting = page.getByRole('group', { name: 'Pertemuan no. 1', exact: true });
    expect(await meeting.getByLabel('Jumlah Hadir').inputValue()).toBe('20');
    expect(await page.locator('input[name="_id"]').inputValue()).toBe(id);
    await meeting.getByLabel('Jumlah Hadir').fill('5');
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.waitForURL(/\/kotak-keluar/);
    await expect.poll(() => stateOf(page, id), { timeout: 20_000 }).toBe('terkirim');
    const stored = await storedCount('r1-uppka', (d) => d.identitas.bulan === 6 && d.identitas.tahun === 2026);
    expect(stored.map((s) => s.id)).toEqual([id]);
    expect(((await (await srv.fetchAs('kader', srv.url(`/api/submissions/${id}`))).json()) as { data: any }).data.pertemuan[0].jumlah_hadir).toBe(5);
  });

  it('keeps unsent items through an ended session and a logout (asked first), and sends them after the next login on this phone', async () => {
    await context.setOffline(true);
    await page.goto(srv.url('/forms/k0-uppka'));
    await fillK0(page, 'UPPKA Ponsel Bersama', 1);
    const id = await queue(page);
    await page.getByRole('button', { name: 'Keluar', exact: true }).click();
    const ask = page.getByRole('alertdialog');
    await ask.waitFor();
    expect(await ask.textContent()).toContain('Ada 1 isian di ponsel ini yang belum terkirim.');
    await ask.getByRole('button', { name: 'Batal' }).click();
    expect(await ask.count()).toBe(0);

    // Back online, but the session ended while offline: the outbox gets a 401, keeps the item
    // and says so; logging out keeps it too.
    await context.clearCookies();
    await context.setOffline(false);
    await page.getByText('Sesi Anda sudah berakhir').waitFor();
    expect(await stateOf(page, id)).toBe('menunggu');
    await page.getByRole('button', { name: 'Keluar', exact: true }).click();
    await ask.getByRole('button', { name: 'Keluar, simpan isian di ponsel ini' }).click();
    await page.waitForURL(/\/masuk/);
    expect(await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok) => { const r = indexedDB.open('lembar-kotak'); r.onsuccess = () => ok(r.result); });
      return new Promise((ok) => { const r = db.transaction('kiriman').objectStore('kiriman').getAll(); r.onsuccess = () => ok(r.result.filter((i: any) => i.state === 'menunggu').map((i: any) => i.id)); });
    })).toEqual([id]);
    expect((await srv.fetchAs('kader', srv.url(`/api/submissions/${id}`))).status).toBe(404);

    // The next login on this phone: the outbox sends it by itself.
    await page.getByLabel('Nama pengguna').fill('uji.kader');
    await page.getByLabel('Kata sandi').fill('sandi-uji-panjang-2026');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/masuk'));
    await expect.poll(async () => (await srv.fetchAs('kader', srv.url(`/api/submissions/${id}`))).status, { timeout: 20_000 }).toBe(200);
    await page.goto(srv.url('/kotak-keluar'));
    await expect.poll(() => stateOf(page, id)).toBe('terkirim');
  });

  it('takes a version published during the outage: a month the phone had is accepted, a changed month says what must change with the data kept, and the kept page becomes the new version whole', async () => {
    const wib = new Date(Date.now() + 7 * 3600 * 1000);
    const now: Period = { tahun: wib.getUTCFullYear(), bulan: wib.getUTCMonth() + 1 };
    const before = new Date(Date.UTC(now.tahun, now.bulan - 1 - 3, 1));
    const earlier: Period = { tahun: before.getUTCFullYear(), bulan: before.getUTCMonth() + 1 };
    await openOnline(page, '/forms/r1-uppka');
    const oldVersion = Number(await page.locator('form.formulir').getAttribute('data-versi'));

    // With no signal: a register for three months ago and one for this month, both on the kept page.
    await context.setOffline(true);
    await page.goto(srv.url('/forms/r1-uppka'));
    await fillR1(page, earlier, '6');
    const kept = await queue(page);
    await page.goto(srv.url('/forms/r1-uppka'));
    await fillR1(page, now, '5');
    const changed = await queue(page);
    expect((await outbox(page)).filter((i) => [kept, changed].includes(i.id)).map((i) => Number(i.versi))).toEqual([oldVersion, oldVersion]);

    // Meanwhile at the centre: from this month every meeting names its speaker (narasumber).
    const studio = (method: string, path: string, body?: unknown) => srv.fetchAs('pusat', srv.url(path), { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const made = (await (await studio('POST', '/api/studio/forms/r1-uppka/drafts')).json()) as { id: string };
    const { definition } = (await (await srv.fetchAs('pusat', srv.url(`/api/studio/drafts/${made.id}`))).json()) as { definition: any };
    definition.properties.pertemuan.items.required.push('narasumber');
    for (const example of definition.examples) for (const meeting of example.pertemuan) meeting.narasumber ??= 'PLKB Kecamatan';
    expect(await (await studio('PUT', `/api/studio/drafts/${made.id}`, definition)).json()).toEqual({ id: made.id, problems: [] });
    const published = await studio('POST', `/api/studio/drafts/${made.id}/publish`, { berlaku_mulai: now, catatan: 'Narasumber pertemuan wajib diisi' });
    expect(published.status, await published.clone().text()).toBe(200);
    const newVersion = ((await published.json()) as { versi: number }).versi;
    expect(newVersion).toBeGreaterThan(oldVersion);
    const newHash = /validasi\.js\?v(?:=|&#x3D;)([\w-]+)/.exec(await (await srv.fetchAs('kader', srv.url('/forms/r1-uppka'))).text())![1]!;

    // Back online: the month the phone had goes through; this month is refused, naming what must change.
    await context.setOffline(false);
    await expect.poll(() => stateOf(page, kept), { timeout: 20_000 }).toBe('terkirim');
    await expect.poll(() => stateOf(page, changed), { timeout: 20_000 }).toBe('ditolak');
    expect(await item(page, changed).textContent()).toMatch(/Narasumber[^:]*: Wajib diisi/);
    expect((await srv.fetchAs('kader', srv.url(`/api/submissions/${kept}`))).status).toBe(200);
    expect((await srv.fetchAs('kader', srv.url(`/api/submissions/${changed}`))).status).toBe(404);

    // Having sent, the phone fetched its kept page again: only the new version's cache holds it,
    // with that version's validator; the old version's cache is gone.
    await expect.poll(() => page.evaluate(async (address) => {
      const found: string[] = [];
      for (const k of (await caches.keys()).filter((n) => n.startsWith('lembar-f:r1-uppka:'))) {
        const c = await caches.open(k);
        const urls = (await c.keys()).map((r) => new URL(r.url));
        found.push(`${k} page=${!!(await c.match(address))} validator=${urls.filter((u) => u.pathname.endsWith('/validasi.js')).map((u) => u.searchParams.get('v')).join(',')}`);
      }
      return found;
    }, srv.url('/forms/r1-uppka')), { timeout: 20_000 }).toEqual([`lembar-f:r1-uppka:${newHash} page=true validator=${newHash}`]);

    // Reopened: the new version's page, every value kept, the message at its field; the speaker added, it goes.
    await item(page, changed).getByRole('button', { name: 'Buka dan perbaiki' }).click();
    await page.waitForURL(/\/forms\/r1-uppka#kotak=/);
    expect(Number(await page.locator('form.formulir').getAttribute('data-versi'))).toBe(newVersion);
    const meeting = page.getByRole('group', { name: 'Pertemuan no. 1', exact: true });
    expect(await meeting.getByLabel('Materi/Topik').inputValue()).toBe('Pemasaran daring');
    expect(await meeting.getByLabel('Jumlah Hadir').inputValue()).toBe('5');
    expect(await page.getByLabel('Modal (Rp)').inputValue()).toBe('2500000');
    expect(await page.getByRole('alert').filter({ hasText: 'perlu diperbaiki' }).textContent()).toMatch(/Narasumber[^:]*: Wajib diisi/);
    await meeting.getByLabel('Narasumber').fill('PLKB Kecamatan');
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.waitForURL(/\/kotak-keluar/);
    await expect.poll(() => stateOf(page, changed), { timeout: 20_000 }).toBe('terkirim');
    const stored = (await (await srv.fetchAs('kader', srv.url(`/api/submissions/${changed}`))).json()) as { data: any };
    expect(stored.data.pertemuan[0]).toMatchObject({ materi: 'Pemasaran daring', jumlah_hadir: 5, narasumber: 'PLKB Kecamatan' });
    expect(stored.data.identitas).toMatchObject({ bulan: now.bulan, tahun: now.tahun });

    // With no signal again the phone opens the new version whole: its page with its own validator,
    // which asks for the speaker as the server does.
    await context.setOffline(true);
    await page.goto(srv.url('/forms/r1-uppka'));
    expect(Number(await page.locator('form.formulir').getAttribute('data-versi'))).toBe(newVersion);
    expect(await page.locator('script[src*="/validasi.js"]').getAttribute('src')).toContain(`v=${newHash}`);
    expect(await page.evaluate(() => (window as any).LembarValidasi.version)).toBe(newVersion);
    await fillR1(page, now, '5');
    expect(await page.evaluate(() => (window as any).LembarValidasi.check(document.querySelector('form.formulir')).map((i: any) => i.path))).toContain('/pertemuan/0/narasumber');
    await context.setOffline(false);
  });
});
