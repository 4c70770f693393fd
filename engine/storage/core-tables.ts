/**
 * Tables that do not come from a form: region master data and the register of published
 * definition versions (with the table spec each one left in the database).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { forgetRegionNames, REGION_LEVELS, type Region } from '../regions.js';
import type { Store } from './database.js';

export const REGION_FILE = fileURLToPath(new URL('../../forms/regions/wilayah.json', import.meta.url));

export async function ensureCoreTables(store: Store): Promise<void> {
  const { db } = store;
  await db.schema
    .createTable('wilayah').ifNotExists()
    .addColumn('kode', 'text', (c) => c.primaryKey())
    .addColumn('nama', 'text', (c) => c.notNull())
    .addColumn('tingkat', 'text', (c) => c.notNull())
    .addColumn('induk', 'text', (c) => c.references('wilayah.kode'))
    .execute();
  await db.schema.createIndex('wilayah__induk__idx').ifNotExists().on('wilayah').column('induk').execute();
  await db.schema
    .createTable('lembar_definisi').ifNotExists()
    .addColumn('form_id', 'text', (c) => c.notNull())
    .addColumn('versi', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('definisi', 'text', (c) => c.notNull())
    .addColumn('tabel', 'text', (c) => c.notNull())
    .addColumn('diterbitkan', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lembar_definisi__pk', ['form_id', 'versi'])
    .execute();
}

/** Load region rows from the data file (new rows are added, names refreshed). */
export async function loadRegions(store: Store, file: string = REGION_FILE): Promise<number> {
  const rows = (JSON.parse(readFileSync(file, 'utf8')) as { wilayah: Region[] }).wilayah;
  // Parents first, so the self-reference holds row by row.
  const ordered = [...rows].sort((a, b) => REGION_LEVELS.indexOf(a.tingkat) - REGION_LEVELS.indexOf(b.tingkat));
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < ordered.length; i += 200) {
      const chunk = ordered.slice(i, i + 200).map((r) => ({ kode: r.kode, nama: r.nama, tingkat: r.tingkat, induk: r.induk ?? null }));
      await trx.insertInto('wilayah').values(chunk)
        .onConflict((oc) => oc.column('kode').doUpdateSet((eb) => ({ nama: eb.ref('excluded.nama') })))
        .execute();
    }
  });
  forgetRegionNames(store);
  store.writes.bump();
  await store.changes.announce({ topic: 'regions' });
  return ordered.length;
}
