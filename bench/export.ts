/**
 * Export benchmark (issue 19): 100,000 group cards (one member each) exported through the real
 * route, as CSV (the main table) and as XLSX (a sheet for the cards and one for the members),
 * against a raw baseline in the same run: better-sqlite3 `iterate()` over the same rows written
 * with csv-stringify or exceljs's streaming writer to a file, with no formatting, masking, scope
 * or HTTP. Each side runs in its own process, so its peak memory (RSS) is its own.
 *
 * `npx tsx bench/export.ts` prints the report; `benchExport()` returns the numbers.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { loadForms } from '../engine/index.js';
import { loadRegions, openStore, publishDefinition, saveSubmission } from '../engine/storage/index.js';
import { createAccount } from '../server/auth/auth.js';
import { start } from '../server/main.js';
import { bigK0, uuid } from '../test/support/submissions.js';

export interface ExportSide { readonly ms: number; readonly bytes: number; readonly maxRssMb: number }
export interface ExportRun {
  readonly rows: number;
  readonly route: { readonly csv: ExportSide; readonly xlsx: ExportSide };
  readonly raw: { readonly csv: ExportSide; readonly xlsx: ExportSide };
  /** Route throughput / raw throughput (1 = as fast as the raw loop). */
  readonly ratio: { readonly csv: number; readonly xlsx: number };
}

const BASE = 100;
const PASSWORD = 'sandi-bench-panjang-2026';
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Step 1, own process: `n` cards, 100 saved through the storage layer, the rest copies of them. */
async function seed(dir: string, n: number): Promise<Record<string, number>> {
  const forms = loadForms();
  const file = join(dir, 'lembar.sqlite');
  const store = openStore(file);
  for (const m of forms.values()) await publishDefinition(store, m);
  await loadRegions(store);
  const k0 = forms.get('k0-uppka')!;
  for (let i = 0; i < BASE; i++) {
    const card = bigK0(1, `UPPKA ${String(i + 1).padStart(6, '0')}`);
    card.anggota[0]!.nik = `3374012345${String(i).padStart(6, '0')}`;
    await saveSubmission(store, k0, { id: uuid(), data: card });
  }
  await store.close();
  // The copies differ in id and name only; one transaction keeps seeding out of the measurement's way.
  const db = new Database(file);
  const main = db.prepare('select * from k0_uppka').all() as Record<string, unknown>[];
  const members = db.prepare('select * from k0_uppka__anggota').all() as Record<string, unknown>[];
  const mainCols = Object.keys(main[0]!);
  const memberCols = Object.keys(members[0]!);
  const insertMain = db.prepare(`insert into k0_uppka (${mainCols.join(', ')}) values (${mainCols.map((c) => `@${c}`).join(', ')})`);
  const insertMember = db.prepare(`insert into k0_uppka__anggota (${memberCols.join(', ')}) values (${memberCols.map((c) => `@${c}`).join(', ')})`);
  db.transaction(() => {
    for (let i = BASE; i < n; i++) {
      const from = main[i % BASE]!;
      const id = uuid();
      insertMain.run({ ...from, _id: id, _entity: id, nama_kelompok: `UPPKA ${String(i + 1).padStart(6, '0')}` });
      for (const m of members.filter((r) => r._submission_id === from._id)) insertMember.run({ ...m, _submission_id: id });
    }
  })();
  db.close();
  return {};
}

/** Step 2, own process: the server on the seeded file; a district account downloads both. */
async function route(dir: string): Promise<Record<string, ExportSide>> {
  process.env.LOG_LEVEL = 'silent';
  const running = await start({ port: 0, hostname: '127.0.0.1', databaseUrl: join(dir, 'lembar.sqlite'), demo: false });
  const base = `http://127.0.0.1:${running.port}`;
  // Made by the first run; the second finds it.
  await createAccount(running.auth, { name: 'Bench Kabupaten', role: 'kabupaten', regions: ['33.74'], username: 'bench.kabupaten', password: PASSWORD }).catch(() => undefined);
  const login = await fetch(`${base}/masuk`, { method: 'POST', redirect: 'manual', headers: { Origin: base }, body: new URLSearchParams({ pengguna: 'bench.kabupaten', sandi: PASSWORD }) });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const out: Record<string, ExportSide> = {};
  for (const ext of ['csv', 'xlsx']) {
    const t = performance.now();
    // Identity: the bytes the export writes, not gzip's (the server gzips text for clients that ask).
    const res = await fetch(`${base}/api/forms/k0-uppka/submissions.${ext}`, { headers: { Cookie: cookie, 'Accept-Encoding': 'identity' } });
    if (res.status !== 200) throw new Error(`${ext}: ${res.status} ${await res.text()}`);
    let bytes = 0;
    for await (const chunk of res.body!) bytes += (chunk as Uint8Array).byteLength;
    out[ext] = { ms: performance.now() - t, bytes, maxRssMb: rss() };
  }
  await running.stop();
  return out;
}

/** Step 3, own process: the raw loop over the same rows, into files. */
async function raw(dir: string): Promise<Record<string, ExportSide>> {
  const db = new Database(join(dir, 'lembar.sqlite'), { readonly: true });
  const main = db.prepare('select * from k0_uppka order by _id');
  const members = db.prepare('select * from k0_uppka__anggota order by _submission_id, _row');
  const out: Record<string, ExportSide> = {};

  let t = performance.now();
  const csvFile = join(dir, 'raw.csv');
  const fd = openSync(csvFile, 'w');
  let bytes = 0;
  let batch: unknown[][] = [];
  const flush = () => {
    const text = Buffer.from(stringify(batch));
    bytes += text.byteLength;
    writeSync(fd, text);
    batch = [];
  };
  batch.push(main.columns().map((c) => c.name));
  for (const row of main.raw().iterate() as Iterable<unknown[]>) {
    batch.push(row);
    if (batch.length === 500) flush();
  }
  flush();
  closeSync(fd);
  out.csv = { ms: performance.now() - t, bytes, maxRssMb: rss() };

  t = performance.now();
  const xlsxFile = join(dir, 'raw.xlsx');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxFile, useStyles: true, useSharedStrings: false });
  for (const [name, stmt] of [['K/0', main], ['Anggota', members]] as const) {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow(stmt.columns().map((c) => c.name)).commit();
    for (const row of stmt.raw().iterate() as Iterable<unknown[]>) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
  out.xlsx = { ms: performance.now() - t, bytes: Number(execFileSync('stat', ['-c', '%s', xlsxFile]).toString()), maxRssMb: rss() };
  db.close();
  return out;
}

const steps = { seed, route, raw } as const;

function step<T>(name: keyof typeof steps, dir: string, n: number): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--step', name, dir, String(n)], { maxBuffer: 1 << 20 }).toString();
  return JSON.parse(out.trim().split('\n').at(-1) || '{}') as T;
}

/** Seeds `n` cards in a temporary SQLite file and measures both sides, best of two each. */
export function benchExport(n = 100_000): ExportRun {
  const dir = mkdtempSync(join(tmpdir(), 'lembar-bench-export-'));
  try {
    step('seed', dir, n);
    type Sides = { csv: ExportSide; xlsx: ExportSide };
    const runs = [step<Sides>('route', dir, n), step<Sides>('raw', dir, n), step<Sides>('route', dir, n), step<Sides>('raw', dir, n)];
    const best = (a: Sides, b: Sides, ext: 'csv' | 'xlsx'): ExportSide => ({ ...(a[ext].ms <= b[ext].ms ? a[ext] : b[ext]), maxRssMb: Math.max(a[ext].maxRssMb, b[ext].maxRssMb) });
    const routeSide = { csv: best(runs[0]!, runs[2]!, 'csv'), xlsx: best(runs[0]!, runs[2]!, 'xlsx') };
    const rawSide = { csv: best(runs[1]!, runs[3]!, 'csv'), xlsx: best(runs[1]!, runs[3]!, 'xlsx') };
    // Same rows on both sides: the ratio of rows per second is the ratio of times.
    return { rows: n, route: routeSide, raw: rawSide, ratio: { csv: rawSide.csv.ms / routeSide.csv.ms, xlsx: rawSide.xlsx.ms / routeSide.xlsx.ms } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report's lines, as `npm run bench` prints its sections. */
export function printExport(r: ExportRun): void {
  const rate = (s: ExportSide) => `${Math.round(r.rows / (s.ms / 1000)).toLocaleString('en')} rows/s, ${(s.bytes / 1e6).toFixed(1)} MB, peak RSS ${s.maxRssMb} MB`;
  console.log(`## Export of ${r.rows.toLocaleString('en')} group cards (one member each), district account, SQLite`);
  for (const ext of ['csv', 'xlsx'] as const) {
    console.log(`  ${ext.toUpperCase()} through the route: ${rate(r.route[ext])}`);
    console.log(`  ${ext.toUpperCase()} raw iterate + write:  ${rate(r.raw[ext])}`);
    console.log(`  ratio ${ext.toUpperCase()}: ${r.ratio[ext].toFixed(2)} of raw throughput (aim ≥ 0.80)`);
  }
}

if (process.argv.includes('--step')) {
  const [name, dir, n] = process.argv.slice(process.argv.indexOf('--step') + 1) as [keyof typeof steps, string, string];
  console.log(JSON.stringify((await steps[name](dir, Number(n))) ?? {}));
  // The server's worker pool and timers would keep the step alive.
  process.exit(0);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  printExport(benchExport(Number(process.argv[2]) || undefined));
}
