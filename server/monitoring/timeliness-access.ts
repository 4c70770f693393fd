/**
 * Deadlines and timeliness: who has reported for a month, on time or late, and who has not.
 * The routes of this area and what they need, spread into `ROUTE_ACCESS` (server/access.ts).
 */
import type { Need } from '../route-need.js';

const MONITOR: Need = { kind: 'monitor' };

export const TIMELINESS_ACCESS: readonly (readonly [method: string, path: string, need: Need])[] = [
  ['GET', '/pantau/ketepatan', MONITOR],
  ['GET', '/api/pantau/ketepatan.json', MONITOR],
  ['GET', '/api/pantau/ketepatan.csv', MONITOR],
];
