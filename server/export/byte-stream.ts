/**
 * A response body written by an async producer that waits whenever the reader is behind: the
 * producer reads its next database page only when the queue has room (the reader — a phone on a
 * weak link — sets the pace), so an export of 100,000 rows holds a few pages, never the file.
 */

/** Where a writer puts its bytes. */
export interface ByteSink {
  write(chunk: Uint8Array): void;
  /** Resolves when the reader wants more; rejects with ReaderGone when the download was cancelled. */
  ready(): Promise<void>;
}

/** Bytes kept queued before the producer waits (a few pages of output). */
export const HIGH_WATER = 256 * 1024;

export class ReaderGone extends Error {
  constructor() {
    super('The reader cancelled the download.');
  }
}

/**
 * The body `produce` writes: it starts when the stream is first read, ends the stream when it
 * returns and errors it when it throws (a cut download, never a silently short file). `onDone`
 * hears of the end, with the error unless the reader left.
 */
export function producedStream(produce: (sink: ByteSink) => Promise<void>, onDone?: (error?: unknown) => void): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let wake: (() => void) | undefined;
  let started = false;
  let gone = false;
  const resume = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const sink: ByteSink = {
    write(chunk) {
      if (!gone && chunk.byteLength) controller.enqueue(chunk);
    },
    ready() {
      if (gone) return Promise.reject(new ReaderGone());
      if ((controller.desiredSize ?? 0) > 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => { wake = () => (gone ? reject(new ReaderGone()) : resolve()); });
    },
  };
  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    pull() {
      // Called whenever the queue is below the high-water mark; the first call starts the producer.
      if (!started) {
        started = true;
        produce(sink).then(() => {
          if (!gone) controller.close();
          onDone?.();
        }, (e) => {
          if (!gone) controller.error(e);
          onDone?.(e instanceof ReaderGone ? undefined : e);
        });
      }
      resume();
    },
    cancel() {
      gone = true;
      resume();
    },
  }, { highWaterMark: HIGH_WATER, size: (chunk) => chunk.byteLength });
}
