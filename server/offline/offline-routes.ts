/**
 * Offline use (issue 18): the service worker script, the outbox page ("Kotak Keluar") and what
 * the worker keeps for a phone with no signal (a form version's reader, the account's region
 * lists).
 *
 * The worker is a small one of our own (browser/sw.js), not Workbox. Workbox's `workbox-sw`
 * loads its modules from Google's CDN at run time (a phone in a village, and our CSP, allow only
 * this server), the `workbox-*` modules are ES modules meant for a bundler build (`workbox-build`
 * brings rollup and babel), and its precache manifest is made at build time from files on disk,
 * while our pages are rendered per account and per published form version. What we need is
 * narrow and specific: a cache per form version holding its page and its validator together, so
 * a newly published version replaces both at once; network first for pages with the cache as the
 * fallback; region lists stored under the pickers' own addresses. That is ~200 lines we can read
 * and test, with no run-time dependency. The outbox's IndexedDB goes through `idb` (bundled in).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { page, render } from '../../generators/html/render.js';
import { viewerOf } from '../access.js';
import type { AppDeps } from '../context.js';
import { formOr404, shell } from '../http.js';
import { registryOf } from '../studio/registry.js';
import { outboxBundle, readerBundle, workerBundle } from './bundles.js';
import { regionListsFor } from './region-lists.js';

const JS = 'text/javascript; charset=utf-8';

export function offlineRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  // From the root, so its scope is the whole site; always revalidated, so a new one is found.
  app.get('/sw.js', async (c) => c.body(await workerBundle(), 200, { 'Content-Type': JS, 'Cache-Control': 'no-cache', 'Service-Worker-Allowed': '/' }));

  app.get('/luring/kotak.js', async (c) => c.body(await outboxBundle(), 200, { 'Content-Type': JS, 'Cache-Control': 'no-cache' }));

  app.get('/luring/formulir/:file{[a-z0-9-]+\\.js}', async (c) => {
    const current = formOr404(deps, c.req.param('file').replace(/\.js$/, ''));
    if (current.formKind !== 'form') throw new HTTPException(404, { message: `Formulir "${current.id}" tidak ada.` });
    // The version named by its hash (a page cached before a new version was published), as the validator.
    const model = registryOf(deps.forms)?.byHash(current.id, c.req.query('v') ?? '') ?? current;
    return c.body(await readerBundle(model), 200, { 'Content-Type': JS, 'Cache-Control': 'public, max-age=86400' });
  });

  app.get('/luring/wilayah', async (c) => c.json({ lists: await regionListsFor(deps, viewerOf(c).scope) }));

  // The list itself is on the phone (IndexedDB); the page is its frame and works from the cache.
  app.get('/kotak-keluar', (c) => c.html(page('Kotak Keluar', render('outbox', {}), shell(c))));

  return app;
}
