/* Dibuat dari forms/k0-uppka.json (K/0/UPPKA/20, versi 5) oleh `npm run generate`. Jangan disunting. */
import type {Anggota, IdentitasKelompok} from "./shared.js";

export interface K0Uppka {
  /**
   * Tahun Kartu
   */
  kartu: {
    /**
     * Tahun Anggaran
     *
     * Perubahan selama tahun itu disimpan sebagai perbaikan kartu yang sama.
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
}
