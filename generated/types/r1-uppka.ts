/* Dibuat dari forms/r1-uppka.json (R/1/UPPKA/20, versi 4) oleh `npm run generate`. Jangan disunting. */

export interface R1Uppka {
  /**
   * A. Identitas Register
   */
  identitas: {
    /**
     * Kelompok UPPKA
     *
     * Kelompok yang sudah terdaftar dengan kartu K/0/UPPKA/20.
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
    /**
     * Jumlah Anggota Bulan Ini
     *
     * Terisi dari kartu K/0 kelompok yang berlaku pada bulan ini; tidak diketik.
     */
    jumlah_anggota: number;
  };
  /**
   * B. Pertemuan Penyuluhan
   *
   * @maxItems 31
   */
  pertemuan: {
    /**
     * Tanggal
     */
    tanggal: string;
    /**
     * Materi/Topik
     */
    materi: string;
    /**
     * Jumlah Hadir
     */
    jumlah_hadir: number;
    /**
     * Narasumber
     */
    narasumber?: string;
  }[];
  /**
   * C. Kegiatan Anggota
   *
   * @maxItems 1000
   */
  kegiatan_anggota?: {
    /**
     * Nama
     */
    nama: string;
    /**
     * Hadir Pertemuan
     */
    hadir: boolean;
    /**
     * Aktif Berusaha
     */
    aktif_usaha: boolean;
    /**
     * Status KB Saat Ini
     */
    status_kb: ("mkjp_lestari" | "mkjp_mandiri" | "non_mkjp" | "tidak_ber_kb") & string;
  }[];
  /**
   * D. Kegiatan Pro PN yang Diikuti Bulan Ini
   */
  kegiatan_pro_pn: {
    /**
     * Sosialisasi kebijakan PEK Nasional Pro PN
     */
    sosialisasi_kebijakan: boolean;
    /**
     * Orientasi Pemberdayaan Ekonomi Keluarga
     */
    orientasi_pek: boolean;
    /**
     * Pengembangan Model Kemitraan, Permodalan, Pemasaran/Pilot Project PEK Peduli Stunting
     */
    pengembangan_model: boolean;
    /**
     * Monitoring dan Evaluasi Pelaksanaan Fasilitasi PEK
     */
    monitoring_evaluasi: boolean;
  };
  /**
   * E. Usaha Kelompok
   */
  usaha: {
    /**
     * Modal (Rp)
     */
    modal: number;
    /**
     * Omzet Bulan Ini (Rp)
     */
    omzet: number;
    /**
     * Bantuan Modal Diterima (Rp)
     */
    bantuan_modal?: number;
    /**
     * Sumber Bantuan Modal
     */
    sumber_bantuan?: ("apbn" | "apbd" | "dana_desa" | "kur_perbankan" | "csr_swasta" | "swadaya" | "lainnya") & string;
  };
}
