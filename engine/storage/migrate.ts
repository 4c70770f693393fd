/**
 * Publishing a definition version: creates its tables the first time, and later migrates them.
 * Added fields become nullable columns; old rows keep their data and their version. A change
 * that would lose data (drop a column that holds values, change its type, narrow a range, remove
 * a code still in use) is refused, listing each column and how many rows it would affect.
 *
 * A table that only gains columns is altered in place (`alter table … add column`, the same in
 * SQLite and PostgreSQL, and quick however many rows it holds). Any other change (a code added to
 * a list, a range widened) alters a CHECK constraint: SQLite rebuilds the table, PostgreSQL alters
 * the constraint (schema-change.ts). Either way, in one transaction.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { FormModel } from '../model-types.js';
import { addColumnQuery, createIndexQueries, createTableQuery } from './ddl.js';
import { brokenReferences, changeTable, migrationTransaction } from './schema-change.js';
import { formTables, MAIN_COLUMNS, type ColumnSpec, type FormTables, type TableSpec } from './table-spec.js';
import type { Store } from './database.js';
import { ensureCoreTables } from './core-tables.js';
import { forgetIdSpace } from './id-space.js';

export class MigrationRefused extends Error {
  constructor(readonly formId: string, readonly reasons: readonly string[]) {
    super(`Versi baru definisi "${formId}" tidak dapat diterbitkan:\n` + reasons.map((r) => `- ${r}`).join('\n'));
    this.name = 'MigrationRefused';
  }
}

export type PublishResult = { readonly action: 'created' | 'unchanged' | 'migrated'; readonly tables: readonly string[] };

/** A column a new version renames (`x-renamed-from` on its field): the data moves with it. */
export interface ColumnRename { readonly table: string; readonly from: string; readonly to: string }

/**
 * The columns `model` renames in the published tables: a field whose former key (the latest one
 * the table still has) is a column of its part's table, while its key is not.
 */
export function columnRenames(prev: FormTables, model: FormModel): ColumnRename[] {
  const out: ColumnRename[] = [];
  for (const part of model.parts) {
    const table = part.kind === 'section' ? prev.main : prev.children.find((t) => t.repeat === part.key);
    if (!table) continue;
    const inPart = (c: ColumnSpec) => (part.kind === 'section' ? c.field?.section === part.key : !!c.field);
    for (const f of part.kind === 'section' ? part.fields : part.columns) {
      if (table.columns.some((c) => c.name === f.key)) continue;
      const from = [...f.formerKeys].reverse().find((k) => table.columns.some((c) => c.name === k && inPart(c)));
      if (from) out.push({ table: table.name, from, to: f.key });
    }
  }
  return out;
}

/** An index named after a renamed column (`<table>__<key>__idx`): dropped and made again under the new name. */
const namedAfter = (ix: TableSpec['indexes'][number], r: ColumnRename) => ix.name === `${r.table}__${r.from}__idx`;

/** The published tables as they are once `renames` ran: columns renamed, indexes named after them gone. */
export function renamedTables(prev: FormTables, renames: readonly ColumnRename[]): FormTables {
  if (!renames.length) return prev;
  const adjust = (t: TableSpec): TableSpec => {
    const mine = renames.filter((r) => r.table === t.name);
    if (!mine.length) return t;
    const to = (name: string) => mine.find((r) => r.from === name)?.to ?? name;
    return {
      ...t,
      columns: t.columns.map((c) => (to(c.name) === c.name ? c : { ...c, name: to(c.name), ...(c.field ? { field: { ...c.field, key: to(c.name) } } : {}) })),
      indexes: t.indexes.filter((ix) => !mine.some((r) => namedAfter(ix, r))).map((ix) => ({ ...ix, columns: ix.columns.map(to) })),
    };
  };
  return { ...prev, main: adjust(prev.main), children: prev.children.map(adjust) };
}

/** `tables` with renamed columns under their published names: what the refusals count rows by. */
function underPublishedNames(tables: FormTables, renames: readonly ColumnRename[]): FormTables {
  return renamedTables(tables, renames.map((r) => ({ table: r.table, from: r.to, to: r.from })));
}

/**
 * What publishing `model` over the published tables would do, without doing it: the renames,
 * the tables after them, the tables the new version needs, and every reason it is refused.
 */
export async function migrationPlan(db: Kysely<any>, prev: FormTables, model: FormModel): Promise<{ renames: ColumnRename[]; before: FormTables; next: FormTables; refusals: string[] }> {
  const renames = columnRenames(prev, model);
  const before = renamedTables(prev, renames);
  const next = effective(formTables(model), before);
  return { renames, before, next, refusals: await refusals(db, prev, underPublishedNames(next, renames)) };
}

/** The tables as the database has them after a migration: new columns are nullable. */
export function effectiveTables(next: FormTables, prev: FormTables | undefined): FormTables {
  return effective(next, prev);
}

function effective(next: FormTables, prev: FormTables | undefined): FormTables {
  if (!prev) return next;
  const adjust = (t: TableSpec): TableSpec => {
    const old = [prev.main, ...prev.children].find((p) => p.name === t.name);
    if (!old) return t;
    return {
      ...t,
      columns: t.columns.map((c) => {
        const o = old.columns.find((x) => x.name === c.name);
        return { ...c, notNull: o ? o.notNull && c.notNull : false };
      }),
    };
  };
  return { ...next, main: adjust(next.main), children: next.children.map(adjust) };
}

async function count(db: Kysely<any>, table: string, where: RawBuilder<SqlBool>): Promise<number> {
  const row = await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).where(where).executeTakeFirst();
  return Number((row as { n: number } | undefined)?.n ?? 0);
}

/**
 * Every reason the step from `prev` to `next` would lose or reject stored data (the studio shows
 * them before publishing: `next` as `effectiveTables` makes it).
 */
export async function refusals(db: Kysely<any>, prev: FormTables, next: FormTables): Promise<string[]> {
  const reasons: string[] = [];
  const nextTables = new Map([next.main, ...next.children].map((t) => [t.name, t]));
  for (const old of [prev.main, ...prev.children]) {
    const now = nextTables.get(old.name);
    if (!now) {
      const n = await count(db, old.name, sql<SqlBool>`1 = 1`);
      if (n > 0) reasons.push(`Tabel "${old.name}" (bagian "${old.repeat}") dihapus dari definisi, padahal berisi ${n} baris.`);
      continue;
    }
    for (const oc of old.columns) {
      const nc = now.columns.find((c) => c.name === oc.name);
      const filled = sql<SqlBool>`${sql.ref(oc.name)} is not null`;
      if (!nc && oc.name.startsWith('_ada_')) {
        // An optional section made required: only rows that lack the section stand in the way.
        const n = await count(db, old.name, sql<SqlBool>`${sql.ref(oc.name)} = 0`);
        if (n > 0) reasons.push(`Bagian "${oc.name.slice(5)}" menjadi wajib, padahal ${n} kiriman tersimpan tidak mengisinya.`);
        continue;
      }
      if (!nc) {
        const n = await count(db, old.name, filled);
        if (n > 0) reasons.push(`Kolom "${oc.name}" di tabel "${old.name}" hilang dari definisi (dihapus atau diganti nama), padahal berisi data di ${n} baris. Pertahankan isian itu; tambahkan isian baru bila perlu.`);
        continue;
      }
      if (oc.type !== nc.type || oc.field?.fieldType !== nc.field?.fieldType) {
        const n = await count(db, old.name, filled);
        if (n > 0) reasons.push(`Jenis kolom "${oc.name}" di tabel "${old.name}" berubah dari ${oc.field?.fieldType ?? oc.type} menjadi ${nc.field?.fieldType ?? nc.type}, padahal berisi data di ${n} baris.`);
        continue;
      }
      const removed = (oc.check?.in ?? []).filter((v) => nc.check?.in !== undefined && !nc.check.in.includes(v));
      for (const code of removed) {
        const n = await count(db, old.name, sql<SqlBool>`${sql.ref(oc.name)} = ${code}`);
        if (n > 0) reasons.push(`Kode "${code}" dihapus dari daftar kolom "${oc.name}" di tabel "${old.name}", padahal masih dipakai di ${n} baris.`);
      }
      if (nc.check?.min !== undefined && (oc.check?.min === undefined || nc.check.min > oc.check.min)) {
        const n = await count(db, old.name, sql<SqlBool>`${sql.ref(oc.name)} < ${nc.check.min}`);
        if (n > 0) reasons.push(`Batas bawah kolom "${oc.name}" di tabel "${old.name}" dinaikkan menjadi ${nc.check.min}, padahal ${n} baris bernilai di bawahnya.`);
      }
      if (nc.check?.max !== undefined && (oc.check?.max === undefined || nc.check.max < oc.check.max)) {
        const n = await count(db, old.name, sql<SqlBool>`${sql.ref(oc.name)} > ${nc.check.max}`);
        if (n > 0) reasons.push(`Batas atas kolom "${oc.name}" di tabel "${old.name}" diturunkan menjadi ${nc.check.max}, padahal ${n} baris bernilai di atasnya.`);
      }
    }
  }
  return reasons;
}

const sameTable = (a: TableSpec | undefined, b: TableSpec): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The columns `next` adds to `old`, when adding them is all that changes; otherwise undefined. */
function addedColumns(old: TableSpec, next: TableSpec): ColumnSpec[] | undefined {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(old.primaryKey, next.primaryKey)) return undefined;
  for (const oc of old.columns) if (!same(oc, next.columns.find((c) => c.name === oc.name))) return undefined;
  for (const ix of old.indexes) if (!same(ix, next.indexes.find((i) => i.name === ix.name))) return undefined;
  const added = next.columns.filter((c) => !old.columns.some((o) => o.name === c.name));
  return added.every((c) => !c.notNull) ? added : undefined;
}

/** Latest published table spec of a form, if any. */
export async function publishedTables(store: Store, formId: string): Promise<{ version: number; hash: string; tables: FormTables } | undefined> {
  const row = await store.db.selectFrom('lembar_definisi').select(['versi', 'hash', 'tabel']).where('form_id', '=', formId).orderBy('versi', 'desc').executeTakeFirst();
  return row ? { version: Number(row.versi), hash: String(row.hash), tables: JSON.parse(String(row.tabel)) as FormTables } : undefined;
}

/** Make the database ready for `model`: create, keep, or migrate its tables. */
export async function publishDefinition(store: Store, model: FormModel): Promise<PublishResult> {
  await ensureCoreTables(store);
  const prev = await publishedTables(store, model.id);
  if (prev && prev.version === model.version) {
    if (prev.hash !== model.hash) throw new MigrationRefused(model.id, [`Definisi versi ${model.version} sudah diterbitkan dengan isi lain. Naikkan "x-version" untuk setiap perubahan.`]);
    const upgraded = await addBookkeeping(store, model, prev.tables);
    return { action: upgraded ? 'migrated' : 'unchanged', tables: upgraded ? [prev.tables.main.name] : [] };
  }
  if (prev && prev.version > model.version) {
    throw new MigrationRefused(model.id, [`Versi ${model.version} lebih lama dari versi terbit ${prev.version}.`]);
  }
  const plan = prev ? await migrationPlan(store.db, prev.tables, model) : undefined;
  if (plan?.refusals.length) throw new MigrationRefused(model.id, plan.refusals);
  const next = plan?.next ?? formTables(model);
  const changed: string[] = [];
  const { dialect } = store;
  const published = await migrationTransaction(store, async (trx) => {
    if (!(await stillLatest(store, trx, model, prev?.version))) return false;
    for (const r of plan?.renames ?? []) {
      // The same statement in SQLite (≥ 3.25, which rewrites its CHECKs and indexes) and PostgreSQL.
      await trx.schema.alterTable(r.table).renameColumn(r.from, r.to).execute();
      await sql`drop index if exists ${sql.id(`${r.table}__${r.from}__idx`)}`.execute(trx);
      changed.push(r.table);
    }
    const before = new Map(plan ? [plan.before.main, ...plan.before.children].map((t) => [t.name, t]) : []);
    for (const table of [next.main, ...next.children]) {
      const old = before.get(table.name);
      if (sameTable(old, table)) continue;
      if (!changed.includes(table.name)) changed.push(table.name);
      const added = old && addedColumns(old, table);
      if (added) {
        for (const c of added) await trx.executeQuery(addColumnQuery(dialect, table.name, c));
        for (const q of createIndexQueries(dialect, table)) await trx.executeQuery(q);
      } else if (old) await changeTable(dialect, trx, old, table);
      else {
        await trx.executeQuery(createTableQuery(dialect, table));
        for (const q of createIndexQueries(dialect, table)) await trx.executeQuery(q);
      }
    }
    if (plan) await markSectionsPresent(trx, plan.before, next);
    const broken = await brokenReferences(dialect, trx);
    if (broken) throw new MigrationRefused(model.id, [`Migrasi akan merusak ${broken} rujukan antar tabel.`]);
    await trx.insertInto('lembar_definisi').values({
      form_id: model.id, versi: model.version, hash: model.hash,
      definisi: JSON.stringify(model.schema), tabel: JSON.stringify(next), diterbitkan: new Date().toISOString(),
    }).execute();
    return true;
  });
  if (!published) return { action: 'unchanged', tables: [] };
  if (prev && !prev.tables.main.columns.some((c) => c.name === '_entity')) await fillEntities(store.db, next.main.name);
  forgetIdSpace(store);
  store.writes.bump();
  await store.changes.announce({ topic: 'definitions', detail: model.id });
  return { action: prev ? 'migrated' : 'created', tables: changed };
}

/**
 * Several server processes on one PostgreSQL may publish at once (all starting together, or two
 * admins in the studio): the migration's first statement takes a lock per form, held until its
 * commit, then checks that the latest version is still the one the migration was planned from.
 * False when another process published this very version meanwhile (nothing left to do); refused
 * when it published another. SQLite has one writer: the check only repeats what was read.
 */
async function stillLatest(store: Store, trx: Kysely<any>, model: FormModel, planned: number | undefined): Promise<boolean> {
  if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`lembar_definisi:${model.id}`}))`.execute(trx);
  const latest = await trx.selectFrom('lembar_definisi').select(['versi', 'hash']).where('form_id', '=', model.id).orderBy('versi', 'desc').executeTakeFirst();
  const version = latest ? Number(latest.versi) : undefined;
  if (version === planned) return true;
  if (version === model.version && latest?.hash === model.hash) return false;
  throw new MigrationRefused(model.id, [`Versi ${version} baru saja diterbitkan oleh orang lain; muat ulang dan periksa lagi.`]);
}

/**
 * A section that was required and becomes optional gains a presence column `_ada_<key>`; every
 * stored row had the section (it was required), so the column is 1 for them, or their values
 * would stop being read. A section new in this version was absent from old rows: 0.
 */
async function markSectionsPresent(db: Kysely<any>, prev: FormTables, next: FormTables): Promise<void> {
  const hadPresence = new Set(prev.optionalSections);
  for (const key of next.optionalSections) {
    if (hadPresence.has(key)) continue;
    const existed = prev.main.columns.some((c) => c.field?.section === key) || prev.children.some((t) => t.repeat === key);
    await db.updateTable(next.main.name).set({ [`_ada_${key}`]: existed ? 1 : 0 }).where(`_ada_${key}`, 'is', null).execute();
  }
}

/** Submissions stored before `_entity` existed are each their own entity (no card had revisions). */
async function fillEntities(db: Kysely<any>, table: string): Promise<void> {
  await db.updateTable(table).set({ _entity: sql.ref('_id') }).where('_entity', 'is', null).execute();
}

/**
 * Bookkeeping columns added to every form table after a version was published (MAIN_COLUMNS
 * grew): added in place, nullable, to the published version's tables, without a new version of
 * the definition. Returns whether anything was added.
 */
async function addBookkeeping(store: Store, model: FormModel, published: FormTables): Promise<boolean> {
  const missing = MAIN_COLUMNS.filter((c) => !published.main.columns.some((o) => o.name === c.name));
  if (!missing.length) return false;
  const wanted = formTables(model).main;
  const main: TableSpec = {
    ...published.main,
    columns: [...published.main.columns, ...missing.map((c) => ({ ...c, notNull: false }))],
    indexes: [...published.main.indexes, ...wanted.indexes.filter((ix) => !published.main.indexes.some((o) => o.name === ix.name) && ix.columns.every((c) => c.startsWith('_')))],
  };
  await store.db.transaction().execute(async (trx) => {
    for (const c of missing) await trx.executeQuery(addColumnQuery(store.dialect, main.name, { ...c, notNull: false }));
    for (const q of createIndexQueries(store.dialect, main)) await trx.executeQuery(q);
    if (missing.some((c) => c.name === '_entity')) await fillEntities(trx, main.name);
    await trx.updateTable('lembar_definisi').set({ tabel: JSON.stringify({ ...published, main }) })
      .where('form_id', '=', model.id).where('versi', '=', model.version).execute();
  });
  store.writes.bump();
  return true;
}

export type { ColumnSpec };
