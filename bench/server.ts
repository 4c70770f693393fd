/**
 * Load benchmark: K/0 submissions (10 members, a fresh Idempotency-Key each) posted from this
 * process to the real server running in another. The floor combines two baselines measured in
 * the same run: a bare Hono handler that only parses the same body (echo), and an in-process loop
 * of parse + compiled validate + one insert transaction (loop), as 1/(1/echo + 1/loop).
 *
 * Peak throughput comes from autocannon (closed loop, 10 connections). p99 at half the peak rate
 * comes from loadtest's constant-rate mode: one request every 1/rate seconds whatever the answers
 * (open loop, like phones that do not wait for each other). autocannon's own rate option is not
 * used for that: it lets each connection send its whole quota for the second back to back and
 * then pauses, so "half the rate" is the full rate half the time, and it back-fills one synthetic
 * sample per millisecond of every slow answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { loadTest } from 'loadtest';
import { loadForms, validatorFor } from '../engine/index.js';
import { loadRegions, openStore, publishDefinition, saveSubmission } from '../engine/storage/index.js';
import { bigK0 } from '../test/support/submissions.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const body = JSON.stringify(bigK0(10, 'UPPKA Beban'));

async function child(script: string, args: string[] = []): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: proc.stdout! }).on('line', (l) => { if (l.startsWith('{')) resolve(l); }));
  return { proc, port: (JSON.parse(line) as { port: number }).port };
}

function load(url: string, options: { connections: number; duration?: number }): Promise<autocannon.Result> {
  return autocannon({
    url, method: 'POST', duration: options.duration ?? DURATION, connections: options.connections,
    headers: { 'content-type': 'application/json' }, body,
    requests: [{ setupRequest: (req: any) => ({ ...req, headers: { ...req.headers, 'idempotency-key': randomUUID() } }) }],
  } as autocannon.Options);
}

interface PacedResult {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/** Requests at a constant rate (open loop), latency percentiles in whole milliseconds. */
async function paced(url: string, rate: number): Promise<PacedResult> {
  // The package's typings still describe the callback form only; that form is used.
  const result = await new Promise<{ rps: number; percentiles: Record<string, number>; totalErrors: number }>((resolve, reject) => {
    loadTest({
      url, method: 'POST', requestsPerSecond: rate, maxSeconds: DURATION, agentKeepAlive: true, quiet: true,
      body, contentType: 'application/json',
      // loadtest 8 calls the generator as (options, params, request, callback).
      requestGenerator: (_options: unknown, params: { headers: Record<string, string> }, request: (p: unknown, cb: unknown) => unknown, callback: unknown) => {
        params.headers['idempotency-key'] = randomUUID();
        return request(params, callback);
      },
    }, (error: unknown, r: never) => (error ? reject(error) : resolve(r)));
  });
  return { rate: result.rps, p50: result.percentiles['50'] ?? NaN, p99: result.percentiles['99'] ?? NaN, errors: result.totalErrors };
}

async function loop(dir: string): Promise<number> {
  const forms = loadForms();
  const store = openStore(join(dir, 'loop.sqlite'));
  for (const m of forms.values()) await publishDefinition(store, m);
  await loadRegions(store);
  const model = forms.get('k0-uppka')!;
  validatorFor(model);
  const end = performance.now() + DURATION * 1000;
  let n = 0;
  while (performance.now() < end) {
    await saveSubmission(store, model, { id: randomUUID(), data: JSON.parse(body) });
    n++;
  }
  await store.close();
  return n / DURATION;
}

export async function benchServer(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lembar-bench-server-'));
  try {
    const echoServer = await child('./server-echo.ts');
    await load(`http://127.0.0.1:${echoServer.port}/echo`, { connections: 10, duration: 2 }); // warm-up
    const echo = await load(`http://127.0.0.1:${echoServer.port}/echo`, { connections: 10 });
    const echoUrl = `http://127.0.0.1:${echoServer.port}/echo`;
    const loopRate = await loop(dir);
    const floor = 1 / (1 / echo.requests.average + 1 / loopRate);

    const app = await child('./server-app.ts', [join(dir, 'app.sqlite')]);
    const url = `http://127.0.0.1:${app.port}/api/forms/k0-uppka/submissions`;
    await load(url, { connections: 10, duration: 2 }); // warm-up: JIT, page cache
    const peak = await load(url, { connections: 10 });
    const halfRate = Math.max(1, Math.floor(peak.requests.average / 2));
    const half = await paced(url, halfRate);
    app.proc.kill('SIGTERM');
    // The same constant rate on the echo server: what this machine's network stack, scheduler
    // and load generator alone cost at the tail, for reading the p99 above.
    const echoHalf = await paced(echoUrl, halfRate);
    echoServer.proc.kill('SIGTERM');

    const failures = peak.non2xx + peak.errors + half.errors;
    console.log('## Server load (POST /api/forms/k0-uppka/submissions, K/0 with 10 members)');
    console.log(`  echo (bare Hono, parse only): ${echo.requests.average.toFixed(0)} req/s`);
    console.log(`  loop (parse + validate + insert, in process): ${loopRate.toFixed(0)} /s`);
    console.log(`  floor 1/(1/echo + 1/loop): ${floor.toFixed(0)} /s`);
    console.log(`  server: ${peak.requests.average.toFixed(0)} submissions/s, p99 ${peak.latency.p99} ms at peak (autocannon, 10 connections); ratio to floor ${(peak.requests.average / floor).toFixed(2)} (aim ≥ 0.75)`);
    console.log(`  at half the peak rate, ${halfRate}/s at a constant pace (loadtest, sent ${half.rate}/s): p50 ${half.p50} ms, p99 ${half.p99} ms (aim < 10 ms); the echo server at the same pace: p50 ${echoHalf.p50} ms, p99 ${echoHalf.p99} ms`);
    if (failures) console.log(`  WARNING: ${failures} requests failed or were not 2xx`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
