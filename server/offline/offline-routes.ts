/** Offline use (issue 18): the service worker script, the outbox page ("Kotak Keluar"). */
import { Hono } from 'hono';
import type { AppDeps } from '../context.js';

export function offlineRoutes(deps: AppDeps): Hono {
  void deps;
  const app = new Hono();
  return app;
}
