/**
 * Deadlines as data and timeliness (issue 17), with counts known by construction: cards, registers
 * and reports saved at chosen instants (the clock set with vitest's fake Date; the server in this
 * process reads the same clock), then the page, JSON and CSV read over a real server by the
 * district and province accounts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dueDate, loadForms, saveReportEntries, saveSubmission, timelinessOf, type FormModel } from '../engine/index.js';
import { bigK0, uuid } from './support/submissions.js';
import { startServer } from './support/server.js';

const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const r1 = forms.get('r1-uppka')!;
const linked = (id: string) => forms.get(id);
const at = (iso: string) => vi.setSystemTime(new Date(iso));

describe('due days from x-deadline', () => {
  it('reads each definition\'s deadline: K/0 3 January of its year, R/1 the 3rd of the next month, district the 20th, province the 25th', () => {
    const due = (m: FormModel, month?: number) => dueDate(m.deadline!, { year: 2026, month });
    expect(due(k0)).toBe('2026-01-03');
    expect(due(r1, 9)).toBe('2026-10-03');
    expect(due(r1, 12)).toBe('2027-01-03');
    expect(due(forms.get('laporan-kabupaten')!, 9)).toBe('2026-10-20');
    expect(due(forms.get('laporan-provinsi')!, 9)).toBe('2026-10-25');
    // The two the guide does not give are marked as assumptions, with the reason.
    expect(k0.deadline?.assumed).toMatch(/asumsi/);
    expect(r1.deadline?.assumed).toMatch(/asumsi/);
    expect(forms.get('laporan-provinsi')!.deadline?.assumed).toBeUndefined();
  });

  it('counts calendar days in WIB: 23:59 WIB on the due day is on time, a minute later is a day late', () => {
    expect(timelinessOf('2026-10-03', '2026-10-03T16:59:00.000Z', new Date('2026-10-10T00:00:00Z')).state).toBe('tepat_waktu');
    expect(timelinessOf('2026-10-03', '2026-10-03T17:00:00.000Z', new Date('2026-10-10T00:00:00Z'))).toMatchObject({ state: 'terlambat', daysLate: 1 });
    expect(timelinessOf('2026-10-03', undefined, new Date('2026-10-02T00:00:00Z'))).toEqual({ state: 'belum_ada', daysOverdue: 0 });
    expect(timelinessOf('2026-10-03', undefined, new Date('2026-10-10T03:00:00Z'))).toEqual({ state: 'belum_ada', daysOverdue: 7 });
  });
});

describe('the timeliness pages for a month', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  const ids = { a: uuid(), b: uuid(), c: uuid(), d: uuid() };
  const card = (name: string, formed: number, place: 'kota' | 'kabupaten' = 'kota') => {
    const d = bigK0(3, name);
    d.kartu = { tahun: 2026 };
    d.identitas_kelompok.tahun_terbentuk = formed;
    d.identitas_kelompok.nama_ketua = `Ketua ${name}`;
    d.identitas_kelompok.telepon = '081234567890';
    if (place === 'kabupaten') Object.assign(d.identitas_kelompok, { kabupaten_kota: '33.22', kecamatan: '33.22.01', desa_kelurahan: '33.22.01.2001', nama_kampung_kb: 'Kampung KB Merbabu' });
    return d;
  };
  const register = (kelompok_id: string) => ({
    identitas: { kelompok_id, bulan: 9, tahun: 2026, jumlah_anggota: 3 },
    pertemuan: [{ tanggal: '2026-09-05', materi: 'Pembukuan', jumlah_hadir: 2 }],
    kegiatan_pro_pn: { sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: false, monitoring_evaluasi: false },
    usaha: { modal: 0, omzet: 0 },
  });

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2026-01-01T03:00:00Z');
    srv = await startServer({ demo: false });
    const store = srv.store;
    // Cards: A on 2 January (on time), B on 10 February (38 days late), C formed in 2026 and
    // registered in May (not late: it did not exist on 3 January), D in Kabupaten Semarang.
    at('2026-01-02T03:00:00Z');
    await saveSubmission(store, k0, { id: ids.a, data: card('UPPKA Tepat', 2019) });
    await saveSubmission(store, k0, { id: ids.d, data: card('UPPKA Merbabu Uji', 2017, 'kabupaten') });
    at('2026-02-10T03:00:00Z');
    await saveSubmission(store, k0, { id: ids.b, data: card('UPPKA Lambat', 2020) });
    at('2026-05-01T03:00:00Z');
    await saveSubmission(store, k0, { id: ids.c, data: card('UPPKA Baru', 2026) });
    // September registers: A on 2 October, corrected on 10 October (still on time: first
    // receipt counts); B on 6 October (3 days late); C none; D at 23:59 WIB on 3 October.
    at('2026-10-02T03:00:00Z');
    await saveSubmission(store, r1, { id: uuid(), data: register(ids.a), linked });
    at('2026-10-10T03:00:00Z');
    await saveSubmission(store, r1, { id: uuid(), data: { ...register(ids.a), usaha: { modal: 5, omzet: 1 } }, linked });
    at('2026-10-06T03:00:00Z');
    await saveSubmission(store, r1, { id: uuid(), data: register(ids.b), linked });
    at('2026-10-03T16:59:00Z');
    await saveSubmission(store, r1, { id: uuid(), data: register(ids.d), linked });
    // The district report for A on 21 October (1 day late); the province's on 25 October.
    at('2026-10-21T03:00:00Z');
    await saveReportEntries({ store, forms }, forms.get('laporan-kabupaten')!, { kelompok_id: ids.a, tahun: 2026, bulan: 9 }, uuid(), {
      by: 'kabupaten', rows: {}, sections: { jenis_kegiatan: { materi_media_kie: true, sosialisasi_kie_pek: true, orientasi_pek: true, fasilitasi_pek: true, pengembangan_pek_stunting: true } },
    });
    at('2026-10-25T09:00:00Z');
    await saveReportEntries({ store, forms }, forms.get('laporan-provinsi')!, { provinsi: '33', tahun: 2026, bulan: 9 }, uuid(), {
      by: 'provinsi', rows: {}, sections: { tanda_tangan: { nama_koordinator: 'Agus Prasetyo' } },
    });
    at('2026-10-26T03:00:00Z');
  });
  afterAll(async () => {
    await srv.close();
    vi.useRealTimers();
  });

  const q = 'tahun=2026&bulan=9';
  const json = async (role: 'kabupaten' | 'provinsi' | 'pusat') => (await srv.fetchAs(role, `/api/pantau/ketepatan.json?${q}`)).json();
  const byName = (body: any) => Object.fromEntries(body.kelompok.map((g: any) => [g.nama, g.keadaan.map((k: any) => k.keterangan)]));

  it('gives each group its state per form, on time, late by n days or missing, in the viewer\'s region', async () => {
    const district = await json('kabupaten');
    expect(district.kolom.map((k: any) => [k.kode, k.tenggat])).toEqual([
      ['K/0/UPPKA/20', '2026-01-03'], ['R/1/UPPKA/20', '2026-10-03'], [forms.get('laporan-kabupaten')!.code, '2026-10-20'],
    ]);
    expect(byName(district)).toEqual({
      'UPPKA Tepat': ['tepat waktu', 'tepat waktu', 'terlambat 1 hari'],
      'UPPKA Lambat': ['terlambat 38 hari', 'terlambat 3 hari', 'belum ada (lewat 6 hari)'],
      'UPPKA Baru': ['tepat waktu', 'belum ada (lewat 23 hari)', 'belum ada (lewat 6 hari)'],
    });
    // The district's totals: R/1 1 on time, 1 late, 1 missing of 3.
    expect(district.jumlah[1]).toEqual({ diharapkan: 3, tepat_waktu: 1, terlambat: 1, belum_ada: 1, persen_tepat_waktu: 33.3 });
    expect(district.kelompok.find((g: any) => g.nama === 'UPPKA Tepat').kontak).toEqual({ nama_kampung_kb: 'Kampung KB Melati', nama_ketua: 'Ketua UPPKA Tepat', telepon: '081234567890' });

    const province = await json('provinsi');
    expect(Object.keys(byName(province)).sort()).toEqual(['UPPKA Baru', 'UPPKA Lambat', 'UPPKA Merbabu Uji', 'UPPKA Tepat']);
    expect(byName(province)['UPPKA Merbabu Uji'][1]).toBe('tepat waktu');
    expect(province.kabupaten_kota.map((r: any) => [r.kode, r.kelompok, r.jumlah[1].persen_tepat_waktu])).toEqual([['33.22', 1, 100], ['33.74', 3, 33.3]]);
    expect(province.provinsi).toEqual([expect.objectContaining({ kode: '33', kelompok: 4, laporan: [expect.objectContaining({ keadaan: 'tepat_waktu' })] })]);
    // The province sees no telephone numbers in full (personal data).
    expect(province.kelompok.find((g: any) => g.nama === 'UPPKA Tepat').kontak.telepon).toBe('0812••••••90');
  });

  it('lists the groups behind every count: the linked rows are exactly the ones counted', async () => {
    const page = await (await srv.fetchAs('provinsi', `/pantau/ketepatan?${q}`)).text();
    expect(page).toContain('Ketepatan waktu: September 2026');
    expect(page).toContain('paling lambat 3 Oktober 2026');
    // Every table's header names its columns (the province table's too).
    const provinceTable = page.slice(page.indexOf('id="provinsi-judul"'), page.indexOf('id="kabupaten-judul"'));
    expect(provinceTable).toContain('R/1/UPPKA/20: tepat waktu / terlambat / belum ada (tepat waktu %)');
    expect(provinceTable).toContain('<th scope="col">LAPORAN PROVINSI</th>');
    const links = [...page.matchAll(/<a href="(\?[^"]+#kelompok)">(\d+)<\/a>/g)].map((m) => ({ href: m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='), n: Number(m[2]) }));
    expect(links.length).toBeGreaterThan(10);
    let checked = 0;
    for (const { href, n } of links) {
      const drilled = await (await srv.fetchAs('provinsi', `/pantau/ketepatan${href}`)).text();
      const section = drilled.slice(drilled.indexOf('id="kelompok"'));
      const rows = [...section.matchAll(/<a href="\/submissions\/[0-9a-f-]{36}">/g)].length;
      // A state's count lists exactly its groups; a region's group count lists those missing something.
      if (href.includes('keadaan=')) {
        expect(rows, href).toBe(n);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    const missing = await (await srv.fetchAs('provinsi', `/pantau/ketepatan?${q}&kolom=r1-uppka&keadaan=belum_ada&wilayah=33.74`)).text();
    expect(missing).toContain(`<a href="/submissions/${ids.c}">UPPKA Baru</a>`);
    expect(missing).toContain('(1)');
    expect(missing).toContain('Kampung KB Melati');
  });

  it('gives the same numbers as CSV, and keeps the pages to those who monitor', async () => {
    const csv = await (await srv.fetchAs('kabupaten', `/api/pantau/ketepatan.csv?${q}`)).text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith('UPPKA Lambat'))).toContain('terlambat,38');
    expect((await srv.fetchAs('kader', `/pantau/ketepatan?${q}`)).status).toBe(403);
    expect((await srv.fetchAs('pkb', `/api/pantau/ketepatan.json?${q}`)).status).toBe(403);
    const bad = await srv.fetchAs('kabupaten', '/api/pantau/ketepatan.json?tahun=2026&bulan=13');
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors[0].message).toBe('Bulan: isi bilangan 1–12.');
  });
});
