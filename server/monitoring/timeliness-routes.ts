/** Deadlines and timeliness: who has reported for a month, on time or late, and who has not. */
import { Hono } from 'hono';
import type { AppDeps } from '../context.js';

export function timelinessRoutes(deps: AppDeps): Hono {
  void deps;
  const app = new Hono();
  return app;
}
