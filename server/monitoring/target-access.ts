/**
 * Targets and milestones: progress per province and nationally against the quarter's milestone.
 * The routes of this area and what they need, spread into `ROUTE_ACCESS` (server/access.ts).
 * All are for the roles that read reports (`monitor`); the handlers narrow further: rows within
 * the viewer's region, target edits for national staff only, target groups flagged by province
 * and national staff in their region (403 for others).
 */
import type { Need } from '../route-need.js';

const MONITOR: Need = { kind: 'monitor' };

export const TARGET_ACCESS: readonly (readonly [method: string, path: string, need: Need])[] = [
  ['GET', '/pantau/target', MONITOR],
  ['GET', '/pantau/target/kelompok', MONITOR],
  ['GET', '/pantau/target/provinsi.svg', MONITOR],
  ['GET', '/pantau/target/bulanan.svg', MONITOR],
  ['GET', '/pantau/target/ubah', MONITOR],
  ['POST', '/pantau/target/ubah', MONITOR],
  ['GET', '/api/pantau/target.json', MONITOR],
  ['GET', '/api/pantau/target.csv', MONITOR],
  ['GET', '/api/pantau/target/nilai', MONITOR],
  ['POST', '/api/pantau/target/nilai', MONITOR],
  ['GET', '/pantau/sasaran', MONITOR],
  ['POST', '/pantau/sasaran', MONITOR],
  ['POST', '/api/pantau/sasaran', MONITOR],
];
