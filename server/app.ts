/**
 * The Hono application: middleware (request id, security headers, body limit), the JSON API, the
 * pages, and error handling that turns user mistakes into 4xx and logs the rest with the request id.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { accessGuard, sameOrigin } from './access.js';
import { apiRoutes } from './api.js';
import { adminRoutes } from './auth/admin-routes.js';
import { loginRoutes } from './auth/login-routes.js';
import type { AppDeps } from './context.js';
import { pageRoutes, errorPage } from './pages.js';
import { downloadRoutes } from './download-routes.js';
import { exportRoutes } from './export/export-routes.js';
import { approvalRoutes } from './monitoring/approval-routes.js';
import { targetRoutes } from './monitoring/target-routes.js';
import { timelinessRoutes } from './monitoring/timeliness-routes.js';
import { studioApi } from './studio/studio-api.js';
import { offlineRoutes } from './offline/offline-routes.js';
import { studioPages } from './studio/studio-pages.js';

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(requestId());
  // Weak mobile data: pages, scripts and JSON travel gzipped.
  app.use(compress());
  const headers = (frameAncestors: string) => secureHeaders({
    // Same-origin requests carry their origin (the cross-site check reads it); other sites get none.
    referrerPolicy: 'same-origin',
    xFrameOptions: frameAncestors === "'none'" ? 'DENY' : 'SAMEORIGIN',
    contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: [frameAncestors] },
  });
  const strict = headers("'none'");
  // The studio's preview is framed by the studio's own editor page; nothing else may frame a page.
  const framable = headers("'self'");
  app.use((c, next) => (/^\/studio\/drafts\/[^/]+\/pratinjau$/.test(c.req.path) ? framable(c, next) : strict(c, next)));
  const maxSize = deps.bodyLimit ?? 2 * 1024 * 1024;
  const tooLarge = (c: Context) => (c.header('Connection', 'close'), c.req.path.startsWith('/api/')
    ? c.json({ errors: [{ path: '', label: 'Kiriman', message: 'Kiriman terlalu besar.' }] }, 413)
    // The rest of the body is never read, so the connection can't be reused: tell the client.
    : c.html(errorPage('Kiriman terlalu besar.'), 413));
  const limitStreamed = bodyLimit({ maxSize, onError: tooLarge });
  app.use(async (c, next) => {
    // hono's bodyLimit starts by reading `c.req.raw.body`, which makes @hono/node-server build a
    // full web Request with a stream for every request, GETs included, and takes `c.req.json()`
    // off the adapter's direct read from the socket. A declared length is checked here without
    // that; only a chunked body (no length) goes through bodyLimit, which counts as it reads.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(length) > maxSize ? tooLarge(c) : next();
    }
    return limitStreamed(c, next);
  });
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    deps.log.info('request', { id: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) });
  });

  // Cross-site posts are refused before anything else; then every route passes the access layer.
  app.use(sameOrigin());
  app.use(accessGuard(deps));
  app.route('/', loginRoutes(deps));
  app.route('/', adminRoutes(deps));
  // The approval lock runs in front of the routes that save (it passes them the request), so it
  // is mounted before them.
  app.route('/', approvalRoutes(deps));
  // Downloads first: `/api/submissions/:id.pdf` must win over `/api/submissions/:id`.
  app.route('/', downloadRoutes(deps));
  // Streaming exports win over the API's buffered list download of the same address.
  app.route('/', exportRoutes(deps));
  app.route('/api', apiRoutes(deps));
  app.route('/', timelinessRoutes(deps));
  app.route('/', targetRoutes(deps));
  app.route('/', offlineRoutes(deps));
  app.route('/api/studio', studioApi(deps));
  app.route('/', studioPages(deps));
  app.route('/', pageRoutes(deps));

  app.notFound((c) => (c.req.path.startsWith('/api/')
    ? c.json({ errors: [{ path: '', label: 'Alamat', message: 'Alamat tidak ditemukan.' }] }, 404)
    : c.html(errorPage('Halaman tidak ditemukan.', c), 404)));

  app.onError((err, c) => {
    const api = c.req.path.startsWith('/api/');
    if (err instanceof HTTPException) {
      const message = err.message || 'Permintaan tidak dapat diproses.';
      return api ? c.json({ errors: [{ path: '', label: 'Permintaan', message }] }, err.status) : c.html(errorPage(message, c), err.status);
    }
    deps.log.error('unhandled error', { id: c.get('requestId'), path: c.req.path, error: err.stack ?? String(err) });
    const message = `Terjadi kesalahan di server (kode ${c.get('requestId')}). Data yang sudah tersimpan aman.`;
    return api ? c.json({ errors: [{ path: '', label: 'Server', message }] }, 500) : c.html(errorPage(message), 500);
  });
  return app;
}
