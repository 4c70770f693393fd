/** docs/definition-format.md documents the whole meta-schema vocabulary, and ajv knows the same x- words. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { X_KEYWORDS } from '../engine/ajv.js';
import meta from '../engine/definition.schema.json' with { type: 'json' };

type Json = Record<string, any>;
const docs = readFileSync(new URL('../docs/definition-format.md', import.meta.url), 'utf8');
const documented = (word: string) => docs.includes(`\`${word}\``) || docs.includes(`"${word}"`);

/** Every property name declared anywhere in the meta-schema that starts with `x-`. */
function xKeywords(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => xKeywords(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === 'properties' && v && typeof v === 'object') for (const name of Object.keys(v)) if (name.startsWith('x-')) out.add(name);
      xKeywords(v, out);
    }
  }
  return out;
}

const defs = (meta as Json).$defs as Json;
const keysOf = (...names: string[]) => names.flatMap((n) => Object.keys(defs[n].properties));

describe('docs/definition-format.md', () => {
  it('names every x- keyword of the meta-schema, and ajv registers exactly those', () => {
    const words = [...xKeywords(meta)].sort();
    expect(words.length).toBeGreaterThan(20);
    expect(words.filter((w) => !documented(w))).toEqual([]);
    expect([...X_KEYWORDS].sort()).toEqual(words);
  });

  it('names every key of x-rollup (both scopes and columns) and of x-pdf (all three places)', () => {
    const rollup = keysOf('rollupProvince', 'rollupGroup', 'rollupColumn');
    const copyKeys = Object.keys(defs.rollupGroup.properties.copy.items.properties);
    const pdf = keysOf('pdfForm', 'pdfRepeat', 'pdfField');
    const signature = Object.keys(defs.pdfForm.properties.signatures.items.properties);
    for (const key of ['params', 'paramNames', 'orderBy', 'target', 'scope', 'emptyRows', 'page', 'repeat']) expect([...rollup, ...pdf]).toContain(key);
    expect([...rollup, ...copyKeys, ...pdf, ...signature].filter((k) => !documented(k))).toEqual([]);
    expect(defs.rollupReport.properties.scope.enum.filter((s: string) => !documented(s))).toEqual([]);
  });

  it('names every condition operator and operand form', () => {
    const words = [...Object.keys(defs.condition.properties), ...Object.keys(defs.operand.then.properties)];
    expect(words.filter((w) => !docs.includes(`"${w}"`))).toEqual([]);
  });
});
