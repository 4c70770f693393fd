/* Dibuat dari forms/laporan-kabupaten.json (LAPORAN KABUPATEN/KOTA, versi 6) oleh `npm run generate`. Jangan disunting. */
import type {Anggota, IdentitasKelompok} from "./shared.js";

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
  identitas_kelompok: IdentitasKelompok;
  /**
   * B. Identitas Anggota Kelompok
   */
  anggota: Anggota;
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
  };
  /**
   * 6. Kegiatan Lainnya (Diisi oleh Perwakilan BKKBN Provinsi)
   *
   * Diisi oleh Perwakilan BKKBN Provinsi, bukan oleh OPD KB kabupaten/kota.
   */
  kegiatan_lainnya: {
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
