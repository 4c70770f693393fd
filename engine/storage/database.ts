/**
 * The storage contract: what every store offers the storage code above it, whichever database
 * holds the data. Two dialects implement it: embedded SQLite (one file; sqlite-store.ts), the
 * default, and PostgreSQL (postgres-store.ts) for a national deployment with several server
 * processes. Everything above speaks kysely (`db`) and writes through `writes` (write-queue.ts);
 * what differs by dialect (schema changes, durability machinery) lives in the dialect's files.
 */
import { openSqliteStore } from './sqlite-store.js';
import { openPostgresStore } from './postgres-store.js';
import type { Store, StoreOptions } from './store.js';

export type { Store, SqliteStore, PostgresStore, StoreOptions } from './store.js';
export type { SyncExecutor, Writes, WriteJob, WriteContext } from './write-queue.js';

/** `postgres://…` or `postgresql://…` selects PostgreSQL; anything else is a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** SQLite `DATABASE_URL` forms: a file path, `file:path`, `sqlite:path`, or `:memory:`. */
export function sqlitePath(url: string): string {
  return url.replace(/^(sqlite|file):(\/\/)?/, '');
}

/** Opens the store `url` names (see isPostgresUrl); the connection is made on first use. */
export function openStore(url: string, options: StoreOptions = {}): Store {
  return isPostgresUrl(url) ? openPostgresStore(url, options) : openSqliteStore(sqlitePath(url), options);
}
