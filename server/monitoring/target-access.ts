/**
 * Targets and milestones: progress per province and nationally against the quarter's milestone.
 * The routes of this area and what they need, spread into `ROUTE_ACCESS` (server/access.ts).
 */
import type { Need } from '../route-need.js';

export const TARGET_ACCESS: readonly (readonly [method: string, path: string, need: Need])[] = [];
