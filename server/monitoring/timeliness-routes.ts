/**
 * Deadlines and timeliness: for a month and the viewer's region, who has reported on time, late
 * (n days) or not yet, per group, district and province, with the groups still missing something
 * listed with their Kampung KB and contact. Every count links to the groups behind it (the same
 * page filtered: `kolom`, `keadaan`, `wilayah`), and each group to its card.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { regionNames, timelinessFor, timelinessLabel, wibDay, type FormModel, type GroupTimeliness, type Tally, type Timeliness, type TimelinessSummary } from '../../engine/index.js';
import { timelinessCsv } from '../../generators/csv/timeliness.js';
import { page, render } from '../../generators/html/render.js';
import { seesPersonal, viewerOf } from '../access.js';
import type { AppDeps } from '../context.js';
import { attachment, shell } from '../http.js';
import { maskValue } from '../personal.js';
import { scopeNarrow } from '../record-region.js';

export const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'] as const;
const STATES = { tepat_waktu: 'tepat waktu', terlambat: 'terlambat', belum_ada: 'belum ada' } as const;
type State = keyof typeof STATES;

const dayFormat = new Intl.DateTimeFormat('id-ID', { dateStyle: 'long', timeZone: 'UTC' });
const longDay = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));
const percent = (rate: number | undefined) => (rate === undefined ? '–' : `${Math.round(rate * 1000) / 10} %`.replace('.', ','));

/**
 * The month asked for (`tahun`, `bulan`), or the last month (in WIB) when none is given: this
 * month's registers are not due yet. A month that cannot be is a 422 naming the field.
 */
export function monitoringPeriod(c: Context, now = new Date()): { year: number; month: number } {
  const today = wibDay(now);
  const lastMonth = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 2, 1));
  const read = (name: string, label: string, min: number, max: number, fallback: number) => {
    const raw = c.req.query(name);
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!/^\d{1,4}$/.test(raw) || n < min || n > max) throw new HTTPException(422, { message: `${label}: isi bilangan ${min}–${max}.` });
    return n;
  };
  return {
    year: read('tahun', 'Tahun', 2000, 2100, lastMonth.getUTCFullYear()),
    month: read('bulan', 'Bulan', 1, 12, lastMonth.getUTCMonth() + 1),
  };
}

/** The drill-down filter of the group list: one column, one state, one region (all optional). */
interface Drill {
  readonly column?: number;
  readonly state?: State;
  readonly region?: string;
}

function drillOf(c: Context, summary: TimelinessSummary): Drill {
  const column = summary.groupColumns.findIndex((col) => col.formId === c.req.query('kolom'));
  const state = c.req.query('keadaan');
  const region = c.req.query('wilayah');
  return {
    ...(column >= 0 ? { column } : {}),
    ...(state && state in STATES ? { state: state as State } : {}),
    ...(region && /^[0-9.]{1,20}$/.test(region) ? { region } : {}),
  };
}

const inRegion = (g: GroupTimeliness, code: string) => Object.values(g.regions).includes(code);

/** The groups a drill-down names; without a state, those missing anything (the page's to-do list). */
export function drilledGroups(summary: TimelinessSummary, drill: Drill): GroupTimeliness[] {
  return summary.groups.filter((g) => {
    if (drill.region && !inRegion(g, drill.region)) return false;
    const cells = drill.column !== undefined ? [g.cells[drill.column]!] : g.cells;
    return drill.state ? cells.some((t) => t.state === drill.state) : cells.some((t) => t.state !== 'tepat_waktu');
  });
}

async function summaryFor(c: Context, deps: AppDeps, now = new Date()): Promise<TimelinessSummary> {
  const period = monitoringPeriod(c, now);
  const groupForm = [...deps.forms.values()].find((m) => m.entity);
  const narrow = groupForm ? scopeNarrow(groupForm, viewerOf(c).scope) : (q: unknown) => q;
  return timelinessFor(deps.store, deps.forms, period, now, narrow);
}

function cellView(t: Timeliness) {
  return { state: t.state, label: timelinessLabel(t), late: t.state === 'terlambat', missing: t.state === 'belum_ada' };
}

function pageView(c: Context, summary: TimelinessSummary, drill: Drill, name: (code: string) => string | undefined, forms: ReadonlyMap<string, FormModel>) {
  const { year, month } = summary.period;
  const base = { tahun: String(year), bulan: String(month) };
  const link = (extra: Record<string, string>) => `?${new URLSearchParams({ ...base, ...extra }).toString()}#kelompok`;
  const full = seesPersonal(c);
  const tallyView = (t: Tally, column: number, region?: string) => {
    const at: Record<string, string> = region ? { wilayah: region } : {};
    const kolom = summary.groupColumns[column]!.formId;
    return {
      expected: t.expected, rate: percent(t.rate),
      onTime: { n: t.onTime, href: link({ ...at, kolom, keadaan: 'tepat_waktu' }) },
      late: { n: t.late, href: link({ ...at, kolom, keadaan: 'terlambat' }) },
      missing: { n: t.missing, href: link({ ...at, kolom, keadaan: 'belum_ada' }) },
    };
  };
  const regionRows = (rows: TimelinessSummary['districts']) => rows.map((r) => ({
    code: r.code, name: name(r.code) ?? r.code, groups: { n: r.groups, href: link({ wilayah: r.code }) },
    tallies: r.tallies.map((t, i) => tallyView(t, i, r.code)),
    own: r.own.map((t) => (t ? cellView(t) : undefined)),
  }));
  const listed = drilledGroups(summary, drill);
  const drillWords = [
    drill.column !== undefined ? summary.groupColumns[drill.column]!.code : undefined,
    drill.state ? STATES[drill.state] : undefined,
    drill.region ? `di ${name(drill.region) ?? drill.region}` : undefined,
  ].filter(Boolean).join(' · ');
  const groupForm = [...forms.values()].find((m) => m.entity);
  return {
    monthName: MONTHS[month - 1], year, month,
    months: MONTHS.map((label, i) => ({ value: i + 1, label, selected: i + 1 === month })),
    columns: summary.groupColumns.map((col) => ({ ...col, dueText: longDay(col.due), periodText: col.period.month ? `${MONTHS[col.period.month - 1]} ${col.period.year}` : `tahun ${col.period.year}` })),
    regionColumns: summary.regionColumns.map((col) => ({ ...col, dueText: longDay(col.due) })),
    total: summary.total.map((t, i) => tallyView(t, i)),
    groupCount: summary.groups.length,
    provinces: summary.provinces.length > 1 || summary.regionColumns.length ? regionRows(summary.provinces) : [],
    districts: regionRows(summary.districts),
    drillWords, drilled: drill.state !== undefined || drill.column !== undefined || drill.region !== undefined,
    contactLabels: (groupForm?.entity?.contact ?? []).map((k) => summary.groups[0]?.contact.find((x) => x.field.key === k)?.field.label ?? k),
    groups: listed.map((g) => ({
      cardId: g.cardId, title: g.title,
      place: [g.regions.desa_kelurahan, g.regions.kabupaten_kota].filter(Boolean).map((code) => name(code!) ?? code).join(', '),
      contact: g.contact.map(({ field, value }) => (value === undefined || value === null ? '' : String(field.personal && !full ? maskValue(value) : value))),
      cells: g.cells.map(cellView),
    })),
    csv: `/api/pantau/ketepatan.csv?${new URLSearchParams(base).toString()}`,
    json: `/api/pantau/ketepatan.json?${new URLSearchParams(base).toString()}`,
  };
}

async function namesOf(deps: AppDeps, summary: TimelinessSummary) {
  const codes = new Set<string>();
  for (const g of summary.groups) for (const code of Object.values(g.regions)) if (code) codes.add(code);
  return regionNames(deps.store, codes);
}

export function timelinessRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/pantau/ketepatan', async (c) => {
    const summary = await summaryFor(c, deps);
    const name = await namesOf(deps, summary);
    const view = pageView(c, summary, drillOf(c, summary), name, deps.forms);
    return c.html(page(`Ketepatan waktu ${view.monthName} ${view.year}`, render('timeliness', view), shell(c)));
  });

  app.get('/api/pantau/ketepatan.json', async (c) => {
    const summary = await summaryFor(c, deps);
    const full = seesPersonal(c);
    const cell = (t: Timeliness) => ({ keadaan: t.state, keterangan: timelinessLabel(t), ...(t.state === 'belum_ada' ? { lewat_hari: t.daysOverdue } : { diterima: t.receivedAt }), ...(t.state === 'terlambat' ? { terlambat_hari: t.daysLate } : {}) });
    const tallyJson = (t: Tally) => ({ diharapkan: t.expected, tepat_waktu: t.onTime, terlambat: t.late, belum_ada: t.missing, persen_tepat_waktu: t.rate === undefined ? null : Math.round(t.rate * 1000) / 10 });
    return c.json({
      tahun: summary.period.year, bulan: summary.period.month,
      kolom: summary.groupColumns.map((col) => ({ formulir: col.formId, kode: col.code, judul: col.title, periode: col.period, tenggat: col.due, ...(col.assumed ? { asumsi: col.assumed } : {}) })),
      kolom_wilayah: summary.regionColumns.map((col) => ({ formulir: col.formId, kode: col.code, tingkat: col.level, tenggat: col.due })),
      jumlah: summary.total.map(tallyJson),
      provinsi: summary.provinces.map((r) => ({ kode: r.code, kelompok: r.groups, jumlah: r.tallies.map(tallyJson), laporan: r.own.map((t) => (t ? cell(t) : null)) })),
      kabupaten_kota: summary.districts.map((r) => ({ kode: r.code, kelompok: r.groups, jumlah: r.tallies.map(tallyJson) })),
      kelompok: summary.groups.map((g) => ({
        id: g.entity, kartu: g.cardId, nama: g.title, wilayah: g.regions,
        kontak: Object.fromEntries(g.contact.map(({ field, value }) => [field.key, field.personal && !full ? maskValue(value) : value ?? null])),
        keadaan: g.cells.map(cell),
      })),
    });
  });

  app.get('/api/pantau/ketepatan.csv', async (c) => {
    const summary = await summaryFor(c, deps);
    const name = await namesOf(deps, summary);
    const full = seesPersonal(c);
    const masked = full ? summary : { ...summary, groups: summary.groups.map((g) => ({ ...g, contact: g.contact.map((x) => ({ ...x, value: x.field.personal ? maskValue(x.value) : x.value })) })) };
    const { year, month } = summary.period;
    return c.body(timelinessCsv(masked, (code) => name(code) ?? code), 200, {
      'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(`ketepatan-${year}-${String(month).padStart(2, '0')}.csv`),
    });
  });

  return app;
}
