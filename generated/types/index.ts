/* Dibuat oleh `npm run generate`. Jangan disunting. */
export type { K0Uppka } from './k0-uppka.js';
export type { LaporanKabupaten } from './laporan-kabupaten.js';
export type { LaporanProvinsi } from './laporan-provinsi.js';
export type { R1Uppka } from './r1-uppka.js';
export type { Anggota, IdentitasKelompok } from './shared.js';
