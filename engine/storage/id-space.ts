/**
 * One id space for every form: a submission id names one submission of one form. The main table
 * of every published form (the latest version's name) is read once per store from the register
 * of definitions; publishing forgets it, so a form published later is part of the space too.
 */
import type { Store } from './database.js';
import type { FormTables } from './table-spec.js';

const spaces = new WeakMap<Store, Promise<readonly string[]>>();

/** The main table names of all published forms. */
export function idSpace(store: Store): Promise<readonly string[]> {
  let hit = spaces.get(store);
  if (!hit) {
    hit = (async () => {
      const rows = await store.db.selectFrom('lembar_definisi').select(['form_id', 'versi', 'tabel']).orderBy('form_id').orderBy('versi', 'desc').execute();
      const latest = new Map<string, string>();
      for (const r of rows) if (!latest.has(String(r.form_id))) latest.set(String(r.form_id), (JSON.parse(String(r.tabel)) as FormTables).main.name);
      return [...new Set(latest.values())];
    })();
    hit.catch(() => spaces.delete(store));
    spaces.set(store, hit);
  }
  return hit;
}

/** Called after a definition is published: its table may be new. */
export function forgetIdSpace(store: Store): void {
  spaces.delete(store);
}
