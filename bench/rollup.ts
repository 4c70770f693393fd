/**
 * Roll-up benchmark (issue 19): the province report's roll-up (engine/reports/rollup.ts, counted in
 * SQL) for a province of 10,000 groups, and the national summary one level up
 * (engine/reports/one-level-up.ts, the same roll-up per province) over 100,000 groups, 2 million
 * members and 1.2 million registers; each against a hand-written SQL GROUP BY of the same numbers,
 * in the same run, on SQLite and on PostgreSQL (a throwaway server, test/support/postgres.ts).
 * Both sides' answers are compared before anything is timed: a faster wrong number is no result.
 *
 * The data goes in by bulk inserts (one prepared statement per table in SQLite, `unnest` batches in
 * PostgreSQL), not through saveSubmission: every group has one card, in force, so the hand-written
 * query may take `_current = 1 and _status = 'aktif'` for the card in force. ROLLUP_GROUPS sets
 * a smaller country (members and registers scale with it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { deepStrictEqual } from 'node:assert';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { loadForms } from '../engine/index.js';
import { regionSummaryByReports, regionSummarySql, reportRows, rollUpRows, type RegionSummary, type ReportParams } from '../engine/reports/index.js';
import { loadRegions, openStore, publishDefinition, type Store } from '../engine/storage/index.js';
import { startPostgres } from '../test/support/postgres.js';

type Json = Record<string, unknown>;
const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const r1 = forms.get('r1-uppka')!;
const report = forms.get('laporan-provinsi')!;
const PARAMS = { provinsi: '33', tahun: 2023, bulan: 3 } as const;
const PROVINCE_GROUPS = 10_000;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Cell = string | number | null;
interface Table { readonly name: string; readonly columns: readonly string[]; readonly pgTypes: readonly string[] }

const K0_MAIN: Table = {
  name: 'k0_uppka',
  columns: ['_id', '_version', '_revision', '_current', '_status', '_hash', '_created_at', '_entity', 'tahun', 'nama_kelompok', 'tahun_terbentuk', 'provinsi', 'kabupaten_kota', 'kecamatan', 'desa_kelurahan', 'nama_kampung_kb', 'jumlah_anggota', 'jenis_usaha'],
  pgTypes: ['text', 'bigint', 'bigint', 'bigint', 'text', 'text', 'text', 'text', 'bigint', 'text', 'bigint', 'text', 'text', 'text', 'text', 'text', 'bigint', 'text'],
};
const K0_MEMBERS: Table = {
  name: 'k0_uppka__anggota',
  columns: ['_submission_id', '_row', 'nama', 'usia', 'status', 'mkjp_lestari', 'mkjp_mandiri', 'non_mkjp', 'jenis_kontrasepsi', 'remaja_catin', 'ibu_hamil', 'ibu_menyusui', 'baduta', 'balita'],
  pgTypes: ['text', 'bigint', 'text', 'bigint', 'text', 'bigint', 'bigint', 'bigint', 'text', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint'],
};
const R1_MAIN: Table = {
  name: 'r1_uppka',
  columns: ['_id', '_version', '_revision', '_current', '_status', '_hash', '_created_at', '_entity', '_ada_kegiatan_anggota', 'kelompok_id', 'bulan', 'tahun', 'jumlah_anggota', 'sosialisasi_kebijakan', 'orientasi_pek', 'pengembangan_model', 'monitoring_evaluasi', 'modal', 'omzet'],
  pgTypes: ['text', 'bigint', 'bigint', 'bigint', 'text', 'text', 'text', 'text', 'bigint', 'text', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint'],
};

/** Where rows go: one table's rows at a time, in batches. */
interface Sink {
  add(table: Table, row: readonly Cell[]): Promise<void>;
  flush(): Promise<void>;
}

export function sqliteSink(file: string): Sink & { close(): void } {
  const db = new Database(file);
  db.pragma('journal_mode = wal');
  db.pragma('synchronous = off');
  const statements = new Map<string, Database.Statement>();
  let pending = 0;
  db.exec('begin');
  return {
    async add(table, row) {
      let st = statements.get(table.name);
      if (!st) statements.set(table.name, (st = db.prepare(`insert into ${table.name} (${table.columns.join(', ')}) values (${table.columns.map(() => '?').join(', ')})`)));
      st.run(...row);
      if (++pending >= 200_000) {
        db.exec('commit; begin');
        pending = 0;
      }
    },
    async flush() {
      db.exec('commit; begin');
    },
    close() {
      db.exec('commit');
      db.exec('analyze');
      db.close();
    },
  };
}

export function postgresSink(client: pg.Client): Sink {
  const batches = new Map<string, { table: Table; columns: Cell[][] }>();
  const send = async (b: { table: Table; columns: Cell[][] }) => {
    if (!b.columns[0]!.length) return;
    const { table } = b;
    await client.query(
      `insert into ${table.name} (${table.columns.join(', ')}) select * from unnest(${table.pgTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
      b.columns,
    );
    b.columns = table.columns.map(() => []);
  };
  return {
    async add(table, row) {
      let b = batches.get(table.name);
      if (!b) batches.set(table.name, (b = { table, columns: table.columns.map(() => []) }));
      row.forEach((v, i) => b!.columns[i]!.push(v));
      // All tables at once, parents first (the order they were first seen): members need their card.
      if (b.columns[0]!.length >= 20_000) for (const each of batches.values()) await send(each);
    },
    async flush() {
      for (const b of batches.values()) await send(b);
    },
  };
}

/** Region rows for the generated groups: a few districts per province (codes .90–.99, beside the demo slice). */
function regionRows(provinces: readonly string[]): { kode: string; nama: string; tingkat: string; induk: string }[] {
  const out = [];
  for (const p of provinces) {
    for (let k = 0; k < districtsOf(p); k++) {
      const kab = `${p}.9${k}`;
      out.push({ kode: kab, nama: `Kabupaten Uji ${p}-${k}`, tingkat: 'kabupaten_kota', induk: p });
      out.push({ kode: `${kab}.01`, nama: `Kecamatan Uji ${p}-${k}`, tingkat: 'kecamatan', induk: kab });
      out.push({ kode: `${kab}.01.1001`, nama: `Desa Uji ${p}-${k}`, tingkat: 'desa_kelurahan', induk: `${kab}.01` });
    }
  }
  return out;
}
const districtsOf = (p: string) => (p === PARAMS.provinsi ? 10 : 4);

interface Sizes { groups: number; members: number; registers: number }

/** The country: PROVINCE_GROUPS groups in the report's province, the rest spread over the others. */
export async function generate(sink: Sink, provinces: readonly string[], groups: number): Promise<Sizes> {
  const rand = rng(19);
  const others = provinces.filter((p) => p !== PARAMS.provinsi);
  const b = (p: number) => (rand() < p ? 1 : 0);
  let members = 0;
  let registers = 0;
  for (let i = 0; i < groups; i++) {
    const id = randomUUID();
    const p = i < Math.min(PROVINCE_GROUPS, groups) ? PARAMS.provinsi : others[i % others.length]!;
    const kab = `${p}.9${Math.floor(rand() * districtsOf(p))}`;
    const n = 10 + Math.floor(rand() * 21);
    await sink.add(K0_MAIN, [id, k0.version, 1, 1, 'aktif', 'bench', '2023-01-05T00:00:00.000Z', id, 2023, `UPPKA ${i}`, 2015 + Math.floor(rand() * 9), p, kab, `${kab}.01`, `${kab}.01.1001`, `Kampung KB ${i % 50}`, n, 'kuliner']);
    for (let row = 0; row < n; row++) {
      const pus = rand() < 0.75;
      const kb = pus ? rand() : 1;
      const lestari = kb < 0.2 ? 1 : 0;
      const mandiri = kb >= 0.2 && kb < 0.4 ? 1 : 0;
      const non = kb >= 0.4 && kb < 0.7 ? 1 : 0;
      const flag = () => (rand() < 0.1 ? 1 : rand() < 0.1 ? 0 : null);
      await sink.add(K0_MEMBERS, [id, row, `Anggota ${row + 1}`, 18 + Math.floor(rand() * 40), pus ? 'pus' : 'non_pus', lestari, mandiri, non, lestari ? 'iud' : mandiri ? 'implan' : non ? 'pil' : null, flag(), flag(), flag(), flag(), flag()]);
    }
    members += n;
    // Twelve registers a group; one in ten has none for the report's month (that one is of 2022).
    const missing = rand() < 0.1;
    for (let month = 1; month <= 12; month++) {
      const year = missing && month === PARAMS.bulan ? 2022 : 2023;
      await sink.add(R1_MAIN, [randomUUID(), r1.version, 1, 1, 'aktif', 'bench', '2023-04-01T00:00:00.000Z', null, 0, id, month, year, n, b(0.5), b(0.4), b(0.3), b(0.6), 0, 1000]);
    }
    registers += 12;
  }
  await sink.flush();
  return { groups, members, registers };
}

const MEMBER_COUNTS: Record<string, string> = {
  mkjp_lestari: `m.status = 'pus' and m.mkjp_lestari = 1`,
  mkjp_mandiri: `m.status = 'pus' and m.mkjp_mandiri = 1`,
  non_mkjp: `m.status = 'pus' and m.non_mkjp = 1`,
  total_akseptor: `m.status = 'pus' and (m.mkjp_lestari = 1 or m.mkjp_mandiri = 1 or m.non_mkjp = 1)`,
  non_pus: `m.status = 'non_pus'`,
  rentan_stunting: `m.remaja_catin = 1 or m.ibu_hamil = 1 or m.ibu_menyusui = 1 or m.baduta = 1 or m.balita = 1`,
  jumlah_keluarga: 'true',
  jumlah_keluarga_akseptor: `m.mkjp_lestari = 1 or m.mkjp_mandiri = 1 or m.non_mkjp = 1`,
  jumlah_akseptor_lestari: `m.mkjp_lestari = 1`,
  jumlah_akseptor_mandiri: `m.mkjp_mandiri = 1`,
  jumlah_rentan_stunting: `m.remaja_catin = 1 or m.ibu_hamil = 1 or m.ibu_menyusui = 1 or m.baduta = 1 or m.balita = 1`,
  jumlah_remaja_catin: `m.remaja_catin = 1`,
  jumlah_ibu_hamil: `m.ibu_hamil = 1`,
  jumlah_ibu_menyusui: `m.ibu_menyusui = 1`,
  jumlah_baduta: `m.baduta = 1`,
  jumlah_balita: `m.balita = 1`,
};
const FLAGS: Record<string, string> = {
  kegiatan_sosialisasi: 'sosialisasi_kebijakan', kegiatan_orientasi: 'orientasi_pek', kegiatan_pengembangan_model: 'pengembangan_model', kegiatan_monev: 'monitoring_evaluasi',
};
const memberAggregates = () => sql.raw(Object.entries(MEMBER_COUNTS).map(([k, w]) => `count(*) filter (where ${w}) as ${k}`).join(', '));

/** Hand-written: the province's rows, one GROUP BY over the members, the month's register joined. */
export async function handProvince(store: Store): Promise<Json[]> {
  const flags = sql.raw(Object.values(FLAGS).map((c) => `r.${c}`).join(', '));
  const rows = (await sql<Json>`
    select g._id, w.nama as kabupaten, g.nama_kampung_kb, g.nama_kelompok, g.tahun_terbentuk, a.*, r._id as register, ${flags}
    from k0_uppka g
    join wilayah w on w.kode = g.kabupaten_kota
    left join (select m._submission_id as sid, ${memberAggregates()} from k0_uppka__anggota m
               join k0_uppka g2 on g2._id = m._submission_id
               where g2.provinsi = ${PARAMS.provinsi} and g2._current = 1 and g2._status = 'aktif'
               group by m._submission_id) a on a.sid = g._id
    left join r1_uppka r on r.kelompok_id = g._id and r._current = 1 and r.tahun = ${PARAMS.tahun} and r.bulan = ${PARAMS.bulan}
    where g.provinsi = ${PARAMS.provinsi} and g._current = 1 and g._status = 'aktif'
    order by g.kabupaten_kota, g.nama_kampung_kb, g.nama_kelompok, g._id`.execute(store.db)).rows;
  return rows.map((r) => {
    const row: Json = { kelompok_id: r._id, kabupaten_kota: r.kabupaten, nama_kampung_kb: r.nama_kampung_kb, nama_kelompok: r.nama_kelompok };
    for (const k of Object.keys(MEMBER_COUNTS)) row[k] = Number(r[k] ?? 0);
    if (r.register !== null) for (const [k, c] of Object.entries(FLAGS)) row[k] = Number(r[c]) === 1;
    row.jumlah_uppka_lama = Number(r.tahun_terbentuk) < PARAMS.tahun ? 1 : 0;
    return row;
  });
}

/** Hand-written: per province, its groups, registers arrived and every column's total. */
export async function handNational(store: Store): Promise<Json[]> {
  const flagSums = sql.raw(Object.entries(FLAGS).map(([k, c]) => `count(*) filter (where r.${c} = 1) as ${k}`).join(', '));
  const sums = sql.raw(Object.keys(MEMBER_COUNTS).map((k) => `coalesce(sum(a.${k}), 0) as ${k}`).join(', '));
  const rows = (await sql<Json>`
    select g.provinsi, count(*) as n, count(r._id) as received, ${sums}, ${flagSums},
           count(*) filter (where g.tahun_terbentuk < ${PARAMS.tahun}) as jumlah_uppka_lama
    from k0_uppka g
    left join (select m._submission_id as sid, ${memberAggregates()} from k0_uppka__anggota m group by m._submission_id) a on a.sid = g._id
    left join r1_uppka r on r.kelompok_id = g._id and r._current = 1 and r.tahun = ${PARAMS.tahun} and r.bulan = ${PARAMS.bulan}
    where g._current = 1 and g._status = 'aktif'
    group by g.provinsi order by g.provinsi`.execute(store.db)).rows;
  const { repeat } = reportRows(report);
  return rows.map((r) => {
    const totals: Json = {};
    for (const col of repeat.columns) {
      if (col.valueType === 'integer' || col.valueType === 'number' || col.valueType === 'boolean') totals[col.key] = Number(r[col.key] ?? 0);
    }
    return { code: r.provinsi, rows: Number(r.n), received: [{ code: r1.code, count: Number(r.received) }], totals };
  });
}

export async function ourProvince(store: Store): Promise<Json[]> {
  const rows: Json[] = [];
  await rollUpRows({ store, forms }, report, PARAMS as ReportParams, new Map(), (r) => rows.push(r));
  return rows;
}

type Summary = (sources: { store: Store; forms: typeof forms }, model: typeof report, params: ReportParams) => Promise<RegionSummary | undefined>;

export async function ourNational(store: Store, summarize: Summary = regionSummarySql): Promise<Json[]> {
  const { tahun, bulan } = PARAMS;
  const summary = await summarize({ store, forms }, report, { tahun, bulan });
  return (summary?.rows ?? []).map((r) => ({ code: r.code, rows: r.rows, received: r.received.map((x) => ({ code: x.code, count: x.count })), totals: r.totals }));
}

/** Median of `runs` timings of each, alternating so neither always runs on a warm cache. */
async function race(runs: number, ours: () => Promise<unknown>, hand: () => Promise<unknown>): Promise<{ ours: number; hand: number }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, into] of (i % 2 ? [[hand, b], [ours, a]] : [[ours, a], [hand, b]]) as [() => Promise<unknown>, number[]][]) {
      const t = performance.now();
      await fn();
      into.push(performance.now() - t);
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return { ours: median(a), hand: median(b) };
}

async function measure(dialect: string, store: Store, sizes: Sizes, seedMs: number): Promise<void> {
  // The same numbers first: a faster wrong answer is no result.
  deepStrictEqual(await ourProvince(store), await handProvince(store));
  const hand = await handNational(store);
  deepStrictEqual(await ourNational(store), hand);
  deepStrictEqual(await ourNational(store, regionSummaryByReports), hand);
  const province = await race(5, () => ourProvince(store), () => handProvince(store));
  const national = await race(3, () => ourNational(store), () => handNational(store));
  const byReports = await race(3, () => ourNational(store, regionSummaryByReports), () => handNational(store));
  console.log(`  ${dialect}: ${sizes.groups.toLocaleString('en')} groups, ${sizes.members.toLocaleString('en')} members, ${sizes.registers.toLocaleString('en')} registers (bulk insert ${(seedMs / 1000).toFixed(0)} s)`);
  console.log(`    province ${PARAMS.provinsi} (${Math.min(PROVINCE_GROUPS, sizes.groups).toLocaleString('en')} groups): roll-up ${province.ours.toFixed(0)} ms, hand-written GROUP BY ${province.hand.toFixed(0)} ms, ratio ${(province.ours / province.hand).toFixed(2)} (aim ≤ 1.25)`);
  console.log(`    national summary (regionSummarySql, as /reports/:id/nasional makes it: one GROUP BY over the regions): ${national.ours.toFixed(0)} ms, hand-written GROUP BY ${national.hand.toFixed(0)} ms, ratio ${(national.ours / national.hand).toFixed(2)} (aim ≤ 1.25)`);
  console.log(`    the same by a province report per province (regionSummaryByReports, its fallback): ${byReports.ours.toFixed(0)} ms, ratio ${(byReports.ours / byReports.hand).toFixed(2)}`);
}

export async function prepare(store: Store): Promise<string[]> {
  for (const m of forms.values()) await publishDefinition(store, m);
  await loadRegions(store);
  const provinces = ((await store.db.selectFrom('wilayah').select('kode').where('tingkat', '=', 'provinsi').orderBy('kode').execute()) as { kode: string }[]).map((r) => r.kode);
  const extra = regionRows(provinces);
  for (let i = 0; i < extra.length; i += 200) await store.db.insertInto('wilayah').values(extra.slice(i, i + 200)).onConflict((oc) => oc.column('kode').doNothing()).execute();
  return provinces;
}

export async function benchRollup(): Promise<void> {
  const groups = Number(process.env.ROLLUP_GROUPS ?? 100_000);
  console.log('## Roll-up in SQL (province report; national summary one level up) against a hand-written GROUP BY');

  const dir = mkdtempSync(join(tmpdir(), 'lembar-bench-rollup-'));
  try {
    const file = join(dir, 'lembar.sqlite');
    let store = openStore(file);
    const provinces = await prepare(store);
    await store.close();
    let t = performance.now();
    const sink = sqliteSink(file);
    const sizes = await generate(sink, provinces, groups);
    sink.close();
    const seedMs = performance.now() - t;
    store = openStore(file);
    await measure('SQLite', store, sizes, seedMs);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const server = await startPostgres();
  try {
    const store = openStore(await server.createDatabase('bench_rollup'));
    const provinces = await prepare(store);
    const client = new pg.Client({ connectionString: server.url('bench_rollup') });
    await client.connect();
    const t = performance.now();
    const sizes = await generate(postgresSink(client), provinces, groups);
    await client.query('analyze');
    await client.end();
    await measure('PostgreSQL', store, sizes, performance.now() - t);
    await store.close();
  } finally {
    await server.stop();
  }
}
