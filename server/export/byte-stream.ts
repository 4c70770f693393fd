/**
 * A response body written by an async producer that waits whenever the reader is behind: the
 * producer reads its next database page only when the queue has room (the reader — a phone on a
 * weak link — sets the pace), so an export of 100,000 rows holds a few pages, never the file.
 */
import { setImmediate as turn } from 'node:timers/promises';

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
 * hears of the end, with the error unless the reader left; `highWater` is the bytes kept queued.
 */
export function producedStream(produce: (sink: ByteSink) => Promise<void>, onDone?: (error?: unknown) => void, highWater = HIGH_WATER): ReadableStream<Uint8Array> {
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
    async ready() {
      // A turn of the event loop first: SQLite answers synchronously, so without it an export
      // would run from first page to last in one chain of promises, the socket would send
      // nothing until the end and every other request would wait.
      await turn();
      if (gone) throw new ReaderGone();
      if ((controller.desiredSize ?? 0) > 0) return;
      await new Promise<void>((resolve, reject) => { wake = () => (gone ? reject(new ReaderGone()) : resolve()); });
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
  }, { highWaterMark: highWater, size: (chunk) => chunk.byteLength });
}
