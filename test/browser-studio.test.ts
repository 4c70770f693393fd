/**
 * The definition studio in a real Chromium (issue 16), as a national admin on a desktop: open
 * K/0, change a label, add an option and a field and rename a key with the editor's own controls, see the preview
 * follow, the diff in words and the impact, publish from next month; then a cadre on a 360 px
 * phone gets the new field on next month's entry page and the old form for this month.
 * Screenshots for docs/studio.md are written to test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, signedIn, startServerAndBrowser, stopServerAndBrowser } from './support/browser.js';
import type { startServer } from './support/server.js';
import { next } from './support/periods.js';

let srv: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
beforeAll(async () => ({ srv, browser } = await startServerAndBrowser()), 60_000);
afterAll(() => stopServerAndBrowser({ srv, browser }));

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

describe('the definition studio', () => {
  it('lets a national admin change K/0 and publish it from next month; the cadre sees it then', async () => {
    const admin = await signedIn(srv, browser.newContext({ viewport: { width: 1366, height: 900 } }), 'pusat');
    const page = await admin.newPage();
    await page.goto(srv.url('/studio'));
    await page.getByRole('button', { name: 'Buat draf K/0/UPPKA/20' }).click();
    await page.getByRole('heading', { name: /^Draf K\/0\/UPPKA\/20: akan menjadi versi \d+$/ }).waitFor();
    await expect(page.getByText('Pemeriksaan: tidak ada masalah.')).toBeTruthy();

    // A label, from the field's own row.
    const usia = page.getByRole('group', { name: /^B\. Identitas Anggota Kelompok — Usia usia/ });
    await usia.getByLabel('Label', { exact: true }).fill('Umur');
    await usia.getByRole('button', { name: 'Simpan isian Usia' }).click();
    await page.getByRole('group', { name: /— Umur usia/ }).waitFor();

    // An option of the contraceptive method list.
    const metode = page.getByRole('group', { name: /^B\. Identitas Anggota Kelompok — Jenis Kontrasepsi jenis_kontrasepsi/ });
    await metode.getByLabel('Kode pilihan baru').fill('mal');
    await metode.getByLabel('Label pilihan baru').fill('MAL (Metode Amenore Laktasi)');
    await metode.getByRole('button', { name: 'Tambah pilihan di Jenis Kontrasepsi' }).click();
    await page.getByRole('cell', { name: 'MAL (Metode Amenore Laktasi)', exact: true }).waitFor();

    // A new field in part A, then moved up one place with the keyboard.
    const baru = page.getByRole('group', { name: 'Isian baru di A. Identitas Kelompok' });
    await baru.getByLabel('Kunci (huruf kecil_dan_garis_bawah)').fill('catatan_kader');
    await baru.getByLabel('Label').fill('Catatan Kader');
    await baru.getByLabel('Jenis').selectOption({ label: 'Teks' });
    await baru.getByRole('button', { name: 'Tambah isian di A. Identitas Kelompok' }).click();
    const catatan = page.getByRole('group', { name: /^A\. Identitas Kelompok — Catatan Kader catatan_kader/ });
    await catatan.waitFor();
    await catatan.getByRole('button', { name: 'Naikkan Catatan Kader' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: /— Catatan Kader catatan_kader/ }).getByRole('button', { name: 'Turunkan Catatan Kader' }).waitFor();

    // A key renamed explicitly: the field keeps its label, the former key is recorded.
    const modal = page.getByRole('group', { name: /^A\. Identitas Kelompok — Sumber Modal sumber_modal/ });
    await modal.getByLabel('Kunci baru untuk Sumber Modal').fill('asal_modal');
    await modal.getByRole('button', { name: 'Ganti kunci Sumber Modal' }).click();
    const renamed = page.getByRole('group', { name: /^A\. Identitas Kelompok — Sumber Modal asal_modal/ });
    await renamed.getByText('Kunci lama: sumber_modal').waitFor();

    // The preview follows: the draft's entry page with the new label and field.
    const preview = page.frameLocator('iframe[title="Pratinjau halaman isian"]');
    await preview.getByLabel('Catatan Kader').waitFor();
    expect(await preview.getByText('Umur').count()).toBeGreaterThan(0);
    // The diff in words.
    const changes = page.locator('ul.perubahan li');
    const words = await changes.allTextContents();
    expect(words).toContain('Label "Usia" → "Umur" (B. Identitas Anggota Kelompok)');
    expect(words.some((w) => w.startsWith('Pilihan baru "mal" (MAL (Metode Amenore Laktasi)) di Jenis Kontrasepsi'))).toBe(true);
    expect(words.some((w) => w.startsWith('Isian baru "Catatan Kader" (catatan_kader)'))).toBe(true);
    expect(words).toContain('Kunci isian "Sumber Modal" di A. Identitas Kelompok: "sumber_modal" → "asal_modal" (data tersimpan ikut pindah)');
    await page.screenshot({ path: join(ARTIFACTS, 'studio-editor.png'), fullPage: false });

    // The impact: nothing stored is rejected, one column is added, one renamed with its data.
    await page.getByRole('link', { name: 'Dampak pada data tersimpan' }).click();
    await page.getByText(/akan berubah/).waitFor();
    expect(await page.locator('strong').first().textContent()).toBe('0');
    await page.getByText('1 kolom baru; kolom diganti nama, datanya ikut pindah:').waitFor();
    await page.getByText('k0_uppka.sumber_modal → asal_modal').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'studio-dampak.png') });
    await page.goBack();

    // Publish from next month, with a note.
    await page.getByLabel('Berlaku mulai bulan').selectOption({ label: MONTHS[next.bulan - 1]! });
    await page.getByLabel('Tahun', { exact: true }).fill(String(next.tahun));
    await page.getByLabel('Catatan (mengapa versi ini diterbitkan)').fill('Umur, metode MAL dan catatan kader (surat edaran Direktorat).');
    await page.getByRole('button', { name: /^Terbitkan versi \d+$/ }).click();
    await page.getByRole('heading', { name: 'Studio definisi' }).waitFor();
    const history = page.getByRole('table', { name: 'Riwayat versi' }).first();
    expect(await history.textContent()).toContain(`${MONTHS[next.bulan - 1]} ${next.tahun}`);
    await page.screenshot({ path: join(ARTIFACTS, 'studio-daftar.png') });
    await admin.close();

    // A cadre's phone: this month's form as before, next month's with the new field.
    const cadre = await signedIn(srv, browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true }), 'kader');
    const phone = await cadre.newPage();
    await phone.goto(srv.url('/forms/k0-uppka'));
    await phone.getByRole('heading', { name: /Kartu Data Potensi/ }).waitFor();
    expect(await phone.getByLabel('Catatan Kader').count()).toBe(0);
    // This month's version, served with the renamed key: one layout for the stored rows.
    expect(await phone.locator('[name="identitas_kelompok.asal_modal"]').count()).toBeGreaterThan(0);
    expect(await phone.locator('[name="identitas_kelompok.sumber_modal"]').count()).toBe(0);
    await phone.goto(srv.url(`/forms/k0-uppka?periode=${next.tahun}-${String(next.bulan).padStart(2, '0')}`));
    await phone.getByLabel('Catatan Kader').waitFor();
    expect(await phone.getByText(`berlaku untuk ${MONTHS[next.bulan - 1]} ${next.tahun}`).count()).toBe(1);
    await cadre.close();
  });
});
