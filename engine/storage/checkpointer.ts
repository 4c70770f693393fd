/**
 * Checkpoints mostly off the request thread. In WAL mode SQLite copies committed pages from the
 * WAL into the database file in a checkpoint; by default the commit that finds 1,000 pages in the
 * WAL does all the copying, and that commit, with every request queued behind it on the event
 * loop, waits for about 4 MB of scattered writes and the database file's fsync (5–18 ms here,
 * several times a second at half the server's peak rate).
 *
 * Here a worker thread with its own connection (checkpoint-worker.cjs) copies frames every few
 * milliseconds, so when the writer's own automatic checkpoint comes due nearly everything has been
 * copied and it only finishes the last frames. That last step stays with the writer on purpose:
 * the WAL starts over from its beginning only when a write begins with every frame copied, which
 * a checkpointer racing the writer's next commit rarely achieves; without restarts the WAL grows
 * without bound and each commit's fsync gets slower.
 *
 * Measured with `npm run bench -- server` (request times inside the server, over the paced
 * windows at half the peak rate): p99 6.4 and 7.7 ms with it, 9.8 and 11.1 ms without.
 * Durability is unchanged: every commit still syncs the WAL (synchronous=FULL).
 */
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  /** WAL frames the worker has copied into the database file so far (summed over WAL restarts). */
  readonly framesCopied: number;
  /** Stops the worker and closes its connection; the main connection closes after it. */
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, onError: (message: string) => void, everyMs = 20): Checkpointer {
  const worker = new Worker(new URL('./checkpoint-worker.cjs', import.meta.url), { workerData: { path, everyMs } });
  // Never keeps the process alive on its own: the store's close() stops it.
  worker.unref();
  let framesCopied = 0;
  let lastReported = 0;
  worker.on('message', (m: { error?: string; checkpointed?: number }) => {
    if (m.error) onError(m.error);
    if (m.checkpointed !== undefined) {
      // The count starts over when the WAL does.
      framesCopied += m.checkpointed > lastReported ? m.checkpointed - lastReported : m.checkpointed;
      lastReported = m.checkpointed;
    }
  });
  worker.on('error', (e) => onError(e.message));
  let stopped: Promise<void> | undefined;
  return {
    get framesCopied() {
      return framesCopied;
    },
    stop: () => (stopped ??= new Promise<void>((resolve) => {
      worker.on('message', (m: { stopped?: boolean }) => {
        if (m.stopped) void worker.terminate().then(() => resolve());
      });
      worker.on('exit', () => resolve());
      worker.postMessage('stop');
    })),
  };
}
