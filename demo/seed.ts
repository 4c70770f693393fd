/**
 * A small demo dataset for a fresh install: groups in three provinces with members and monthly
 * registers, so every page and report shows something. Loaded once; a marker row remembers it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { saveSubmission, type FormModel, type Store } from '../engine/index.js';
import type { K0Uppka, R1Uppka } from '../generated/types/index.js';

type Member = K0Uppka['anggota'][number];

const NAMES = ['Sri Wahyuni', 'Dewi Lestari', 'Siti Aminah', 'Ngatinem', 'Rina Marlina', 'Yuli Astuti', 'Nur Hidayah', 'Endang Sulastri', 'Ratna Sari', 'Tri Handayani', 'Cut Nyak Meutia', 'Ni Luh Ayu'];

const GROUPS: { nama: string; usaha: K0Uppka['identitas_kelompok']['jenis_usaha']; tahun: number; wilayah: [string, string, string, string]; kampung: string; anggota: number }[] = [
  { nama: 'UPPKA Sejahtera', usaha: 'kuliner', tahun: 2019, wilayah: ['33', '33.74', '33.74.01', '33.74.01.1001'], kampung: 'Kampung KB Melati', anggota: 8 },
  { nama: 'UPPKA Karya Mandiri', usaha: 'kerajinan', tahun: 2023, wilayah: ['33', '33.74', '33.74.01', '33.74.01.1002'], kampung: 'Kampung KB Anggrek', anggota: 6 },
  { nama: 'UPPKA Merbabu Asri', usaha: 'pertanian_peternakan_perikanan', tahun: 2017, wilayah: ['33', '33.22', '33.22.01', '33.22.01.2001'], kampung: 'Kampung KB Merbabu', anggota: 10 },
  { nama: 'UPPKA Gedongkiwo Berkah', usaha: 'pelayanan_jasa', tahun: 2021, wilayah: ['34', '34.71', '34.71.01', '34.71.01.1001'], kampung: 'Kampung KB Gedongkiwo', anggota: 7 },
  { nama: 'UPPKA Poncosari Jaya', usaha: 'kuliner', tahun: 2020, wilayah: ['34', '34.02', '34.02.01', '34.02.01.2001'], kampung: 'Kampung KB Poncosari', anggota: 5 },
  { nama: 'UPPKA Lambung Meugah', usaha: 'kerajinan', tahun: 2022, wilayah: ['11', '11.71', '11.71.01', '11.71.01.2001'], kampung: 'Kampung KB Lambung', anggota: 6 },
];

function member(i: number): Member {
  const kind = i % 5;
  const base = { nama: NAMES[i % NAMES.length]!, usia: 24 + ((i * 7) % 30), mkjp_lestari: kind === 0, mkjp_mandiri: kind === 1, non_mkjp: kind === 2 || kind === 3 };
  const status = kind === 4 ? ('non_pus' as const) : ('pus' as const);
  const jenis = kind === 0 ? 'iud' : kind === 1 ? 'implan' : kind === 2 ? 'suntik' : kind === 3 ? 'pil' : undefined;
  return { ...base, status, ...(jenis ? { jenis_kontrasepsi: jenis } : {}), ...(i % 3 === 0 ? { balita: true } : {}), ...(i % 4 === 1 ? { ibu_menyusui: true } : {}) } as Member;
}

/** Load the demo data unless it was loaded before. Returns how many submissions were added. */
export async function seedDemo(store: Store, forms: ReadonlyMap<string, FormModel>): Promise<number> {
  await sql`create table if not exists lembar_meta (kunci text primary key, nilai text not null)`.execute(store.db);
  const done = await store.db.selectFrom('lembar_meta').select('nilai').where('kunci', '=', 'demo').executeTakeFirst();
  if (done) return 0;
  const k0 = forms.get('k0-uppka');
  const r1 = forms.get('r1-uppka');
  // The demo fits these two forms; a folder without them (or with them refused) gets none.
  if (!k0 || !r1) return 0;
  const now = new Date();
  let added = 0;
  for (const [g, group] of GROUPS.entries()) {
    const anggota = Array.from({ length: group.anggota }, (_, i) => member(i + g));
    const card: K0Uppka = {
      // This year's card (x-entity.year), in WIB.
      kartu: { tahun: new Date(now.getTime() + 7 * 3600 * 1000).getUTCFullYear() },
      identitas_kelompok: {
        nama_kampung_kb: group.kampung, nama_kelompok: group.nama, tahun_terbentuk: group.tahun, jalan: `Jl. Kenanga No. ${g + 3}`,
        provinsi: group.wilayah[0], kabupaten_kota: group.wilayah[1], kecamatan: group.wilayah[2], desa_kelurahan: group.wilayah[3],
        jumlah_anggota: anggota.length, jenis_usaha: group.usaha, nama_ketua: anggota[0]!.nama, sumber_modal: 'swadaya', modal_saat_ini: 1_500_000 + g * 250_000,
      },
      anggota,
    };
    const id = randomUUID();
    await saveSubmission(store, k0, { id, data: card });
    added++;
    for (let back = 1; back <= 2; back++) {
      const d = new Date(now.getFullYear(), now.getMonth() - back, 1);
      const bulan = d.getMonth() + 1;
      const tahun = d.getFullYear();
      const register: R1Uppka = {
        identitas: { kelompok_id: id, bulan: bulan as R1Uppka['identitas']['bulan'], tahun, jumlah_anggota: anggota.length },
        pertemuan: [{ tanggal: `${tahun}-${String(bulan).padStart(2, '0')}-10`, materi: 'Pencatatan keuangan dan pemasaran produk', jumlah_hadir: Math.max(1, anggota.length - 2), narasumber: 'PLKB Kecamatan' }],
        kegiatan_anggota: anggota.map((m, i) => ({ nama: m.nama, hadir: i % 4 !== 3, aktif_usaha: i % 3 !== 2, status_kb: m.mkjp_lestari ? 'mkjp_lestari' : m.mkjp_mandiri ? 'mkjp_mandiri' : m.non_mkjp ? 'non_mkjp' : 'tidak_ber_kb' })),
        kegiatan_pro_pn: { sosialisasi_kebijakan: true, orientasi_pek: back === 1, pengembangan_model: g % 2 === 0, monitoring_evaluasi: back === 2 },
        usaha: { modal: 1_500_000 + g * 250_000, omzet: 750_000 + g * 120_000 + back * 50_000, ...(g % 2 === 0 ? { bantuan_modal: 500_000, sumber_bantuan: 'dana_desa' as const } : {}) },
      };
      await saveSubmission(store, r1, { id: randomUUID(), data: register });
      added++;
    }
  }
  await store.db.insertInto('lembar_meta').values({ kunci: 'demo', nilai: now.toISOString() }).execute();
  return added;
}
