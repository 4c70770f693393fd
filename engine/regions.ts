/**
 * The region tree (provinsi ⊃ kabupaten/kota ⊃ kecamatan ⊃ desa/kelurahan ⊃ Kampung KB), read
 * from the `wilayah` table: the levels in order, one level's children, a region by code, and names
 * for codes. Names are cached per store: the tree changes only when region data is loaded, which
 * clears the cache (`forgetRegionNames`).
 */
import type { Store } from './storage/database.js';

export const REGION_LEVELS = ['provinsi', 'kabupaten_kota', 'kecamatan', 'desa_kelurahan', 'kampung_kb'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export interface Region {
  readonly kode: string;
  readonly nama: string;
  readonly tingkat: RegionLevel;
  readonly induk: string | null;
}

/** One level of the region tree: the provinces (no parent) or the children of `parent`. */
export async function regionChildren(store: Store, parent: string | null): Promise<Region[]> {
  let q = store.db.selectFrom('wilayah').select(['kode', 'nama', 'tingkat', 'induk']).orderBy('kode');
  q = parent === null ? q.where('induk', 'is', null) : q.where('induk', '=', parent);
  return (await q.execute()) as Region[];
}

export async function regionByCode(store: Store, kode: string): Promise<Region | undefined> {
  return (await store.db.selectFrom('wilayah').select(['kode', 'nama', 'tingkat', 'induk']).where('kode', '=', kode).executeTakeFirst()) as Region | undefined;
}

const nameCache = new WeakMap<Store, Map<string, string | null>>();

/** Names of region codes (looked up once per store, in chunks): a function from code to name. */
export async function regionNames(store: Store, codes: Iterable<string>): Promise<(code: string) => string | undefined> {
  let cache = nameCache.get(store);
  if (!cache) nameCache.set(store, (cache = new Map()));
  const missing = [...new Set(codes)].filter((c) => typeof c === 'string' && !cache!.has(c));
  for (let i = 0; i < missing.length; i += 500) {
    const chunk = missing.slice(i, i + 500);
    const rows = await store.db.selectFrom('wilayah').select(['kode', 'nama']).where('kode', 'in', chunk).execute();
    const found = new Map(rows.map((r) => [String(r.kode), String(r.nama)]));
    for (const c of chunk) cache.set(c, found.get(c) ?? null);
  }
  const known = cache;
  return (code) => known.get(code) ?? undefined;
}

/** Region data changed (loaded or refreshed): names are read again. */
export function forgetRegionNames(store: Store): void {
  nameCache.delete(store);
}

/** The deepest region named in `values` (field key → code) by the fields' levels. */
export function deepestRegion(fields: readonly { readonly region?: string; readonly value: unknown }[]): string | undefined {
  let best: { depth: number; code: string } | undefined;
  for (const f of fields) {
    const depth = f.region ? REGION_LEVELS.indexOf(f.region as RegionLevel) : -1;
    if (depth >= 0 && typeof f.value === 'string' && f.value && (!best || depth > best.depth)) best = { depth, code: f.value };
  }
  return best?.code;
}
