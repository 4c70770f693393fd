/** Targets and milestones: progress per province and nationally against the quarter's milestone. */
import { Hono } from 'hono';
import type { AppDeps } from '../context.js';

export function targetRoutes(deps: AppDeps): Hono {
  void deps;
  const app = new Hono();
  return app;
}
