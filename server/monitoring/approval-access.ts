/**
 * Approval up the chain: a district submits its month, the province approves or returns it, and so on; approved periods are locked.
 * The routes of this area and what they need, spread into `ROUTE_ACCESS` (server/access.ts).
 * The lock runs in front of the save routes, which keep their own declarations.
 */
import type { Need } from '../route-need.js';

const MONITOR: Need = { kind: 'monitor' };

export const APPROVAL_ACCESS: readonly (readonly [method: string, path: string, need: Need])[] = [
  ['GET', '/pantau/persetujuan', MONITOR],
  ['POST', '/pantau/persetujuan', MONITOR],
  ['GET', '/api/pantau/persetujuan', MONITOR],
  ['POST', '/api/pantau/persetujuan', MONITOR],
];
