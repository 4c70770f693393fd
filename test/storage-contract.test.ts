/**
 * The storage contract, the same cases on both dialects: embedded SQLite (a real file) and
 * PostgreSQL (a throwaway server started here, test/support/postgres.ts). Whatever differs by
 * dialect lives in the stores; only the sabotage of one test (a constraint that makes a child row
 * fail half-way) is written per dialect, as SQLite has triggers where PostgreSQL adds a CHECK.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { FORMS_DIR, loadDefinition, loadForms, loadSharedDefs, rekeyModel, renameKey, renamesFrom, type FormModel } from '../engine/index.js';
import {
  confirmWarnings, importRegions, loadCurrent, loadRegions, loadSubmission, MigrationRefused, openStore, publishDefinition,
  regionImportProblems, revisionHistory, saveSubmission, setSubmissionStatus, SubmissionRejected, type Store,
} from '../engine/storage/index.js';
import { listSubmissions } from '../server/submissions-query.js';
import { REFERENCE_LIST_ALL, referenceOptions } from '../server/page-data.js';
import type { AppDeps } from '../server/context.js';
import { bigK0, uuid } from './support/submissions.js';
import { tempStore } from './support/temp-store.js';
import { startPostgres, type PostgresServer } from './support/postgres.js';

const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const r1 = forms.get('r1-uppka')!;

let postgres: PostgresServer | undefined;
let template: string | undefined;
let databases = 0;
beforeAll(async () => {
  postgres = await startPostgres();
  // One database with every form published and the regions loaded; each test gets a copy of it.
  const url = await postgres.createDatabase('lembar_template');
  const store = openStore(url);
  for (const model of forms.values()) await publishDefinition(store, model);
  await loadRegions(store);
  await store.close();
  template = 'lembar_template';
});
afterAll(async () => postgres?.stop());

interface Opened { readonly store: Store; close(): Promise<void> }

const dialects: { name: string; open: () => Promise<Opened>; failOnName: (store: Store, table: string, name: string) => Promise<void> }[] = [
  {
    name: 'sqlite',
    async open() {
      const t = await tempStore();
      return { get store() { return t.store; }, close: t.cleanup };
    },
    async failOnName(store, table, name) {
      await sql`create trigger gagal before insert on ${sql.table(table)} when new.nama = ${sql.lit(name)}
                begin select raise(abort, 'baris gagal'); end`.execute(store.db);
    },
  },
  {
    name: 'postgres',
    async open() {
      const name = `uji_${++databases}`;
      await sql`create database ${sql.id(name)} template ${sql.id(template!)}`.execute(adminStore());
      const store = openStore(postgres!.url(name));
      return { store, close: () => store.close() };
    },
    async failOnName(store, table, name) {
      await sql`alter table ${sql.table(table)} add constraint gagal check (nama <> ${sql.lit(name)})`.execute(store.db);
    },
  },
];

let admin: Store | undefined;
/** A connection to the server's own database, to copy the template (closed after all). */
function adminStore() {
  admin ??= openStore(postgres!.url());
  return admin.db;
}
afterAll(async () => admin?.close());

const registry = loadSharedDefs();
const k0Raw = JSON.parse(readFileSync(`${FORMS_DIR}/k0-uppka.json`, 'utf8'));
const kelompok = JSON.parse(readFileSync(`${FORMS_DIR}/defs/kelompok.json`, 'utf8'));
const BASE: number = k0Raw['x-version'];

/** K/0 at a later version (the next by default), its member row and identity section edited by `edit`. */
function nextK0(edit: (member: any, identitas: any) => void, version = BASE + 1): FormModel {
  const raw = structuredClone(k0Raw);
  raw['x-version'] = version;
  const anggota = structuredClone(kelompok.$defs.anggota);
  const identitas = structuredClone(kelompok.$defs.identitas_kelompok);
  const rebase = (node: any) => JSON.parse(JSON.stringify(node).replace(/"(kode|wilayah)\.json#/g, '"defs/$1.json#'));
  edit(anggota.items.properties, identitas.properties);
  raw.properties.anggota = rebase(anggota);
  raw.properties.identitas_kelompok = rebase(identitas);
  return loadDefinition('k0-uppka', raw, registry);
}

const register = (kelompok_id: string, omzet: number, bulan = 3) => ({
  identitas: { kelompok_id, bulan, tahun: 2023, jumlah_anggota: 3 },
  pertemuan: [{ tanggal: `2023-${String(bulan).padStart(2, '0')}-10`, materi: 'Pemasaran', jumlah_hadir: 3 }],
  kegiatan_pro_pn: { sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: false, monitoring_evaluasi: false },
  usaha: { modal: 1000, omzet },
});

/** A K/0 of a group in Kota Yogyakarta (the other province of the demo regions). */
function yogyaK0(name: string) {
  const data = bigK0(2, name);
  Object.assign(data.identitas_kelompok, { provinsi: '34', kabupaten_kota: '34.71', kecamatan: '34.71.01', desa_kelurahan: '34.71.01.1001' });
  return data;
}

describe.each(dialects)('the storage contract on $name', ({ name: dialect, open, failOnName }) => {
  let opened: Opened;
  let store: Store;
  beforeEach(async () => {
    opened = await open();
    store = opened.store;
    expect(store.dialect).toBe(dialect);
  });
  afterEach(async () => opened.close());

  const count = async (table: string) => Number((await store.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  it('saves and loads a submission exactly, numbers as numbers', async () => {
    const data = bigK0(120);
    const id = uuid();
    expect(await saveSubmission(store, k0, { id, data })).toMatchObject({ status: 'created', id, revision: 1, supersedes: null, entity: id });
    expect(await count('k0_uppka__anggota')).toBe(120);
    const loaded = await loadSubmission(store, k0, id.toUpperCase());
    expect(loaded?.data).toEqual(data);
    expect(loaded).toMatchObject({ id, formId: 'k0-uppka', version: k0.version, revision: 1, status: 'aktif', current: true, warningsChecked: null });
    const reg = uuid();
    const big = { ...register(id, 12_345_678_901), usaha: { modal: 9_007_199_254, omzet: 12_345_678_901 } };
    await saveSubmission(store, r1, { id: reg, data: big });
    expect((await loadSubmission(store, r1, reg))?.data).toEqual(big);
  });

  it('keeps revisions: a second register of the month supersedes the first, a card update takes its group', async () => {
    const group = uuid();
    await saveSubmission(store, k0, { id: group, data: bigK0(3) });
    const [first, second] = [uuid(), uuid()];
    await saveSubmission(store, r1, { id: first, data: register(group, 10) });
    expect(await saveSubmission(store, r1, { id: second, data: register(group, 20) })).toEqual({ status: 'created', id: second, revision: 2, supersedes: first, entity: first, warnings: [] });
    expect(await loadSubmission(store, r1, first)).toMatchObject({ current: false, revision: 1, data: register(group, 10) });
    await expect(store.db.updateTable('r1_uppka').set({ _current: 1 }).where('_id', '=', first).execute()).rejects.toThrow(/unique/i);

    const update = uuid();
    const renamed = bigK0(3, 'UPPKA Baru');
    expect(await saveSubmission(store, k0, { id: update, data: renamed, revises: group })).toMatchObject({ status: 'created', revision: 2, supersedes: group, entity: group });
    expect((await loadCurrent(store, k0, group))?.id).toBe(update);
    expect((await revisionHistory(store, k0, update)).map((r) => [r.id, r.revision, r.current, r.year])).toEqual([[group, 1, false, 2023], [update, 2, true, 2023]]);
    const stale = await saveSubmission(store, k0, { id: uuid(), data: renamed, revises: group }).catch((e) => e);
    expect(stale).toBeInstanceOf(SubmissionRejected);
    expect(stale.issues[0].keyword).toBe('stale');

    expect(await setSubmissionStatus(store, k0, group, 'nonaktif', { reason: 'bubar', at: '2023-05-31' })).toBe(true);
    expect(await loadSubmission(store, k0, update)).toMatchObject({ status: 'nonaktif', statusReason: 'bubar', statusAt: '2023-05-31' });
    await expect(store.db.deleteFrom('k0_uppka').where('_id', '=', group).execute()).rejects.toThrow(/foreign key/i);
  });

  it('is idempotent: the same id and content is stored once, even posted twice at once; other content is a conflict', async () => {
    const id = uuid();
    const data = bigK0(3);
    const both = await Promise.all([saveSubmission(store, k0, { id, data }), saveSubmission(store, k0, { id, data })]);
    expect(both.map((o) => o.status).sort()).toEqual(['created', 'duplicate']);
    const reordered = { anggota: data.anggota, identitas_kelompok: data.identitas_kelompok, kartu: data.kartu };
    expect(await saveSubmission(store, k0, { id: id.toUpperCase(), data: reordered })).toMatchObject({ status: 'duplicate', id, revision: 1 });
    const err = await saveSubmission(store, k0, { id, data: bigK0(3, 'Nama Lain') }).catch((e) => e);
    expect(err).toBeInstanceOf(SubmissionRejected);
    expect(err.kind).toBe('conflict');
    const crossForm = await saveSubmission(store, r1, { id, data: register(id, 1) }).catch((e) => e);
    expect(crossForm.issues[0].message).toBe('Kode kiriman ini sudah dipakai oleh kiriman formulir lain.');
    expect(await count('k0_uppka')).toBe(1);
    expect(await count('k0_uppka__anggota')).toBe(3);
    expect(await count('r1_uppka')).toBe(0);
  });

  it('two registers of the same group and month saved at once become revisions 1 and 2, one of them current', async () => {
    const group = uuid();
    await saveSubmission(store, k0, { id: group, data: bigK0(3) });
    const outcomes = await Promise.all([10, 20, 30].map((omzet) => saveSubmission(store, r1, { id: uuid(), data: register(group, omzet) })));
    expect(outcomes.map((o) => o.revision).sort()).toEqual([1, 2, 3]);
    const rows = await store.db.selectFrom('r1_uppka').select(['_current']).execute();
    expect(rows.filter((r) => Number(r._current) === 1)).toHaveLength(1);
  });

  it('stores nothing of a refused save: a child row failing half-way, invalid data, an unknown region or group', async () => {
    await failOnName(store, 'k0_uppka__anggota', 'GAGAL');
    const data = bigK0(10);
    (data.anggota as any[])[7].nama = 'GAGAL';
    await expect(saveSubmission(store, k0, { id: uuid(), data })).rejects.toThrow(/gagal/);

    const invalid = bigK0(2);
    (invalid.anggota as any[])[1].usia = -4;
    expect((await saveSubmission(store, k0, { id: uuid(), data: invalid }).catch((e) => e)).issues).toEqual([
      { path: '/anggota/1/usia', label: 'Anggota no. 2 — Usia', message: 'Tidak boleh kurang dari 0.', keyword: 'minimum' },
    ]);
    const unknownVillage = bigK0(2);
    (unknownVillage.identitas_kelompok as any).desa_kelurahan = '33.74.01.9999';
    expect((await saveSubmission(store, k0, { id: uuid(), data: unknownVillage }).catch((e) => e)).issues).toEqual([
      expect.objectContaining({ path: '/identitas_kelompok/desa_kelurahan', message: 'Kode wilayah "33.74.01.9999" tidak ada dalam daftar Desa/Kelurahan.' }),
    ]);
    expect((await saveSubmission(store, r1, { id: uuid(), data: register(uuid(), 10) }).catch((e) => e)).issues).toEqual([
      expect.objectContaining({ path: '/identitas/kelompok_id', message: 'Kelompok UPPKA tidak ditemukan: daftarkan dulu dengan formulir k0-uppka.' }),
    ]);
    for (const t of ['k0_uppka', 'k0_uppka__anggota', 'r1_uppka', 'r1_uppka__pertemuan']) expect(await count(t)).toBe(0);
  });

  it('migrates: a new field adds a nullable column in place, old rows keep their data and version', async () => {
    const old = uuid();
    await saveSubmission(store, k0, { id: old, data: bigK0(4) });
    const v2 = nextK0((member, identitas) => {
      member.pekerjaan = { type: 'string', title: 'Pekerjaan', maxLength: 100 };
      identitas.email = { type: 'string', format: 'email', title: 'Surel' };
    });
    expect(await publishDefinition(store, v2)).toEqual({ action: 'migrated', tables: ['k0_uppka', 'k0_uppka__anggota'] });
    expect(await loadSubmission(store, v2, old)).toMatchObject({ version: BASE, data: bigK0(4) });
    const data = bigK0(2);
    (data.anggota as any[])[0].pekerjaan = 'Pedagang';
    (data.identitas_kelompok as any).email = 'ketua@contoh.id';
    const id = uuid();
    await saveSubmission(store, v2, { id, data });
    expect(await loadSubmission(store, v2, id)).toMatchObject({ version: BASE + 1, data });
    expect((await publishDefinition(store, v2)).action).toBe('unchanged');
  });

  it('migrates: a code added and a range widened change the CHECK constraints; the database enforces the new ones', async () => {
    const old = uuid();
    await saveSubmission(store, k0, { id: old, data: bigK0(4) });
    const group = uuid();
    await saveSubmission(store, r1, { id: group, data: register(old, 5) });
    const widen = (member: any, identitas: any) => {
      member.usia = { ...member.usia, maximum: 150 };
      identitas.jenis_usaha = { type: 'string', title: 'Jenis Usaha', oneOf: [
        { const: 'kuliner', title: 'Kuliner' }, { const: 'kerajinan', title: 'Kerajinan' }, { const: 'digital', title: 'Usaha Digital' }, { const: 'lainnya', title: 'Lainnya' }] };
    };
    const v2 = nextK0(widen);
    expect((await publishDefinition(store, v2)).action).toBe('migrated');
    expect((await loadSubmission(store, v2, old))?.data).toEqual(bigK0(4));
    expect((await loadSubmission(store, r1, group))?.data).toEqual(register(old, 5));
    const data = bigK0(1);
    (data.identitas_kelompok as any).jenis_usaha = 'digital';
    (data.anggota as any[])[0].usia = 140;
    const id = uuid();
    await saveSubmission(store, v2, { id, data });
    expect((await loadSubmission(store, v2, id))?.data).toEqual(data);
    await expect(store.db.updateTable('k0_uppka').set({ jenis_usaha: 'pelayanan_jasa' }).execute()).rejects.toThrow(/check/i);
    await expect(store.db.updateTable('k0_uppka__anggota').set({ usia: 151 }).execute()).rejects.toThrow(/check/i);
    // The references survive the change: a group card with registers cannot be deleted.
    await expect(store.db.deleteFrom('k0_uppka').where('_id', '=', old).execute()).rejects.toThrow(/foreign key/i);

    const narrowed = nextK0((member, identitas) => { widen(member, identitas); member.usia = { ...member.usia, maximum: 21 }; }, BASE + 2);
    const refused = await publishDefinition(store, narrowed).catch((e) => e);
    expect(refused).toBeInstanceOf(MigrationRefused);
    // Ages 22 and 23 of the first card and 140 of the second.
    expect(refused.reasons).toEqual(['Batas atas kolom "usia" di tabel "k0_uppka__anggota" diturunkan menjadi 21, padahal 3 baris bernilai di atasnya.']);
  });

  it('migrates: a renamed key renames its column; rows are read under the new key, its index and CHECK follow', async () => {
    const old = uuid();
    await saveSubmission(store, k0, { id: old, data: bigK0(4) });
    let def = renameKey(k0.schema, { part: 'anggota', from: 'usia', to: 'umur' });
    def = renameKey(def, { part: 'identitas_kelompok', from: 'desa_kelurahan', to: 'desa' });
    const v2 = loadDefinition('k0-uppka', { ...def, 'x-version': BASE + 1 }, registry);
    const rekeyed = (data: any) => JSON.parse(JSON.stringify(data).replaceAll('"usia":', '"umur":').replaceAll('"desa_kelurahan":', '"desa":'));
    const indexes = async () => dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'k0_uppka'`.execute(store.db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'k0_uppka'`.execute(store.db)).rows.map((r) => r.name);
    expect(await indexes()).toContain('k0_uppka__desa_kelurahan__idx');

    expect(await publishDefinition(store, v2)).toEqual({ action: 'migrated', tables: ['k0_uppka', 'k0_uppka__anggota'] });
    expect(await loadSubmission(store, v2, old)).toMatchObject({ version: BASE, data: rekeyed(bigK0(4)) });
    expect(await indexes()).toContain('k0_uppka__desa__idx');
    expect(await indexes()).not.toContain('k0_uppka__desa_kelurahan__idx');
    // The version before, as the server serves it for earlier months, reads and writes the same rows.
    const v1 = rekeyModel(k0, renamesFrom(k0, v2));
    expect((await loadSubmission(store, v1, old))?.data).toEqual(rekeyed(bigK0(4)));
    // Sent under the former keys (a page opened before the rename), the values are carried.
    const carried = uuid();
    await saveSubmission(store, v1, { id: carried, data: bigK0(2) });
    expect((await loadSubmission(store, v2, carried))?.data).toEqual(rekeyed(bigK0(2)));
    // A retry of the card stored before the rename (an outbox whose answer was lost) is the same
    // submission, whichever keys it comes under; other content under its id is still a conflict.
    expect((await saveSubmission(store, v2, { id: old, data: bigK0(4) })).status).toBe('duplicate');
    expect((await saveSubmission(store, v2, { id: old, data: rekeyed(bigK0(4)) })).status).toBe('duplicate');
    expect((await saveSubmission(store, v2, { id: old, data: rekeyed(bigK0(3)) }).catch((e) => e)).kind).toBe('conflict');
    // And after a later version renames another field: the retry is read back under today's keys.
    const v3 = loadDefinition('k0-uppka', { ...renameKey(v2.schema, { part: 'identitas_kelompok', from: 'jalan', to: 'nama_jalan' }), 'x-version': BASE + 2 }, registry);
    expect((await publishDefinition(store, v3)).action).toBe('migrated');
    expect((await saveSubmission(store, v3, { id: old, data: bigK0(4) })).status).toBe('duplicate');
    const max = v2.parts.flatMap((p) => (p.kind === 'repeat' ? p.columns : [])).find((f) => f.key === 'umur')!.maximum!;
    await expect(store.db.updateTable('k0_uppka__anggota').set({ umur: max + 1 }).execute()).rejects.toThrow(/check/i);
    expect((await publishDefinition(store, v3)).action).toBe('unchanged');
  });

  it('imports a region list in one transaction, or nothing of it', async () => {
    const before = await count('wilayah');
    const rows = [
      { kode: '35', nama: 'Jawa Timur', tingkat: 'provinsi', induk: '' },
      { kode: '35.78', nama: 'Kota Surabaya', tingkat: 'kabupaten_kota', induk: '35' },
      { kode: '33.74', nama: 'KOTA SEMARANG', tingkat: 'kabupaten_kota', induk: '33' },
    ];
    expect(await regionImportProblems(store, rows)).toEqual([]);
    expect(await importRegions(store, rows)).toBe(3);
    expect(await count('wilayah')).toBe(before + 1); // Jawa Timur was there already: renamed alike
    expect((await store.db.selectFrom('wilayah').select('nama').where('kode', '=', '33.74').executeTakeFirstOrThrow()).nama).toBe('KOTA SEMARANG');
    const bad = [{ kode: '35.79', nama: 'Kota Batu', tingkat: 'kabupaten_kota', induk: '35' }, { kode: '37.01', nama: 'Tanpa Induk', tingkat: 'kabupaten_kota', induk: '37' }];
    expect(await regionImportProblems(store, bad)).toEqual([{ line: 3, message: 'Induk "37" dari 37.01 tidak ada di daftar maupun di data wilayah.' }]);
    await expect(importRegions(store, bad)).rejects.toThrow(/foreign key/i);
    expect(await count('wilayah')).toBe(before + 1);
  });

  it('lists submissions with the filters of the definition and the warnings queue', async () => {
    const semarang = [uuid(), uuid()];
    for (const [i, id] of semarang.entries()) await saveSubmission(store, k0, { id, data: bigK0(2, `Semarang ${i}`) });
    const yogya = uuid();
    await saveSubmission(store, k0, { id: yogya, data: yogyaK0('Yogya') });
    const twin = uuid();
    await saveSubmission(store, k0, { id: twin, data: yogyaK0('Yogya') }); // the same name in the same village: a warning
    await saveSubmission(store, r1, { id: uuid(), data: register(semarang[0]!, 10) });
    await saveSubmission(store, r1, { id: uuid(), data: register(yogya, 10, 4) });

    const list = (model: FormModel, filters: Record<string, string>, scope?: { kind: 'regions'; codes: string[] }) =>
      listSubmissions(store, forms, model, filters, 1, 50, scope).then((r) => ({ total: r.total, ids: r.items.map((i) => i.id).sort() }));
    expect(await list(k0, { provinsi: '33' })).toEqual({ total: 2, ids: [...semarang].sort() });
    expect(await list(k0, { kabupaten_kota: '34.71' })).toEqual({ total: 2, ids: [yogya, twin].sort() });
    expect(await list(k0, {}, { kind: 'regions', codes: ['34.71.01'] })).toEqual({ total: 2, ids: [yogya, twin].sort() });
    expect((await list(r1, { kabupaten_kota: '34.71' })).total).toBe(1);
    expect((await list(r1, { bulan: '3' })).total).toBe(1);
    expect((await list(r1, { provinsi: '33' }, { kind: 'regions', codes: ['34'] })).total).toBe(0);
    expect(await list(k0, { peringatan: 'belum' })).toEqual({ total: 1, ids: [twin] });
    expect(await confirmWarnings(store, k0, twin, { by: 'kabupaten', note: 'kelompok lain' })).toBe('confirmed');
    expect(await list(k0, { peringatan: 'belum' })).toEqual({ total: 0, ids: [] });
    expect(await list(k0, { peringatan: 'ada' })).toEqual({ total: 1, ids: [twin] });
    // Values a column cannot hold, and NUL (which PostgreSQL text cannot hold at all), match nothing.
    for (const bulan of ['!', '1e308', '99999999999999999999', '3\u0000x']) expect((await list(r1, { bulan })).total).toBe(0);
    expect((await list(k0, { provinsi: '33\u0000' })).total).toBe(2);
    // A NUL in any other text (a note, a name) is no error on PostgreSQL either.
    const before = await store.db.selectFrom('wilayah').select('nama').where('kode', '=', '33').executeTakeFirstOrThrow();
    await store.db.updateTable('wilayah').set({ nama: `${before.nama}\u0000` }).where('kode', '=', '33').execute();
    const after = await store.db.selectFrom('wilayah').select('nama').where('kode', '=', '33').executeTakeFirstOrThrow();
    expect(String(after.nama).replaceAll('\u0000', '')).toBe(before.nama);
    await store.db.updateTable('wilayah').set({ nama: before.nama }).where('kode', '=', '33').execute();
  });

  it('searches group cards by name ignoring case, with % and _ taken literally', async () => {
    const names = [...Array.from({ length: REFERENCE_LIST_ALL }, (_, i) => `UPPKA Cari ${String(i).padStart(3, '0')}`), 'UPPKA 100% Mandiri', 'Uppka Melati Jaya'];
    for (const n of names) await saveSubmission(store, k0, { id: uuid(), data: bigK0(1, n) });
    const deps = { store, forms } as unknown as AppDeps;
    const search = async (term: string) => (await referenceOptions(deps, r1, {}, { 'identitas.kelompok_id': term })).options['k0-uppka']!.map((o) => o.label);
    expect(await search('melati jaya')).toEqual(['Uppka Melati Jaya']);
    expect(await search('MELATI')).toEqual(['Uppka Melati Jaya']);
    expect(await search('100%')).toEqual(['UPPKA 100% Mandiri']);
    expect(await search('cari 19_')).toEqual([]);
    expect(await search('cari 19')).toHaveLength(10);
  });
});
