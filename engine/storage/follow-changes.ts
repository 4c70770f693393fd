/**
 * The storage layer's own caches follow what other server processes announce (change-feed.ts):
 * the id space and table layouts after a publish, region names after an import. The server calls
 * this once for its store (a script that opens a store for a moment need not).
 */
import { forgetRegionNames } from '../regions.js';
import { forgetIdSpace } from './id-space.js';
import type { Store } from './store.js';
import { forgetTables } from './submissions.js';

export function followChanges(store: Store): void {
  store.changes.subscribe((c) => {
    if (c.topic === 'definitions') {
      forgetIdSpace(store);
      forgetTables(store);
    }
    if (c.topic === 'regions') forgetRegionNames(store);
  });
}
