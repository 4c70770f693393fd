/**
 * Offline use (issue 18): the service worker, the outbox page and what they need.
 * The routes of this area and what they need, spread into `ROUTE_ACCESS` (server/access.ts).
 */
import type { Need } from '../route-need.js';

export const OFFLINE_ACCESS: readonly (readonly [method: string, path: string, need: Need])[] = [];
