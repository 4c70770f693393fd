/**
 * How writes reach the database: the contract every store's `writes` keeps, and SQLite's
 * implementation of it (PostgreSQL's is postgres-writes.ts).
 *
 * A write is a job: `work` runs its statements in a transaction of its own (or a savepoint of a
 * shared one), and `recover`, after the work was rolled back, may answer instead (a retried UUID)
 * or throw. Every promise settles only after the COMMIT has returned, so an acknowledged write is
 * durable. A job executes its statements with `await w.query(…)` only, never through `store.db`,
 * which would wait for the connection the job itself holds.
 *
 * SQLite, one connection:
 * - Alone (the default): a save runs and commits at once, in its own transaction. A script, a
 *   test or an import that saves one submission after another pays nothing for company it
 *   never has.
 * - Group commit (`groupCommit: true`, the server's choice): writes that arrive in the same turn
 *   of the event loop share one transaction, and so one fsync, while each stays atomic on its own
 *   inside a savepoint. A write whose statements fail is rolled back to its savepoint and answered
 *   with its error; the others commit. With synchronous=FULL the commit's fsync is most of a
 *   save's cost and phones post in bursts, so one fsync per batch multiplies throughput under
 *   load; it costs one turn of the event loop per save, which only concurrent writers repay.
 *
 * Statements are built with kysely and run through the store's synchronous executor (no kysely
 * async machinery per statement: better-sqlite3 answers at once), while the batch holds the lock of
 * the one connection (connection-lock.ts), which kysely's driver takes too: no other query, and no
 * kysely transaction, can interleave with a batch between its BEGIN and its COMMIT.
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { ConnectionLock } from './connection-lock.js';

/** Runs a statement built by kysely directly on the connection, synchronously (SQLite). */
export interface SyncExecutor {
  run(query: CompiledQuery): Record<string, unknown>[];
}

export type Row = Record<string, unknown>;

/** What a write sees: kysely to build statements, and `query` to execute them in its transaction. */
export interface WriteContext {
  readonly db: Kysely<any>;
  /** Executes a statement in the job's transaction: the contract, the same on every dialect. */
  query(query: Compilable | CompiledQuery): Promise<Row[]>;
  /**
   * The same, synchronously. SQLite only (a PostgreSQL store throws, naming `query`): kept while
   * older jobs move to `await w.query(…)`.
   * @deprecated use `await w.query(…)`
   */
  run(query: Compilable | CompiledQuery): Row[];
}

export interface WriteJob<T> {
  /** The writes; run in their own transaction, or in a savepoint of the batch's (group commit). */
  readonly work: (w: WriteContext) => T | Promise<T>;
  /** Called after the work was rolled back: may answer instead (a retried UUID), or throw. */
  readonly recover?: (error: unknown, w: WriteContext) => T | Promise<T>;
  /** Not data (an audit entry): committing it leaves the data revision, and cached artefacts, as they are. */
  readonly bookkeeping?: boolean;
}

/** The write side of a store, whatever its dialect. */
export interface Writes {
  /**
   * Goes up with every commit of this process that stored something: cached artefacts (PDFs,
   * CSVs) made from the data are keyed by it, so the next save makes them stale.
   */
  readonly revision: number;
  /** A write outside the queue (a status change, a migration) changed the data. */
  bump(): void;
  run<T>(job: WriteJob<T>): Promise<T>;
}

interface Pending {
  readonly job: WriteJob<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 200;
const raw = (text: string) => CompiledQuery.raw(text);

export const compiled = (q: Compilable | CompiledQuery): CompiledQuery => ('compile' in q ? q.compile() : q);

export class WriteQueue implements Writes {
  private pending: Pending[] = [];
  private running = false;
  private revisionCount = 0;

  get revision(): number {
    return this.revisionCount;
  }

  bump(): void {
    this.revisionCount++;
  }
  private readonly context: WriteContext;

  constructor(db: Kysely<any>, private readonly executor: SyncExecutor, private readonly lock: ConnectionLock, private readonly groupCommit: boolean) {
    this.context = {
      db,
      run: (q) => executor.run(compiled(q)),
      query: async (q) => executor.run(compiled(q)),
    };
  }

  run<T>(job: WriteJob<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ job: job as WriteJob<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (this.running) return;
      this.running = true;
      // Alone, a write starts at once; writes still run one after another in the order they came.
      // Grouped, the requests that arrived in the same turn of the event loop join this batch (a
      // microtask would start before their handlers run, and every batch would hold one write).
      if (this.groupCommit) setImmediate(() => void this.drain());
      else void this.drain();
    });
  }

  /** Holds the one connection while `fn` runs: nothing else uses it between BEGIN and COMMIT. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const wait = this.lock.acquire();
    if (wait) await wait;
    try {
      return await fn();
    } finally {
      this.lock.release();
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.groupCommit ? MAX_BATCH : 1);
        let outcomes: Outcome[];
        try {
          outcomes = await this.exclusive(async () => (batch.length === 1 ? [await this.runAlone(batch[0]!)] : this.runBatch(batch)));
        } catch (error) {
          outcomes = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((p, i) => {
          const o = outcomes[i]!;
          if (o.ok) p.resolve(o.value);
          else p.reject(o.error);
        });
      }
    } finally {
      this.running = false;
    }
  }

  private exec(text: string): void {
    this.executor.run(raw(text));
  }

  private async runBatch(batch: readonly Pending[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    this.exec('begin');
    try {
      for (const [i, p] of batch.entries()) {
        const sp = `w${i}`;
        this.exec(`savepoint ${sp}`);
        try {
          const value = await p.job.work(this.context);
          this.exec(`release savepoint ${sp}`);
          outcomes.push({ ok: true, value });
        } catch (error) {
          this.exec(`rollback to savepoint ${sp}`);
          this.exec(`release savepoint ${sp}`);
          outcomes.push(await this.recover(p, error));
        }
      }
      this.exec('commit');
      if (batch.some((p) => !p.job.bookkeeping)) this.revisionCount++;
      return outcomes;
    } catch (commitError) {
      // The transaction itself failed (disk full, I/O error): nothing of this batch is stored.
      this.rollbackQuietly();
      return batch.map(() => ({ ok: false, error: commitError }));
    }
  }

  /** A write with no company needs no savepoint: its own transaction is its atomic unit. */
  private async runAlone(p: Pick<Pending, 'job'>): Promise<Outcome> {
    this.exec('begin');
    try {
      const value = await p.job.work(this.context);
      this.exec('commit');
      if (!p.job.bookkeeping) this.revisionCount++;
      return { ok: true, value };
    } catch (error) {
      this.rollbackQuietly();
      if (!p.job.recover) return { ok: false, error };
      this.exec('begin');
      try {
        const outcome = await this.recover(p, error);
        this.exec('commit');
        return outcome;
      } catch (e) {
        this.rollbackQuietly();
        return { ok: false, error: e };
      }
    }
  }

  private async recover(p: Pick<Pending, 'job'>, error: unknown): Promise<Outcome> {
    if (!p.job.recover) return { ok: false, error };
    try {
      return { ok: true, value: await p.job.recover(error, this.context) };
    } catch (translated) {
      return { ok: false, error: translated };
    }
  }

  private rollbackQuietly(): void {
    try {
      this.exec('rollback');
    } catch {
      // No transaction left to roll back (SQLite may already have ended it).
    }
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
