/**
 * The SQLite store: better-sqlite3 on one file, WAL, foreign keys on, synchronous=FULL, a cache
 * of prepared statements, the write queue with group commit, and the background checkpointer.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, sql, type SqliteDatabase } from 'kysely';
import { ConnectionLock, LockingSqliteDialect } from './connection-lock.js';
import { startCheckpointer } from './checkpointer.js';
import { LocalChangeFeed } from './change-feed.js';
import { WriteQueue, type SyncExecutor } from './write-queue.js';
import type { SqliteStore, StoreOptions } from './store.js';

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

export function openSqliteStore(path: string, options: StoreOptions = {}): SqliteStore {
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
  const lock = new ConnectionLock();
  const db = new Kysely<any>({ dialect: new LockingSqliteDialect({ database: statements }, lock) });
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
    writes: new WriteQueue(db, executor, lock, options.groupCommit ?? false),
    // One server process per SQLite file: nobody else to tell.
    changes: new LocalChangeFeed(),
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
