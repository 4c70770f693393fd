/**
 * DDL for a form's tables, built with kysely's schema builder (never by string pasting), for
 * SQLite (the default) or PostgreSQL. Pure: spec and dialect in, statements out. The migrator runs these;
 * generators/sql.ts prints them to `generated/sql/` so staff can review what a definition does.
 */
import {
  DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql, type ColumnDefinitionBuilder, type CompiledQuery, type Dialect, type SqlBool,
} from 'kysely';
import type { FormModel } from '../model-types.js';
import { formTables, type ColumnSpec, type TableSpec } from './table-spec.js';

export type DialectName = 'sqlite' | 'postgres';

const compilers = new Map<DialectName, Kysely<any>>();

/** A kysely that only compiles: no connection, so DDL can be printed anywhere. */
export function compilerFor(dialect: DialectName): Kysely<any> {
  let hit = compilers.get(dialect);
  if (!hit) compilers.set(dialect, (hit = newCompiler(dialect)));
  return hit;
}

function newCompiler(dialect: DialectName): Kysely<any> {
  const d: Dialect =
    dialect === 'sqlite'
      ? { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() }
      : { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() };
  return new Kysely<any>({ dialect: d });
}

/** A column's CHECK condition (codes, range), or undefined when it has none. */
export function checkExpression(c: ColumnSpec) {
  const ref = sql.ref(c.name);
  const parts = [];
  if (c.check?.in) parts.push(sql`${ref} in (${sql.join(c.check.in.map((v) => sql.lit(v)))})`);
  if (c.check?.min !== undefined) parts.push(sql`${ref} >= ${sql.lit(c.check.min)}`);
  if (c.check?.max !== undefined) parts.push(sql`${ref} <= ${sql.lit(c.check.max)}`);
  return parts.length ? sql.join(parts, sql` and `) : undefined;
}

/**
 * A column's SQL type. bigint: Rupiah amounts pass 2^31; SQLite reads it as INTEGER affinity,
 * PostgreSQL as int8. A number is SQLite's 8-byte REAL, which in PostgreSQL is double precision
 * (its `real` is 4 bytes and would round what SQLite keeps).
 */
export function columnType(type: ColumnSpec['type'], dialect: DialectName): 'bigint' | 'real' | 'double precision' | 'text' {
  if (type === 'integer') return 'bigint';
  if (type === 'real') return dialect === 'postgres' ? 'double precision' : 'real';
  return type;
}

/** A column's type and constraints, the same whether the table is created or altered. */
function defineColumn(c: ColumnSpec, dialect: DialectName): [string, ReturnType<typeof columnType>, (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return [c.name, columnType(c.type, dialect), (col) => {
    let b = c.notNull ? col.notNull() : col;
    if (c.references) b = b.references(`${c.references.table}.${c.references.column}`).onDelete('restrict');
    const check = checkExpression(c);
    return check ? b.check(check) : b;
  }];
}

/** `create table` for one table spec, named `as` (the migrator builds under a temporary name). */
export function createTableQuery(dialect: DialectName, table: TableSpec, as: string = table.name): CompiledQuery {
  let q = compilerFor(dialect).schema.createTable(as);
  for (const c of table.columns) q = q.addColumn(...defineColumn(c, dialect));
  q = q.addPrimaryKeyConstraint(`${as}__pk`, table.primaryKey as never[]);
  return q.compile();
}

/** A column added to an existing table (nullable: old rows have no value for it). */
export function addColumnQuery(dialect: DialectName, table: string, column: ColumnSpec): CompiledQuery {
  return compilerFor(dialect).schema.alterTable(table).addColumn(...defineColumn(column, dialect)).compile();
}

export function createIndexQueries(dialect: DialectName, table: TableSpec): CompiledQuery[] {
  const db = compilerFor(dialect);
  return table.indexes.map((ix) => {
    let q = db.schema.createIndex(ix.name).ifNotExists().on(table.name).columns(ix.columns as string[]);
    if (ix.unique) q = q.unique();
    if (ix.where) q = q.where(sql.raw<SqlBool>(ix.where));
    return q.compile();
  });
}

/** Every statement that creates a form's tables, in dependency order. */
export function formDdl(model: FormModel, dialect: DialectName = 'sqlite'): CompiledQuery[] {
  const t = formTables(model);
  return [t.main, ...t.children].flatMap((table) => [createTableQuery(dialect, table), ...createIndexQueries(dialect, table)]);
}


/**
 * An auto-numbered primary key column (an audit or history table's `id`), as each dialect spells
 * it: `.addColumn('id', ...autoIdColumn(store.dialect))`. kysely's autoIncrement() alone is
 * SQLite's and MySQL's; PostgreSQL numbers a column by identity.
 */
export function autoIdColumn(dialect: DialectName): ['integer' | 'bigint', (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return dialect === 'postgres'
    ? ['bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity()]
    : ['integer', (col) => col.primaryKey().autoIncrement()];
}
