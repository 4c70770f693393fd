/**
 * The SQL roll-up (engine/reports/rollup-sql.ts) against the document roll-up it replaces, row by
 * row, on generated data, on SQLite (a real file) and PostgreSQL (a throwaway server): many groups
 * with random members (fast-check samples of valid K/0s, from a fixed seed) and R/1 registers, and
 * the edge cases a real database holds — empty repeats, missing and empty cells, revised cards and
 * next year's cards, groups that stopped, groups formed after the report's year, corrected
 * registers, registers of other months, a group that moved provinces. Besides the province report,
 * a test report whose columns use every rule operator (engine/rule-types.ts) is rolled up both
 * ways, and the national summary from one GROUP BY (regionSummarySql) is held to regionSummaryByReports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { FORMS_DIR, loadDefinition, loadForms, loadSharedDefs, type FormModel } from '../engine/index.js';
import { loadRegions, openStore, publishDefinition, saveSubmission, setSubmissionStatus, type Store } from '../engine/storage/index.js';
import { regionSummaryByReports, regionSummarySql, reportRows, rollUpRows, rollUpRowsByDocument, saveReportEntries } from '../engine/reports/index.js';
import { NotCompilable, rollUpRowsSql } from '../engine/reports/rollup-sql.js';
import type { Json, ReportParams } from '../engine/reports/types.js';
import { k0Arb, uuid } from './support/submissions.js';
import { tempStore } from './support/temp-store.js';
import { startPostgres, type PostgresServer } from './support/postgres.js';

const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const r1 = forms.get('r1-uppka')!;
const province = forms.get('laporan-provinsi')!;

/** mulberry32: the same data on every run and in both databases. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/** A report like the province report whose columns use every operator, value kind and operand. */
function operatorReport(): FormModel {
  const raw = JSON.parse(readFileSync(`${FORMS_DIR}/laporan-provinsi.json`, 'utf8'));
  const count = (where: unknown) => ({ $ref: 'defs/kode.json#/$defs/jumlah', title: 'Uji', 'x-rollup': { from: 'k0-uppka', count: 'anggota', where } });
  const group = (where: unknown) => ({ $ref: 'defs/kode.json#/$defs/jumlah', title: 'Uji', 'x-rollup': { from: 'k0-uppka', countGroup: true, where } });
  const value = (field: string, type: 'string' | 'integer') => ({ ...(type === 'string' ? { type, maxLength: 300 } : { type }), title: 'Uji', 'x-rollup': { from: 'k0-uppka', value: field } });
  Object.assign(raw.properties.baris.items.properties, {
    uji_not_any: count({ not: { any: [{ field: 'jenis_kontrasepsi', in: ['iud', 'pil'] }, { field: 'usia', gte: 40 }] } }),
    uji_not_equals: count({ field: 'jenis_kontrasepsi', notEquals: 'suntik' }),
    uji_not_in: count({ field: 'jenis_kontrasepsi', notIn: ['iud', 'implan'] }),
    uji_not_in_undecided: count({ not: { field: 'jenis_kontrasepsi', notIn: ['iud'] } }),
    uji_nik_empty: count({ field: 'nik', filled: false }),
    uji_nik_filled: count({ field: 'nik', filled: true }),
    uji_at_most_one: count({ atMostOne: ['balita', 'baduta', 'ibu_hamil'] }),
    uji_none_true: count({ noneTrue: ['balita', 'remaja_catin'] }),
    uji_card_field: count({ any: [{ field: 'tahun_terbentuk', lt: 2000 }, { field: 'balita', equals: true }] }),
    uji_false: count({ field: 'balita', equals: false }),
    uji_type_mismatch: count({ any: [{ field: 'usia', equals: '30' }, { field: 'status', in: ['pus', 1] }] }),
    uji_age_param: count({ all: [{ field: 'usia', gt: { param: 'bulan' } }, { field: 'usia', lte: 45.5 }] }),
    uji_undecided_or: count({ not: { any: [{ field: 'jenis_kontrasepsi', notEquals: 'pil' }, { field: 'usia', lt: 30 }] } }),
    uji_members_match: group({ field: 'jumlah_anggota', eq: { count: 'anggota' } }),
    uji_sum: group({ field: 'modal_saat_ini', lte: { sum: ['jumlah_anggota', 'tahun', 'modal_saat_ini'] } }),
    uji_in_month: group({ field: 'jalan', inMonth: { year: { param: 'tahun' }, month: { param: 'bulan' } } }),
    uji_today: group({ field: 'tahun_terbentuk', lte: { today: 'year' } }),
    uji_source: group({ not: { field: 'sumber_modal', notEquals: 'apbn' } }),
    uji_no_where: { $ref: 'defs/kode.json#/$defs/jumlah', title: 'Uji', 'x-rollup': { from: 'k0-uppka', countGroup: true } },
    uji_jalan: value('jalan', 'string'),
    uji_modal: value('modal_saat_ini', 'integer'),
    uji_kecamatan: value('kecamatan', 'string'),
  });
  return loadDefinition('laporan-uji', raw, loadSharedDefs());
}
const operators = operatorReport();

const PLACES = [
  { provinsi: '33', kabupaten_kota: '33.74', kecamatan: '33.74.01', desa_kelurahan: '33.74.01.1001' },
  { provinsi: '33', kabupaten_kota: '33.22', kecamatan: '33.22.01', desa_kelurahan: '33.22.01.2001' },
  { provinsi: '34', kabupaten_kota: '34.71', kecamatan: '34.71.01', desa_kelurahan: '34.71.01.1001' },
];
const GROUPS = 160;
const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d, 3)).toISOString();

/** The generated data, the same in each store; the group entities, for saved inputs. */
async function seed(store: Store): Promise<string[]> {
  const r = rng(20261203);
  const cards = fc.sample(k0Arb, { seed: 19, numRuns: GROUPS });
  const entities: string[] = [];
  const main = 'k0_uppka';
  const child = 'k0_uppka__anggota';
  for (const [i, card] of cards.entries()) {
    const id = uuid();
    const data = structuredClone(card) as any;
    Object.assign(data.identitas_kelompok, r.pick(PLACES), { nama_kampung_kb: r.pick(['Kampung KB Melati', 'Kampung KB Anggrek', data.identitas_kelompok.nama_kampung_kb]) });
    // Formed before the report's year mostly; some in it (new groups), some after (not in force before then).
    const formed = r.next();
    data.identitas_kelompok.tahun_terbentuk = formed < 0.12 ? r.pick([2024, 2025]) : formed < 0.27 ? 2023 : r.int(1995, 2022);
    data.kartu.tahun = Math.max(2023, data.identitas_kelompok.tahun_terbentuk);
    const jalan = r.next();
    if (jalan < 0.1) data.identitas_kelompok.jalan = `2023-${String(r.pick([3, 3, 6, 12, r.int(1, 12)])).padStart(2, '0')}-${r.pick(['01', '15', '31'])}`;
    else if (jalan < 0.15) data.identitas_kelompok.jalan = '2023-02-30';
    else if (jalan < 0.2) data.identitas_kelompok.jalan = '2023-3-05';
    await saveSubmission(store, k0, { id, data });
    entities.push(id);
    await store.db.updateTable(main).set({ _created_at: iso(2023, 1, r.int(1, 20)) }).where('_id', '=', id).execute();
    let current = id;
    // Revisions: a correction during the year, or next year's card.
    const revise = r.next();
    if (revise < 0.3) {
      const next = structuredClone(data);
      next.anggota = next.anggota.slice(0, Math.max(1, next.anggota.length - r.int(0, 3)));
      next.identitas_kelompok.jumlah_anggota = next.anggota.length;
      if (revise < 0.12) next.kartu.tahun = data.kartu.tahun + 1;
      // A group that moved: its reports are those of every region one of its cards names.
      if (revise < 0.06) Object.assign(next.identitas_kelompok, PLACES[(PLACES.indexOf(PLACES.find((p) => p.desa_kelurahan === data.identitas_kelompok.desa_kelurahan)!) + 2) % PLACES.length]);
      const rid = uuid();
      await saveSubmission(store, k0, { id: rid, data: next, revises: current });
      await store.db.updateTable(main).set({ _created_at: revise < 0.12 ? iso(2024, 1, 5) : iso(2023, r.int(2, 11), r.int(1, 28)) }).where('_id', '=', rid).execute();
      current = rid;
    }
    // Registers: this month's (sometimes corrected), other months'.
    for (const month of [3, 6, 12]) {
      if (r.next() < 0.55 && data.identitas_kelompok.tahun_terbentuk <= 2023) {
        const times = r.next() < 0.2 ? 2 : 1;
        for (let t = 0; t < times; t++) {
          await saveSubmission(store, r1, {
            id: uuid(),
            data: {
              identitas: { kelompok_id: id, bulan: month, tahun: 2023, jumlah_anggota: 5 },
              pertemuan: [],
              kegiatan_pro_pn: { sosialisasi_kebijakan: r.next() < 0.5, orientasi_pek: r.next() < 0.5, pengembangan_model: r.next() < 0.3, monitoring_evaluasi: r.next() < 0.7 },
              usaha: { modal: 0, omzet: r.int(0, 1000) },
            },
          });
        }
      }
    }
    // Groups that stopped: before the report's month, during it, later; one without a date.
    const stop = r.next();
    if (stop < 0.1) await setSubmissionStatus(store, k0, current, 'nonaktif', { reason: 'bubar', at: r.pick(['2023-02-15', '2023-03-20', '2023-09-01']) });
    else if (stop < 0.12) await store.db.updateTable(main).set({ _status: 'nonaktif', _status_at: null }).where('_entity', '=', id).execute();
    if (i % 11 === 0) await store.db.deleteFrom(child).where('_submission_id', '=', current).execute(); // an empty repeat
  }
  // Missing and empty cells where the definition allows them.
  await store.db.updateTable(child).set({ nik: '' }).where('usia', '<', 20).execute();
  await store.db.updateTable(child).set({ balita: null, jenis_kontrasepsi: null }).where('usia', '>', 100).execute();
  await store.db.updateTable(child).set({ balita: 0 }).where('usia', '=', 50).execute();
  return entities;
}

const PERIODS: ReportParams[] = [
  { provinsi: '33', tahun: 2023, bulan: 3 },
  { provinsi: '33', tahun: 2023, bulan: 12 },
  { provinsi: '34', tahun: 2023, bulan: 6 },
  { provinsi: '33', tahun: 2024, bulan: 2 },
  { provinsi: '33', tahun: 2022, bulan: 5 },
];

async function both(store: Store, report: FormModel, params: ReportParams, inputs: ReadonlyMap<string, Json>) {
  const sources = { store, forms };
  const { decl, repeat } = reportRows(report);
  // The SQL roll-up itself (rollUpRows would fall back to documents on NotCompilable, hiding a miss).
  const { rows: bySql, received } = await rollUpRowsSql(sources, report, decl, repeat.columns, params, inputs);
  const byDoc: Json[] = [];
  const docCount = await rollUpRowsByDocument(sources, report, params, inputs, (row) => byDoc.push(row));
  // And the report path's entry point gives the same.
  const viaReport: Json[] = [];
  await rollUpRows(sources, report, params, inputs, (row) => viaReport.push(row));
  expect(viaReport).toStrictEqual(bySql);
  return { bySql, byDoc, sqlCount: { rows: bySql.length, received }, docCount };
}

let postgres: PostgresServer | undefined;
const opened: { name: string; store: Store; entities: string[]; close: () => Promise<void> }[] = [];

beforeAll(async () => {
  const lite = await tempStore();
  opened.push({ name: 'sqlite', store: lite.store, entities: await seed(lite.store), close: lite.cleanup });
  postgres = await startPostgres();
  const store = openStore(await postgres.createDatabase('rollup_sql'));
  for (const model of forms.values()) await publishDefinition(store, model);
  await loadRegions(store);
  opened.push({ name: 'postgres', store, entities: await seed(store), close: () => store.close() });
}, 240_000);
afterAll(async () => {
  for (const o of opened) await o.close();
  await postgres?.stop();
});

describe.each(['sqlite', 'postgres'])('SQL roll-up on %s', (dialect) => {
  const ctx = () => opened.find((o) => o.name === dialect)!;

  it.each(PERIODS)('equals the document roll-up row by row for %o (province report)', async (params) => {
    const { store, entities } = ctx();
    const inputs = new Map<string, Json>(entities.filter((_, i) => i % 7 === 0).map((e, i) => [e, { pagu: 1000 * i, realisasi: 500 * i, keterangan: `Catatan ${i}` }]));
    const { bySql, byDoc, sqlCount, docCount } = await both(store, province, params, inputs);
    expect(bySql.length).toBe(byDoc.length);
    bySql.forEach((row, i) => expect(row).toStrictEqual(byDoc[i]));
    expect([...sqlCount.received]).toEqual([...docCount.received]);
    expect(sqlCount.rows).toBe(docCount.rows);
  });

  it('covers the edge cases it claims: rows, blanks, inputs, groups left out', async () => {
    const { store } = ctx();
    const { bySql } = await both(store, province, PERIODS[0]!, new Map());
    const all = await store.db.selectFrom('k0_uppka').select(sql<number>`count(distinct _entity)`.as('n')).where('provinsi', '=', '33').executeTakeFirstOrThrow();
    // Some groups are out (stopped, formed later), some have no register (blank flag), some no members.
    expect(bySql.length).toBeGreaterThan(40);
    expect(bySql.length).toBeLessThan(Number(all.n));
    expect(bySql.some((r) => r.kegiatan_sosialisasi === undefined)).toBe(true);
    expect(bySql.some((r) => r.kegiatan_sosialisasi === true)).toBe(true);
    expect(bySql.some((r) => r.kegiatan_sosialisasi === false)).toBe(true);
    expect(bySql.some((r) => r.jumlah_keluarga === 0)).toBe(true);
    expect(bySql.some((r) => r.jumlah_uppka_lama === 0) && bySql.some((r) => r.jumlah_uppka_lama === 1)).toBe(true);
    // District names, not codes; a group that moved away shows under its card in force.
    expect([...new Set(bySql.map((r) => r.kabupaten_kota))].sort()).toEqual(['Kabupaten Semarang', 'Kota Semarang', 'Kota Yogyakarta']);
  });

  it.each(PERIODS)('equals the document roll-up for every rule operator, %o', async (params) => {
    const { store } = ctx();
    const { bySql, byDoc, sqlCount, docCount } = await both(store, operators, params, new Map());
    expect(bySql.length).toBe(byDoc.length);
    bySql.forEach((row, i) => expect(row).toStrictEqual(byDoc[i]));
    expect([...sqlCount.received]).toEqual([...docCount.received]);
  });

  it('the operator columns are not trivially constant on this data', async () => {
    const { store } = ctx();
    const { bySql } = await both(store, operators, PERIODS[0]!, new Map());
    for (const key of ['uji_not_any', 'uji_not_in', 'uji_nik_empty', 'uji_at_most_one', 'uji_card_field', 'uji_false', 'uji_members_match', 'uji_in_month', 'uji_source']) {
      expect(new Set(bySql.map((r) => r[key])).size, key).toBeGreaterThan(1);
    }
  });

  it('compiles every shipped table report; a report it cannot express falls back to documents', async () => {
    const { store } = ctx();
    for (const report of forms.values()) {
      if (report.rollup?.kind !== 'province') continue;
      const { decl, repeat } = reportRows(report);
      await expect(rollUpRowsSql({ store, forms }, report, decl, repeat.columns, PERIODS[0]!, new Map())).resolves.toBeDefined();
    }
    // Without a period a group may have several current registers: not one query's answer.
    const { decl, repeat } = reportRows(province);
    const noPeriod = { ...province, rollup: { ...decl, period: undefined } } as FormModel;
    await expect(rollUpRowsSql({ store, forms }, noPeriod, { ...decl, period: undefined }, repeat.columns, PERIODS[0]!, new Map())).rejects.toBeInstanceOf(NotCompilable);
    const rows: Json[] = [];
    const counted = await rollUpRows({ store, forms }, noPeriod, PERIODS[0]!, new Map(), (r) => rows.push(r));
    expect(counted.rows).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('makes the national summary one level up from one GROUP BY, equal to building every province report', async () => {
    const { store, entities } = ctx();
    const sources = { store, forms };
    // Saved entries of one province: its entered totals (pagu, realisasi) count in the summary.
    const row = (await both(store, province, PERIODS[0]!, new Map())).bySql[0]!;
    await saveReportEntries(sources, province, PERIODS[0]!, uuid(), { rows: { [String(row.kelompok_id)]: { pagu: 2_000_000, realisasi: 750_000 } }, sections: {} });
    expect(entities.length).toBe(GROUPS);
    let regions = 0;
    for (const params of PERIODS) {
      const period = { tahun: params.tahun!, bulan: params.bulan! };
      const built = await regionSummaryByReports(sources, province, period);
      const grouped = await regionSummarySql(sources, province, period);
      expect(grouped).toStrictEqual(built);
      regions += built!.rows.length;
    }
    expect(regions).toBeGreaterThan(PERIODS.length);
    const only34 = await regionSummarySql(sources, province, { tahun: 2023, bulan: 3 }, (c) => c === '34');
    expect(only34!.rows.map((r) => r.code)).toEqual(['34']);
    const march = await regionSummarySql(sources, province, { tahun: 2023, bulan: 3 });
    expect(march!.totals.pagu).toBe(2_000_000);
  });

  it('chooses a single card in force by its own fields as entities.ts does (formed after its card year, stopped in or before the month)', async () => {
    // regionSummarySql writes inForce's rules for a group with one card as a condition on the card;
    // the generated cards never have a formation year after their card year, so a few are made so.
    const { store } = ctx();
    const sources = { store, forms };
    const singles = (await store.db.selectFrom('k0_uppka').select('_entity').where('_status', '=', 'aktif').groupBy('_entity')
      .having(sql`count(*)`, '=', 1).orderBy('_entity').limit(3).execute()) as { _entity: string }[];
    expect(singles.length).toBe(3);
    const [late, stoppedIn, stoppedBefore] = singles.map((s) => s._entity);
    const before = await store.db.selectFrom('k0_uppka').selectAll().where('_entity', 'in', [late!, stoppedIn!, stoppedBefore!]).execute();
    try {
      await store.db.updateTable('k0_uppka').set({ tahun: 2023, tahun_terbentuk: 2024 }).where('_entity', '=', late!).execute();
      await store.db.updateTable('k0_uppka').set({ _status: 'nonaktif', _status_at: '2023-03-01' }).where('_entity', '=', stoppedIn!).execute();
      await store.db.updateTable('k0_uppka').set({ _status: 'nonaktif', _status_at: '2023-02-28' }).where('_entity', '=', stoppedBefore!).execute();
      for (const period of [{ tahun: 2023, bulan: 3 }, { tahun: 2024, bulan: 2 }]) {
        expect(await regionSummarySql(sources, province, period)).toStrictEqual(await regionSummaryByReports(sources, province, period));
      }
    } finally {
      for (const r of before) await store.db.updateTable('k0_uppka').set({ tahun: r.tahun, tahun_terbentuk: r.tahun_terbentuk, _status: r._status, _status_at: r._status_at }).where('_id', '=', r._id).execute();
    }
  });
});
