/** Report roll-up from stored K/0 and R/1 data whose totals are known by construction. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadForms } from '../engine/index.js';
import { buildReport, saveReportEntries as saveReportInputs } from '../engine/index.js';
import { saveSubmission } from '../engine/storage/index.js';
import { bigK0, uuid } from './support/submissions.js';
import { tempStore } from './support/temp-store.js';

const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const r1 = forms.get('r1-uppka')!;
const report = forms.get('laporan-provinsi')!;
let ctx: Awaited<ReturnType<typeof tempStore>>;
const ids = { a: uuid(), b: uuid(), c: uuid(), other: uuid(), old: uuid() };

/** bigK0(n): member i is Lestari (i%4=0), Mandiri (1), Non-MKJP (2) or Non-PUS (3); balita when i%5=0. */
function group(n: number, name: string, kab: string, kampung: string, year = 2018) {
  const d = bigK0(n, name);
  Object.assign(d.identitas_kelompok, { kabupaten_kota: kab, nama_kampung_kb: kampung, tahun_terbentuk: year });
  if (kab === '33.22') Object.assign(d.identitas_kelompok, { kecamatan: '33.22.01', desa_kelurahan: '33.22.01.2001' });
  return d;
}
const register = (kelompok_id: string, bulan: number, sosialisasi: boolean) => ({
  identitas: { kelompok_id, bulan, tahun: 2023, jumlah_anggota: 8 },
  pertemuan: [],
  kegiatan_pro_pn: { sosialisasi_kebijakan: sosialisasi, orientasi_pek: false, pengembangan_model: true, monitoring_evaluasi: false },
  usaha: { modal: 0, omzet: 0 },
});

beforeAll(async () => {
  ctx = await tempStore();
  const s = ctx.store;
  await saveSubmission(s, k0, { id: ids.a, data: group(8, 'UPPKA Anyelir', '33.74', 'Kampung KB Melati') });
  await saveSubmission(s, k0, { id: ids.b, data: group(4, 'UPPKA Bougenvil', '33.74', 'Kampung KB Anggrek', 2023) });
  await saveSubmission(s, k0, { id: ids.c, data: group(5, 'UPPKA Cempaka', '33.22', 'Kampung KB Merbabu') });
  const yogya = group(3, 'UPPKA Jogja', '34.71', 'Kampung KB Gedongkiwo');
  Object.assign(yogya.identitas_kelompok, { provinsi: '34', kecamatan: '34.71.01', desa_kelurahan: '34.71.01.1001' });
  await saveSubmission(s, k0, { id: ids.other, data: yogya });
  await saveSubmission(s, k0, { id: ids.old, data: group(2, 'UPPKA Bubar', '33.74', 'Kampung KB Melati') });
  const { setSubmissionStatus } = await import('../engine/storage/index.js');
  await setSubmissionStatus(s, k0, ids.old, 'nonaktif', { reason: 'Kelompok bubar', at: '2023-01-15' });
  await saveSubmission(s, r1, { id: uuid(), data: register(ids.a, 3, false) });
  await saveSubmission(s, r1, { id: uuid(), data: register(ids.a, 3, true) }); // correction: the current one counts
  await saveSubmission(s, r1, { id: uuid(), data: register(ids.c, 4, true) }); // another month
});
afterAll(async () => ctx.cleanup());

describe('province report roll-up', () => {
  it('has one row per active group of the province, in district and Kampung KB order, with counts from the members', async () => {
    const built = await buildReport({ store: ctx.store, forms }, report, { provinsi: '33', tahun: 2023, bulan: 3 });
    const rows = built.data.baris as any[];
    expect(rows.map((r) => r.nama_kelompok)).toEqual(['UPPKA Cempaka', 'UPPKA Bougenvil', 'UPPKA Anyelir']);
    expect(rows[2]).toEqual({
      kelompok_id: ids.a, kabupaten_kota: 'Kota Semarang', nama_kampung_kb: 'Kampung KB Melati', nama_kelompok: 'UPPKA Anyelir',
      mkjp_lestari: 2, mkjp_mandiri: 2, non_mkjp: 2, total_akseptor: 6, non_pus: 2, rentan_stunting: 2,
      kegiatan_sosialisasi: true, kegiatan_orientasi: false, kegiatan_pengembangan_model: true, kegiatan_monev: false,
      jumlah_keluarga: 8, jumlah_keluarga_akseptor: 6, jumlah_akseptor_lestari: 2, jumlah_akseptor_mandiri: 2,
      jumlah_rentan_stunting: 2, jumlah_remaja_catin: 0, jumlah_ibu_hamil: 0, jumlah_ibu_menyusui: 0, jumlah_baduta: 0, jumlah_balita: 2,
      jumlah_uppka_lama: 1,
    });
    expect(rows[0]).toMatchObject({ kabupaten_kota: 'Kabupaten Semarang', mkjp_lestari: 2, mkjp_mandiri: 1, non_mkjp: 1, non_pus: 1 });
    // No register for the month: "belum lapor", blank, never "Tidak"; the report says how many arrived.
    expect(rows[0]!.kegiatan_sosialisasi).toBeUndefined();
    expect(built.table!.received).toEqual([{ form: 'r1-uppka', code: 'R/1/UPPKA/20', count: 1 }]);
    expect(rows[1]).toMatchObject({ jumlah_uppka_lama: 0, jumlah_keluarga: 4 });
    expect(built.table!.totals).toMatchObject({ jumlah_keluarga: 17, mkjp_lestari: 5, total_akseptor: 13, jumlah_uppka_lama: 2, kegiatan_sosialisasi: 1, kegiatan_pengembangan_model: 1 });
    expect(built.data.kop).toEqual({ provinsi: '33', bulan: 3, tahun: 2023 });
  });

  it('keeps the staff entries (pagu, realisasi, keterangan, names) as revisions and merges them', async () => {
    const params = { provinsi: '33', tahun: 2023, bulan: 3 };
    const first = await saveReportInputs({ store: ctx.store, forms }, report, params, uuid(), {
      rows: { [ids.a]: { pagu: 10_000_000, realisasi: 2_500_000, keterangan: 'Baik' } },
      sections: { tanda_tangan: { nama_koordinator: 'Agus Prasetyo' } },
    });
    expect(first.revision).toBe(1);
    // A rolled-up column is not the staff's to enter: refused with its place, not dropped.
    const rolled = await saveReportInputs({ store: ctx.store, forms }, report, params, uuid(), { rows: { [ids.a]: { mkjp_lestari: 99 } }, sections: {} }).catch((e) => e);
    expect(rolled.issues).toEqual([expect.objectContaining({ path: expect.stringMatching(/^\/baris\/\d+\/mkjp_lestari$/), message: 'Kolom ini tidak diisi oleh petugas.' })]);
    const built = await buildReport({ store: ctx.store, forms }, report, params);
    const a = (built.data.baris as any[]).find((r) => r.kelompok_id === ids.a);
    expect(a).toMatchObject({ pagu: 10_000_000, realisasi: 2_500_000, keterangan: 'Baik', mkjp_lestari: 2 });
    expect(built.data.tanda_tangan).toEqual({ nama_koordinator: 'Agus Prasetyo' });
    expect(built.table!.totals.pagu).toBe(10_000_000);
    const second = await saveReportInputs({ store: ctx.store, forms }, report, params, uuid(), { rows: { [ids.a]: { realisasi: 3_000_000 } }, sections: {} });
    expect(second).toMatchObject({ revision: 2, supersedes: first.id });
    const again = await buildReport({ store: ctx.store, forms }, report, params);
    expect((again.data.baris as any[]).find((r) => r.kelompok_id === ids.a)).toMatchObject({ pagu: 10_000_000, realisasi: 3_000_000 });
  });

  it('refuses entries that break the report rules, in Indonesian', async () => {
    const err = await saveReportInputs({ store: ctx.store, forms }, report, { provinsi: '33', tahun: 2023, bulan: 3 }, uuid(), {
      rows: { [ids.b]: { pagu: 100, realisasi: 200 } }, sections: {},
    }).catch((e: any) => e);
    expect(err.issues).toEqual([expect.objectContaining({ path: '/baris/1/realisasi', label: 'Baris no. 2 — Realisasi', message: 'Realisasi tidak boleh melebihi pagu.' })]);
  });
});
