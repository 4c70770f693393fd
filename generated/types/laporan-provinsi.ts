/* Dibuat dari forms/laporan-provinsi.json (LAPORAN PROVINSI, versi 4) oleh `npm run generate`. Jangan disunting. */

export interface LaporanProvinsi {
  /**
   * Kop Laporan
   */
  kop: {
    /**
     * Provinsi
     */
    provinsi: string;
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
   * Kelompok UPPKA
   *
   * @maxItems 100000
   */
  baris: {
    /**
     * Kelompok
     */
    kelompok_id?: string;
    /**
     * Kabupaten/Kota
     */
    kabupaten_kota?: string;
    /**
     * Nama Kampung Keluarga Berkualitas
     */
    nama_kampung_kb?: string;
    /**
     * Nama Kelompok UPPKA
     */
    nama_kelompok: string;
    /**
     * Lestari
     */
    mkjp_lestari?: number;
    /**
     * Mandiri
     */
    mkjp_mandiri?: number;
    /**
     * Non MKJP
     */
    non_mkjp?: number;
    /**
     * Total Jumlah Akseptor
     */
    total_akseptor?: number;
    /**
     * Non PUS
     */
    non_pus?: number;
    /**
     * Keluarga rentan stunting
     */
    rentan_stunting?: number;
    /**
     * Sosialisasi kebijakan PEK Nasional Pro PN (Ya/Tidak)
     */
    kegiatan_sosialisasi?: boolean;
    /**
     * Orientasi pemberdayaan ekonomi keluarga (Ya/Tidak)
     */
    kegiatan_orientasi?: boolean;
    /**
     * Pengembangan Model Kemitraan, Permodalan, Pemasaran/Pilot Project PEK Peduli Stunting (Ya/Tidak)
     */
    kegiatan_pengembangan_model?: boolean;
    /**
     * Monitoring dan Evaluasi Pelaksanaan Fasilitas Pemberdayaan Ekonomi Keluarga (Ya/Tidak)
     */
    kegiatan_monev?: boolean;
    /**
     * Pagu
     */
    pagu?: number;
    /**
     * Realisasi
     */
    realisasi?: number;
    /**
     * Jumlah Keluarga yang tergabung dalam Poktan UPPKA (Orang/Keluarga)
     */
    jumlah_keluarga?: number;
    /**
     * Jumlah Keluarga Akseptor (Orang/Keluarga)
     */
    jumlah_keluarga_akseptor?: number;
    /**
     * Jumlah Akseptor KB MKJP Lestari (Orang/Keluarga)
     */
    jumlah_akseptor_lestari?: number;
    /**
     * Jumlah Akseptor KB MKJP Mandiri (Orang/Keluarga)
     */
    jumlah_akseptor_mandiri?: number;
    /**
     * Jumlah Rentan Stunting (Remaja/Catin, Bumil, Busui, Baduta, Balita) (Orang/Keluarga)
     */
    jumlah_rentan_stunting?: number;
    /**
     * Remaja/Calon Pengantin
     */
    jumlah_remaja_catin?: number;
    /**
     * Ibu Hamil
     */
    jumlah_ibu_hamil?: number;
    /**
     * Ibu Menyusui
     */
    jumlah_ibu_menyusui?: number;
    /**
     * Baduta
     */
    jumlah_baduta?: number;
    /**
     * Balita
     */
    jumlah_balita?: number;
    /**
     * Jumlah UPPKA Lama yang terus dibina (kelompok)
     */
    jumlah_uppka_lama?: number;
    /**
     * KET
     */
    keterangan?: string;
  }[];
  /**
   * Tanda Tangan
   */
  tanda_tangan?: {
    /**
     * Nama Dinas
     */
    dinas?: string;
    /**
     * Tempat dan Tanggal
     */
    tempat_tanggal?: string;
    /**
     * Nama Kepala Dinas
     */
    nama_kepala_dinas?: string;
    /**
     * Nama Kepala Perwakilan BKKBN Provinsi
     */
    nama_kepala_perwakilan?: string;
    /**
     * Nama Koordinator Bidang KS
     */
    nama_koordinator?: string;
  };
}
