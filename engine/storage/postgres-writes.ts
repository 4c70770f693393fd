/**
 * The write contract (write-queue.ts) on PostgreSQL: each job is one real transaction on a pooled
 * connection, at SERIALIZABLE isolation, so a job's reads and writes behave as if jobs ran one
 * at a time, as they do on SQLite's single connection (two saves of the same group and month in
 * different processes cannot both see "no current one"). A job the server aborts as a
 * serialization failure or deadlock is run again from the start, a few times. No group commit:
 * concurrent transactions on several connections already share the server's WAL flushes.
 */
import { sql, type Kysely } from 'kysely';
import { CHANNEL } from './change-feed.js';
import { compiled, type Row, type WriteContext, type WriteJob, type Writes } from './write-queue.js';

/** serialization_failure, deadlock_detected: safe to run the whole transaction again. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 8;

const errorCode = (e: unknown): unknown => (e as { code?: unknown } | null)?.code;

export class PostgresWrites implements Writes {
  private revisionCount = 0;

  /** `dataChange`: the NOTIFY payload each job that stores data sends in its transaction. */
  constructor(private readonly db: Kysely<any>, private readonly dataChange?: string) {}

  get revision(): number {
    return this.revisionCount;
  }

  bump(): void {
    this.revisionCount++;
  }

  async run<T>(job: WriteJob<T>): Promise<T> {
    try {
      const value = await this.inTransaction(async (w) => {
        const out = await job.work(w);
        // Delivered by PostgreSQL at the commit, and only if the job commits.
        if (!job.bookkeeping && this.dataChange) await w.query(sql`select pg_notify(${CHANNEL}, ${this.dataChange})`.compile(this.db));
        return out;
      });
      if (!job.bookkeeping) this.revisionCount++;
      return value;
    } catch (error) {
      // The failed transaction is over (PostgreSQL aborts it at the first error): the answer is
      // looked up in a fresh one.
      if (!job.recover || RETRYABLE.has(String(errorCode(error)))) throw error;
      return this.inTransaction((w) => job.recover!(error, w));
    }
  }

  private async inTransaction<T>(fn: (w: WriteContext) => T | Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().setIsolationLevel('serializable').execute(async (trx) => {
          const context: WriteContext = {
            db: this.db,
            query: async (q) => (await trx.executeQuery(compiled(q))).rows as Row[],
            run: () => {
              throw new Error('WriteContext.run is synchronous and SQLite-only; on PostgreSQL a job uses `await w.query(…)`.');
            },
          };
          return fn(context);
        });
      } catch (error) {
        if (attempt >= ATTEMPTS || !RETRYABLE.has(String(errorCode(error)))) throw error;
        // A short, growing, jittered pause lets the transaction that won finish first.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }
}
