/**
 * Load benchmark: K/0 submissions (10 members, a fresh Idempotency-Key each) posted from this
 * process to the real server running in another. The floor combines two baselines measured in
 * the same run: a bare Hono handler that only parses the same body (echo), and an in-process loop
 * of parse + compiled validate + one insert transaction (loop), as 1/(1/echo + 1/loop).
 *
 * Peak throughput comes from autocannon (closed loop, 10 connections). p99 at half the peak rate
 * comes from pacer.ts in a process of its own: one request every 1/rate seconds whatever the
 * answers, latency from each request's due time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { loadForms, validatorFor } from '../engine/index.js';
import { loadRegions, openStore, publishDefinition, saveSubmission, tablesFor } from '../engine/storage/index.js';
import { rawInserter, rawRows } from './raw-insert.js';
import { body, pace, type PacedResult } from './pacer.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const WINDOWS = 3;
/**
 * A rate at which the server is idle most of the time: what its tail is when nothing queues, to
 * tell load from this machine's own latency tail when reading the p99 at half the peak rate.
 */
const LOW_RATE = 100;

/** Runs pacer.ts against `url`; `onSettled` runs between its settling time and its windows. */
function pacedInChild(url: string, rate: number, onSettled: () => void = () => undefined): Promise<PacedResult[]> {
  const script = fileURLToPath(new URL('./pacer.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', script, url, String(rate), String(DURATION), String(WINDOWS), '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const message = JSON.parse(line) as { settled?: boolean; windows?: PacedResult[] };
      if (message.settled) onSettled();
      if (message.windows) resolve(message.windows);
    });
    proc.on('exit', (code) => reject(new Error(`pacer exited with ${code}`)));
  });
}

async function child(script: string, args: string[] = []): Promise<{ proc: ChildProcess; port: number; token?: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  // A child that dies before it listens (a startup error, printed on stderr) ends the run.
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (l) => { if (l.startsWith('{')) resolve(l); });
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it listened`)));
  });
  const started = JSON.parse(line) as { port: number; token?: string };
  // The app's load is sent by a real account: its bearer token goes to autocannon and the pacer.
  if (started.token) process.env.LEMBAR_BENCH_TOKEN = started.token;
  return { proc, port: started.port, token: started.token };
}

function load(url: string, options: { connections: number; duration?: number }): Promise<autocannon.Result> {
  return autocannon({
    url, method: 'POST', duration: options.duration ?? DURATION, connections: options.connections,
    headers: { 'content-type': 'application/json', ...(process.env.LEMBAR_BENCH_TOKEN ? { authorization: `Bearer ${process.env.LEMBAR_BENCH_TOKEN}` } : {}) }, body,
    requests: [{ setupRequest: (req: any) => ({ ...req, headers: { ...req.headers, 'idempotency-key': randomUUID() } }) }],
  } as autocannon.Options);
}

/**
 * The disk's own tail at the same pace: the same rows inserted with raw better-sqlite3 prepared
 * statements, one transaction and fsync each (synchronous=FULL), in this process. No server with
 * durable acknowledgements answers faster than its disk syncs.
 */
async function diskPaced(dir: string, rate: number, windows: number): Promise<PacedResult[]> {
  const file = join(dir, 'disk.sqlite');
  const setup = openStore(file);
  const model = loadForms().get('k0-uppka')!;
  await publishDefinition(setup, model);
  await loadRegions(setup);
  const tables = await tablesFor(setup, model);
  await setup.close();
  const raw = rawInserter(file, tables);
  const data = JSON.parse(body) as unknown;
  const insertOne = () => {
    const [rows] = rawRows(tables, [{ id: randomUUID(), data }]);
    raw.save(rows!);
    return Promise.resolve(true);
  };
  try {
    const results: PacedResult[] = [];
    for (let w = 0; w < windows; w++) results.push(await pace(rate, insertOne, DURATION));
    return results;
  } finally {
    raw.close();
  }
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
    // Several windows: on a shared machine one disk hiccup decides a window's p99, and the spread
    // between windows shows how much.
    // The pacer settles at the new pace first (the peak run leaves a WAL to checkpoint and garbage
    // to collect); the server's own timing starts with the measured windows.
    const half = await pacedInChild(url, halfRate, () => app.proc.send({ mark: true }));
    const inside = await new Promise<{ p50: number; p99: number; max: number; busy: number }>((resolve) => {
      app.proc.once('message', (m) => resolve(m as { p50: number; p99: number; max: number; busy: number }));
      app.proc.send({ report: true });
    });
    const low = await pacedInChild(url, LOW_RATE);
    app.proc.kill('SIGTERM');
    // The same constant rate on the echo server: what this machine's network stack, scheduler
    // and load generator alone cost at the tail, for reading the p99 above.
    const echoHalf = await pacedInChild(echoUrl, halfRate);
    const echoLow = await pacedInChild(echoUrl, LOW_RATE);
    echoServer.proc.kill('SIGTERM');
    const diskHalf = await diskPaced(dir, halfRate, WINDOWS);

    const failures = peak.non2xx + peak.errors + [...half, ...low].reduce((n, h) => n + h.failures, 0);
    const windows = (rs: readonly PacedResult[], key: 'p50' | 'p99') => rs.map((r) => r[key]).join(' / ');
    console.log('## Server load (POST /api/forms/k0-uppka/submissions, K/0 with 10 members)');
    console.log(`  echo (bare Hono, parse only): ${echo.requests.average.toFixed(0)} req/s`);
    console.log(`  loop (parse + validate + insert, in process): ${loopRate.toFixed(0)} /s`);
    console.log(`  floor 1/(1/echo + 1/loop): ${floor.toFixed(0)} /s`);
    console.log(`  server: ${peak.requests.average.toFixed(0)} submissions/s, p99 ${peak.latency.p99} ms at peak (autocannon, 10 connections); ratio to floor ${(peak.requests.average / floor).toFixed(2)} (aim ≥ 0.75)`);
    console.log(`  at half the peak rate, ${halfRate}/s at a constant pace (open loop, latency from each request's due time), ${WINDOWS} windows of ${DURATION} s:`);
    console.log(`    server: p50 ${windows(half, 'p50')} ms, p99 ${windows(half, 'p99')} ms (aim < 10 ms)`);
    console.log(`    inside the server (request parsed → response finished, all windows): p50 ${inside.p50} ms, p99 ${inside.p99} ms, max ${inside.max} ms; event loop busy ${Math.round(inside.busy * 100)}% of the time`);
    console.log(`    echo server: p50 ${windows(echoHalf, 'p50')} ms, p99 ${windows(echoHalf, 'p99')} ms`);
    console.log(`    the disk (raw inserts of the same rows, one transaction and fsync each, in process): p50 ${windows(diskHalf, 'p50')} ms, p99 ${windows(diskHalf, 'p99')} ms`);
    console.log(`  at a low rate, ${LOW_RATE}/s (the server idle most of the time; nothing queues), ${WINDOWS} windows of ${DURATION} s:`);
    console.log(`    server: p50 ${windows(low, 'p50')} ms, p99 ${windows(low, 'p99')} ms`);
    console.log(`    echo server: p50 ${windows(echoLow, 'p50')} ms, p99 ${windows(echoLow, 'p99')} ms`);
    if (failures) console.log(`  WARNING: ${failures} requests failed or were not 2xx`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
