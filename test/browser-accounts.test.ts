/**
 * Accounts in Chromium: a kader logs in on a 360 px phone without JavaScript, fills a K/0 and sees
 * only the own village's groups; the province sees its report and not another province's; a
 * session that ended while the phone was offline loses nothing (draft kept, log in, sent once);
 * an account made by `npm run user -- add` must change its one-time password first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, startServerAndBrowser, stopServerAndBrowser } from './support/browser.js';
import { startServer, TEST_ACCOUNTS, TEST_PASSWORD } from './support/server.js';

let srv: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
beforeAll(async () => ({ srv, browser } = await startServerAndBrowser()), 60_000);
afterAll(() => stopServerAndBrowser({ srv, browser }));

async function logIn(page: Page, username: string, password: string) {
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
}

describe('a kader on a phone', () => {
  it('logs in at 360 px without JavaScript, fills a K/0, and lists only the own groups', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(srv.url('/forms/k0-uppka'));
    expect(new URL(page.url()).pathname).toBe('/masuk');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(ARTIFACTS, 'masuk-360.png') });
    await logIn(page, TEST_ACCOUNTS.kader.username, TEST_PASSWORD);
    await page.waitForURL(/\/forms\/k0-uppka$/);
    await page.getByLabel('Nama Kampung KB').fill('Kampung KB Melati');
    await page.getByLabel('Nama Kelompok').fill('UPPKA Kader Peramban');
    await page.getByLabel('Tahun Terbentuk').fill('2020');
    await page.getByLabel('Provinsi').selectOption({ label: 'Jawa Tengah' });
    await page.getByRole('button', { name: 'Perbarui pilihan wilayah' }).click();
    await page.getByLabel('Kabupaten/Kota').selectOption({ label: 'Kota Semarang' });
    await page.getByRole('button', { name: 'Perbarui pilihan wilayah' }).click();
    await page.getByLabel('Kecamatan').selectOption({ label: 'Semarang Tengah' });
    await page.getByRole('button', { name: 'Perbarui pilihan wilayah' }).click();
    await page.getByLabel('Desa/Kelurahan').selectOption({ label: 'Pekunden' });
    await page.getByRole('group', { name: /^Jenis Usaha/ }).getByLabel('Kuliner', { exact: true }).check();
    const member = page.getByRole('group', { name: 'Anggota no. 1', exact: true });
    await member.getByLabel('Nama', { exact: false }).first().fill('Sri Wahyuni');
    await member.getByLabel('Usia').fill('30');
    await member.getByRole('group', { name: /Status/ }).getByLabel('Non-PUS', { exact: true }).check();
    for (const kb of ['MKJP Lestari', 'MKJP Mandiri', 'Non-MKJP']) await member.getByRole('group', { name: new RegExp(`^\\(\\d\\) ${kb}`) }).getByLabel('Tidak', { exact: true }).check();
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.waitForURL(/\/submissions\/.*baru=1/);
    await page.goto(srv.url('/forms/k0-uppka/submissions'));
    const list = await page.locator('table.daftar').innerText();
    expect(list).toContain('UPPKA Kader Peramban');
    expect(list).toContain('UPPKA Sejahtera');
    // Another village of the same sub-district, and other provinces: not the kader's.
    for (const other of ['UPPKA Karya Mandiri', 'UPPKA Gedongkiwo Berkah', 'UPPKA Lambung Meugah']) expect(list).not.toContain(other);
    await page.screenshot({ path: join(ARTIFACTS, 'kader-daftar-360.png') });
    await context.close();
  });
});

describe('the province', () => {
  it('sees its own province report and not another province\'s', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(srv.url('/reports/laporan-provinsi'));
    await logIn(page, TEST_ACCOUNTS.provinsi.username, TEST_PASSWORD);
    await page.waitForURL(/\/reports\/laporan-provinsi/);
    await page.locator('select[name="provinsi"]').selectOption({ label: 'Jawa Tengah' });
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await page.getByRole('heading', { name: /^Jawa Tengah/ }).waitFor();
    expect(await page.locator('table.laporan').innerText()).toContain('UPPKA Sejahtera');
    await page.locator('select[name="provinsi"]').selectOption({ label: 'DI Yogyakarta' });
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().includes('provinsi=34')), page.getByRole('button', { name: 'Tampilkan' }).click()]);
    expect(res.status()).toBe(404);
    expect(await page.locator('main').innerText()).toContain('Laporan tidak ditemukan untuk wilayah Anda.');
    expect(await page.content()).not.toContain('UPPKA Gedongkiwo Berkah');
    await context.close();
  });
});

describe('a session that ends while the phone is offline', () => {
  it('keeps the draft, asks to log in again, and sends it afterwards with the same id, once', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(srv.url('/forms/r1-uppka'));
    await logIn(page, TEST_ACCOUNTS.kader.username, TEST_PASSWORD);
    await page.waitForURL(/\/forms\/r1-uppka$/);
    await page.getByLabel('Kelompok UPPKA').selectOption({ label: 'UPPKA Sejahtera' });
    await page.getByLabel(/^Bulan/).selectOption({ label: 'Januari' });
    await page.getByLabel(/^Tahun/).fill('2026');
    // The member count is the group's K/0's (x-copy-from): shown read-only, filled by the server.
    expect(await page.getByLabel('Jumlah Anggota Bulan Ini').getAttribute('readonly')).not.toBeNull();
    const meeting = page.getByRole('group', { name: 'Pertemuan no. 1', exact: true });
    await meeting.getByLabel('Tanggal').fill('2026-01-08');
    await meeting.getByLabel('Materi/Topik').fill('Pembukuan');
    await meeting.getByLabel('Jumlah Hadir').fill('6');
    for (const group of [/Sosialisasi kebijakan/, /Orientasi Pemberdayaan/, /Pengembangan Model/, /Monitoring dan Evaluasi/]) {
      await page.getByRole('group', { name: group }).getByLabel('Tidak', { exact: true }).check();
    }
    await page.getByLabel('Modal (Rp)').fill('2500000');
    await page.getByLabel('Omzet Bulan Ini (Rp)').fill('750.000');
    const id = await page.locator('input[name="_id"]').inputValue();
    // The session ends (expired, or ended elsewhere) before the phone sends.
    await context.clearCookies();
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.getByText('Sesi Anda sudah berakhir, jadi isian belum tersimpan.').waitFor();
    await page.getByRole('link', { name: 'Masuk lagi, lalu pulihkan dan kirim isian ini' }).click();
    await logIn(page, TEST_ACCOUNTS.kader.username, TEST_PASSWORD);
    await page.waitForURL(/\/forms\/r1-uppka$/);
    await page.getByRole('button', { name: 'Pulihkan isian' }).click();
    expect(await page.locator('input[name="_id"]').inputValue()).toBe(id);
    expect(await page.getByLabel('Omzet Bulan Ini (Rp)').inputValue()).toBe('750.000');
    await page.getByRole('button', { name: 'Simpan', exact: true }).click();
    await page.waitForURL(new RegExp(`/submissions/${id}\\?baru=1`));
    const list = await (await srv.fetchAs('pusat', '/api/forms/r1-uppka/submissions?tahun=2026&bulan=1&per_page=200')).json();
    expect(list.items.filter((i: { id: string }) => i.id === id)).toHaveLength(1);
    await context.close();
  });
});

describe('an account made with npm run user', () => {
  it('prints a one-time password that must be changed at the first login', async () => {
    const out = execFileSync('npx', ['tsx', 'scripts/user.ts', 'add', '--peran', 'provinsi', '--wilayah', '34', '--nama', 'Rina Perwakilan DIY'], {
      env: { ...process.env, DATABASE_URL: srv.databaseUrl }, encoding: 'utf8',
    });
    const username = /Nama pengguna: (\S+)/.exec(out)![1]!;
    const password = /Kata sandi sementara: (\S+)/.exec(out)![1]!;
    expect(username).toBe('rina.perwakilan.diy');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(srv.url('/masuk'));
    await logIn(page, username, password);
    await page.waitForURL(/\/sandi$/);
    await page.goto(srv.url('/reports/laporan-provinsi'));
    expect(new URL(page.url()).pathname).toBe('/sandi');
    await page.getByLabel('Kata sandi sementara').fill(password);
    await page.getByLabel('Kata sandi baru', { exact: true }).fill('sandi-sendiri-2026');
    await page.getByLabel('Ulangi kata sandi baru').fill('sandi-sendiri-2026');
    await page.getByRole('button', { name: 'Simpan kata sandi' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto(srv.url('/reports/laporan-provinsi?provinsi=34&tahun=2026&bulan=10'));
    expect(await page.locator('h2').first().innerText()).toContain('DI Yogyakarta');
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL(/\/masuk$/);
    await context.close();
  });
});
