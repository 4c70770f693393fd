/**
 * Approval up the chain: a district submits its month, the province approves or returns it, and so on; approved periods are locked.
 * The routes of this area and what they need, spread into `ROUTE_ACCESS` (server/access.ts).
 */
import type { Need } from '../route-need.js';

export const APPROVAL_ACCESS: readonly (readonly [method: string, path: string, need: Need])[] = [];
