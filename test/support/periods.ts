/**
 * Reporting periods around now, in WIB as the server counts them (server/studio/registry.ts):
 * tests publish "from next month" and read "last month's" report.
 */
import { currentPeriod } from '../../server/studio/registry.js';

export type Period = { tahun: number; bulan: number };
export const now: Period = currentPeriod();
export const next: Period = now.bulan === 12 ? { tahun: now.tahun + 1, bulan: 1 } : { tahun: now.tahun, bulan: now.bulan + 1 };
export const last: Period = now.bulan === 1 ? { tahun: now.tahun - 1, bulan: 12 } : { tahun: now.tahun, bulan: now.bulan - 1 };
/** `?periode=` as the entry pages take it. */
export const ym = (p: Period) => `${p.tahun}-${String(p.bulan).padStart(2, '0')}`;
