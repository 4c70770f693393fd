/**
 * `npm start`: publish every definition, load region data (and demo data on the very first
 * start), serve on PORT, and shut down cleanly on SIGTERM once in-flight requests are done.
 */
import { serve } from '@hono/node-server';
import { ensureApprovalTables, ensureTargetTables, FORMS_DIR, followChanges, loadRegions, loadTargets, openStore } from '../engine/index.js';
import { createApp } from './app.js';
import { consoleLogger } from './context.js';
import { seedDemo } from '../demo/seed.js';
import { seedDemoAccounts } from '../demo/accounts.js';
import { ensureAuditTable } from './audit.js';
import { createAuth } from './auth/auth.js';
import { publishForms } from './publish.js';
import { oneAtATime } from './startup-lock.js';
import { followPublications } from './studio/follow-publications.js';
import { followSessions } from './auth/session-cache.js';
import { ensureLoginLimitTable } from './auth/rate-limit.js';
import type { Server } from 'node:http';
import { applyLimits, connectionLimits, serverOptions } from './timeouts.js';

export async function start(options: { port?: number; databaseUrl?: string; demo?: boolean; hostname?: string; formsDir?: string } = {}) {
  const log = consoleLogger();
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? 'data/lembar.sqlite';
  const demo = options.demo ?? process.env.LEMBAR_DEMO !== '0';
  const formsDir = options.formsDir ?? FORMS_DIR;
  // DATABASE_URL: postgres://user@host/db for PostgreSQL; a file path (or nothing) for SQLite.
  // Many phones post at once: on SQLite, let their saves share commits.
  const store = openStore(databaseUrl, {
    groupCommit: true,
    backgroundCheckpoints: true,
    onBackgroundError: (message) => log.error('background failure', { message }),
    // Several processes may serve one PostgreSQL database: each follows what the others change.
    followChanges: true,
  });
  followChanges(store);
  // Processes starting together take turns at creating and migrating tables (see startup-lock.ts).
  const { forms, refused, auth } = await oneAtATime(store, async () => {
    const published = await publishForms(store, formsDir);
    await loadRegions(store);
    // Every table the server would otherwise make on first use, made here: two processes making
    // one at the same moment on PostgreSQL would collide (found by test/multi-process.test.ts).
    await ensureAuditTable(store);
    await ensureLoginLimitTable(store);
    await ensureApprovalTables(store);
    await ensureTargetTables(store);
    const auth = await createAuth(store, { baseURL: process.env.PUBLIC_URL ?? `http://localhost:${port}` });
    if (demo) {
      const added = await seedDemo(store, published.forms);
      if (added) log.info('demo data loaded', { submissions: added });
      const accounts = await seedDemoAccounts(store, auth);
      if (accounts.length && process.env.LOG_LEVEL !== 'silent') {
        console.log(`Akun demo (hanya untuk mode demo):\n${accounts.map((a) => `  ${a.role.padEnd(10)} ${a.username.padEnd(16)} sandi: ${a.password}`).join('\n')}`);
      }
    }
    return { ...published, auth };
  });
  await followPublications(store, forms, (message) => log.error('studio version not installed', { message }), formsDir);
  followSessions(store, (message) => log.error('sessions', { message }));
  for (const r of refused) {
    // For the staff who edit definitions: what is left out and why, never a stack trace.
    if (process.env.LOG_LEVEL === 'silent') break;
    console.error(`Definisi "${r.form}" tidak diterbitkan:\n${r.reasons.map((x) => `  - ${x}`).join('\n')}`);
  }
  const app = createApp({ store, forms, targets: loadTargets(formsDir), log, auth });
  // Timeouts and a connection cap for weak mobile links (see timeouts.ts).
  const limits = connectionLimits();
  const server = serve({ fetch: app.fetch, port, hostname: options.hostname ?? process.env.HOST ?? '0.0.0.0', serverOptions: serverOptions(limits) });
  applyLimits(server as Server, limits);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`Lembar berjalan di http://localhost:${actualPort} (basis data: ${withoutPassword(databaseUrl)})`);

  let closing: Promise<void> | undefined;
  const stop = () => (closing ??= new Promise<void>((resolve) => {
    log.info('shutting down');
    // close() stops accepting and waits for open requests: every acknowledged save is committed.
    server.close(async () => {
      await store.close();
      resolve();
    });
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  }));
  return { port: actualPort, app, store, forms, auth, stop, refused };
}

/** The database named for the log without its password (postgres://user:secret@host → user:***@host). */
function withoutPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await start().catch((e: Error) => {
    // A port in use or an unreadable database: say so, without a stack trace.
    console.error(`Lembar tidak dapat berjalan: ${e.message}`);
    process.exit(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => { void running.stop().then(() => process.exit(0)); });
  }
}
