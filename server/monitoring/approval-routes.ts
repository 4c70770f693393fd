/** Approval up the chain: a district submits its month, the province approves or returns it, and so on; approved periods are locked. */
import { Hono } from 'hono';
import type { AppDeps } from '../context.js';

export function approvalRoutes(deps: AppDeps): Hono {
  void deps;
  const app = new Hono();
  return app;
}
