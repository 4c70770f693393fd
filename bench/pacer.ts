/**
 * A constant-pace load generator, run as its own process by the server benchmark (so that nothing
 * else in that process, such as the previous autocannon run's garbage, delays a request), and
 * used in process for the disk baseline.
 *
 * As a script: `pacer.ts <url> <rate> <seconds> <windows> <settle seconds>` posts the benchmark's
 * K/0 body at `rate` per second, first for the settle time (not measured; prints
 * `{"settled":true}`), then for each window, and prints `{"windows":[PacedResult, …]}`.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { bigK0 } from '../test/support/submissions.js';

/** The benchmark's submission: a K/0 with 10 members. */
export const body = JSON.stringify(bigK0(10, 'UPPKA Beban'));

export interface PacedResult {
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
}

/**
 * Calls `fire` at a constant pace whatever the answers (open loop, like phones that do not wait
 * for each other), each latency counted from the moment its call was due, so a stall counts for
 * every call that queued behind it. Written here because neither load tool at hand does this:
 * autocannon's rate option lets each connection send its quota for the second back to back and
 * then pause (half the rate is the full rate half the time), and loadtest's constant-rate mode
 * opens a new agent and connection whenever its clients are busy, which here showed 140–160 ms
 * clusters that neither the server's own request timings nor either event loop showed.
 */
export async function pace(rate: number, fire: () => Promise<boolean>, seconds: number): Promise<PacedResult> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let failures = 0;
  const start = performance.now();
  const due = (i: number) => start + (i * 1000) / rate;
  let next = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      for (; next < total && due(next) <= performance.now(); next++) {
        const dueAt = due(next);
        inFlight.push(fire().then((ok) => {
          if (!ok) failures++;
          latencies.push(performance.now() - dueAt);
        }));
      }
      if (next < total) setTimeout(tick, Math.max(0, due(next) - performance.now()));
      else done();
    };
    tick();
  });
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]! * 10) / 10;
  return { p50: at(0.5), p99: at(0.99), failures };
}

/** POSTs of the K/0 body at a constant pace over keep-alive connections. */
export async function paced(url: string, rate: number, seconds: number): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(url);
  const length = Buffer.byteLength(body);
  const post = () => new Promise<boolean>((resolve) => {
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': length, 'idempotency-key': randomUUID(), ...(process.env.LEMBAR_BENCH_TOKEN ? { authorization: `Bearer ${process.env.LEMBAR_BENCH_TOKEN}` } : {}) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 201));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
  try {
    return await pace(rate, post, seconds);
  } finally {
    agent.destroy();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [url, rate, seconds, windows, settle] = process.argv.slice(2);
  await paced(url!, Number(rate), Number(settle));
  console.log(JSON.stringify({ settled: true }));
  const results: PacedResult[] = [];
  for (let w = 0; w < Number(windows); w++) results.push(await paced(url!, Number(rate), Number(seconds)));
  console.log(JSON.stringify({ windows: results }));
}
