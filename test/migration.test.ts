/** Publishing new definition versions against a real SQLite file that already holds data. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { loadDefinition, loadSharedDefs, FORMS_DIR, type FormModel } from '../engine/index.js';
import { loadSubmission, MigrationRefused, publishDefinition, saveSubmission } from '../engine/storage/index.js';
import { bigK0, uuid } from './support/submissions.js';
import { tempStore } from './support/temp-store.js';

const registry = loadSharedDefs();
const k0Raw = JSON.parse(readFileSync(`${FORMS_DIR}/k0-uppka.json`, 'utf8'));
const kelompok = JSON.parse(readFileSync(`${FORMS_DIR}/defs/kelompok.json`, 'utf8'));
/** The K/0 version in the repository (what the temporary store has published) and the next one. */
const BASE: number = k0Raw['x-version'];
const NEXT = BASE + 1;

/** K/0 at version `v` with its member row edited by `edit` (inlined, so the shared file stays). */
function k0Version(v: number, edit: (memberProps: any, identitas: any, member: any) => void, editForm: (raw: any) => void = () => {}): FormModel {
  const raw = structuredClone(k0Raw);
  raw['x-version'] = v;
  editForm(raw);
  const anggota = structuredClone(kelompok.$defs.anggota);
  const identitas = structuredClone(kelompok.$defs.identitas_kelompok);
  const rebase = (node: any) => JSON.parse(JSON.stringify(node).replace(/"(kode|wilayah)\.json#/g, '"defs/$1.json#'));
  edit(anggota.items.properties, identitas.properties, anggota.items);
  raw.properties.anggota = rebase(anggota);
  raw.properties.identitas_kelompok = rebase(identitas);
  return loadDefinition('k0-uppka', raw, registry);
}

let ctx: Awaited<ReturnType<typeof tempStore>>;
const saved: string[] = [];
beforeEach(async () => {
  ctx = await tempStore();
  saved.length = 0;
  const v1 = k0Version(BASE, () => {});
  for (let i = 0; i < 3; i++) {
    const id = uuid();
    saved.push(id);
    await saveSubmission(ctx.store, v1, { id, data: bigK0(4) });
  }
});
afterEach(async () => ctx.cleanup());

describe('publishing a new definition version', () => {
  it('adds a new field as a nullable column; old rows keep their data and their version', async () => {
    const v2 = k0Version(NEXT, (member, identitas) => {
      member.pekerjaan = { type: 'string', title: 'Pekerjaan', maxLength: 100 };
      identitas.email = { type: 'string', format: 'email', title: 'Surel' };
      identitas.kode_pos = { type: 'string', title: 'Kode Pos', pattern: '^[0-9]{5}$' };
    });
    // A trigger lives and dies with its table: if it survives, the table was altered in place
    // (add column), not rebuilt by copying every row.
    await sql`create trigger k0_uppka__penanda after update on k0_uppka begin select 1; end`.execute(ctx.store.db);
    expect(await publishDefinition(ctx.store, v2)).toEqual({ action: 'migrated', tables: ['k0_uppka', 'k0_uppka__anggota'] });
    const triggers = (await sql<{ name: string }>`select name from sqlite_master where type = 'trigger'`.execute(ctx.store.db)).rows;
    expect(triggers.map((t) => t.name)).toContain('k0_uppka__penanda');
    const old = await loadSubmission(ctx.store, v2, saved[0]!);
    expect(old).toMatchObject({ version: BASE, data: bigK0(4) });
    const data = bigK0(2);
    (data.anggota as any[])[0].pekerjaan = 'Pedagang';
    (data.identitas_kelompok as any).email = 'ketua@contoh.id';
    const id = uuid();
    await saveSubmission(ctx.store, v2, { id, data });
    expect(await loadSubmission(ctx.store, v2, id)).toMatchObject({ version: NEXT, data });
    const cols = (await sql<{ name: string; notnull: number }>`pragma table_info(k0_uppka)`.execute(ctx.store.db)).rows;
    expect(cols.find((c) => c.name === 'email')).toMatchObject({ notnull: 0 });
    const fk = (await sql`pragma foreign_key_list(k0_uppka__anggota)`.execute(ctx.store.db)).rows;
    expect(fk).toHaveLength(1);
  });

  it('refuses a rename of a column that holds data, naming the column and the row count', async () => {
    const v2 = k0Version(NEXT, (member, _identitas, row) => {
      member.nama_lengkap = { ...member.nama, title: 'Nama Lengkap' };
      delete member.nama;
      row.required = row.required.map((k: string) => (k === 'nama' ? 'nama_lengkap' : k));
    });
    const err = await publishDefinition(ctx.store, v2).catch((e) => e);
    expect(err).toBeInstanceOf(MigrationRefused);
    expect(err.reasons).toEqual([
      'Kolom "nama" di tabel "k0_uppka__anggota" hilang dari definisi (dihapus atau diganti nama), padahal berisi data di 12 baris. Pertahankan isian itu; tambahkan isian baru bila perlu.',
    ]);
    const v1 = k0Version(BASE, () => {});
    expect((await loadSubmission(ctx.store, v1, saved[1]!))?.data).toEqual(bigK0(4));
  });

  it('refuses a change of type of a column that holds data', async () => {
    const v2 = k0Version(NEXT, (member) => {
      member.usia = { type: 'string', title: 'Usia', 'x-column': 3 };
    });
    const err = await publishDefinition(ctx.store, v2).catch((e) => e);
    expect(err.reasons).toEqual(['Jenis kolom "usia" di tabel "k0_uppka__anggota" berubah dari integer menjadi text, padahal berisi data di 12 baris.']);
  });

  it('refuses removing a code still in use and narrowing a range below stored values, all at once', async () => {
    const v2 = k0Version(NEXT, (member, identitas) => {
      member.usia = { ...member.usia, maximum: 21 }; // bigK0 ages are 20, 21, 22, 23
      identitas.jenis_usaha = { ...identitas.jenis_usaha, $ref: undefined, type: 'string', oneOf: [{ const: 'pertanian_peternakan_perikanan', title: 'Pertanian' }, { const: 'lainnya', title: 'Lainnya' }] };
      delete identitas.jenis_usaha.$ref;
    });
    const err = await publishDefinition(ctx.store, v2).catch((e) => e);
    expect(err.reasons).toEqual([
      'Kode "kuliner" dihapus dari daftar kolom "jenis_usaha" di tabel "k0_uppka", padahal masih dipakai di 3 baris.',
      'Batas atas kolom "usia" di tabel "k0_uppka__anggota" diturunkan menjadi 21, padahal 6 baris bernilai di atasnya.',
    ]);
  });

  it('allows a code that nobody uses to be removed, and a new code to be added', async () => {
    const v2 = k0Version(NEXT, (_m, identitas) => {
      identitas.jenis_usaha = { type: 'string', title: 'Jenis Usaha', oneOf: [
        { const: 'kuliner', title: 'Kuliner' }, { const: 'kerajinan', title: 'Kerajinan' }, { const: 'digital', title: 'Usaha Digital' }, { const: 'lainnya', title: 'Lainnya' } ] };
    });
    expect((await publishDefinition(ctx.store, v2)).action).toBe('migrated');
    const data = bigK0(1);
    (data.identitas_kelompok as any).jenis_usaha = 'digital';
    await saveSubmission(ctx.store, v2, { id: uuid(), data });
    await expect(sql`update k0_uppka set jenis_usaha = 'pelayanan_jasa'`.execute(ctx.store.db)).rejects.toThrow(/CHECK/);
  });

  it('refuses to republish the same version with other content', async () => {
    const same = k0Version(BASE, (member) => { member.pekerjaan = { type: 'string', title: 'Pekerjaan' }; });
    const err = await publishDefinition(ctx.store, same).catch((e) => e);
    expect(err.reasons).toEqual([`Definisi versi ${BASE} sudah diterbitkan dengan isi lain. Naikkan "x-version" untuk setiap perubahan.`]);
  });

  it('keeps reading a section that a new version makes optional, and makes it required again only when every row has it', async () => {
    const optional = k0Version(NEXT, () => {}, (raw) => { raw.required = raw.required.filter((k: string) => k !== 'identitas_kelompok'); });
    expect((await publishDefinition(ctx.store, optional)).action).toBe('migrated');
    for (const id of saved) expect(await loadSubmission(ctx.store, optional, id)).toMatchObject({ version: BASE, data: bigK0(4) });
    const presence = (await sql<{ n: number }>`select count(*) as n from k0_uppka where _ada_identitas_kelompok = 1`.execute(ctx.store.db)).rows[0]!;
    expect(Number(presence.n)).toBe(saved.length);

    const required = k0Version(NEXT + 1, () => {});
    expect((await publishDefinition(ctx.store, required)).action).toBe('migrated');
    for (const id of saved) expect(await loadSubmission(ctx.store, required, id)).toMatchObject({ data: bigK0(4) });
  });

  it('refuses to make a section required while a stored submission lacks it', async () => {
    const optional = k0Version(NEXT, () => {}, (raw) => { raw.required = raw.required.filter((k: string) => k !== 'identitas_kelompok'); });
    await publishDefinition(ctx.store, optional);
    await sql`update k0_uppka set _ada_identitas_kelompok = 0 where _id = ${saved[0]!}`.execute(ctx.store.db);
    const err = await publishDefinition(ctx.store, k0Version(NEXT + 1, () => {})).catch((e) => e);
    expect(err).toBeInstanceOf(MigrationRefused);
    expect(err.reasons).toEqual(['Bagian "identitas_kelompok" menjadi wajib, padahal 1 kiriman tersimpan tidak mengisinya.']);
  });
});
