/**
 * The storage contract's types: what every store offers the storage code above it, whichever
 * database holds the data (see database.ts for how one is opened).
 */
import type { Kysely } from 'kysely';
import type { Checkpointer } from './checkpointer.js';
import type { ChangeFeed } from './change-feed.js';
import type { SyncExecutor, Writes } from './write-queue.js';

interface StoreCommon {
  readonly db: Kysely<any>;
  /** Submissions and other records are written through this (see write-queue.ts). */
  readonly writes: Writes;
  /** What this process tells the other server processes on the same database (change-feed.ts). */
  readonly changes: ChangeFeed;
  close(): Promise<void>;
}

export interface SqliteStore extends StoreCommon {
  readonly dialect: 'sqlite';
  /**
   * The write path's executor: statements are still built and compiled by kysely, but run without
   * kysely's async machinery. Only the write queue opens transactions with it.
   */
  readonly executor: SyncExecutor;
  /** The background checkpointer, when the store was opened with one. */
  readonly checkpointer?: Checkpointer;
  /** Runs `fn` with foreign-key enforcement off, as SQLite's table rebuild procedure requires. */
  withoutForeignKeys<T>(fn: () => Promise<T>): Promise<T>;
}

export interface PostgresStore extends StoreCommon {
  readonly dialect: 'postgres';
}

export type Store = SqliteStore | PostgresStore;

export interface StoreOptions {
  /**
   * SQLite: let concurrent saves share a commit (see write-queue.ts). The server turns it on; a
   * single writer (scripts, imports, tests) is faster without it. PostgreSQL ignores it.
   */
  readonly groupCommit?: boolean;
  /**
   * SQLite: copy the WAL into the database file from a worker thread, so that no commit on the
   * request thread does the bulk of a checkpoint (see checkpointer.ts). The server turns it on.
   */
  readonly backgroundCheckpoints?: boolean;
  /** Where a background failure is reported (SQLite's checkpointer, an idle PostgreSQL connection). */
  readonly onBackgroundError?: (message: string) => void;
  /**
   * PostgreSQL: listen for other processes' saves (change-feed.ts), so this store's data revision
   * follows them. The server does; a script or test that opens a store for a moment need not hold
   * a listening connection. (The caches above the store follow through followChanges.)
   */
  readonly followChanges?: boolean;
  /** PostgreSQL: connections in the pool (default 10). */
  readonly poolSize?: number;
}

