/**
 * DDL for a form's tables, built with kysely's schema builder (never by string pasting), for
 * SQLite (the default) or PostgreSQL. Pure: spec in, statements out. The migrator runs these;
 * generators/sql.ts prints them to `generated/sql/` so staff can review what a definition does.
 */
import {
  DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql, type ColumnDefinitionBuilder, type CompiledQuery, type Dialect, type SqlBool,
} from 'kysely';
import type { FormModel } from '../model-types.js';
import { formTables, type ColumnSpec, type TableSpec } from './table-spec.js';

export type DialectName = 'sqlite' | 'postgres';

/** A kysely that only compiles: no connection, so DDL can be printed anywhere. */
export function compilerFor(dialect: DialectName): Kysely<any> {
  const d: Dialect =
    dialect === 'sqlite'
      ? { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() }
      : { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() };
  return new Kysely<any>({ dialect: d });
}

function checkExpression(c: ColumnSpec) {
  const ref = sql.ref(c.name);
  const parts = [];
  if (c.check?.in) parts.push(sql`${ref} in (${sql.join(c.check.in.map((v) => sql.lit(v)))})`);
  if (c.check?.min !== undefined) parts.push(sql`${ref} >= ${sql.lit(c.check.min)}`);
  if (c.check?.max !== undefined) parts.push(sql`${ref} <= ${sql.lit(c.check.max)}`);
  return parts.length ? sql.join(parts, sql` and `) : undefined;
}

/** A column's type and constraints, the same whether the table is created or altered. */
function defineColumn(c: ColumnSpec): [string, 'bigint' | 'real' | 'text', (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  // bigint: Rupiah amounts pass 2^31; SQLite reads it as INTEGER affinity, PostgreSQL as int8.
  return [c.name, c.type === 'integer' ? 'bigint' : c.type, (col) => {
    let b = c.notNull ? col.notNull() : col;
    if (c.references) b = b.references(`${c.references.table}.${c.references.column}`).onDelete('restrict');
    const check = checkExpression(c);
    return check ? b.check(check) : b;
  }];
}

/** `create table` for one table spec, named `as` (the migrator builds under a temporary name). */
export function createTableQuery(db: Kysely<any>, table: TableSpec, as: string = table.name): CompiledQuery {
  let q = db.schema.createTable(as);
  for (const c of table.columns) q = q.addColumn(...defineColumn(c));
  q = q.addPrimaryKeyConstraint(`${as}__pk`, table.primaryKey as never[]);
  return q.compile();
}

/** A column added to an existing table (nullable: old rows have no value for it). */
export function addColumnQuery(db: Kysely<any>, table: string, column: ColumnSpec): CompiledQuery {
  return db.schema.alterTable(table).addColumn(...defineColumn(column)).compile();
}

export function createIndexQueries(db: Kysely<any>, table: TableSpec): CompiledQuery[] {
  return table.indexes.map((ix) => {
    let q = db.schema.createIndex(ix.name).ifNotExists().on(table.name).columns(ix.columns as string[]);
    if (ix.unique) q = q.unique();
    if (ix.where) q = q.where(sql.raw<SqlBool>(ix.where));
    return q.compile();
  });
}

/** Every statement that creates a form's tables, in dependency order. */
export function formDdl(model: FormModel, dialect: DialectName = 'sqlite'): CompiledQuery[] {
  const db = compilerFor(dialect);
  const t = formTables(model);
  return [t.main, ...t.children].flatMap((table) => [createTableQuery(db, table), ...createIndexQueries(db, table)]);
}

