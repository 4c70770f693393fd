/**
 * The load benchmark's real server: `start()` on a temporary database, without demo data. It also
 * times each request inside the server (from Node's http diagnostics channels: request parsed →
 * response finished), so the benchmark can tell the server's own tail from the way there and
 * back. `{ "mark": true }` over IPC starts a window; `{ "report": true }` answers its percentiles and how busy the event loop was.
 */
import { subscribe } from 'node:diagnostics_channel';
import { performance as perf } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAccount } from '../server/auth/auth.js';
import { start } from '../server/main.js';

process.env.LOG_LEVEL = 'silent';
const started = new WeakMap<ServerResponse, number>();
let durations: number[] = [];
let loopSince = perf.eventLoopUtilization();
subscribe('http.server.request.start', (m) => {
  started.set((m as { response: ServerResponse }).response, performance.now());
});
subscribe('http.server.response.finish', (m) => {
  const { response } = m as { request: IncomingMessage; response: ServerResponse };
  const t = started.get(response);
  if (t !== undefined) durations.push(performance.now() - t);
});

const running = await start({ port: 0, hostname: '127.0.0.1', databaseUrl: process.argv[2]!, demo: false });
// The load posts as a real account (a PKB of the village the benchmark's K/0 names), by bearer token.
const password = 'sandi-beban-panjang-2026';
await createAccount(running.auth, { name: 'Beban Uji', role: 'pkb', regions: ['33.74.01.1001'], username: 'beban.uji', password });
const login = await fetch(`http://127.0.0.1:${running.port}/masuk`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ pengguna: 'beban.uji', sandi: password }) });
console.log(JSON.stringify({ port: running.port, token: login.headers.get('set-auth-token') }));
process.on('message', (m: { mark?: boolean; report?: boolean }) => {
  if (m.mark) {
    durations = [];
    loopSince = perf.eventLoopUtilization();
  }
  if (m.report) {
    const sorted = [...durations].sort((a, b) => a - b);
    const at = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN) * 10) / 10;
    // How busy the one thread that reads requests was: what a request arriving at a random
    // moment finds in front of it.
    const busy = perf.eventLoopUtilization(loopSince).utilization;
    process.send?.({ p50: at(0.5), p99: at(0.99), max: at(1), n: sorted.length, busy });
  }
});
process.once('SIGTERM', () => { void running.stop().then(() => process.exit(0)); });
