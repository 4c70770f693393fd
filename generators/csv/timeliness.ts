/**
 * Timeliness as CSV: one line per group with its region, contact and, per form with a deadline,
 * the state, days late and first receipt — the same numbers as the monitoring page and its JSON.
 */
import { stringify } from 'csv-stringify/sync';
import type { TimelinessSummary } from '../../engine/index.js';
import { safeCell } from './index.js';

export function timelinessCsv(summary: TimelinessSummary, regionName: (code: string) => string): string {
  const contact = summary.groups[0]?.contact.map((c) => c.field.label) ?? [];
  const header = ['Kelompok', 'Provinsi', 'Kabupaten/Kota', 'Desa/Kelurahan', ...contact,
    ...summary.groupColumns.flatMap((col) => [`${col.code}: keadaan`, `${col.code}: terlambat (hari)`, `${col.code}: diterima`])];
  const rows = summary.groups.map((g) => [
    g.title, regionName(g.regions.provinsi ?? ''), regionName(g.regions.kabupaten_kota ?? ''), regionName(g.regions.desa_kelurahan ?? ''),
    ...g.contact.map((c) => c.value),
    ...g.cells.flatMap((t) => [t.state.replace('_', ' '), t.state === 'terlambat' ? t.daysLate : '', t.state === 'belum_ada' ? '' : t.receivedAt]),
  ].map(safeCell));
  return `\uFEFF${stringify([header, ...rows])}`;
}
