/**
 * Group commit: writes that arrive together share one transaction, and so one fsync, while each
 * stays atomic on its own inside a savepoint. A write whose statements fail is rolled back to its
 * savepoint and answered with its error; the others commit. Every promise settles only after the
 * COMMIT has returned, so an acknowledged write is on disk.
 *
 * Why: with synchronous=FULL the commit's fsync is most of a save's cost, and phones post in
 * bursts; one fsync per batch instead of per submission multiplies throughput under load.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';

export interface WriteJob<T> {
  /** The writes; runs inside a savepoint of the batch's transaction. */
  readonly work: (trx: Transaction<any>) => Promise<T>;
  /** Called after the savepoint was rolled back: may answer instead (a retried UUID), or throw. */
  readonly recover?: (error: unknown, trx: Transaction<any>) => Promise<T>;
}

interface Pending {
  readonly job: WriteJob<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 200;

export class WriteQueue {
  private pending: Pending[] = [];
  private running = false;

  constructor(private readonly db: Kysely<any>) {}

  run<T>(job: WriteJob<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ job: job as WriteJob<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        // Let the requests that arrived in the same turn of the event loop join this batch (a
        // microtask would start before their handlers run, and every batch would hold one write).
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, MAX_BATCH);
      if (batch.length === 1) {
        await this.runAlone(batch[0]!);
        continue;
      }
      const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const [i, p] of batch.entries()) {
            const sp = `w${i}`;
            await trx.executeQuery(CompiledQuery.raw(`savepoint ${sp}`));
            try {
              const value = await p.job.work(trx);
              await trx.executeQuery(CompiledQuery.raw(`release savepoint ${sp}`));
              outcomes.push({ ok: true, value });
            } catch (error) {
              await trx.executeQuery(CompiledQuery.raw(`rollback to savepoint ${sp}`));
              await trx.executeQuery(CompiledQuery.raw(`release savepoint ${sp}`));
              if (!p.job.recover) {
                outcomes.push({ ok: false, error });
                continue;
              }
              try {
                outcomes.push({ ok: true, value: await p.job.recover(error, trx) });
              } catch (translated) {
                outcomes.push({ ok: false, error: translated });
              }
            }
          }
        });
      } catch (commitError) {
        // The transaction itself failed (disk full, I/O error): nothing of this batch is stored.
        for (const p of batch) p.reject(commitError);
        continue;
      }
      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
    }
    this.running = false;
  }

  /** A write with no company needs no savepoint: its own transaction is its atomic unit. */
  private async runAlone(p: Pending): Promise<void> {
    try {
      p.resolve(await this.db.transaction().execute((trx) => p.job.work(trx)));
    } catch (error) {
      if (!p.job.recover) return p.reject(error);
      try {
        const recover = p.job.recover;
        p.resolve(await this.db.transaction().execute((trx) => recover(error, trx)));
      } catch (translated) {
        p.reject(translated);
      }
    }
  }
}
