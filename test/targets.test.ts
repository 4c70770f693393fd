/**
 * Targets and milestones (issue 17): the 2023 target file as a plan (year, which groups count as
 * facilitated, quarterly milestones), checked against the forms; progress per province and
 * nationally on a year of data known by construction (cards in force, registers with and without
 * Pro PN activities, a group that stopped, one in a province without a target); the same numbers
 * on the page, in JSON and CSV; SVG charts with accessible names; access by role and region;
 * target edits by national staff and target groups flagged by province staff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import {
  assess, buildReport, checkTargetInput, FORMS_DIR, loadForms, loadTargets, milestoneFor, planForYear, progressTotal, readTargets, saveSubmission,
  setSubmissionStatus, targetPlan, targetPlans, targetProgress, type TargetProgress,
} from '../engine/index.js';
import { forgetRegionNames } from '../engine/regions.js';
import { barChartSvg, monthChartSvg } from '../generators/svg/index.js';
import { bigK0, uuid } from './support/submissions.js';
import { startServer } from './support/server.js';

const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const r1 = forms.get('r1-uppka')!;
const linked = (id: string) => forms.get(id);
const targets = loadTargets(FORMS_DIR);
const plan = targetPlan(targets.get('pro-pn-2023')!, forms).plan!;

type Place = { provinsi: string; kabupaten_kota: string; kecamatan: string; desa_kelurahan: string; nama_kampung_kb: string };
const JATENG: Place = { provinsi: '33', kabupaten_kota: '33.74', kecamatan: '33.74.01', desa_kelurahan: '33.74.01.1001', nama_kampung_kb: 'Kampung KB Melati' };
const DIY: Place = { provinsi: '34', kabupaten_kota: '34.71', kecamatan: '34.71.01', desa_kelurahan: '34.71.01.1001', nama_kampung_kb: 'Kampung KB Gedongkiwo' };
const KALTARA: Place = { provinsi: '65', kabupaten_kota: '65.01', kecamatan: '65.01.01', desa_kelurahan: '65.01.01.2001', nama_kampung_kb: 'Kampung KB Uji' };

const NONE = { sosialisasi_kebijakan: false, orientasi_pek: false, pengembangan_model: false, monitoring_evaluasi: false };

async function group(store: Parameters<typeof saveSubmission>[0], name: string, place: Place): Promise<string> {
  const data = bigK0(3, name);
  data.kartu = { tahun: 2023 };
  Object.assign(data.identitas_kelompok, place, { tahun_terbentuk: 2019 });
  const id = uuid();
  await saveSubmission(store, k0, { id, data });
  return id;
}
async function register(store: Parameters<typeof saveSubmission>[0], kelompok_id: string, bulan: number, kegiatan: Partial<typeof NONE>) {
  await saveSubmission(store, r1, {
    id: uuid(), linked,
    data: {
      identitas: { kelompok_id, bulan, tahun: 2023, jumlah_anggota: 3 },
      pertemuan: [{ tanggal: `2023-${String(bulan).padStart(2, '0')}-05`, materi: 'Pemasaran', jumlah_hadir: 2 }],
      kegiatan_pro_pn: { ...NONE, ...kegiatan },
      usaha: { modal: 0, omzet: 0 },
    },
  });
}

let srv: Awaited<ReturnType<typeof startServer>>;
const g: Record<string, string> = {};

/**
 * The year of data, by construction (report month May 2023 unless said):
 * Jawa Tengah (target 35): A register Feb with activity; B register May with activity; C register
 *   Mar without any activity; D no register; E register Jan with activity, stopped 15 March.
 *   → May: 4 groups in force, 2 facilitated (A, B); by month Jan 1 (E), Feb 2, Mar 2, Apr 1, May 2.
 * DI Yogyakarta (target 5): F register Apr with activity; G register Jun with activity.
 *   → May: 2 groups, 1 facilitated (F) = 20 %.
 * Kalimantan Utara (no target): H register Apr with activity → 1 facilitated, "tanpa target".
 */
beforeAll(async () => {
  srv = await startServer({ demo: false });
  const { store } = srv;
  await store.db.insertInto('wilayah').values([
    { kode: '65.01', nama: 'Kabupaten Uji', tingkat: 'kabupaten_kota', induk: '65' },
    { kode: '65.01.01', nama: 'Kecamatan Uji', tingkat: 'kecamatan', induk: '65.01' },
    { kode: '65.01.01.2001', nama: 'Desa Uji', tingkat: 'desa_kelurahan', induk: '65.01.01' },
  ]).execute();
  forgetRegionNames(store);
  for (const [name, place] of [['A', JATENG], ['B', JATENG], ['C', JATENG], ['D', JATENG], ['E', JATENG], ['F', DIY], ['G', DIY], ['H', KALTARA]] as const) {
    g[name] = await group(store, `UPPKA ${name}`, place);
  }
  await register(store, g.A!, 2, { orientasi_pek: true });
  await register(store, g.A!, 3, {});
  await register(store, g.B!, 5, { monitoring_evaluasi: true });
  await register(store, g.C!, 3, {});
  await register(store, g.E!, 1, { sosialisasi_kebijakan: true, pengembangan_model: true });
  await setSubmissionStatus(store, k0, g.E!, 'nonaktif', { reason: 'Kelompok bubar', at: '2023-03-15' });
  await register(store, g.F!, 4, { pengembangan_model: true });
  await register(store, g.G!, 6, { sosialisasi_kebijakan: true });
  await register(store, g.H!, 4, { orientasi_pek: true });
});
afterAll(async () => srv?.close());

const sources = () => ({ store: srv.store, forms });
const row = (p: TargetProgress, code: string) => p.rows.find((r) => r.region === code)!;

describe('the 2023 target file as a plan', () => {
  it('declares its year, the 514 groups in 34 provinces with Kalimantan Utara blank, and the milestones', () => {
    expect(plan).toMatchObject({ id: 'pro-pn-2023', year: 2023, level: 'provinsi', unit: 'kelompok' });
    expect(Object.values(plan.values).reduce((s, v) => s + v, 0)).toBe(514);
    expect(Object.keys(plan.values)).toHaveLength(33);
    expect(plan.values['65']).toBeUndefined();
    expect(plan.facilitated).toMatchObject({ groupForm: 'k0-uppka', activityForm: 'r1-uppka', link: 'kelompok_id', anyOf: ['sosialisasi_kebijakan', 'orientasi_pek', 'pengembangan_model', 'monitoring_evaluasi'] });
    expect([2, 5, 8, 11].map((m) => milestoneFor(plan, m))).toEqual([
      { quarter: 1, label: 'Pemetaan data' },
      { quarter: 2, label: '40% kelompok target mendapat fasilitasi', percent: 40 },
      { quarter: 3, label: '80% kelompok target mendapat fasilitasi', percent: 80 },
      { quarter: 4, label: '100% kelompok target mendapat fasilitasi', percent: 100 },
    ]);
    // A later year without its own file uses the latest earlier plan; an earlier year has none.
    const { plans, problems } = targetPlans(targets, forms);
    expect(problems).toEqual([]);
    expect(planForYear(plans, 2024)?.id).toBe('pro-pn-2023');
    expect(planForYear(plans, 2022)).toBeUndefined();
  });

  it('still gives the province report its target (x-rollup.target), none for Kalimantan Utara', async () => {
    const report = forms.get('laporan-provinsi')!;
    const built = (provinsi: string) => buildReport({ store: srv.store, forms, targets }, report, { provinsi, tahun: 2023, bulan: 5 });
    expect((await built('33')).target).toEqual({ title: 'Target Pro PN 2023', unit: 'kelompok', value: 35 });
    expect((await built('65')).target).toEqual({ title: 'Target Pro PN 2023', unit: 'kelompok', value: null });
  });

  it('refuses a file naming a form or field that does not exist, saying which', () => {
    const base = targets.get('pro-pn-2023')! as unknown as Record<string, any>;
    const broken = structuredClone(base);
    broken.facilitated.activity.form = 'r2-uppka';
    expect(targetPlan(broken as never, forms).problems.map((p) => [p.pointer, p.message])).toEqual([
      ['/facilitated/activity/form', '"activity.form" menyebut formulir "r2-uppka" yang tidak ada.'],
    ]);
    const fields = structuredClone(base);
    fields.facilitated.activity.anyOf = ['sosialisasi_kebijakan', 'rapat_koordinasi', 'modal'];
    fields.milestones[1].percent = 140;
    delete fields.year;
    const found = targetPlan(fields as never, forms);
    expect(found.plan).toBeUndefined();
    expect(found.problems.map((p) => p.message)).toEqual([
      '"year" harus tahun target (bilangan bulat, misalnya 2023).',
      'Formulir "r1-uppka" tidak punya isian "rapat_koordinasi" di luar bagian berulang.',
      'Isian "modal" formulir "r1-uppka" bukan isian Ya/Tidak.',
      '"percent" harus angka 0–100, atau tidak ada bila tonggak itu tanpa persentase.',
    ]);
  });

  it('checks entered values: whole numbers from 0, empty for none, messages naming the province', () => {
    const regions = [{ kode: '33', nama: 'Jawa Tengah' }, { kode: '34', nama: 'DI Yogyakarta' }, { kode: '65', nama: 'Kalimantan Utara' }];
    const ok = checkTargetInput({ '33': '1.000', '34': 0, '65': '' }, regions);
    expect(ok.problems).toEqual([]);
    expect([...ok.values]).toEqual([['33', 1000], ['34', 0], ['65', null]]);
    expect(checkTargetInput({ '33': '3.5', '34': -1, '99': 4 }, regions).problems.map((p) => p.message)).toEqual([
      'Target Jawa Tengah harus bilangan bulat 0 atau lebih (kosongkan bila tanpa target).',
      'Target DI Yogyakarta harus bilangan bulat 0 atau lebih (kosongkan bila tanpa target).',
      'Wilayah "99" tidak dikenal atau bukan tingkat target ini.',
    ]);
  });

  it('never gives a percentage without a target, nor for a target of 0', () => {
    const q2 = milestoneFor(plan, 5);
    expect(assess(null, 3, q2)).toEqual({ percent: null, status: 'tanpa-target', onTrack: null });
    expect(assess(0, 3, q2)).toEqual({ percent: null, status: 'tanpa-target', onTrack: null });
    expect(assess(5, 2, q2)).toEqual({ percent: 40, status: 'sesuai', onTrack: true });
    expect(assess(35, 2, q2)).toEqual({ percent: 5.7, status: 'tertinggal', onTrack: false });
    expect(assess(35, 2, milestoneFor(plan, 2))).toEqual({ percent: 5.7, status: 'pemetaan', onTrack: null });
  });
});

describe('progress computed from the data', () => {
  it('counts facilitated groups per province for May 2023, against the Q2 milestone', async () => {
    const p = await targetProgress(sources(), plan, { year: 2023, month: 5 });
    expect(p).toMatchObject({ year: 2023, month: 5, quarter: 2, milestone: { quarter: 2, percent: 40 }, level: 'provinsi' });
    expect(p.rows).toHaveLength(38);
    const { cards, ...jateng } = row(p, '33')!;
    expect(jateng).toEqual({ region: '33', name: 'Jawa Tengah', target: 35, groups: 4, facilitated: 2, percent: 5.7, status: 'tertinggal', onTrack: false, flagged: 0, flaggedFacilitated: 0, byMonth: [1, 2, 2, 1, 2] });
    // The groups behind the counts: four cards, two of them facilitated.
    expect(cards).toHaveLength(4);
    expect(cards.filter((g) => g.facilitated)).toHaveLength(2);
    expect(row(p, '34')).toMatchObject({ target: 5, groups: 2, facilitated: 1, percent: 20, status: 'tertinggal', byMonth: [0, 0, 0, 1, 1] });
    expect(row(p, '65')).toMatchObject({ name: 'Kalimantan Utara', target: null, groups: 1, facilitated: 1, percent: null, status: 'tanpa-target', onTrack: null });
    expect(row(p, '11')).toMatchObject({ target: 23, groups: 0, facilitated: 0, percent: 0, status: 'tertinggal' });
    const national = progressTotal(p, p.rows, 'Nasional');
    // 514 is the target of the provinces that have one; Kalimantan Utara's group is beside it.
    expect(national).toMatchObject({ target: 514, facilitated: 3, percent: 0.6, outsideTarget: 1, groups: 7, byMonth: [1, 2, 2, 2, 3] });
  });

  it('seeds the database from the file once, with who loaded it', async () => {
    const stored = await readTargets(srv.store, 2023);
    expect(stored.size).toBe(33);
    expect(stored.get('33')).toMatchObject({ value: 35, by: 'berkas targets/pro-pn-2023.json' });
    expect(stored.has('65')).toBe(false);
  });

  it('uses the milestone of the month\'s quarter and registers up to the month only', async () => {
    const feb = await targetProgress(sources(), plan, { year: 2023, month: 2 });
    expect(feb.milestone).toEqual({ quarter: 1, label: 'Pemetaan data' });
    expect(row(feb, '33')).toMatchObject({ groups: 5, facilitated: 2, percent: 5.7, status: 'pemetaan', onTrack: null });
    const jun = await targetProgress(sources(), plan, { year: 2023, month: 6 });
    expect(row(jun, '34')).toMatchObject({ facilitated: 2, percent: 40, status: 'sesuai', onTrack: true });
    const aug = await targetProgress(sources(), plan, { year: 2023, month: 8 });
    expect(aug.milestone?.percent).toBe(80);
    expect(row(aug, '34')).toMatchObject({ percent: 40, status: 'tertinggal' });
    // Districts of a province, as rows (no district targets: "tanpa target").
    const districts = await targetProgress(sources(), plan, { year: 2023, month: 5, parent: '33' });
    expect(districts.level).toBe('kabupaten_kota');
    expect(districts.rows.map((r) => [r.region, r.facilitated, r.status])).toEqual([['33.22', 0, 'tanpa-target'], ['33.74', 2, 'tanpa-target']]);
  });
});

describe('charts', () => {
  it('are SVG with an accessible name and description, every text escaped', () => {
    const bars = barChartSvg({ id: 'uji', title: 'Judul <b>&</b>', description: 'Ket "x"', unit: ' %', bars: [{ label: 'Prov <script>', value: 20, valueLabel: '20 %' }, { label: 'Tanpa', value: null, valueLabel: 'tanpa target' }], reference: { value: 40, label: 'Tonggak 40 %' } });
    expect(bars).toMatch(/^<svg [^>]*role="img" aria-labelledby="uji-judul" aria-describedby="uji-ket"/);
    expect(bars).toContain('<title id="uji-judul">Judul &lt;b&gt;&amp;&lt;/b&gt;</title><desc id="uji-ket">Ket &quot;x&quot;</desc>');
    expect(bars).toContain('Prov &lt;script&gt;');
    expect(bars).not.toContain('<script');
    expect(bars).toContain('>tanpa target</text>');
    expect(bars).toContain('stroke-dasharray');
    const months = monthChartSvg({ id: 'bulan', title: 'Per bulan', description: 'd', unit: ' %', max: 100, points: [{ label: 'Jan', value: 10, valueLabel: '10 %', reference: 40 }, { label: 'Feb', value: null, valueLabel: '' }] });
    expect(months).toContain('<title id="bulan-judul">Per bulan</title>');
    expect(months).toContain('>Jan</text>');
    expect(months).toContain('>10 %</text>');
  });
});

describe('over HTTP', () => {
  const periodQ = 'tahun=2023&bulan=5';
  const json = async (role: Parameters<typeof srv.fetchAs>[0], path: string) => {
    const res = await srv.fetchAs(role, path);
    expect(res.status, path).toBe(200);
    return res.json();
  };
  const csv = async (role: Parameters<typeof srv.fetchAs>[0], path: string) => parse((await (await srv.fetchAs(role, path)).text()).replace(/^\uFEFF/, '')) as string[][];
  /** The page's cells of a table row by region code. */
  const pageRow = (html: string, code: string) => {
    const tr = html.match(new RegExp(`<tr data-wilayah="${code.replace('.', '\\.')}">(.*?)</tr>`, 's'))?.[1];
    if (!tr) return undefined;
    return Object.fromEntries([...tr.matchAll(/<td data-kolom="([a-z-]+)">(.*?)<\/td>/g)].map((m) => [m[1], m[2]!.replace(/<[^>]+>/g, '')]));
  };
  const post = (role: Parameters<typeof srv.fetchAs>[0], path: string, body: unknown) =>
    srv.fetchAs(role, path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('shows the same numbers on the page, in JSON and in CSV, with the national line for pusat', async () => {
    const body = await json('pusat', `/api/pantau/target.json?${periodQ}`);
    expect(body).toMatchObject({ year: 2023, month: 5, quarter: 2, milestone: { quarter: 2, percent: 40 }, level: 'provinsi' });
    expect(body.rows).toHaveLength(38);
    const jateng = body.rows.find((r: any) => r.region === '33');
    expect(jateng).toMatchObject({ target: 35, groups: 4, facilitated: 2, percent: 5.7, status: 'tertinggal', statusLabel: 'di bawah tonggak', onTrack: false });
    expect(body.rows.find((r: any) => r.region === '65')).toMatchObject({ target: null, facilitated: 1, percent: null, statusLabel: 'tanpa target' });
    expect(body.total).toMatchObject({ label: 'Nasional', target: 514, facilitated: 3, percent: 0.6, outsideTarget: 1 });
    expect(body.months.map((m: any) => m.facilitated)).toEqual([1, 2, 2, 2, 3]);

    const lines = await csv('pusat', `/api/pantau/target.csv?${periodQ}`);
    expect(lines[0]!.slice(0, 8)).toEqual(['Kode', 'Provinsi', 'Target', 'Kelompok berkartu', 'Mendapat fasilitasi', 'Persen', 'Tonggak', 'Status']);
    expect(lines.find((l) => l[0] === '33')!.slice(0, 10)).toEqual(['33', 'Jawa Tengah', '35', '4', '2', '5.7', '40', 'di bawah tonggak', '0', '0']);
    expect(lines.find((l) => l[0] === '65')!.slice(2, 8)).toEqual(['', '1', '1', '', '40', 'tanpa target']);
    expect(lines.at(-1)!.slice(1, 6)).toEqual(['Nasional', '514', '7', '3', '0.6']);

    const html = await (await srv.fetchAs('pusat', `/pantau/target?${periodQ}`)).text();
    expect(pageRow(html, '33')).toMatchObject({ target: '35', kelompok: '4', fasilitasi: '2', persen: '5,7 %', status: 'di bawah tonggak' });
    expect(pageRow(html, '65')).toMatchObject({ target: 'tanpa target', fasilitasi: '1', persen: 'tanpa target', status: 'tanpa target' });
    expect(pageRow(html, 'jumlah')).toMatchObject({ target: '514', fasilitasi: '3', persen: '0,6 %' });
    expect(html).toContain('Triwulan 2: 40% kelompok target mendapat fasilitasi (40 % dari target)');
    // Both charts are in the page, named for screen readers, and served on their own.
    expect(html).toMatch(/<svg [^>]*role="img" aria-labelledby="grafik-wilayah-judul"/);
    expect(html).toContain('<title id="grafik-wilayah-judul">Persentase kelompok mendapat fasilitasi per provinsi, Mei 2023</title>');
    expect(html).toContain('<title id="grafik-bulanan-judul">Kemajuan per bulan 2023: Nasional</title>');
    const svg = await srv.fetchAs('pusat', `/pantau/target/provinsi.svg?${periodQ}`);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    const text = await svg.text();
    expect(text).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(text).toContain('>5,7 % (2/35)</text>');
    expect(text).toContain('>tanpa target (1 kelompok)</text>');
    expect(text).toContain('>Tonggak 40 %</text>');
    const monthly = await (await srv.fetchAs('pusat', `/pantau/target/bulanan.svg?${periodQ}`)).text();
    expect(monthly).toContain('<title id="grafik-bulanan-judul">');
    expect(monthly).toContain('>0,6 %</text>');
  });

  it('limits rows to the viewer\'s region, and refuses roles that do not monitor', async () => {
    expect((await srv.fetchAs('kader', `/pantau/target?${periodQ}`)).status).toBe(403);
    expect((await srv.fetchAs('kader', `/api/pantau/target.json?${periodQ}`)).status).toBe(403);
    expect((await srv.fetchAs('pkb', `/api/pantau/target.csv?${periodQ}`)).status).toBe(403);

    const prov = await json('provinsi', `/api/pantau/target.json?${periodQ}`);
    expect(prov.rows.map((r: any) => r.region)).toEqual(['33']);
    expect(prov.rows[0]).toMatchObject({ target: 35, facilitated: 2, percent: 5.7 });
    expect(prov.total).toBeNull();
    expect(prov.months.map((m: any) => m.percent)).toEqual([2.9, 5.7, 5.7, 2.9, 5.7]);
    expect((await csv('provinsi', `/api/pantau/target.csv?${periodQ}`)).map((l) => l[0])).toEqual(['Kode', '33']);
    const page = await (await srv.fetchAs('provinsi', `/pantau/target?${periodQ}`)).text();
    expect(pageRow(page, '33')).toBeDefined();
    expect(pageRow(page, '34')).toBeUndefined();
    expect(pageRow(page, 'jumlah')).toBeUndefined();
    expect(page).not.toContain('DI Yogyakarta');
    // Another province does not exist for them; their own districts do.
    expect((await srv.fetchAs('provinsi', `/api/pantau/target.json?${periodQ}&provinsi=34`)).status).toBe(404);
    const districts = await json('provinsi', `/api/pantau/target.json?${periodQ}&provinsi=33`);
    expect(districts.rows.map((r: any) => [r.region, r.facilitated])).toEqual([['33.22', 0], ['33.74', 2]]);
    expect(districts.total).toMatchObject({ label: 'Jumlah Jawa Tengah', target: null, percent: null });

    // A district sees its own district's row within its province.
    const kab = await json('kabupaten', `/api/pantau/target.json?${periodQ}`);
    expect(kab).toMatchObject({ level: 'kabupaten_kota', parent: '33', total: null });
    expect(kab.rows.map((r: any) => r.region)).toEqual(['33.74']);

    expect((await srv.fetchAs('pusat', '/api/pantau/target.json?tahun=2023&bulan=13')).status).toBe(400);
    expect((await srv.fetchAs('pusat', '/api/pantau/target.json?tahun=2019')).status).toBe(404);
  });

  it('counts flagged target groups, flagged by province staff in their region only', async () => {
    expect((await post('kabupaten', '/api/pantau/sasaran', { kelompok: g.A, tahun: 2023, sasaran: true })).status).toBe(403);
    expect((await post('provinsi', '/api/pantau/sasaran', { kelompok: g.F, tahun: 2023, sasaran: true })).status).toBe(404);
    const bad = await post('provinsi', '/api/pantau/sasaran', { kelompok: g.A, tahun: '2023', sasaran: 'ya' });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: any) => e.label)).toEqual(['Tahun', 'Sasaran']);
    for (const id of [g.A, g.C]) {
      const res = await post('provinsi', '/api/pantau/sasaran', { kelompok: id, tahun: 2023, sasaran: true });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ kelompok: id, tahun: 2023, sasaran: true });
    }
    expect((await post('pusat', '/api/pantau/sasaran', { kelompok: g.F, tahun: 2023, sasaran: true })).status).toBe(200);
    // Through the group's page, without JavaScript: D flagged, then C unflagged again.
    const pageD = await (await srv.fetchAs('provinsi', `/pantau/sasaran?kelompok=${g.D}&tahun=2023`)).text();
    expect(pageD).toContain('Kelompok sasaran 2023: UPPKA D');
    // The group's own card links there for the province, not for the district.
    expect((await (await srv.fetchAs('provinsi', `/submissions/${g.A}`)).text()).replace(/&#x3D;/g, '=')).toMatch(/href="\/pantau\/sasaran\?kelompok=[0-9a-f-]{36}&amp;tahun=\d{4}">Kelompok sasaran tahun ini</);
    expect(await (await srv.fetchAs('kabupaten', `/submissions/${g.A}`)).text()).not.toContain('Kelompok sasaran tahun ini');
    expect(pageD).toContain('data-sasaran="tidak"');
    const form = (id: string, value: string) => srv.fetchAs('provinsi', '/pantau/sasaran', { method: 'POST', redirect: 'manual', body: new URLSearchParams({ kelompok: id, tahun: '2023', sasaran: value }) });
    expect((await form(g.D!, '1')).status).toBe(303);
    expect((await form(g.C!, '0')).status).toBe(303);
    expect(await (await srv.fetchAs('provinsi', `/pantau/sasaran?kelompok=${g.D}&tahun=2023`)).text()).toContain('data-sasaran="ya"');

    const body = await json('pusat', `/api/pantau/target.json?${periodQ}`);
    expect(body.rows.find((r: any) => r.region === '33')).toMatchObject({ flagged: 2, flaggedFacilitated: 1 });
    expect(body.rows.find((r: any) => r.region === '34')).toMatchObject({ flagged: 1, flaggedFacilitated: 1 });
    expect(body.total).toMatchObject({ flagged: 3, flaggedFacilitated: 2 });
  });

  it('links every count of the table to exactly the groups it counts', async () => {
    for (const role of ['pusat', 'provinsi'] as const) {
      const page = await (await srv.fetchAs(role, `/pantau/target?${periodQ}`)).text();
      const links = [...page.matchAll(/<a href="(\/pantau\/target\/kelompok\?[^"]+)">([\d.]+)<\/a>/g)].map((m) => ({ href: m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='), n: Number(m[2]!.replace(/\./g, '')) }));
      expect(links.length, role).toBeGreaterThanOrEqual(4);
      for (const { href, n } of links) {
        const drilled = await (await srv.fetchAs(role, href)).text();
        expect(drilled, href).toContain(`<strong>${n}</strong> kelompok`);
        expect([...drilled.matchAll(/<td><a href="\/submissions\/[0-9a-f-]{36}">/g)].length, href).toBe(n);
      }
    }
    expect((await srv.fetchAs('provinsi', `/pantau/target/kelompok?${periodQ}&wilayah=34&keadaan=kelompok`)).status).toBe(404);
  });

  it('lets national staff edit the targets (page and JSON), recorded, and the percentage follows', async () => {
    expect((await srv.fetchAs('provinsi', '/pantau/target/ubah?tahun=2023')).status).toBe(403);
    expect((await post('provinsi', '/api/pantau/target/nilai', { tahun: 2023, nilai: { '33': 1 } })).status).toBe(403);
    const form = await (await srv.fetchAs('pusat', '/pantau/target/ubah?tahun=2023')).text();
    expect(form).toContain('<label for="nilai-33">Jawa Tengah</label>');
    expect(form).toContain('name="nilai.33" value="35"');
    expect(form).toContain('name="nilai.65" value=""');

    const send = (fields: Record<string, string>) => srv.fetchAs('pusat', '/pantau/target/ubah', { method: 'POST', redirect: 'manual', body: new URLSearchParams({ tahun: '2023', ...fields }) });
    const refused = await send({ 'nilai.33': '-3', 'nilai.34': '2,5' });
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toContain('Target Jawa Tengah harus bilangan bulat 0 atau lebih');
    expect(page).toContain('Target DI Yogyakarta harus bilangan bulat 0 atau lebih');
    expect(page).toContain('name="nilai.33" value="-3"');
    expect((await readTargets(srv.store, 2023)).get('33')?.value).toBe(35);

    const saved = await send({ 'nilai.33': '10', 'nilai.34': '5' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/pantau/target/ubah?tahun=2023&disimpan=1');
    expect((await readTargets(srv.store, 2023)).get('33')).toMatchObject({ value: 10, by: 'Uji pusat (uji.pusat)' });
    let body = await json('pusat', `/api/pantau/target.json?${periodQ}`);
    expect(body.rows.find((r: any) => r.region === '33')).toMatchObject({ target: 10, facilitated: 2, percent: 20 });
    expect(body.total).toMatchObject({ target: 489, facilitated: 3, percent: 0.6 });

    // JSON: Yogyakarta 2 (50 %, on track), Kalimantan Utara 0 on purpose: still "tanpa target".
    const res = await post('pusat', '/api/pantau/target/nilai', { tahun: 2023, nilai: { '34': 2, '65': 0 } });
    expect(res.status).toBe(200);
    expect((await res.json()).changes).toEqual([{ region: '34', before: 5, after: 2 }, { region: '65', before: null, after: 0 }]);
    const invalid = await post('pusat', '/api/pantau/target/nilai', { tahun: 2023, nilai: { '33': 'banyak' } });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).errors).toEqual([{ path: '/nilai/33', label: 'Jawa Tengah', message: 'Target Jawa Tengah harus bilangan bulat 0 atau lebih (kosongkan bila tanpa target).' }]);
    body = await json('pusat', `/api/pantau/target.json?${periodQ}`);
    expect(body.rows.find((r: any) => r.region === '34')).toMatchObject({ target: 2, percent: 50, status: 'sesuai', onTrack: true });
    expect(body.rows.find((r: any) => r.region === '65')).toMatchObject({ target: 0, percent: null, status: 'tanpa-target' });
    const history = await (await srv.fetchAs('pusat', '/pantau/target/ubah?tahun=2023')).text();
    expect(history).toContain('Riwayat perubahan');
    expect(history).toContain('DI Yogyakarta: 5 → 2 · Uji pusat (uji.pusat)');
    // The province report of that year shows the edited target, not the file's.
    const yogya = await buildReport({ store: srv.store, forms, targets }, forms.get('laporan-provinsi')!, { provinsi: '34', tahun: 2023, bulan: 5 });
    expect(yogya.target).toEqual({ title: 'Target Pro PN 2023', unit: 'kelompok', value: 2 });
    const later = await buildReport({ store: srv.store, forms, targets }, forms.get('laporan-provinsi')!, { provinsi: '34', tahun: 2024, bulan: 5 });
    expect(later.target).toEqual({ title: 'Target 2024', unit: 'kelompok', value: null });
    // District targets, one level down: Kota Semarang 4 → its 2 facilitated groups are 50 %.
    const district = await post('pusat', '/api/pantau/target/nilai', { tahun: 2023, provinsi: '33', nilai: { '33.74': 4, '34': 1 } });
    expect(district.status).toBe(422);
    expect((await district.json()).errors.map((e: any) => e.path)).toEqual(['/nilai/34']);
    expect((await post('pusat', '/api/pantau/target/nilai', { tahun: 2023, provinsi: '33', nilai: { '33.74': 4 } })).status).toBe(200);
    const districts = await json('provinsi', `/api/pantau/target.json?${periodQ}&provinsi=33`);
    expect(districts.rows.find((r: any) => r.region === '33.74')).toMatchObject({ target: 4, facilitated: 2, percent: 50, status: 'sesuai' });
    expect(districts.total).toMatchObject({ target: 4, facilitated: 2, percent: 50 });
    const values = await json('provinsi', '/api/pantau/target/nilai?tahun=2023');
    expect(values.values.map((v: any) => [v.region, v.value])).toEqual([['33', 10], ['33.74', 4]]);
  });
});

