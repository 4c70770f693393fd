/** Small definitions built in tests: a form with sections and a table, a source form and a report on it. */
export const SCHEMA = 'https://json-schema.org/draft/2020-12/schema';
type Json = Record<string, any>;

/** A form with two sections (one without additionalProperties, as in the docs' example) and a table. */
export function smallForm(): Json {
  return {
    $schema: SCHEMA,
    title: 'Daftar Hadir',
    'x-code': 'H/1/UJI',
    'x-version': 1,
    'x-kind': 'form',
    type: 'object',
    required: ['kegiatan'],
    additionalProperties: false,
    properties: {
      kegiatan: {
        type: 'object',
        title: 'A. Kegiatan',
        required: ['nama'],
        properties: {
          nama: { type: 'string', minLength: 1, maxLength: 50, title: 'Nama' },
          jumlah: { type: 'integer', minimum: 0, maximum: 100, title: 'Jumlah' },
          persen: { $ref: '#/$defs/persen', title: 'Persen' },
          hadir: { type: 'boolean', title: 'Hadir' },
        },
      },
      catatan: {
        type: 'object',
        title: 'C. Catatan',
        additionalProperties: false,
        properties: { isi: { type: 'string', maxLength: 200, title: 'Isi' } },
      },
      peserta: {
        type: 'array',
        title: 'B. Peserta',
        maxItems: 20,
        'x-pdf': { emptyRows: 5 },
        items: {
          type: 'object',
          required: ['nama_peserta'],
          properties: {
            nama_peserta: { type: 'string', minLength: 1, maxLength: 50, title: 'Nama Peserta', 'x-column': 2 },
            usia: { type: 'integer', minimum: 0, maximum: 120, title: 'Usia', 'x-column': 3 },
          },
        },
      },
    },
    $defs: { persen: { type: 'integer', minimum: 0, maximum: 100 } },
    examples: [{ kegiatan: { nama: 'Rapat' }, peserta: [{ nama_peserta: 'Sri' }] }],
  };
}

/** The form a report rolls up: one submission per group, named by `nama`. */
export function groupForm(): Json {
  return {
    $schema: SCHEMA,
    title: 'Kartu Kelompok',
    'x-code': 'K/UJI',
    'x-version': 1,
    'x-kind': 'form',
    'x-title-field': 'nama',
    type: 'object',
    required: ['identitas', 'anggota'],
    additionalProperties: false,
    properties: {
      identitas: {
        type: 'object',
        title: 'A. Identitas',
        required: ['nama', 'wilayah'],
        additionalProperties: false,
        properties: {
          nama: { type: 'string', minLength: 1, maxLength: 80, title: 'Nama Kelompok' },
          wilayah: { type: 'string', pattern: '^[0-9]{2}$', title: 'Wilayah' },
          tahun_berdiri: { type: 'integer', minimum: 1970, maximum: 2100, title: 'Tahun Berdiri' },
        },
      },
      anggota: {
        type: 'array',
        title: 'B. Anggota',
        minItems: 1,
        items: {
          type: 'object',
          required: ['nama_anggota'],
          additionalProperties: false,
          properties: {
            nama_anggota: { type: 'string', minLength: 1, title: 'Nama Anggota' },
            aktif: { type: 'boolean', title: 'Aktif' },
          },
        },
      },
    },
    examples: [{ identitas: { nama: 'Melati', wilayah: '33' }, anggota: [{ nama_anggota: 'Sri', aktif: true }] }],
  };
}

/** A province-style table report over `kelompok`. */
export function tableReport(): Json {
  return {
    $schema: SCHEMA,
    title: 'Laporan Uji',
    'x-code': 'LAPORAN UJI',
    'x-version': 1,
    'x-kind': 'report',
    'x-pdf': {
      orientation: 'landscape',
      header: ['wilayah', 'tahun'],
      totals: true,
      signatures: [{ heading: 'Mengetahui,', title: 'Kepala Wilayah {wilayah}', name: 'nama_kepala' }],
    },
    'x-rollup': {
      scope: 'province',
      params: 'kop',
      paramNames: { wilayah: 'provinsi' },
      rows: 'baris',
      rowPer: 'kelompok',
      filter: { field: 'wilayah', equals: { param: 'wilayah' } },
      period: { year: 'tahun', month: 'bulan' },
      orderBy: ['nama'],
    },
    'x-unique': ['wilayah', 'tahun', 'bulan'],
    type: 'object',
    required: ['kop', 'baris'],
    additionalProperties: false,
    properties: {
      kop: {
        type: 'object',
        title: 'Kop',
        required: ['wilayah', 'tahun', 'bulan'],
        additionalProperties: false,
        properties: {
          wilayah: { type: 'string', pattern: '^[0-9]{2}$', title: 'Wilayah' },
          tahun: { type: 'integer', minimum: 2020, maximum: 2100, title: 'Tahun' },
          bulan: { type: 'integer', minimum: 1, maximum: 12, title: 'Bulan' },
          nama_kepala: { type: 'string', title: 'Nama Kepala' },
        },
      },
      baris: {
        type: 'array',
        title: 'Kelompok',
        items: {
          type: 'object',
          additionalProperties: false,
          properties: {
            nama: { type: 'string', title: 'Nama', 'x-rollup': { from: 'kelompok', value: 'nama' }, 'x-pdf': { repeat: true } },
            jumlah: { type: 'integer', title: 'Jumlah Aktif', 'x-rollup': { from: 'kelompok', count: 'anggota', where: { anyTrue: ['aktif'] } }, 'x-pdf': { page: 2 } },
            lama: { type: 'integer', title: 'Kelompok Lama', 'x-rollup': { from: 'kelompok', countGroup: true, where: { field: 'tahun_berdiri', lt: { param: 'tahun' } } } },
          },
        },
      },
    },
    examples: [{ kop: { wilayah: '33', tahun: 2024, bulan: 1 }, baris: [{ nama: 'Melati', jumlah: 1, lama: 0 }] }],
  };
}

/** A group-style report: one `kelompok` submission copied, chosen in the parameter section. */
export function copyReport(): Json {
  return {
    $schema: SCHEMA,
    title: 'Laporan Kelompok Uji',
    'x-code': 'LAPORAN KELOMPOK',
    'x-version': 1,
    'x-kind': 'report',
    'x-rollup': {
      scope: 'group',
      params: 'periode',
      paramNames: { kelompok_id: 'kelompok' },
      copy: [{ section: 'identitas', from: 'kelompok', path: 'identitas' }],
    },
    type: 'object',
    required: ['periode'],
    additionalProperties: false,
    properties: {
      periode: {
        type: 'object',
        title: 'Periode',
        required: ['kelompok_id', 'tahun'],
        additionalProperties: false,
        properties: {
          kelompok_id: { type: 'string', format: 'uuid', title: 'Kelompok', 'x-ref-form': 'kelompok', 'x-hidden': true },
          tahun: { type: 'integer', minimum: 2020, maximum: 2100, title: 'Tahun' },
        },
      },
      identitas: {
        type: 'object',
        title: 'A. Identitas',
        additionalProperties: false,
        properties: { nama: { type: 'string', title: 'Nama Kelompok' }, wilayah: { type: 'string', title: 'Wilayah' } },
      },
    },
    examples: [{ periode: { kelompok_id: '00000000-0000-4000-8000-000000000000', tahun: 2024 } }],
  };
}

/** Author-facing: Indonesian, not the form filler's "Wajib diisi.", no English from ajv. */
export const AUTHOR_MESSAGE = /^(?!Wajib diisi\.$)(?!.*\b(must|should|schema|property)\b).*\b(tidak|bukan|ditolak|menyebut|harus|wajib|hanya|boleh|Kata kunci|Rujukan|Pola|Nilai|Format|Kondisi)\b/;
