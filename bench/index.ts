/**
 * `npm run bench`: every benchmark, each measured against its raw baseline in the same run.
 * Not part of `npm test`: timings vary with the machine; ratios are what to compare.
 */
import { benchStorage } from './storage.js';

const storage = await benchStorage();
console.log('## Storage (K/0 with 10 members, one transaction per submission, synchronous=FULL)');
console.log(`  through the storage layer: ${storage.storage.toFixed(0)} submissions/s`);
console.log(`  raw better-sqlite3 loop:   ${storage.raw.toFixed(0)} submissions/s`);
console.log(`  ratio: ${storage.ratio.toFixed(2)} (aim ≥ 0.80)`);
