/**
 * Inline every `$ref` of a definition so later stages (model, ajv, type generation) read one
 * self-contained schema. References are local only: other files of the `forms/` folder, known in
 * advance, addressed relative to the referring file. Written by hand rather than with
 * json-schema-ref-parser because that library resolves over the file system or network
 * asynchronously; ours is a synchronous lookup in an in-memory registry with a pointer per
 * problem. Keywords beside a `$ref` (a field's own `title`) override the referenced ones.
 */
import type { DefinitionProblem } from './issues.js';

export type JsonObject = Record<string, unknown>;

/** Shared schema files by absolute URI, e.g. `https://lembar.local/forms/defs/kode.json`. */
export type SchemaRegistry = ReadonlyMap<string, JsonObject>;

export const FORMS_BASE = 'https://lembar.local/forms/';

/**
 * Where an inlined node came from (`https://…/defs/kelompok.json#/$defs/anggota`), for nodes that
 * are a plain reference (only `title`/`description` beside the `$ref`, so the content is exactly the
 * shared definition). Lets the type generator name a shared section once instead of per form.
 */
export const refOrigins = new WeakMap<object, string>();

const LABEL_ONLY = new Set(['$ref', 'title', 'description']);

export interface Resolved {
  readonly schema: JsonObject;
  readonly problems: DefinitionProblem[];
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function followPointer(doc: unknown, fragment: string): unknown {
  if (fragment === '' || fragment === '/') return doc;
  let node: unknown = doc;
  for (const raw of fragment.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Resolve all references of `root`, whose own URI is `baseUri`.
 * Problems carry the JSON pointer of the `$ref` inside `root`'s file.
 */
export function resolveRefs(root: JsonObject, baseUri: string, registry: SchemaRegistry): Resolved {
  const problems: DefinitionProblem[] = [];

  function walk(node: unknown, base: string, doc: unknown, pointer: string, seen: readonly string[]): unknown {
    if (Array.isArray(node)) return node.map((item, i) => walk(item, base, doc, `${pointer}/${i}`, seen));
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') continue;
      // Examples and test cases are data, not schema: never rewrite them.
      out[k] = k === 'examples' || k === 'x-test-cases' || k === 'const' ? v : walk(v, base, doc, `${pointer}/${k}`, seen);
    }
    const ref = node['$ref'];
    if (typeof ref !== 'string') return out;

    const target = new URL(ref, base);
    const fragment = decodeURIComponent(target.hash.replace(/^#/, ''));
    target.hash = '';
    const targetUri = target.href;
    const targetDoc = targetUri === baseUri ? root : registry.get(targetUri);
    const resolved = targetDoc === undefined ? undefined : followPointer(targetDoc, fragment);
    if (!isObject(resolved)) {
      problems.push({ pointer: `${pointer}/$ref`, message: `Rujukan "${ref}" tidak ditemukan.` });
      return out;
    }
    const key = `${targetUri}#${fragment}`;
    if (seen.includes(key)) {
      problems.push({ pointer: `${pointer}/$ref`, message: `Rujukan "${ref}" merujuk dirinya sendiri secara berputar.` });
      return out;
    }
    const inlined = walk(resolved, targetUri, targetDoc, pointer, [...seen, key]) as JsonObject;
    const merged = { ...inlined, ...out };
    if (Object.keys(node).every((k) => LABEL_ONLY.has(k))) refOrigins.set(merged, key);
    return merged;
  }

  const schema = walk(root, baseUri, root, '', []) as JsonObject;
  return { schema, problems };
}
