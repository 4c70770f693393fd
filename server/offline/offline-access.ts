/**
 * Offline use (issue 18): the service worker, the outbox page and what they need.
 * The routes of this area and what they need, spread into `ROUTE_ACCESS` (server/access.ts).
 */
import type { Need } from '../route-need.js';

const PUBLIC: Need = { kind: 'public' };
const SIGNED_IN: Need = { kind: 'signed-in' };

export const OFFLINE_ACCESS: readonly (readonly [method: string, path: string, need: Need])[] = [
  // Code only, no data: the worker must install and the outbox must open even when the session
  // has ended (a phone offline for a week); the outbox lists what is on the phone, not the server.
  ['GET', '/sw.js', PUBLIC],
  ['GET', '/luring/kotak.js', PUBLIC],
  ['GET', '/kotak-keluar', PUBLIC],
  // A form version's reader (form fields → submission JSON), like its validator.
  ['GET', '/luring/formulir/:file', SIGNED_IN],
  // The region lists along the account's own regions, for the pickers with no signal.
  ['GET', '/luring/wilayah', SIGNED_IN],
];
