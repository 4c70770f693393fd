/* Bagian bersama dari forms/defs/ oleh `npm run generate`. Jangan disunting. */

/**
 * @minItems 1
 * @maxItems 1000
 */
export type Anggota = {
  /**
   * Nama
   */
  nama: string;
  /**
   * NIK
   */
  nik?: string;
  /**
   * Usia
   */
  usia: number;
  /**
   * Status
   */
  status: ("pus" | "non_pus") & string;
  /**
   * MKJP Lestari
   */
  mkjp_lestari: boolean;
  /**
   * MKJP Mandiri
   */
  mkjp_mandiri: boolean;
  /**
   * Non-MKJP
   */
  non_mkjp: boolean;
  /**
   * Jenis Kontrasepsi
   */
  jenis_kontrasepsi?: ("iud" | "implan" | "mow" | "mop" | "suntik" | "pil" | "kondom" | "lainnya") & string;
  /**
   * Remaja/Calon Pengantin
   */
  remaja_catin?: boolean;
  /**
   * Ibu Hamil
   */
  ibu_hamil?: boolean;
  /**
   * Ibu Menyusui
   */
  ibu_menyusui?: boolean;
  /**
   * Baduta
   */
  baduta?: boolean;
  /**
   * Balita
   */
  balita?: boolean;
}[];

export interface IdentitasKelompok {
  /**
   * Nama Kelompok
   */
  nama_kelompok: string;
  /**
   * Tahun Terbentuk
   *
   * Tahun kelompok dibentuk, misalnya 2019.
   */
  tahun_terbentuk: number;
  /**
   * Jalan
   */
  jalan?: string;
  /**
   * Provinsi
   */
  provinsi: string;
  /**
   * Kabupaten/Kota
   */
  kabupaten_kota: string;
  /**
   * Kecamatan
   */
  kecamatan: string;
  /**
   * Desa/Kelurahan
   */
  desa_kelurahan: string;
  /**
   * Nama Kampung KB
   *
   * Pilih dari daftar Kampung KB desa/kelurahan ini, atau ketik bila belum terdaftar.
   */
  nama_kampung_kb: string;
  /**
   * Jumlah Anggota Kelompok
   *
   * Terisi otomatis dari banyaknya baris anggota.
   */
  jumlah_anggota: number;
  /**
   * Jenis Usaha
   */
  jenis_usaha: ("pertanian_peternakan_perikanan" | "pelayanan_jasa" | "kuliner" | "kerajinan" | "lainnya") & string;
  /**
   * Jenis Usaha Lainnya
   */
  jenis_usaha_lainnya?: string;
  /**
   * Nama Ketua
   */
  nama_ketua?: string;
  /**
   * Telepon
   */
  telepon?: string;
  /**
   * Sumber Modal
   */
  sumber_modal?: ("apbn" | "apbd" | "dana_desa" | "kur_perbankan" | "csr_swasta" | "swadaya" | "lainnya") & string;
  /**
   * Sumber Modal Lainnya
   */
  sumber_modal_lainnya?: string;
  /**
   * Modal Saat Ini (Rp)
   */
  modal_saat_ini?: number;
}
