/**
 * The region lists a phone needs to fill its account's forms with no signal: every list along the
 * way from the top to each of the account's regions, and the lists below them (a PKB's
 * kecamatan: its villages and their Kampung KB). The service worker stores each list under the
 * address the pickers ask (`/api/regions?parent=<kode>`), so the page's code stays as it is.
 */
import { REGION_LEVELS, regionChildren, type Region } from '../../engine/index.js';
import type { RegionScope } from '../access.js';
import type { AppDeps } from '../context.js';

/** Enough for a kecamatan's villages and their Kampung KB; a wider account gets its own path only. */
const MAX_LISTS = 400;

export async function regionListsFor(deps: AppDeps, scope: RegionScope): Promise<Record<string, Region[]>> {
  const lists: Record<string, Region[]> = {};
  const load = async (parent: string) => {
    if (!(parent in lists) && Object.keys(lists).length < MAX_LISTS) lists[parent] = await regionChildren(deps.store, parent === '' ? null : parent);
    return lists[parent] ?? [];
  };
  await load('');
  if (scope.kind === 'all') return lists;
  for (const code of scope.codes) {
    const parts = code.split('.');
    for (let i = 1; i <= parts.length; i++) await load(parts.slice(0, i).join('.'));
    // Below the account's own region, down to the last level (its lists are short by then).
    let level = [code];
    for (let depth = parts.length; depth < REGION_LEVELS.length && level.length; depth++) {
      const next: string[] = [];
      for (const parent of level) next.push(...(await load(parent)).map((r) => r.kode));
      level = next;
    }
  }
  return lists;
}
