/** A real SQLite file in a fresh temporary folder, with every form published and regions loaded. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadForms } from '../../engine/index.js';
import { loadRegions, openStore, publishDefinition, type Store, type StoreOptions } from '../../engine/storage/index.js';

export async function tempStore(options: StoreOptions = {}): Promise<{ store: Store; readonly file: string; readonly dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lembar-'));
  const file = join(dir, 'lembar.sqlite');
  const store = openStore(file, options);
  for (const model of loadForms().values()) await publishDefinition(store, model);
  await loadRegions(store);
  const ctx = {
    store, file, dir,
    async cleanup() {
      await ctx.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return ctx;
}
