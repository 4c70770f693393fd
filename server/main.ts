/**
 * `npm start`: publish every definition, load region data (and demo data on the very first
 * start), serve on PORT, and shut down cleanly on SIGTERM once in-flight requests are done.
 */
import { serve } from '@hono/node-server';
import { FORMS_DIR, loadForms, loadRegions, loadTargets, openStore, publishDefinition, validatorFor } from '../engine/index.js';
import { createApp } from './app.js';
import { consoleLogger } from './context.js';
import { seedDemo } from '../demo/seed.js';

export async function start(options: { port?: number; databaseUrl?: string; demo?: boolean; hostname?: string; formsDir?: string } = {}) {
  const log = consoleLogger();
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL ?? 'data/lembar.sqlite';
  const demo = options.demo ?? process.env.LEMBAR_DEMO !== '0';
  const formsDir = options.formsDir ?? FORMS_DIR;
  const forms = loadForms(formsDir);
  // Many phones post at once: let their saves share commits.
  const store = openStore(databaseUrl, {
    groupCommit: true,
    backgroundCheckpoints: true,
    onBackgroundError: (message) => log.error('background checkpoint failed', { message }),
  });
  // Group cards first: registers and reports reference their table.
  const ordered = [...forms.values()].sort((a, b) => Number(a.formKind === 'report') - Number(b.formKind === 'report') || a.id.localeCompare(b.id));
  for (const model of ordered) {
    await publishDefinition(store, model);
    validatorFor(model); // compile now, not on the first submission
  }
  await loadRegions(store);
  if (demo) {
    const added = await seedDemo(store, forms);
    if (added) log.info('demo data loaded', { submissions: added });
  }
  const app = createApp({ store, forms, targets: loadTargets(formsDir), log });
  const server = serve({ fetch: app.fetch, port, hostname: options.hostname ?? process.env.HOST ?? '0.0.0.0' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`Lembar berjalan di http://localhost:${actualPort} (basis data: ${databaseUrl})`);

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
  return { port: actualPort, app, store, stop };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await start();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => { void running.stop().then(() => process.exit(0)); });
  }
}
