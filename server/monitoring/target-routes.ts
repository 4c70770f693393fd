/**
 * Targets and milestones: progress per province and nationally against the quarter's milestone.
 *
 * - `/pantau/target?tahun=&bulan=[&provinsi=]`: the table (target, facilitated groups, share,
 *   milestone, on track), the charts drawn on the server as SVG, and the downloads; the same
 *   numbers as `/api/pantau/target.json` and `.csv`, the charts alone as `/pantau/target/*.svg`.
 *   Rows are within the viewer's region; the national line is for national staff only.
 * - `/pantau/target/ubah?tahun=` and `/api/pantau/target/nilai`: national staff edit the targets.
 * - `/pantau/sasaran` and `/api/pantau/sasaran`: province and national staff flag a group as one
 *   of the year's target groups ("kelompok sasaran").
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { stringify } from 'csv-stringify/sync';
import {
  checkTargetInput, indexModel, monthlyProgress, planForYear, PROGRESS_COUNTS, tablesFor, progressTotal, readPointer, readTargets, saveTargetGroup, saveTargets,
  seedTargets, targetGroupFlag, targetHistory, targetPlans, targetProgress, ProgressQueryError, REGION_LEVELS,
  type ProgressRow, type ProgressStatus, type ProgressTotal, type TargetPlan, type TargetProgress, type TargetInputProblem,
} from '../../engine/index.js';
import { safeCell } from '../../generators/csv/index.js';
import { formatNumber, formatSavedAt } from '../../generators/format.js';
import { page, render } from '../../generators/html/render.js';
import { barChartSvg, monthChartSvg, type Tone } from '../../generators/svg/index.js';
import { covers, viewerOf, type RegionScope } from '../access.js';
import { audit } from '../audit.js';
import type { AppDeps } from '../context.js';
import { formBody } from '../form-body.js';
import { shell, UUID } from '../http.js';
import { readForViewer } from '../record-access.js';

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

const STATUS_LABEL: Readonly<Record<ProgressStatus, string>> = {
  'tanpa-target': 'tanpa target',
  pemetaan: 'pemetaan data',
  sesuai: 'sesuai tonggak',
  tertinggal: 'di bawah tonggak',
  'tanpa-tonggak': 'tidak ada tonggak',
};
const STATUS_TONE: Readonly<Record<ProgressStatus, Tone>> = { 'tanpa-target': 'netral', pemetaan: 'netral', sesuai: 'baik', tertinggal: 'kurang', 'tanpa-tonggak': 'netral' };

/** Today in WIB, where the program's months are counted. */
const wibNow = () => new Date(Date.now() + 7 * 3600 * 1000);

/** `tahun` and `bulan` of a request: this month by default (December of a past year); 400 naming the bad one. */
function periodOf(get: (name: string) => string | undefined): { year: number; month: number } {
  const now = wibNow();
  const rawYear = get('tahun')?.trim();
  const rawMonth = get('bulan')?.trim();
  const problems: string[] = [];
  const year = rawYear ? (/^\d{4}$/.test(rawYear) ? Number(rawYear) : Number.NaN) : now.getUTCFullYear();
  if (!Number.isInteger(year) || year < 2000 || year > 2100) problems.push('Tahun: isi tahun empat angka, misalnya 2023.');
  const fallbackMonth = year === now.getUTCFullYear() ? now.getUTCMonth() + 1 : 12;
  const month = rawMonth ? (/^\d{1,2}$/.test(rawMonth) ? Number(rawMonth) : Number.NaN) : fallbackMonth;
  if (!Number.isInteger(month) || month < 1 || month > 12) problems.push('Bulan: pilih bulan 1–12.');
  if (problems.length) throw new HTTPException(400, { message: problems.join(' ') });
  return { year, month };
}

const percentText = (p: number | null) => (p === null ? 'tanpa target' : `${formatNumber(p)} %`);
const targetText = (t: number | null) => (t === null ? 'tanpa target' : formatNumber(t));

/** What one request shows: the progress, the rows the viewer may see, and their total line. */
interface ProgressView {
  readonly plan: TargetPlan;
  readonly progress: TargetProgress;
  readonly rows: readonly ProgressRow[];
  readonly total?: ProgressTotal;
  /** The row or total the "over the months" chart follows. */
  readonly series: Pick<ProgressRow, 'target' | 'byMonth'> & { label: string };
  readonly parentName?: string;
  readonly query: string;
}

/** A region the viewer may look into: inside their scope, or one that contains it (their province). */
function reaches(scope: RegionScope, code: string): boolean {
  return covers(scope, code) || (scope.kind === 'regions' && scope.codes.some((c) => c.startsWith(`${code}.`)));
}

export function targetRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const { plans, problems } = targetPlans(deps.targets, deps.forms);
  // For the staff who edit target files: what is left out and why (the pages say it too).
  for (const p of problems) deps.log.error('target file refused', { file: p.file, pointer: p.pointer, message: p.message });

  function planOr404(year: number): TargetPlan {
    const plan = planForYear(plans, year);
    if (plan) return plan;
    const why = problems.length ? ` Berkas target yang ada belum dapat dipakai: ${problems.map((p) => `${p.file} ${p.pointer}: ${p.message}`).join(' ')}` : '';
    throw new HTTPException(404, { message: `Belum ada data target untuk tahun ${year}.${why}` });
  }

  const regionsAt = async (level: string) => (await deps.store.db.selectFrom('wilayah').select(['kode', 'nama']).where('tingkat', '=', level).orderBy('kode').execute()) as { kode: string; nama: string }[];
  const childrenOf = async (parent: string) => (await deps.store.db.selectFrom('wilayah').select(['kode', 'nama']).where('induk', '=', parent).orderBy('kode').execute()) as { kode: string; nama: string }[];
  const regionName = async (code: string) => (await deps.store.db.selectFrom('wilayah').select('nama').where('kode', '=', code).executeTakeFirst())?.nama as string | undefined;

  /** `provinsi` of the request, or the viewer's own province when their region lies below one. */
  async function parentOf(c: Context): Promise<string | undefined> {
    const scope = viewerOf(c).scope;
    const asked = c.req.query('provinsi')?.trim();
    const parent = asked || (scope.kind === 'regions' && scope.codes.every((code) => code.includes('.')) ? scope.codes[0]!.split('.')[0] : undefined);
    if (parent === undefined) return undefined;
    // Outside the viewer's region a region does not exist for them (404), as records do not.
    if (!/^[0-9.]+$/.test(parent) || !reaches(scope, parent) || (await regionName(parent)) === undefined) throw new HTTPException(404, { message: 'Wilayah tidak ditemukan.' });
    return parent;
  }

  async function progressView(c: Context): Promise<ProgressView> {
    const { year, month } = periodOf((n) => c.req.query(n));
    const plan = planOr404(year);
    const scope = viewerOf(c).scope;
    const parent = await parentOf(c);
    let progress: TargetProgress;
    try {
      progress = await targetProgress(deps, plan, { year, month, parent, include: (code) => covers(scope, code) });
    } catch (e) {
      if (e instanceof ProgressQueryError) throw new HTTPException(400, { message: e.message });
      throw e;
    }
    const rows = progress.rows;
    const parentName = parent ? await regionName(parent) : undefined;
    // The national line is for national staff; a province's own total of its districts for those who see the province.
    const total = !parent && scope.kind === 'all' ? progressTotal(progress, rows, 'Nasional')
      : parent && covers(scope, parent) ? progressTotal(progress, rows, `Jumlah ${parentName ?? parent}`) : undefined;
    const series = total ? { ...total, label: total.label } : rows.length === 1 ? { ...rows[0]!, label: rows[0]!.name } : { ...progressTotal(progress, rows, 'Jumlah'), label: 'Jumlah wilayah Anda' };
    const query = new URLSearchParams({ tahun: String(year), bulan: String(month), ...(parent && c.req.query('provinsi') ? { provinsi: parent } : {}) }).toString();
    return { plan, progress, rows, total, series, parentName, query };
  }

  const milestoneText = (v: ProgressView) => {
    const m = v.progress.milestone;
    return m ? `Triwulan ${m.quarter}: ${m.label}${m.percent !== undefined ? ` (${formatNumber(m.percent)} % dari target)` : ''}` : `Triwulan ${v.progress.quarter}: tidak ada tonggak`;
  };
  const periodText = (v: ProgressView) => `${MONTHS[v.progress.month - 1]} ${v.progress.year}`;
  const levelName = (v: ProgressView) => (v.progress.level === 'provinsi' ? 'provinsi' : 'kabupaten/kota');

  function barsSvg(v: ProgressView): string {
    const m = v.progress.milestone;
    return barChartSvg({
      id: 'grafik-wilayah',
      title: `Persentase kelompok mendapat fasilitasi per ${levelName(v)}, ${periodText(v)}`,
      description: `Batang: persentase kelompok yang mendapat fasilitasi terhadap target tiap ${levelName(v)} sampai ${periodText(v)}. `
        + (m?.percent !== undefined ? `Garis putus-putus: tonggak triwulan ${m.quarter}, ${formatNumber(m.percent)} % dari target.` : `Tonggak triwulan ${v.progress.quarter}: ${m?.label ?? 'tidak ada'} (tanpa persentase).`)
        + ' Wilayah tanpa target ditulis "tanpa target".',
      unit: ' %',
      bars: v.rows.map((r) => ({
        label: r.name, value: r.percent, tone: STATUS_TONE[r.status],
        valueLabel: r.percent === null ? `tanpa target (${formatNumber(r.facilitated)} kelompok)` : `${formatNumber(r.percent)} % (${formatNumber(r.facilitated)}/${formatNumber(r.target!)})`,
      })),
      ...(m?.percent !== undefined ? { reference: { value: m.percent, label: `Tonggak ${formatNumber(m.percent)} %` } } : {}),
      empty: 'Tidak ada wilayah untuk ditampilkan.',
    });
  }

  function monthsSvg(v: ProgressView): string {
    const points = monthlyProgress(v.plan, v.series);
    const withTarget = v.series.target !== null && v.series.target > 0;
    return monthChartSvg({
      id: 'grafik-bulanan',
      title: `Kemajuan per bulan ${v.progress.year}: ${v.series.label}`,
      description: withTarget
        ? `Kolom: persentase kelompok mendapat fasilitasi terhadap target ${formatNumber(v.series.target!)} kelompok sampai akhir tiap bulan, Januari sampai ${MONTHS[v.progress.month - 1]}. Garis putus-putus: tonggak triwulan bulan itu.`
        : `Kolom: banyaknya kelompok mendapat fasilitasi sampai akhir tiap bulan, Januari sampai ${MONTHS[v.progress.month - 1]} (tanpa target, jadi tanpa persentase).`,
      unit: withTarget ? ' %' : '',
      ...(withTarget ? { max: 100, referenceLabel: 'Tonggak triwulan' } : {}),
      points: MONTHS_SHORT.map((label, i) => {
        const p = points[i];
        if (!p) return { label, value: null, valueLabel: '' };
        const reference = withTarget ? p.milestone?.percent : undefined;
        return withTarget
          ? { label, value: p.percent, valueLabel: `${formatNumber(p.percent!)} %`, ...(reference !== undefined ? { reference } : {}) }
          : { label, value: p.facilitated, valueLabel: formatNumber(p.facilitated) };
      }),
    });
  }

  const rowJson = (r: ProgressRow | ProgressTotal) => ({
    ...('region' in r ? { region: r.region, name: r.name } : { label: r.label, outsideTarget: r.outsideTarget }),
    target: r.target, groups: r.groups, facilitated: r.facilitated, percent: r.percent, status: r.status, statusLabel: STATUS_LABEL[r.status], onTrack: r.onTrack,
    flagged: r.flagged, flaggedFacilitated: r.flaggedFacilitated, byMonth: r.byMonth,
  });

  function progressJson(v: ProgressView) {
    const m = v.progress.milestone;
    return {
      year: v.progress.year, month: v.progress.month, quarter: v.progress.quarter,
      milestone: m ? { quarter: m.quarter, label: m.label, percent: m.percent ?? null } : null,
      plan: { id: v.plan.id, title: v.plan.title, unit: v.plan.unit, facilitated: v.plan.facilitated.description ?? null },
      level: v.progress.level, parent: v.progress.parent ?? null,
      rows: v.rows.map(rowJson),
      total: v.total ? rowJson(v.total) : null,
      months: monthlyProgress(v.plan, v.series).map((p) => ({ month: p.month, facilitated: p.facilitated, percent: p.percent, status: p.status, milestonePercent: p.milestone?.percent ?? null })),
    };
  }

  function progressCsv(v: ProgressView): string {
    const months = MONTHS_SHORT.slice(0, v.progress.month).map((m) => `Fasilitasi s.d. ${m}`);
    const header = ['Kode', v.progress.level === 'provinsi' ? 'Provinsi' : 'Kabupaten/Kota', 'Target', 'Kelompok berkartu', 'Mendapat fasilitasi', 'Persen', 'Tonggak', 'Status', 'Kelompok sasaran', 'Sasaran mendapat fasilitasi', ...months];
    const milestone = v.progress.milestone?.percent ?? '';
    const line = (code: string, name: string, r: ProgressRow | ProgressTotal) => [code, name, r.target ?? '', r.groups, r.facilitated, r.percent ?? '', milestone, STATUS_LABEL[r.status], r.flagged, r.flaggedFacilitated, ...r.byMonth].map(safeCell);
    const lines = v.rows.map((r) => line(r.region, r.name, r));
    if (v.total) lines.push(line('', v.total.label, v.total));
    return '\uFEFF' + stringify([header.map(safeCell), ...lines]);
  }

  async function progressPage(c: Context, v: ProgressView): Promise<string> {
    const viewer = viewerOf(c);
    const provinces = viewer.account.role === 'pusat' || viewer.scope.kind === 'all' ? await regionsAt(REGION_LEVELS[0]) : [];
    const cells = (r: ProgressRow | ProgressTotal) => ({
      target: targetText(r.target), groups: formatNumber(r.groups), facilitated: formatNumber(r.facilitated), percent: percentText(r.percent),
      status: STATUS_LABEL[r.status], onTrack: r.onTrack, flagged: formatNumber(r.flagged), flaggedFacilitated: formatNumber(r.flaggedFacilitated),
    });
    return page('Target dan tonggak', render('target', {
      plan: v.plan, period: periodText(v), milestone: milestoneText(v), level: levelName(v), parentName: v.parentName, parentCode: v.progress.parent,
      year: v.progress.year, monthValue: v.progress.month,
      months: MONTHS.map((label, i) => ({ value: i + 1, label, selected: i + 1 === v.progress.month })),
      provinces: provinces.map((p) => ({ ...p, selected: p.kode === v.progress.parent })),
      rows: v.rows.map((r) => ({ region: r.region, name: r.name, drill: v.progress.level === 'provinsi' && covers(viewer.scope, r.region), ...cells(r) })),
      total: v.total && { label: v.total.label, outside: v.total.outsideTarget ? formatNumber(v.total.outsideTarget) : '', ...cells(v.total) },
      monthly: monthlyProgress(v.plan, v.series).map((p) => ({ month: MONTHS[p.month - 1], facilitated: formatNumber(p.facilitated), percent: percentText(p.percent), milestone: p.milestone ? (p.milestone.percent !== undefined ? `${formatNumber(p.milestone.percent)} %` : p.milestone.label) : '—' })),
      seriesLabel: v.series.label,
      barsSvg: barsSvg(v), monthsSvg: monthsSvg(v),
      query: v.query,
      canEdit: viewer.account.role === 'pusat',
    }), shell(c));
  }

  app.get('/pantau/target', async (c) => c.html(await progressPage(c, await progressView(c))));

  // The groups behind one number of the table (drill-down): `wilayah` a row (or `jumlah`), `keadaan` the count.
  app.get('/pantau/target/kelompok', async (c) => {
    const v = await progressView(c);
    const kind = c.req.query('keadaan') ?? '';
    const count = kind in PROGRESS_COUNTS ? PROGRESS_COUNTS[kind as keyof typeof PROGRESS_COUNTS] : undefined;
    const where = c.req.query('wilayah') ?? '';
    const row = where === 'jumlah' ? v.total : v.rows.find((r) => r.region === where);
    if (!count || !row) throw new HTTPException(404, { message: 'Angka itu tidak ada di tabel target.' });
    const cards = row.cards.filter(count);
    const group = deps.forms.get(v.plan.facilitated.groupForm)!;
    const titles = new Map<string, string>();
    if (cards.length && group.titleField) {
      const tables = await tablesFor(deps.store, group);
      for (let i = 0; i < cards.length; i += 500) {
        const found = await deps.store.db.selectFrom(tables.main.name).select(['_id', group.titleField]).where('_id', 'in', cards.slice(i, i + 500).map((g) => g.cardId)).execute();
        for (const r of found) titles.set(String(r._id), String(r[group.titleField]));
      }
    }
    const label = { kelompok: 'kelompok berkartu', fasilitasi: 'mendapat fasilitasi', sasaran: 'kelompok sasaran', sasaran_fasilitasi: 'sasaran mendapat fasilitasi' }[kind as keyof typeof PROGRESS_COUNTS];
    return c.html(page('Rincian target', render('target-groups', {
      period: periodText(v), where: 'label' in row ? row.label : row.name, label, back: `/pantau/target?${v.query}`,
      groups: cards.map((g) => ({ href: `/submissions/${g.cardId}`, title: titles.get(g.cardId) ?? g.cardId, facilitated: g.facilitated, flagged: g.flagged })),
    }), shell(c)));
  });
  app.get('/api/pantau/target.json', async (c) => c.json(progressJson(await progressView(c))));
  app.get('/api/pantau/target.csv', async (c) => {
    const v = await progressView(c);
    await audit(deps.store, c, { action: 'unduh', resource: 'target', region: v.progress.parent, detail: `target ${v.progress.year}-${v.progress.month} csv` });
    return c.body(progressCsv(v), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="target-${v.progress.year}-${v.progress.month}.csv"` });
  });
  const svg = (body: string) => new Response(body, { headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' } });
  app.get('/pantau/target/provinsi.svg', async (c) => svg(barsSvg(await progressView(c))));
  app.get('/pantau/target/bulanan.svg', async (c) => svg(monthsSvg(await progressView(c))));

  // ---- Target edits: national staff only.

  function requireNational(c: Context): void {
    if (viewerOf(c).account.role !== 'pusat') throw new HTTPException(403, { message: 'Target hanya diubah oleh Direktorat (pusat).' });
  }
  const editorName = (c: Context) => {
    const a = viewerOf(c).account;
    return a.name ? `${a.name} (${a.username})` : a.username;
  };

  /** The regions a year's targets are entered for: the plan's level, or the districts of a province. */
  async function editableRegions(plan: TargetPlan, parent: string | undefined) {
    if (!parent) return regionsAt(plan.level);
    if (!/^[0-9.]+$/.test(parent) || (await regionName(parent)) === undefined) throw new HTTPException(404, { message: 'Wilayah tidak ditemukan.' });
    return childrenOf(parent);
  }

  async function editPage(c: Context, year: number, parent: string | undefined, input?: { values: Record<string, string>; problems: readonly TargetInputProblem[] }, saved?: number) {
    const plan = planOr404(year);
    if (plan.year === year) await seedTargets(deps.store, plan);
    const regions = await editableRegions(plan, parent);
    const stored = await readTargets(deps.store, year);
    const problemOf = new Map(input?.problems.map((p) => [p.path.split('/')[2], p.message]) ?? []);
    const history = (await targetHistory(deps.store, year)).slice(0, 20);
    const names = new Map(regions.map((r) => [r.kode, r.nama]));
    return page('Ubah target', render('target-edit', {
      plan, year, parent, parentName: parent ? await regionName(parent) : undefined,
      problems: (input?.problems ?? []).map((p) => ({ ...p, code: p.path.split('/')[2] })), saved,
      regions: regions.map((r) => {
        const value = input ? (input.values[r.kode] ?? '') : stored.get(r.kode)?.value;
        return { kode: r.kode, nama: r.nama, value: value === null || value === undefined ? '' : String(value), error: problemOf.get(r.kode), by: stored.get(r.kode)?.by };
      }),
      history: history.map((h) => ({ ...h, name: names.get(h.region) ?? h.region, before: targetText(h.before), after: targetText(h.after), at: formatSavedAt(h.at, 'short') })),
    }), shell(c));
  }

  async function applyEdit(c: Context, year: number, parent: string | undefined, input: Record<string, unknown>) {
    const plan = planOr404(year);
    if (plan.year === year) await seedTargets(deps.store, plan);
    const regions = await editableRegions(plan, parent);
    const checked = checkTargetInput(input, regions);
    if (checked.problems.length) return { problems: checked.problems };
    const changes = await saveTargets(deps.store, year, checked.values, editorName(c));
    if (changes.length) {
      await audit(deps.store, c, { action: 'simpan', resource: 'target', record: String(year), region: parent, detail: changes.map((ch) => `${ch.region}: ${ch.before ?? '-'} → ${ch.after ?? '-'}`).join(', ') });
    }
    return { changes };
  }

  app.get('/pantau/target/ubah', async (c) => {
    requireNational(c);
    const { year } = periodOf((n) => c.req.query(n));
    const saved = c.req.query('disimpan');
    return c.html(await editPage(c, year, c.req.query('provinsi') || undefined, undefined, saved !== undefined && /^\d+$/.test(saved) ? Number(saved) : undefined));
  });

  app.post('/pantau/target/ubah', async (c) => {
    requireNational(c);
    const body = await formBody(c);
    const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const { year } = periodOf(text);
    const parent = text('provinsi') || undefined;
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (k.startsWith('nilai.') && typeof v === 'string') values[k.slice(6)] = v;
    const result = await applyEdit(c, year, parent, values);
    if ('problems' in result) return c.html(await editPage(c, year, parent, { values, problems: result.problems! }), 422);
    const q = new URLSearchParams({ tahun: String(year), ...(parent ? { provinsi: parent } : {}), disimpan: String(result.changes!.length) });
    return c.redirect(`/pantau/target/ubah?${q}`, 303);
  });

  app.get('/api/pantau/target/nilai', async (c) => {
    const { year } = periodOf((n) => c.req.query(n));
    const plan = planOr404(year);
    if (plan.year === year) await seedTargets(deps.store, plan);
    const scope = viewerOf(c).scope;
    const stored = await readTargets(deps.store, year);
    const names = new Map((await deps.store.db.selectFrom('wilayah').select(['kode', 'nama']).where('kode', 'in', [...stored.keys(), '']).execute()).map((r) => [String(r.kode), String(r.nama)]));
    const values = [...stored.values()].filter((t) => reaches(scope, t.region)).map((t) => ({ region: t.region, name: names.get(t.region) ?? null, value: t.value, by: t.by, at: t.at }));
    return c.json({ year, plan: plan.id, level: plan.level, values });
  });

  app.post('/api/pantau/target/nilai', async (c) => {
    requireNational(c);
    const body = await jsonBody(c);
    const year = typeof body.tahun === 'number' ? body.tahun : Number.NaN;
    if (!Number.isInteger(year) || year < 2000 || year > 2100) return c.json({ errors: [{ path: '/tahun', label: 'Tahun', message: 'Isi tahun sebagai bilangan, misalnya 2023.' }] }, 422);
    const nilai = body.nilai;
    if (!nilai || typeof nilai !== 'object' || Array.isArray(nilai)) return c.json({ errors: [{ path: '/nilai', label: 'Nilai', message: 'Isi "nilai" sebagai objek kode wilayah → target, misalnya {"33": 35}.' }] }, 422);
    const parent = typeof body.provinsi === 'string' && body.provinsi ? body.provinsi : undefined;
    const result = await applyEdit(c, year, parent, nilai as Record<string, unknown>);
    if ('problems' in result) return c.json({ errors: result.problems }, 422);
    return c.json({ year, changes: result.changes }, 200);
  });

  // ---- Target groups ("kelompok sasaran"): province and national staff, in their region.

  const FLAGGING_ROLES = new Set(['provinsi', 'pusat']);
  function requireFlagger(c: Context): void {
    if (!FLAGGING_ROLES.has(viewerOf(c).account.role)) throw new HTTPException(403, { message: 'Kelompok sasaran ditandai oleh perwakilan provinsi atau Direktorat (pusat).' });
  }

  /** The group named by `kelompok` (any card of it), readable by the viewer, for the year's plan. */
  async function groupOf(c: Context, rawId: unknown, year: number) {
    const plan = planOr404(year);
    if (typeof rawId !== 'string' || !UUID.test(rawId)) throw new HTTPException(400, { message: 'Kelompok: isi nomor kelompok (UUID kartu K/0).' });
    const record = await readForViewer(c, deps, rawId);
    if (record.model.id !== plan.facilitated.groupForm) throw new HTTPException(404, { message: 'Kelompok tidak ditemukan.' });
    const title = record.model.titleField ? indexModel(record.model).rootFields.get(record.model.titleField) : undefined;
    const name = title ? String(readPointer(record.data, title.pointer) ?? '') : record.stored.entity;
    return { plan, record, entity: record.stored.entity, name };
  }

  async function flag(c: Context, rawId: unknown, year: number, flagged: boolean) {
    requireFlagger(c);
    const { record, entity } = await groupOf(c, rawId, year);
    // A write in the group's region (groupOf already made anything outside it a 404).
    if (!covers(viewerOf(c).scope, record.region)) throw new HTTPException(403, { message: 'Anda tidak berwenang mengisi data untuk wilayah ini.' });
    await saveTargetGroup(deps.store, { year, group: entity, flagged, region: record.region, by: editorName(c) });
    await audit(deps.store, c, { action: 'simpan', resource: 'sasaran', record: entity, region: record.region, detail: `${year}: ${flagged ? 'kelompok sasaran' : 'bukan kelompok sasaran'}` });
    return entity;
  }

  app.get('/pantau/sasaran', async (c) => {
    const { year } = periodOf((n) => c.req.query(n));
    const { entity, name } = await groupOf(c, c.req.query('kelompok'), year);
    const state = await targetGroupFlag(deps.store, year, entity);
    return c.html(page('Kelompok sasaran', render('target-group', {
      entity, name, year, flagged: state?.flagged ?? false, by: state?.by, at: state && formatSavedAt(state.at, 'short'),
      canFlag: FLAGGING_ROLES.has(viewerOf(c).account.role), saved: c.req.query('disimpan') === '1',
    }), shell(c)));
  });

  app.post('/pantau/sasaran', async (c) => {
    const body = await formBody(c);
    const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const { year } = periodOf(text);
    const entity = await flag(c, text('kelompok'), year, text('sasaran') === '1');
    return c.redirect(`/pantau/sasaran?${new URLSearchParams({ kelompok: entity, tahun: String(year), disimpan: '1' })}`, 303);
  });

  app.post('/api/pantau/sasaran', async (c) => {
    const body = await jsonBody(c);
    const errors: { path: string; label: string; message: string }[] = [];
    if (typeof body.tahun !== 'number' || !Number.isInteger(body.tahun) || body.tahun < 2000 || body.tahun > 2100) errors.push({ path: '/tahun', label: 'Tahun', message: 'Isi tahun sebagai bilangan, misalnya 2023.' });
    if (typeof body.sasaran !== 'boolean') errors.push({ path: '/sasaran', label: 'Sasaran', message: 'Isi "sasaran" dengan true atau false.' });
    if (typeof body.kelompok !== 'string' || !UUID.test(body.kelompok)) errors.push({ path: '/kelompok', label: 'Kelompok', message: 'Isi nomor kelompok (UUID kartu K/0).' });
    if (errors.length) return c.json({ errors }, 422);
    const entity = await flag(c, body.kelompok, body.tahun as number, body.sasaran as boolean);
    return c.json({ kelompok: entity, tahun: body.tahun, sasaran: body.sasaran }, 200);
  });

  return app;
}

/** A JSON object body, or 415 / 400 in Indonesian. */
async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) throw new HTTPException(415, { message: 'Kirim isi sebagai application/json.' });
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new HTTPException(400, { message: 'Isi kiriman bukan JSON yang sah.' });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HTTPException(400, { message: 'Isi kiriman harus objek JSON.' });
  return body as Record<string, unknown>;
}
