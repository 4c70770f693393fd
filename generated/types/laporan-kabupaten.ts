/* Dibuat dari forms/laporan-kabupaten.json (LAPORAN KABUPATEN/KOTA, versi 1) oleh `npm run generate`. Jangan disunting. */

export interface LaporanKabupaten {
  /**
   * Periode Laporan
   */
  periode: {
    /**
     * Kelompok UPPKA
     */
    kelompok_id: string;
    /**
     * Bulan
     */
    bulan: number & (1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12);
    /**
     * Tahun
     */
    tahun: number;
  };
  /**
   * A. Identitas Kelompok
   */
  identitas_kelompok: {
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
  };
  /**
   * B. Identitas Anggota Kelompok
   *
   * @minItems 1
   * @maxItems 1000
   */
  anggota: {
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
  /**
   * C. Jenis Kegiatan
   */
  jenis_kegiatan: {
    /**
     * Mendapatkan materi dan media KIE serta pengembangan materi sesuai karakteristik lokal
     */
    materi_media_kie: boolean;
    /**
     * Sosialisasi materi dan media KIE Pemberdayaan Ekonomi Keluarga akseptor
     */
    sosialisasi_kie_pek: boolean;
    /**
     * Orientasi Pemberdayaan Ekonomi Keluarga Akseptor
     */
    orientasi_pek: boolean;
    /**
     * Fasilitasi Pemberdayaan Ekonomi Keluarga Akseptor (ATTG atau lainnya)
     */
    fasilitasi_pek: boolean;
    /**
     * Pengembangan PEK melalui strategi jenis usaha dalam rangka mendukung pencegahan stunting
     */
    pengembangan_pek_stunting: boolean;
    /**
     * Identifikasi dan Inventarisasi Data
     */
    lainnya_identifikasi_data?: boolean;
    /**
     * Menyusun Laporan Pelaksanaan Kegiatan
     */
    lainnya_menyusun_laporan?: boolean;
    /**
     * Melakukan bimbingan teknis
     */
    lainnya_bimbingan_teknis?: boolean;
    /**
     * Pelaksanaan kegiatan Lainnya
     */
    lainnya_pelaksanaan?: boolean;
    /**
     * Kegiatan Lainnya
     */
    lainnya_keterangan?: string;
  };
}
