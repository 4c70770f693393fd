/**
 * How saves reach the database. Each save is atomic; what differs is how many share a commit.
 *
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
 * Either way every promise settles only after the COMMIT has returned, so an acknowledged write is
 * on disk. Statements are built with kysely and run through the store's synchronous executor, so a
 * batch runs start to commit without yielding: nothing else can use the connection in between.
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/** Runs a statement built by kysely directly on the connection, synchronously (SQLite). */
export interface SyncExecutor {
  run(query: CompiledQuery): Record<string, unknown>[];
}

export type Row = Record<string, unknown>;

/** What a write sees: kysely to build statements, and `run` to execute them in its transaction. */
export interface WriteContext {
  readonly db: Kysely<any>;
  run(query: Compilable | CompiledQuery): Row[];
}

export interface WriteJob<T> {
  /** The writes; run in their own transaction, or in a savepoint of the batch's (group commit). */
  readonly work: (w: WriteContext) => T;
  /** Called after the work was rolled back: may answer instead (a retried UUID), or throw. */
  readonly recover?: (error: unknown, w: WriteContext) => T;
  /** Not data (an audit entry): committing it leaves the data revision, and cached artefacts, as they are. */
  readonly bookkeeping?: boolean;
}

interface Pending {
  readonly job: WriteJob<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 200;
const raw = (text: string) => CompiledQuery.raw(text);

export class WriteQueue {
  private pending: Pending[] = [];
  private running = false;
  private revisionCount = 0;

  /**
   * Goes up with every commit that stored something: cached artefacts (PDFs, CSVs) made from
   * the data are keyed by it, so the next save makes them stale.
   */
  get revision(): number {
    return this.revisionCount;
  }

  /** A write outside the queue (a status change, a migration) changed the data. */
  bump(): void {
    this.revisionCount++;
  }
  private readonly context: WriteContext;

  constructor(db: Kysely<any>, private readonly executor: SyncExecutor, private readonly groupCommit: boolean) {
    this.context = { db, run: (q) => executor.run('compile' in q ? q.compile() : q) };
  }

  run<T>(job: WriteJob<T>): Promise<T> {
    if (!this.groupCommit) {
      const o = this.runAlone({ job: job as WriteJob<unknown> });
      return o.ok ? Promise.resolve(o.value as T) : Promise.reject(o.error);
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ job: job as WriteJob<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        // Let the requests that arrived in the same turn of the event loop join this batch (a
        // microtask would start before their handlers run, and every batch would hold one write).
        setImmediate(() => this.drain());
      }
    });
  }

  private drain(): void {
    while (this.pending.length) {
      const batch = this.pending.splice(0, MAX_BATCH);
      const outcomes = batch.length === 1 ? [this.runAlone(batch[0]!)] : this.runBatch(batch);
      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
    }
    this.running = false;
  }

  private exec(text: string): void {
    this.executor.run(raw(text));
  }

  private runBatch(batch: readonly Pending[]): Outcome[] {
    const outcomes: Outcome[] = [];
    this.exec('begin');
    try {
      for (const [i, p] of batch.entries()) {
        const sp = `w${i}`;
        this.exec(`savepoint ${sp}`);
        try {
          const value = p.job.work(this.context);
          this.exec(`release savepoint ${sp}`);
          outcomes.push({ ok: true, value });
        } catch (error) {
          this.exec(`rollback to savepoint ${sp}`);
          this.exec(`release savepoint ${sp}`);
          outcomes.push(this.recover(p, error));
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
  private runAlone(p: Pick<Pending, 'job'>): Outcome {
    this.exec('begin');
    try {
      const value = p.job.work(this.context);
      this.exec('commit');
      if (!p.job.bookkeeping) this.revisionCount++;
      return { ok: true, value };
    } catch (error) {
      this.rollbackQuietly();
      if (!p.job.recover) return { ok: false, error };
      this.exec('begin');
      try {
        const outcome = this.recover(p, error);
        this.exec('commit');
        return outcome;
      } catch (e) {
        this.rollbackQuietly();
        return { ok: false, error: e };
      }
    }
  }

  private recover(p: Pick<Pending, 'job'>, error: unknown): Outcome {
    if (!p.job.recover) return { ok: false, error };
    try {
      return { ok: true, value: p.job.recover(error, this.context) };
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
