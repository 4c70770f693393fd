/**
 * Opens the database behind the storage layer. SQLite through better-sqlite3 is the default (one
 * file, WAL, foreign keys on); everything above this file speaks kysely, so PostgreSQL can be
 * added as another dialect here without touching the storage code.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect, sql } from 'kysely';

export interface Store {
  readonly db: Kysely<any>;
  readonly dialect: 'sqlite';
  /** Runs `fn` with foreign-key enforcement off, as SQLite's table rebuild procedure requires. */
  withoutForeignKeys<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `DATABASE_URL` forms: a file path, `file:path`, `sqlite:path`, or `:memory:`. */
export function sqlitePath(url: string): string {
  return url.replace(/^(sqlite|file):(\/\/)?/, '');
}

export function openStore(url: string): Store {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // FULL: an acknowledged submission survives a power cut, not only a crash of the process.
  raw.pragma('synchronous = FULL');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
  return {
    db,
    dialect: 'sqlite',
    async withoutForeignKeys(fn) {
      await sql`pragma foreign_keys = off`.execute(db);
      try {
        return await fn();
      } finally {
        await sql`pragma foreign_keys = on`.execute(db);
      }
    },
    close: () => db.destroy(),
  };
}
