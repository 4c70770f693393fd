/** Storage on a real SQLite file: DDL, exact round trips, idempotency, atomicity, revisions. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { loadForms } from '../engine/index.js';
import { formDdlText } from '../generators/sql.js';
import {
  loadSubmission, openStore, publishDefinition, saveSubmission, setSubmissionStatus, SubmissionRejected, type Store,
} from '../engine/storage/index.js';
import { bigK0, k0Arb, r1Arb, uuid } from './support/submissions.js';
import { tempStore } from './support/temp-store.js';

const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const r1 = forms.get('r1-uppka')!;

let ctx: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
beforeEach(async () => {
  ctx = await tempStore();
  store = ctx.store;
});
afterEach(async () => ctx.cleanup());

const count = async (table: string) =>
  Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db)).rows[0]!.n);

describe('tables from definitions', () => {
  it('creates a table per form and a child table per repeating section, with checks and keys', async () => {
    const tables = (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'table'`.execute(store.db)).rows;
    const names = tables.map((t) => t.name);
    for (const t of ['k0_uppka', 'k0_uppka__anggota', 'r1_uppka', 'r1_uppka__pertemuan', 'r1_uppka__kegiatan_anggota', 'laporan_kabupaten', 'laporan_kabupaten__anggota', 'laporan_provinsi', 'laporan_provinsi__baris', 'wilayah']) {
      expect(names).toContain(t);
    }
    const r1Sql = tables.find((t) => t.name === 'r1_uppka')!.sql;
    expect(r1Sql).toContain('"kelompok_id" text not null references "k0_uppka" ("_id")');
    expect(r1Sql).toContain(`"bulan" bigint not null check ("bulan" in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))`);
    const memberSql = tables.find((t) => t.name === 'k0_uppka__anggota')!.sql;
    expect(memberSql).toContain(`"status" text not null check ("status" in ('pus', 'non_pus'))`);
    expect(memberSql).toContain('"usia" bigint not null check ("usia" >= 0 and "usia" <= 120)');
    expect(memberSql).toContain('primary key ("_submission_id", "_row")');
    const indexes = (await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(store.db)).rows.map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['k0_uppka__provinsi__idx', 'k0_uppka__kabupaten_kota__idx', 'r1_uppka__unik']));
    for (const model of forms.values()) expect(formDdlText(model)).toMatch(/^-- .*\ncreate table/);
  });

  it('refuses an unsafe identifier', async () => {
    const { assertSafe } = await import('../engine/storage/table-spec.js');
    expect(() => assertSafe('nama"; drop table k0_uppka; --')).toThrow(/Unsafe SQL identifier/);
  });
});

describe('saving and loading', () => {
  it('round-trips a K/0 with 200 members exactly', async () => {
    const data = bigK0(200);
    const id = uuid();
    expect(await saveSubmission(store, k0, { id, data })).toMatchObject({ status: 'created', id, revision: 1, supersedes: null, entity: id });
    expect(await count('k0_uppka__anggota')).toBe(200);
    const loaded = await loadSubmission(store, k0, id);
    expect(loaded?.data).toEqual(data);
    expect(loaded).toMatchObject({ version: k0.version, revision: 1, status: 'aktif', current: true });
  });

  it('round-trips every generated valid K/0 and R/1 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(k0Arb, async (data) => {
        const id = uuid();
        await saveSubmission(store, k0, { id, data });
        expect((await loadSubmission(store, k0, id))?.data).toEqual(data);
      }),
      { numRuns: 60 },
    );
    const group = uuid();
    await saveSubmission(store, k0, { id: group, data: bigK0(5) });
    await fc.assert(
      fc.asyncProperty(r1Arb(group), async (data) => {
        const id = uuid();
        await saveSubmission(store, r1, { id, data });
        expect((await loadSubmission(store, r1, id))?.data).toEqual(data);
      }),
      { numRuns: 60 },
    );
  });

  it('accepts the same UUID with the same content once and answers it as already stored', async () => {
    const id = uuid();
    const data = bigK0(3);
    await saveSubmission(store, k0, { id, data });
    const reordered = { anggota: data.anggota, identitas_kelompok: data.identitas_kelompok, kartu: data.kartu };
    expect(await saveSubmission(store, k0, { id, data: reordered })).toMatchObject({ status: 'duplicate', id, revision: 1, supersedes: null, entity: id });
    expect(await count('k0_uppka')).toBe(1);
    expect(await count('k0_uppka__anggota')).toBe(3);
  });

  it('refuses the same UUID with other content as a conflict', async () => {
    const id = uuid();
    await saveSubmission(store, k0, { id, data: bigK0(3) });
    const changed = bigK0(3, 'Nama Lain');
    const err = await saveSubmission(store, k0, { id, data: changed }).catch((e) => e);
    expect(err).toBeInstanceOf(SubmissionRejected);
    expect(err.kind).toBe('conflict');
    expect(err.issues[0].message).toBe('Kode kiriman ini sudah dipakai untuk isi yang berbeda.');
    expect((await loadSubmission(store, k0, id))?.data).toEqual(bigK0(3));
  });

  it('stores nothing when a child row fails half-way', async () => {
    await sql`create trigger gagal before insert on k0_uppka__anggota when new.nama = 'GAGAL'
              begin select raise(abort, 'baris gagal'); end`.execute(store.db);
    const data = bigK0(10);
    (data.anggota as any[])[7].nama = 'GAGAL';
    await expect(saveSubmission(store, k0, { id: uuid(), data })).rejects.toThrow(/baris gagal/);
    expect(await count('k0_uppka')).toBe(0);
    expect(await count('k0_uppka__anggota')).toBe(0);
  });

  it('refuses invalid data with Indonesian issues and stores nothing', async () => {
    const data = bigK0(2);
    (data.anggota as any[])[1].usia = -4;
    const err = await saveSubmission(store, k0, { id: uuid(), data }).catch((e) => e);
    expect(err.kind).toBe('invalid');
    expect(err.issues).toEqual([{ path: '/anggota/1/usia', label: 'Anggota no. 2 — Usia', message: 'Tidak boleh kurang dari 0.', keyword: 'minimum' }]);
    expect(await count('k0_uppka')).toBe(0);
  });

  it('refuses a region code that is not in the master data', async () => {
    const data = bigK0(1);
    (data.identitas_kelompok as any).kabupaten_kota = '33.99';
    const err = await saveSubmission(store, k0, { id: uuid(), data }).catch((e) => e);
    expect(err.issues).toEqual([expect.objectContaining({ path: '/identitas_kelompok/kabupaten_kota', message: 'Kode wilayah "33.99" tidak ada dalam daftar Kabupaten/Kota.' })]);
  });
});

describe.each([
  { mode: 'each save alone', groupCommit: false },
  { mode: 'group commit', groupCommit: true },
])('concurrent saves ($mode)', ({ groupCommit }) => {
  let own: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    own = await tempStore({ groupCommit });
  });
  afterEach(async () => own.cleanup());

  it('answers each of many simultaneous saves on its own: stored, duplicate, conflict, invalid', async () => {
    const s = own.store;
    if (s.dialect !== 'sqlite') throw new Error('a SQLite store was expected');
    // Count the commits the store really issues on its connection.
    let commits = 0;
    const run = s.executor.run.bind(s.executor);
    (s.executor as { run: typeof run }).run = (q) => {
      if (/^commit$/i.test(q.sql)) commits++;
      return run(q);
    };
    const ids = Array.from({ length: 25 }, () => uuid());
    const badRegion = bigK0(2, 'Wilayah Salah');
    (badRegion.identitas_kelompok as any).desa_kelurahan = '33.74.01.9999';
    const dupId = ids[3]!;
    const results = await Promise.allSettled([
      ...ids.map((id, i) => saveSubmission(s, k0, { id, data: bigK0(3, `Bersamaan ${i}`) })),
      saveSubmission(s, k0, { id: dupId, data: bigK0(3, 'Bersamaan 3') }), // the same again
      saveSubmission(s, k0, { id: ids[5]!, data: bigK0(3, 'Lain') }), // other content
      saveSubmission(s, k0, { id: uuid(), data: badRegion }), // unknown village: a foreign key
    ]);
    const status = results.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as SubmissionRejected).kind));
    expect(status.slice(0, 25)).toEqual(Array(25).fill('created'));
    expect(status.slice(25)).toEqual(['duplicate', 'conflict', 'invalid']);
    expect((results[27] as PromiseRejectedResult).reason.issues).toEqual([
      expect.objectContaining({ path: '/identitas_kelompok/desa_kelurahan', message: 'Kode wilayah "33.74.01.9999" tidak ada dalam daftar Desa/Kelurahan.' }),
    ]);
    // Alone, every stored save commits by itself (the duplicate's and the refused ones' answers
    // too); in a group the 28 saves of one turn share a single commit.
    if (groupCommit) expect(commits).toBe(1);
    else expect(commits).toBeGreaterThanOrEqual(25);
    const n = async (table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(s.db)).rows[0]!.n);
    expect(await n('k0_uppka')).toBe(25);
    expect(await n('k0_uppka__anggota')).toBe(75);
    for (const [i, id] of ids.entries()) expect((await loadSubmission(s, k0, id))?.data).toEqual(bigK0(3, `Bersamaan ${i}`));
  });
});

describe('background checkpoints', () => {
  it('copy the WAL into the database file from a worker while saves go on; the WAL stays bounded', async () => {
    const own = await tempStore({ groupCommit: true, backgroundCheckpoints: true });
    try {
      const s = own.store;
      if (s.dialect !== 'sqlite') throw new Error('a SQLite store was expected');
      expect(s.checkpointer).toBeDefined();
      let maxWal = 0;
      for (let round = 0; round < 15; round++) {
        await Promise.all(Array.from({ length: 20 }, (_, i) => saveSubmission(s, k0, { id: uuid(), data: bigK0(10, `Berkas ${round}-${i}`) })));
        maxWal = Math.max(maxWal, statSync(`${own.file}-wal`).size);
      }
      for (let waited = 0; s.checkpointer!.framesCopied === 0 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(s.checkpointer!.framesCopied).toBeGreaterThan(0);
      // The writer still restarts the WAL at its 1,000-page checkpoint (4 MB at 4 KiB pages).
      expect(maxWal).toBeLessThan(8 * 1024 * 1024);
      await s.close();
      own.store = openStore(own.file);
      const n = (await sql<{ n: number }>`select count(*) as n from k0_uppka`.execute(own.store.db)).rows[0]!.n;
      expect(Number(n)).toBe(300);
    } finally {
      await own.cleanup();
    }
  });
});

describe('group cards and registers', () => {
  const register = (kelompok_id: string, omzet: number) => ({
    identitas: { kelompok_id, bulan: 3, tahun: 2023, jumlah_anggota: 3 },
    pertemuan: [{ tanggal: '2023-03-10', materi: 'Pemasaran', jumlah_hadir: 3 }],
    kegiatan_pro_pn: { sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: false, monitoring_evaluasi: false },
    usaha: { modal: 1000, omzet },
  });

  it('an R/1 must name an existing group card', async () => {
    const err = await saveSubmission(store, r1, { id: uuid(), data: register(uuid(), 10) }).catch((e) => e);
    expect(err.issues).toEqual([expect.objectContaining({ path: '/identitas/kelompok_id', label: 'Kelompok UPPKA', message: 'Kelompok UPPKA tidak ditemukan: daftarkan dulu dengan formulir k0-uppka.' })]);
  });

  it('a second R/1 for the same group and month is kept as a new revision, not an overwrite', async () => {
    const group = uuid();
    await saveSubmission(store, k0, { id: group, data: bigK0(3) });
    const first = uuid();
    const second = uuid();
    await saveSubmission(store, r1, { id: first, data: register(group, 10) });
    expect(await saveSubmission(store, r1, { id: second, data: register(group, 20) })).toEqual({ status: 'created', id: second, revision: 2, supersedes: first, entity: first, warnings: [] });
    const old = await loadSubmission(store, r1, first);
    expect(old).toMatchObject({ current: false, revision: 1 });
    expect(old?.data).toEqual(register(group, 10));
    expect(await loadSubmission(store, r1, second)).toMatchObject({ current: true, revision: 2, supersedes: first });
    await expect(sql`update r1_uppka set _current = 1 where _id = ${first}`.execute(store.db)).rejects.toThrow(/UNIQUE/);
  });

  it('a group card is deactivated, never deleted, and the database refuses deleting a referenced one', async () => {
    const group = uuid();
    await saveSubmission(store, k0, { id: group, data: bigK0(3) });
    await saveSubmission(store, r1, { id: uuid(), data: register(group, 10) });
    expect(await setSubmissionStatus(store, k0, group, 'nonaktif')).toBe(true);
    expect(await loadSubmission(store, k0, group)).toMatchObject({ status: 'nonaktif', data: bigK0(3) });
    await expect(sql`delete from k0_uppka where _id = ${group}`.execute(store.db)).rejects.toThrow(/FOREIGN KEY/);
  });
});

describe('durability', () => {
  it('keeps data across closing and reopening the database', async () => {
    const id = uuid();
    await saveSubmission(store, k0, { id, data: bigK0(4) });
    await store.close();
    const reopened = openStore(ctx.file);
    ctx.store = reopened; // closed by the shared cleanup
    for (const model of forms.values()) expect((await publishDefinition(reopened, model)).action).toBe('unchanged');
    expect((await loadSubmission(reopened, k0, id))?.data).toEqual(bigK0(4));
  });
});

describe('content hash', () => {
  it('the fast canonical text of a valid submission equals key-sorted JSON, whatever the key order', async () => {
    const { canonicalJson, canonicalSubmission } = await import('../engine/storage/submissions.js');
    await fc.assert(fc.property(k0Arb, (data) => {
      const shuffled = JSON.parse(JSON.stringify(data, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)));
      expect(canonicalSubmission(k0, shuffled)).toBe(canonicalJson(data));
    }), { numRuns: 200 });
    const r1 = forms.get('r1-uppka')!;
    await fc.assert(fc.property(r1Arb(uuid()), (data) => {
      const shuffled = JSON.parse(JSON.stringify(data, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)));
      expect(canonicalSubmission(r1, shuffled)).toBe(canonicalJson(data));
    }), { numRuns: 200 });
  });
});
