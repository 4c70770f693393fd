/**
 * Valid submissions for tests and demo data: fast-check arbitraries that respect each form's rules
 * (so the round-trip property test sees thousands of shapes), and a plain builder for big K/0s.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { K0Uppka } from '../../generated/types/index.js';
import { textProblem } from '../../engine/text-hygiene.js';

const MKJP = ['iud', 'implan', 'mow', 'mop'] as const;
const NON_MKJP = ['suntik', 'pil', 'kondom', 'lainnya'] as const;
/** Text with quotes, accents, emoji and SQL-looking content. */
// Stored text is trimmed (engine/text-hygiene.ts): generate it as it is kept, for exact round trips.
// Text the engine refuses (control and format characters, line separators) is not generated here:
// test/resilience.test.ts covers it.
const text = (max = 40) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }).map((s) => s.trim())
  .filter((s) => s.length > 0 && textProblem({ required: true, multiline: false }, s) === undefined);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const memberArb = fc
  .record({
    nama: text(),
    usia: fc.integer({ min: 0, max: 120 }),
    kb: fc.constantFrom('none', 'mkjp_lestari', 'mkjp_mandiri', 'non_mkjp'),
    pus: fc.boolean(),
    nik: optional(fc.stringMatching(/^[0-9]{16}$/)),
    mkjpMethod: fc.constantFrom(...MKJP),
    otherMethod: fc.constantFrom(...NON_MKJP),
    flags: fc.array(fc.constantFrom('remaja_catin', 'ibu_hamil', 'ibu_menyusui', 'baduta', 'balita'), { maxLength: 3 }),
    explicitFalse: fc.boolean(),
  })
  .map((m) => {
    const kb = m.pus ? m.kb : 'none';
    const row: Record<string, unknown> = compact({
      nama: m.nama,
      nik: m.nik,
      usia: m.usia,
      status: m.pus ? 'pus' : 'non_pus',
      mkjp_lestari: kb === 'mkjp_lestari',
      mkjp_mandiri: kb === 'mkjp_mandiri',
      non_mkjp: kb === 'non_mkjp',
      jenis_kontrasepsi: kb === 'none' ? undefined : kb === 'non_mkjp' ? m.otherMethod : m.mkjpMethod,
    });
    for (const f of m.flags) row[f] = true;
    if (m.explicitFalse && !row.balita) row.balita = false;
    return row;
  });

export const k0Arb = fc
  .record({
    nama_kampung_kb: text(),
    nama_kelompok: text(),
    tahun_terbentuk: fc.integer({ min: 1970, max: 2026 }),
    jalan: optional(text()),
    jenis_usaha: fc.constantFrom('pertanian_peternakan_perikanan', 'pelayanan_jasa', 'kuliner', 'kerajinan', 'lainnya'),
    lainnya: text(),
    nama_ketua: optional(text()),
    telepon: optional(fc.stringMatching(/^[0-9+-][0-9+ -]{4,18}[0-9+-]$/)),
    sumber_modal: optional(fc.constantFrom('apbn', 'apbd', 'dana_desa', 'swadaya')),
    modal_saat_ini: optional(fc.integer({ min: 0, max: 1_000_000_000_000 })),
    anggota: fc.array(memberArb, { minLength: 1, maxLength: 8 }),
  })
  .map((g) => ({
    kartu: { tahun: 2023 },
    identitas_kelompok: compact({
      nama_kampung_kb: g.nama_kampung_kb,
      nama_kelompok: g.nama_kelompok,
      tahun_terbentuk: g.tahun_terbentuk,
      jalan: g.jalan,
      provinsi: '33',
      kabupaten_kota: '33.74',
      kecamatan: '33.74.01',
      desa_kelurahan: '33.74.01.1001',
      jumlah_anggota: g.anggota.length,
      jenis_usaha: g.jenis_usaha,
      jenis_usaha_lainnya: g.jenis_usaha === 'lainnya' ? g.lainnya : undefined,
      nama_ketua: g.nama_ketua,
      telepon: g.telepon,
      sumber_modal: g.sumber_modal,
      modal_saat_ini: g.modal_saat_ini,
    }),
    anggota: g.anggota,
  }));

/** R/1 registers for an existing group card, month and year. */
export const r1Arb = (kelompokId: string) =>
  fc
    .record({
      bulan: fc.integer({ min: 1, max: 12 }),
      tahun: fc.integer({ min: 2020, max: 2026 }),
      meetings: fc.array(fc.record({ day: fc.integer({ min: 1, max: 28 }), materi: text(), hadir: fc.integer({ min: 0, max: 5 }), narasumber: optional(text()) }), { maxLength: 4 }),
      anggota: optional(fc.array(fc.record({ nama: text(), hadir: fc.boolean(), aktif_usaha: fc.boolean(), status_kb: fc.constantFrom('mkjp_lestari', 'mkjp_mandiri', 'non_mkjp', 'tidak_ber_kb') }), { maxLength: 5 })),
      kegiatan: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()),
      modal: fc.integer({ min: 0, max: 1e12 }),
      omzet: fc.integer({ min: 0, max: 1e12 }),
      bantuan: optional(fc.integer({ min: 1, max: 1e9 })),
    })
    .map((r) => compact({
      identitas: { kelompok_id: kelompokId, bulan: r.bulan, tahun: r.tahun, jumlah_anggota: 5 },
      pertemuan: r.meetings.map((m) => compact({ tanggal: `${r.tahun}-${String(r.bulan).padStart(2, '0')}-${String(m.day).padStart(2, '0')}`, materi: m.materi, jumlah_hadir: m.hadir, narasumber: m.narasumber })),
      kegiatan_anggota: r.anggota,
      kegiatan_pro_pn: { sosialisasi_kebijakan: r.kegiatan[0], orientasi_pek: r.kegiatan[1], pengembangan_model: r.kegiatan[2], monitoring_evaluasi: r.kegiatan[3] },
      usaha: compact({ modal: r.modal, omzet: r.omzet, bantuan_modal: r.bantuan, sumber_bantuan: r.bantuan ? 'dana_desa' : undefined }),
    }));

/** A valid K/0 with `n` members, deterministic, for size tests and benchmarks. */
export function bigK0(n: number, name = 'UPPKA Besar'): K0Uppka {
  const anggota: K0Uppka['anggota'] = Array.from({ length: n }, (_, i) => {
    const kind = i % 4;
    return {
      nama: `Anggota ${i + 1} — “Ibu” Sri’s keluarga`,
      usia: 20 + (i % 40),
      status: kind === 3 ? ('non_pus' as const) : ('pus' as const),
      mkjp_lestari: kind === 0,
      mkjp_mandiri: kind === 1,
      non_mkjp: kind === 2,
      ...(kind === 0 ? { jenis_kontrasepsi: 'iud' as const } : kind === 1 ? { jenis_kontrasepsi: 'implan' as const } : kind === 2 ? { jenis_kontrasepsi: 'pil' as const } : {}),
      ...(i % 5 === 0 ? { balita: true } : {}),
    };
  });
  return {
    kartu: { tahun: 2023 },
    identitas_kelompok: {
      nama_kampung_kb: 'Kampung KB Melati', nama_kelompok: name, tahun_terbentuk: 2018,
      provinsi: '33', kabupaten_kota: '33.74', kecamatan: '33.74.01', desa_kelurahan: '33.74.01.1001',
      jumlah_anggota: n, jenis_usaha: 'kuliner',
    },
    anggota,
  };
}

export const uuid = (): string => randomUUID();
