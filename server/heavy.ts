/**
 * Heavy downloads (PDFs, CSVs) off the request thread: rendered in a capped worker pool
 * (piscina), each artefact cached by what it was made from, and identical requests in flight
 * sharing one rendering. A full queue is a 503 with `Retry-After` and an Indonesian message,
 * so twenty province PDFs at once never keep a `GET /api/forms` waiting.
 *
 * Cache keys are chosen by the routes: a report by its definition, parameters, paper and the
 * store's data revision (any save makes it stale); a filled form by the content it prints.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { LRUCache } from 'lru-cache';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Store } from '../engine/index.js';
import type { Artefact } from '../generators/outputs.js';
import type { RenderJob } from '../generators/render-task.js';

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isSafeInteger(v) && v >= 0 ? v : fallback;
};

/** Seconds a client is asked to wait before trying again when the queue is full. */
export const RETRY_AFTER_S = 10;

let pool: Piscina | undefined;
function renderPool(): Piscina {
  // One core stays with the request thread; the pool gets the rest (one on this 2-core server).
  pool ??= new Piscina({
    filename: new URL('../generators/render-worker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: envInt('RENDER_THREADS', Math.max(1, availableParallelism() - 1)),
    // Jobs waiting beyond the running ones; past this a request is answered 503 at once.
    maxQueue: envInt('RENDER_QUEUE', 6),
    idleTimeout: 60_000,
  });
  return pool;
}

const cache = new LRUCache<string, Uint8Array | string>({
  maxSize: envInt('ARTEFACT_CACHE_BYTES', 64 * 1024 * 1024),
  sizeCalculation: (v) => Math.max(1, typeof v === 'string' ? v.length * 2 : v.byteLength),
});
const inFlight = new Map<string, Promise<Artefact>>();

const storeIds = new WeakMap<Store, number>();
let nextStoreId = 1;
/** A store's data revision, with the store's own number (several servers share a test process). */
export function dataRevision(store: Store): string {
  let id = storeIds.get(store);
  if (id === undefined) storeIds.set(store, (id = nextStoreId++));
  return `${id}.${store.writes.revision}`;
}

/** Counters for tests: renderings done in the pool, answers served from the cache. */
export const heavyStats = { rendered: 0, cached: 0, refused: 0 };

const queueFull = (e: unknown) => e instanceof Error && /queue is at limit|Task queue is at limit/i.test(e.message);

/**
 * The artefact for `key`: from the cache, from a rendering in flight, or rendered in the pool
 * from the job `make` builds (only called on a miss). `key` undefined: rendered in the pool, not
 * kept (a list whose content differs by viewer). Throws a 503 when the pool is full.
 */
export async function artefact(c: Context, key: string | undefined, make: () => Promise<RenderJob>): Promise<Artefact> {
  if (key === undefined) {
    const p = renderPool();
    if (p.queueSize >= p.options.maxQueue) throw busy(c);
    try {
      const out = (await p.run(await make())) as Artefact;
      heavyStats.rendered++;
      return typeof out === 'string' ? out : new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch (e) {
      if (queueFull(e)) throw busy(c);
      throw e;
    }
  }
  const hit = cache.get(key);
  if (hit !== undefined) {
    heavyStats.cached++;
    c.header('X-Lembar-Cache', 'hit');
    return hit;
  }
  let running = inFlight.get(key);
  if (!running) {
    const p = renderPool();
    // Refuse before building the job (a report roll-up) when nothing could take it.
    if (p.queueSize >= p.options.maxQueue) throw busy(c);
    running = (async () => {
      const job = await make();
      const out = (await p.run(job)) as Artefact;
      heavyStats.rendered++;
      // A Buffer from the worker arrives as a Uint8Array; keep it as the routes send it.
      const body = typeof out === 'string' ? out : new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      cache.set(key, body);
      return body;
    })();
    inFlight.set(key, running);
    void running.then(() => inFlight.delete(key), () => inFlight.delete(key));
  }
  try {
    const body = await running;
    c.header('X-Lembar-Cache', 'miss');
    return body;
  } catch (e) {
    if (queueFull(e)) throw busy(c);
    throw e;
  }
}

function busy(c: Context): HTTPException {
  heavyStats.refused++;
  c.header('Retry-After', String(RETRY_AFTER_S));
  return new HTTPException(503, { message: `Server sedang menyiapkan banyak berkas. Coba lagi dalam ${RETRY_AFTER_S} detik.` });
}

/** Stops the pool's threads (the server's shutdown). */
export async function closeHeavy(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}

/** The names of `codes` as plain data for a worker (the namer's look-up runs here, once). */
export async function namesOf(namer: (codes: Iterable<string>) => Promise<(code: string) => string | undefined>, codes: readonly string[]): Promise<Record<string, string>> {
  const name = await namer(codes);
  return Object.fromEntries(codes.flatMap((code) => {
    const n = name(code);
    return n === undefined ? [] : [[code, n]];
  }));
}
