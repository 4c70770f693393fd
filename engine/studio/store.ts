/**
 * Where the studio keeps definitions: drafts (a definition being edited, with the version it
 * started from) and publications (every version published from the studio, with the raw
 * definition as staff wrote it, the period it takes effect from, who, when, why and what changed).
 * `lembar_definisi` (migrate.ts) keeps the resolved definition and its tables per version; these
 * tables keep what the studio needs to edit, serve and explain them. Created on first use.
 */
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Store } from '../storage/database.js';
import type { Change } from './diff.js';

export interface YearMonth {
  readonly tahun: number;
  readonly bulan: number;
}

export interface Draft {
  readonly id: string;
  readonly formId: string;
  /** The published version this draft was started from (undefined: a new form). */
  readonly baseVersion?: number;
  readonly definition: Record<string, unknown>;
  readonly by: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Publication {
  readonly formId: string;
  readonly version: number;
  readonly definition: Record<string, unknown>;
  /** First period the version is in force for; earlier periods keep the version before it. */
  readonly from: YearMonth;
  readonly note: string;
  readonly by: string;
  readonly at: string;
  readonly changes: readonly Change[];
}

const ready = new WeakSet<Store>();

export async function ensureStudioTables(store: Store): Promise<void> {
  if (ready.has(store)) return;
  await store.db.schema.createTable('lembar_draf').ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('form_id', 'text', (c) => c.notNull())
    .addColumn('dasar_versi', 'integer')
    .addColumn('definisi', 'text', (c) => c.notNull())
    .addColumn('oleh', 'text', (c) => c.notNull())
    .addColumn('dibuat', 'text', (c) => c.notNull())
    .addColumn('diubah', 'text', (c) => c.notNull())
    .execute();
  await store.db.schema.createTable('lembar_terbitan').ifNotExists()
    .addColumn('form_id', 'text', (c) => c.notNull())
    .addColumn('versi', 'integer', (c) => c.notNull())
    .addColumn('definisi', 'text', (c) => c.notNull())
    .addColumn('berlaku_tahun', 'integer', (c) => c.notNull())
    .addColumn('berlaku_bulan', 'integer', (c) => c.notNull())
    .addColumn('catatan', 'text', (c) => c.notNull())
    .addColumn('oleh', 'text', (c) => c.notNull())
    .addColumn('diterbitkan', 'text', (c) => c.notNull())
    .addColumn('perubahan', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lembar_terbitan__pk', ['form_id', 'versi'])
    .execute();
  ready.add(store);
}

const draftOf = (r: Record<string, unknown>): Draft => ({
  id: String(r.id), formId: String(r.form_id), ...(r.dasar_versi === null || r.dasar_versi === undefined ? {} : { baseVersion: Number(r.dasar_versi) }),
  definition: JSON.parse(String(r.definisi)) as Record<string, unknown>, by: String(r.oleh), createdAt: String(r.dibuat), updatedAt: String(r.diubah),
});

export async function createDraft(store: Store, formId: string, definition: Record<string, unknown>, by: string, baseVersion?: number): Promise<Draft> {
  await ensureStudioTables(store);
  const now = new Date().toISOString();
  const id = randomUUID();
  await store.db.insertInto('lembar_draf').values({ id, form_id: formId, dasar_versi: baseVersion ?? null, definisi: JSON.stringify(definition), oleh: by, dibuat: now, diubah: now }).execute();
  return { id, formId, ...(baseVersion === undefined ? {} : { baseVersion }), definition, by, createdAt: now, updatedAt: now };
}

export async function loadDraft(store: Store, id: string): Promise<Draft | undefined> {
  await ensureStudioTables(store);
  const row = await store.db.selectFrom('lembar_draf').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? draftOf(row as Record<string, unknown>) : undefined;
}

export async function updateDraft(store: Store, id: string, definition: Record<string, unknown>): Promise<void> {
  await ensureStudioTables(store);
  await store.db.updateTable('lembar_draf').set({ definisi: JSON.stringify(definition), diubah: new Date().toISOString() }).where('id', '=', id).execute();
}

export async function deleteDraft(store: Store, id: string): Promise<void> {
  await ensureStudioTables(store);
  await store.db.deleteFrom('lembar_draf').where('id', '=', id).execute();
}

export async function listDrafts(store: Store, formId?: string): Promise<Draft[]> {
  await ensureStudioTables(store);
  let q = store.db.selectFrom('lembar_draf').selectAll().orderBy('diubah', 'desc');
  if (formId) q = q.where('form_id', '=', formId);
  return ((await q.execute()) as Record<string, unknown>[]).map(draftOf);
}

const publicationOf = (r: Record<string, unknown>): Publication => ({
  formId: String(r.form_id), version: Number(r.versi), definition: JSON.parse(String(r.definisi)) as Record<string, unknown>,
  from: { tahun: Number(r.berlaku_tahun), bulan: Number(r.berlaku_bulan) }, note: String(r.catatan), by: String(r.oleh), at: String(r.diterbitkan),
  changes: JSON.parse(String(r.perubahan)) as Change[],
});

/** Every studio publication, oldest first (per form by version). */
export async function listPublications(store: Store, formId?: string): Promise<Publication[]> {
  await ensureStudioTables(store);
  let q = store.db.selectFrom('lembar_terbitan').selectAll().orderBy('form_id').orderBy('versi');
  if (formId) q = q.where('form_id', '=', formId);
  return ((await q.execute()) as Record<string, unknown>[]).map(publicationOf);
}

/** Record a publication; false when that version was recorded already (another publisher won). */
export async function recordPublication(store: Store, p: Publication): Promise<boolean> {
  await ensureStudioTables(store);
  const result = await store.db.insertInto('lembar_terbitan').values({
    form_id: p.formId, versi: p.version, definisi: JSON.stringify(p.definition), berlaku_tahun: p.from.tahun, berlaku_bulan: p.from.bulan,
    catatan: p.note, oleh: p.by, diterbitkan: p.at, perubahan: JSON.stringify(p.changes),
  }).onConflict((oc) => oc.columns(['form_id', 'versi']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The highest version published for a form (folder or studio), 0 when none. */
export async function latestVersion(store: Store, formId: string): Promise<number> {
  const row = await store.db.selectFrom('lembar_definisi').select(sql<number>`max(versi)`.as('v')).where('form_id', '=', formId).executeTakeFirst();
  return Number((row as { v: number | null } | undefined)?.v ?? 0);
}
