/**
 * Opens the database behind the storage layer. SQLite through better-sqlite3 is the default (one
 * file, WAL, foreign keys on); everything above this file speaks kysely, so PostgreSQL can be
 * added as another dialect here without touching the storage code.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { WriteQueue, type SyncExecutor } from './write-queue.js';

export type { SyncExecutor } from './write-queue.js';

export interface Store {
  readonly db: Kysely<any>;
  /**
   * The write path's executor: statements are still built and compiled by kysely, but run without
   * kysely's async transaction machinery. Only the write queue opens transactions at run time.
   */
  readonly executor: SyncExecutor;
  readonly dialect: 'sqlite';
  /** Submissions are written through this (alone, or sharing a commit with concurrent saves). */
  readonly writes: WriteQueue;
  /** The background checkpointer, when the store was opened with one. */
  readonly checkpointer?: Checkpointer;
  /** Runs `fn` with foreign-key enforcement off, as SQLite's table rebuild procedure requires. */
  withoutForeignKeys<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `DATABASE_URL` forms: a file path, `file:path`, `sqlite:path`, or `:memory:`. */
export function sqlitePath(url: string): string {
  return url.replace(/^(sqlite|file):(\/\/)?/, '');
}

/**
 * kysely prepares every query anew; the storage layer runs the same few statements over and over,
 * so keep prepared statements by SQL text (bounded; schema changes clear it, as better-sqlite3
 * statements go stale when a table is rebuilt).
 */
function cachingPrepare(raw: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit) return hit;
      if (/^\s*(create|drop|alter|pragma)\b/i.test(text)) {
        cache.clear();
        return raw.prepare(text);
      }
      if (cache.size > 500) cache.clear();
      const stmt = raw.prepare(text);
      cache.set(text, stmt);
      return stmt;
    },
  };
}

export interface StoreOptions {
  /**
   * Let concurrent saves share a commit (see write-queue.ts). The server turns it on; a single
   * writer (scripts, imports, tests) is faster without it.
   */
  readonly groupCommit?: boolean;
  /**
   * Copy the WAL into the database file from a worker thread, so that no commit on the request
   * thread does the bulk of a checkpoint (see checkpointer.ts). The server turns it on.
   */
  readonly backgroundCheckpoints?: boolean;
  /** Where the background checkpointer reports a failure (it keeps trying). */
  readonly onBackgroundError?: (message: string) => void;
}

export function openStore(url: string, options: StoreOptions = {}): Store {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // FULL: an acknowledged submission survives a power cut, not only a crash of the process.
  raw.pragma('synchronous = FULL');
  const checkpointer = options.backgroundCheckpoints && path !== ':memory:'
    ? startCheckpointer(path, options.onBackgroundError ?? ((m) => console.error(`checkpoint: ${m}`)))
    : undefined;
  const statements = cachingPrepare(raw);
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: statements }) });
  const executor: SyncExecutor = {
    run(query) {
      const stmt = statements.prepare(query.sql) as unknown as Database.Statement;
      const params = query.parameters as unknown[];
      if (stmt.reader) return stmt.all(params) as Record<string, unknown>[];
      stmt.run(params);
      return [];
    },
  };
  return {
    db,
    dialect: 'sqlite',
    executor,
    writes: new WriteQueue(db, executor, options.groupCommit ?? false),
    async withoutForeignKeys(fn) {
      await sql`pragma foreign_keys = off`.execute(db);
      try {
        return await fn();
      } finally {
        await sql`pragma foreign_keys = on`.execute(db);
      }
    },
    checkpointer,
    async close() {
      // The checkpointer's connection closes first: the last connection to close checkpoints
      // everything and removes the WAL.
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
