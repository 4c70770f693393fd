/**
 * Export benchmark (issue 19): 100,000 group cards (one member each) exported through the real
 * route, as CSV (the main table) and as XLSX (a sheet for the cards and one for the members),
 * against a raw baseline in the same run: the same rows iterated (better-sqlite3 `iterate()` on
 * SQLite, a server-side cursor through `pg` on PostgreSQL) and written with csv-stringify or
 * exceljs's streaming writer to a file, with no formatting, masking, scope or HTTP. Both dialects
 * are measured, each against its own baseline. Each side runs in its own process, so its peak
 * memory (RSS) is its own.
 *
 * `npx tsx bench/export.ts [rows]` prints the report; `benchExport()` returns the numbers.
 * EXPORT_ROWS sets the size for a quick run through `npm run bench -- export`.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { loadForms } from '../engine/index.js';
import { loadRegions, openStore, publishDefinition, saveSubmission } from '../engine/storage/index.js';
import { createAccount } from '../server/auth/auth.js';
import { start } from '../server/main.js';
import { startPostgres } from '../test/support/postgres.js';
import { bigK0, uuid } from '../test/support/submissions.js';

export interface ExportSide { readonly ms: number; readonly bytes: number; readonly maxRssMb: number }
export interface ExportRun {
  readonly dialect: 'SQLite' | 'PostgreSQL';
  readonly rows: number;
  readonly route: { readonly csv: ExportSide; readonly xlsx: ExportSide };
  readonly raw: { readonly csv: ExportSide; readonly xlsx: ExportSide };
  /** Route throughput / raw throughput (1 = as fast as the raw loop). */
  readonly ratio: { readonly csv: number; readonly xlsx: number };
}

const BASE = 100;
const PASSWORD = 'sandi-bench-panjang-2026';
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** The forms and regions published and 100 cards saved through the storage layer at `url`. */
async function seedBase(url: string): Promise<void> {
  const forms = loadForms();
  const store = openStore(url);
  for (const m of forms.values()) await publishDefinition(store, m);
  await loadRegions(store);
  const k0 = forms.get('k0-uppka')!;
  for (let i = 0; i < BASE; i++) {
    const card = bigK0(1, `UPPKA ${String(i + 1).padStart(6, '0')}`);
    card.anggota[0]!.nik = `3374012345${String(i).padStart(6, '0')}`;
    await saveSubmission(store, k0, { id: uuid(), data: card });
  }
  await store.close();
}

/** Step 1 on SQLite, own process: `n` cards, 100 saved through the storage layer, the rest copies of them. */
async function seed(dir: string, n: string): Promise<Record<string, number>> {
  const file = join(dir, 'lembar.sqlite');
  await seedBase(file);
  // The copies differ in id and name only; one transaction keeps seeding out of the measurement's way.
  const db = new Database(file);
  const main = db.prepare('select * from k0_uppka').all() as Record<string, unknown>[];
  const members = db.prepare('select * from k0_uppka__anggota').all() as Record<string, unknown>[];
  const mainCols = Object.keys(main[0]!);
  const memberCols = Object.keys(members[0]!);
  const insertMain = db.prepare(`insert into k0_uppka (${mainCols.join(', ')}) values (${mainCols.map((c) => `@${c}`).join(', ')})`);
  const insertMember = db.prepare(`insert into k0_uppka__anggota (${memberCols.join(', ')}) values (${memberCols.map((c) => `@${c}`).join(', ')})`);
  db.transaction(() => {
    for (let i = BASE; i < Number(n); i++) {
      const from = main[i % BASE]!;
      const id = uuid();
      insertMain.run({ ...from, _id: id, _entity: id, nama_kelompok: `UPPKA ${String(i + 1).padStart(6, '0')}` });
      for (const m of members.filter((r) => r._submission_id === from._id)) insertMember.run({ ...m, _submission_id: id });
    }
  })();
  db.close();
  return {};
}

/**
 * Step 1 on PostgreSQL, own process: as `seed`, the copies made by set-based SQL (a row-at-a-time
 * loop over a socket would take minutes for 100,000 cards).
 */
async function pgSeed(url: string, n: string): Promise<Record<string, number>> {
  await seedBase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = async (table: string) =>
      (await client.query<{ column_name: string }>('select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1 order by ordinal_position', [table])).rows.map((r) => r.column_name);
    const mainCols = await columns('k0_uppka');
    const memberCols = await columns('k0_uppka__anggota');
    const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
    const copy = (table: string, alias: string, cols: string[], joinOn: string, override: Record<string, string>) =>
      `insert into ${table} (${cols.map(quote).join(', ')}) select ${cols.map((c) => override[c] ?? `${alias}.${quote(c)}`).join(', ')} from bench_copies c join ${table} ${alias} on ${joinOn}`;
    await client.query('begin');
    // One new id per copy, with the base card it copies: the cards and their members share it.
    await client.query(
      `create temporary table bench_copies on commit drop as
       select i, gen_random_uuid()::text as id, b._id as from_id
       from generate_series($1::int, $2::int - 1) as i
       join (select _id, row_number() over (order by _id) - 1 as k from k0_uppka) b on b.k = i % $1::int`,
      [BASE, Number(n)],
    );
    await client.query(copy('k0_uppka', 'm', mainCols, 'm._id = c.from_id', { _id: 'c.id', _entity: 'c.id', nama_kelompok: `'UPPKA ' || lpad((c.i + 1)::text, 6, '0')` }));
    await client.query(copy('k0_uppka__anggota', 'a', memberCols, 'a._submission_id = c.from_id', { _submission_id: 'c.id' }));
    await client.query('commit');
    await client.query('analyze k0_uppka');
    await client.query('analyze k0_uppka__anggota');
  } finally {
    await client.end();
  }
  return {};
}

/** Step 2, own process: the server on the seeded database; a district account downloads both. */
async function route(databaseUrl: string): Promise<Record<string, ExportSide>> {
  process.env.LOG_LEVEL = 'silent';
  const running = await start({ port: 0, hostname: '127.0.0.1', databaseUrl, demo: false });
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

/** Rows with the column names first, from whichever driver: the raw side's only difference by dialect. */
type RowSource = () => Iterable<unknown[]> | AsyncIterable<unknown[]>;

/**
 * The raw baseline: the cards' rows into a CSV (csv-stringify, 500 lines a write) and cards and
 * members into a workbook (exceljs's streaming writer), with no formatting, masking, scope or HTTP.
 */
async function rawWrite(dir: string, cards: RowSource, members: RowSource): Promise<Record<string, ExportSide>> {
  const out: Record<string, ExportSide> = {};
  let t = performance.now();
  const fd = openSync(join(dir, 'raw.csv'), 'w');
  let bytes = 0;
  let batch: unknown[][] = [];
  const flush = () => {
    const text = Buffer.from(stringify(batch));
    bytes += text.byteLength;
    writeSync(fd, text);
    batch = [];
  };
  for await (const row of cards()) {
    batch.push(row);
    if (batch.length === 500) flush();
  }
  flush();
  closeSync(fd);
  out.csv = { ms: performance.now() - t, bytes, maxRssMb: rss() };

  t = performance.now();
  const xlsxFile = join(dir, 'raw.xlsx');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxFile, useStyles: true, useSharedStrings: false });
  for (const [name, rows] of [['K/0', cards], ['Anggota', members]] as const) {
    const sheet = workbook.addWorksheet(name);
    for await (const row of rows()) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
  out.xlsx = { ms: performance.now() - t, bytes: Number(execFileSync('stat', ['-c', '%s', xlsxFile]).toString()), maxRssMb: rss() };
  return out;
}

/** Step 3 on SQLite, own process: the raw loop over the same rows (better-sqlite3 `iterate()`), into files. */
async function raw(dir: string): Promise<Record<string, ExportSide>> {
  const db = new Database(join(dir, 'lembar.sqlite'), { readonly: true });
  const rows = (sql: string): RowSource => function* () {
    const stmt = db.prepare(sql).raw();
    yield stmt.columns().map((c) => c.name);
    yield* stmt.iterate() as Iterable<unknown[]>;
  };
  try {
    return await rawWrite(dir, rows('select * from k0_uppka order by _id'), rows('select * from k0_uppka__anggota order by _submission_id, _row'));
  } finally {
    db.close();
  }
}

/**
 * Rows of `sql` through a server-side cursor, a page of 500 per FETCH, as arrays, with the column
 * names first: the driver's plain cost of reading them, as `iterate()` is on SQLite.
 */
async function* cursorRows(client: pg.Client, sql: string): AsyncGenerator<unknown[]> {
  await client.query('begin');
  try {
    await client.query(`declare bench_rows no scroll cursor for ${sql}`);
    let first = true;
    for (;;) {
      const page = await client.query({ text: 'fetch 500 from bench_rows', rowMode: 'array' });
      if (first) yield page.fields.map((f) => f.name);
      first = false;
      for (const row of page.rows as unknown[][]) yield row;
      if (page.rows.length < 500) break;
    }
    await client.query('close bench_rows');
  } finally {
    await client.query('commit');
  }
}

/** Step 3 on PostgreSQL, own process: the same raw loop, rows read through `pg`. */
async function pgRaw(url: string, dir: string): Promise<Record<string, ExportSide>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await rawWrite(dir, () => cursorRows(client, 'select * from k0_uppka order by _id'), () => cursorRows(client, 'select * from k0_uppka__anggota order by _submission_id, _row'));
  } finally {
    await client.end();
  }
}

const steps = { seed, pgSeed, route, raw, pgRaw } as const;

function step<T>(name: keyof typeof steps, ...args: string[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--step', name, ...args], { maxBuffer: 1 << 20 }).toString();
  return JSON.parse(out.trim().split('\n').at(-1) || '{}') as T;
}

type Sides = { csv: ExportSide; xlsx: ExportSide };

/** Route and raw steps run twice, alternating; best time of each, highest peak RSS. */
function measure(dialect: ExportRun['dialect'], n: number, routeStep: () => Sides, rawStep: () => Sides): ExportRun {
  const runs = [routeStep(), rawStep(), routeStep(), rawStep()];
  const best = (a: Sides, b: Sides, ext: 'csv' | 'xlsx'): ExportSide => ({ ...(a[ext].ms <= b[ext].ms ? a[ext] : b[ext]), maxRssMb: Math.max(a[ext].maxRssMb, b[ext].maxRssMb) });
  const routeSide = { csv: best(runs[0]!, runs[2]!, 'csv'), xlsx: best(runs[0]!, runs[2]!, 'xlsx') };
  const rawSide = { csv: best(runs[1]!, runs[3]!, 'csv'), xlsx: best(runs[1]!, runs[3]!, 'xlsx') };
  // Same rows on both sides: the ratio of rows per second is the ratio of times.
  return { dialect, rows: n, route: routeSide, raw: rawSide, ratio: { csv: rawSide.csv.ms / routeSide.csv.ms, xlsx: rawSide.xlsx.ms / routeSide.xlsx.ms } };
}

/**
 * Seeds `n` cards in a temporary SQLite file and in a throwaway PostgreSQL database and measures
 * both sides on each, best of two each.
 */
export async function benchExport(n = Number(process.env.EXPORT_ROWS) || 100_000): Promise<ExportRun[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lembar-bench-export-'));
  const file = join(dir, 'lembar.sqlite');
  try {
    step('seed', dir, String(n));
    const sqlite = measure('SQLite', n, () => step<Sides>('route', file), () => step<Sides>('raw', dir));
    rmSync(file, { force: true });
    const postgres = await startPostgres();
    try {
      const url = await postgres.createDatabase('lembar_bench_export');
      step('pgSeed', url, String(n));
      return [sqlite, measure('PostgreSQL', n, () => step<Sides>('route', url), () => step<Sides>('pgRaw', url, dir))];
    } finally {
      await postgres.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report's lines, as `npm run bench` prints its sections. */
export function printExport(runs: readonly ExportRun[]): void {
  for (const r of runs) {
    const rate = (s: ExportSide) => `${Math.round(r.rows / (s.ms / 1000)).toLocaleString('en')} rows/s, ${(s.bytes / 1e6).toFixed(1)} MB, peak RSS ${s.maxRssMb} MB`;
    console.log(`## Export of ${r.rows.toLocaleString('en')} group cards (one member each), district account, ${r.dialect}`);
    for (const ext of ['csv', 'xlsx'] as const) {
      console.log(`  ${ext.toUpperCase()} through the route: ${rate(r.route[ext])}`);
      console.log(`  ${ext.toUpperCase()} raw iterate + write:  ${rate(r.raw[ext])}`);
      console.log(`  ratio ${ext.toUpperCase()}: ${r.ratio[ext].toFixed(2)} of raw throughput (aim ≥ 0.80)`);
    }
  }
}

if (process.argv.includes('--step')) {
  const [name, a, b] = process.argv.slice(process.argv.indexOf('--step') + 1) as [keyof typeof steps, string, string];
  console.log(JSON.stringify((await steps[name](a, b)) ?? {}));
  // The server's worker pool and timers would keep the step alive.
  process.exit(0);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  printExport(await benchExport(Number(process.argv[2]) || undefined));
}
