/**
 * What a migration does differently per dialect. A table that only gains columns is altered in
 * place in both (migrate.ts); any other change (a code added to a list, a range widened, an index
 * changed) alters a CHECK constraint or more, which
 * - SQLite cannot do: the table is rebuilt with SQLite's documented procedure (new table, copy,
 *   drop, rename) with foreign-key enforcement off, and the references are checked before the
 *   transaction commits (`pragma foreign_key_check`);
 * - PostgreSQL does in place: each changed column's constraints are dropped and added again,
 *   types and nullability altered, indexes recreated; its foreign keys are never off.
 * Either way inside the migration's one transaction: on any error nothing has changed.
 */
import { sql, type Kysely } from 'kysely';
import { addColumnQuery, checkExpression, columnType, createIndexQueries, createTableQuery, type DialectName } from './ddl.js';
import type { ColumnSpec, TableSpec } from './table-spec.js';
import type { Store } from './store.js';

/** Runs a migration's statements in one transaction, as the dialect needs it. */
export function migrationTransaction<T>(store: Store, fn: (trx: Kysely<any>) => Promise<T>): Promise<T> {
  if (store.dialect === 'sqlite') return store.withoutForeignKeys(() => store.db.transaction().execute(fn));
  return store.db.transaction().execute(fn);
}

/** Changes table `old` into `next` (same name), keeping every row. */
export function changeTable(dialect: DialectName, trx: Kysely<any>, old: TableSpec, next: TableSpec): Promise<void> {
  return dialect === 'sqlite' ? rebuildSqlite(trx, old, next) : alterPostgres(trx, old, next);
}

/** How many references the migration broke (SQLite checks them only when asked). */
export async function brokenReferences(dialect: DialectName, trx: Kysely<any>): Promise<number> {
  if (dialect === 'postgres') return 0; // enforced statement by statement; a break already threw
  return (await sql`pragma foreign_key_check`.execute(trx)).rows.length;
}

async function rebuildSqlite(db: Kysely<any>, old: TableSpec, next: TableSpec): Promise<void> {
  const temp = `${next.name}__baru`;
  await db.executeQuery(createTableQuery('sqlite', next, temp));
  const kept = next.columns.filter((c) => old.columns.some((o) => o.name === c.name)).map((c) => c.name);
  const cols = sql.join(kept.map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(temp)} (${cols}) select ${cols} from ${sql.table(old.name)}`.execute(db);
  await db.schema.dropTable(old.name).execute();
  await db.schema.alterTable(temp).renameTo(next.name).execute();
  for (const q of createIndexQueries('sqlite', next)) await db.executeQuery(q);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The names of a column's own constraints of one kind (c: CHECK, f: FOREIGN KEY), however named. */
async function columnConstraints(db: Kysely<any>, table: string, column: string, kind: 'c' | 'f'): Promise<string[]> {
  const rows = await sql<{ conname: string }>`
    select con.conname from pg_constraint con
    join pg_class rel on rel.oid = con.conrelid
    join pg_namespace ns on ns.oid = rel.relnamespace and ns.nspname = current_schema()
    join pg_attribute att on att.attrelid = rel.oid and att.attnum = any (con.conkey)
    where rel.relname = ${table} and con.contype = ${kind} and att.attname = ${column} and cardinality(con.conkey) = 1`.execute(db);
  return rows.rows.map((r) => r.conname);
}

async function alterPostgres(db: Kysely<any>, old: TableSpec, next: TableSpec): Promise<void> {
  const table = sql.table(next.name);
  for (const ix of old.indexes) {
    if (!same(ix, next.indexes.find((i) => i.name === ix.name))) await sql`drop index if exists ${sql.id(ix.name)}`.execute(db);
  }
  if (!same(old.primaryKey, next.primaryKey)) {
    await sql`alter table ${table} drop constraint if exists ${sql.id(`${old.name}__pk`)}`.execute(db);
    await sql`alter table ${table} add constraint ${sql.id(`${next.name}__pk`)} primary key (${sql.join(next.primaryKey.map((c) => sql.ref(c)))})`.execute(db);
  }
  // Columns the new version no longer has (the refusals made sure they hold nothing).
  for (const oc of old.columns) {
    if (!next.columns.some((c) => c.name === oc.name)) await sql`alter table ${table} drop column ${sql.ref(oc.name)}`.execute(db);
  }
  for (const nc of next.columns) {
    const oc = old.columns.find((c) => c.name === nc.name);
    if (!oc) {
      await db.executeQuery(addColumnQuery('postgres', next.name, nc));
      continue;
    }
    if (same(oc, nc)) continue;
    await alterColumn(db, next.name, oc, nc);
  }
  for (const q of createIndexQueries('postgres', next)) await db.executeQuery(q);
}

async function alterColumn(db: Kysely<any>, name: string, oc: ColumnSpec, nc: ColumnSpec): Promise<void> {
  const table = sql.table(name);
  const col = sql.ref(nc.name);
  if (!same(oc.check, nc.check) || oc.type !== nc.type) {
    for (const c of await columnConstraints(db, name, nc.name, 'c')) await sql`alter table ${table} drop constraint ${sql.id(c)}`.execute(db);
  }
  if (!same(oc.references, nc.references)) {
    for (const c of await columnConstraints(db, name, nc.name, 'f')) await sql`alter table ${table} drop constraint ${sql.id(c)}`.execute(db);
  }
  if (oc.type !== nc.type) {
    // Only a column that holds no value may change type (see the refusals): every cast is of null.
    const type = sql.raw(columnType(nc.type, 'postgres'));
    await sql`alter table ${table} alter column ${col} type ${type} using ${col}::${type}`.execute(db);
  }
  if (oc.notNull !== nc.notNull) {
    await (nc.notNull ? sql`alter table ${table} alter column ${col} set not null` : sql`alter table ${table} alter column ${col} drop not null`).execute(db);
  }
  const check = checkExpression(nc);
  if (check && (!same(oc.check, nc.check) || oc.type !== nc.type)) await sql`alter table ${table} add check (${check})`.execute(db);
  if (nc.references && !same(oc.references, nc.references)) {
    await sql`alter table ${table} add foreign key (${col}) references ${sql.table(nc.references.table)} (${sql.ref(nc.references.column)}) on delete restrict`.execute(db);
  }
}
