/**
 * Inline every `$ref` of a definition so later stages (model, ajv, type generation) read one
 * self-contained schema. References are local only: other files of the `forms/` folder, known in
 * advance, addressed relative to the referring file. Written by hand rather than with
 * json-schema-ref-parser because that library resolves over the file system or network
 * asynchronously; ours is a synchronous lookup in an in-memory registry with a pointer per
 * problem.
 *
 * Keywords beside a `$ref` follow JSON Schema 2020-12: they *add* constraints to the target's,
 * never replace them (engine/ref-merge.ts); only annotations (a field's own `title`, hints) win.
 */
import type { DefinitionProblem } from './issues.js';
import { mergeBesideRef } from './ref-merge.js';

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

/** Keywords whose value is one subschema, a map of subschemas, or a list of subschemas. */
const SCHEMA_ONE = new Set(['items', 'not', 'if', 'then', 'else', 'additionalProperties', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems']);
const SCHEMA_MAP = new Set(['properties', '$defs', 'patternProperties', 'dependentSchemas']);
const SCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

export interface Resolved {
  readonly schema: JsonObject;
  readonly problems: DefinitionProblem[];
}

export interface ResolveOptions {
  /** Shared files that exist but were refused: a reference into one is reported as such. */
  readonly broken?: ReadonlySet<string>;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The pointer's segments, each decoded once (`%25` is `%`); undefined when the encoding is broken. */
function pointerSegments(fragment: string): string[] | undefined {
  if (fragment === '' || fragment === '/') return [];
  const segments: string[] = [];
  for (const raw of fragment.replace(/^\//, '').split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    segments.push(decoded.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return segments;
}

function followPointer(doc: unknown, segments: readonly string[]): unknown {
  let node: unknown = doc;
  for (const key of segments) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const EXAMPLE_REF = '`defs/kode.json#/$defs/bulan`';

/**
 * Resolve all references of `root`, whose own URI is `baseUri`.
 * Problems carry the JSON pointer of the `$ref` inside `root`'s file.
 */
export function resolveRefs(root: JsonObject, baseUri: string, registry: SchemaRegistry, options: ResolveOptions = {}): Resolved {
  const problems: DefinitionProblem[] = [];

  /** A schema node: subschemas are walked by keyword, anything else (enum, const, default, examples, x- values) is data. */
  function walk(node: unknown, base: string, doc: unknown, pointer: string, seen: readonly string[]): unknown {
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') continue;
      const at = `${pointer}/${k}`;
      if (SCHEMA_ONE.has(k)) out[k] = walk(v, base, doc, at, seen);
      else if (SCHEMA_MAP.has(k) && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, walk(s, base, doc, `${at}/${name}`, seen)]));
      else if (SCHEMA_LIST.has(k) && Array.isArray(v)) out[k] = v.map((s, i) => walk(s, base, doc, `${at}/${i}`, seen));
      else out[k] = v;
    }
    const ref = node['$ref'];
    if (typeof ref !== 'string') return out;
    const refPointer = `${pointer}/$ref`;

    let target: URL;
    try {
      target = new URL(ref, base);
    } catch {
      problems.push({ pointer: refPointer, message: `Rujukan "${ref}" tidak sah: tulis nama berkas di folder forms/ lalu #/$defs/nama, misalnya ${EXAMPLE_REF}.` });
      return out;
    }
    if (target.origin !== new URL(FORMS_BASE).origin || !target.pathname.startsWith(new URL(FORMS_BASE).pathname)) {
      problems.push({ pointer: refPointer, message: `Rujukan "${ref}" menuju alamat di luar folder forms/; rujukan hanya boleh ke berkas di folder itu, misalnya ${EXAMPLE_REF}.` });
      return out;
    }
    const rawFragment = target.hash.replace(/^#/, '');
    target.hash = '';
    if (rawFragment !== '' && !rawFragment.startsWith('/')) {
      problems.push({ pointer: refPointer, message: `Rujukan "${ref}" tidak sah: bagian sesudah # harus berupa jalur seperti #/$defs/nama.` });
      return out;
    }
    const segments = pointerSegments(rawFragment);
    if (!segments) {
      problems.push({ pointer: refPointer, message: `Rujukan "${ref}" memuat kode persen (%) yang tidak sah; tulis nama bagian apa adanya.` });
      return out;
    }
    const targetUri = target.href;
    if (options.broken?.has(targetUri)) {
      problems.push({ pointer: refPointer, message: `Rujukan "${ref}" menuju berkas bersama yang ditolak; perbaiki dulu masalah berkas itu.` });
      return out;
    }
    const targetDoc = targetUri === baseUri ? root : registry.get(targetUri);
    const resolved = targetDoc === undefined ? undefined : followPointer(targetDoc, segments);
    if (!isObject(resolved)) {
      problems.push({ pointer: refPointer, message: `Rujukan "${ref}" tidak ditemukan.` });
      return out;
    }
    const key = `${targetUri}#/${segments.join('/')}`;
    if (seen.includes(key)) {
      problems.push({ pointer: refPointer, message: `Rujukan "${ref}" merujuk dirinya sendiri secara berputar.` });
      return out;
    }
    const inlined = walk(resolved, targetUri, targetDoc, pointer, [...seen, key]) as JsonObject;
    const { merged, problems: mergeProblems } = mergeBesideRef(inlined, out, pointer);
    problems.push(...mergeProblems);
    if (Object.keys(node).every((k) => LABEL_ONLY.has(k))) refOrigins.set(merged, key);
    return merged;
  }

  const schema = walk(root, baseUri, root, '', []) as JsonObject;
  return { schema, problems };
}
