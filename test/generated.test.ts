/** Committed generated files must match the definitions: a definition change can't leave stale types. */
import { expect, it } from 'vitest';
import { staleFiles } from '../scripts/generate.js';

it('generated/ matches the definitions (run `npm run generate` after editing a form)', async () => {
  expect(await staleFiles()).toEqual([]);
}, 60_000);
