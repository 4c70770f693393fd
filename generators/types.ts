/**
 * TypeScript types of a form's submissions, through json-schema-to-typescript. Titles are the
 * Indonesian labels people read, so they go into the doc comments rather than becoming type
 * names; each form gets one exported type named after its id (`K0Uppka`). A section that several
 * forms take from `forms/defs/` (group identity, member row) becomes one named type in `shared.ts`
 * that the forms import, so the generated code repeats nothing the definitions do not.
 */
import { compile } from 'json-schema-to-typescript';
import type { FormModel } from '../engine/model-types.js';
import { FORMS_BASE, refOrigins } from '../engine/resolve-refs.js';

type Json = Record<string, unknown>;

const SHARED_PREFIX = `${FORMS_BASE}defs/`;
const OPTIONS = { additionalProperties: false, format: true, strictIndexSignatures: true, ignoreMinAndMaxItems: true } as const;

/** `k0-uppka` → `K0Uppka`; `identitas_kelompok` → `IdentitasKelompok`. */
export function typeName(id: string): string {
  return id.split(/[-_]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

/** The shared definition a node is exactly, when it is a section (object or rows) worth naming. */
function sharedName(node: Json): string | undefined {
  const origin = refOrigins.get(node);
  if (!origin?.startsWith(SHARED_PREFIX) || (node.type !== 'object' && node.type !== 'array')) return undefined;
  return typeName(origin.slice(origin.lastIndexOf('/') + 1));
}

/**
 * The schema as json-schema-to-typescript should read it: no x- keywords or test data, labels as
 * doc comments, and shared sections replaced by a reference to their named type (`uses` collects
 * them; pass `undefined` to expand a shared section itself).
 */
function prepare(node: unknown, root: boolean, uses: Map<string, Json> | undefined): unknown {
  if (Array.isArray(node)) return node.map((n) => prepare(n, false, uses));
  if (node === null || typeof node !== 'object') return node;
  const own = node as Json;
  const { title, description } = own as { title?: string; description?: string };
  const doc = [title, description].filter(Boolean).join('\n\n');
  const shared = uses && !root ? sharedName(own) : undefined;
  if (shared && uses) {
    uses.set(shared, own);
    return { tsType: shared, ...(doc ? { description: doc } : {}) };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(own)) {
    if (k === 'examples' || k === 'x-test-cases' || k.startsWith('x-') || k === 'errorMessage') continue;
    if (k === 'title' || k === 'description') continue;
    out[k] = k === 'const' || k === 'enum' ? v : prepare(v, false, uses);
  }
  if (doc && !root) out.description = doc;
  return out;
}

export interface FormTypes {
  /** The `.ts` source of the form's submission type. */
  readonly source: string;
  /** Shared sections it refers to, by type name, with their resolved schema. */
  readonly shared: ReadonlyMap<string, Json>;
}

export async function formTypes(model: FormModel): Promise<FormTypes> {
  const uses = new Map<string, Json>();
  const { $schema: _meta, ...rest } = prepare(model.schema, true, uses) as Json;
  const banner = `/* Dibuat dari forms/${model.id}.json (${model.code}, versi ${model.version}) oleh \`npm run generate\`. Jangan disunting. */`;
  const imports = uses.size ? `\nimport type { ${[...uses.keys()].sort().join(', ')} } from './shared.js';\n` : '';
  const source = await compile({ ...rest, title: typeName(model.id) } as never, typeName(model.id), { ...OPTIONS, bannerComment: banner + imports });
  return { source, shared: uses };
}

/** `shared.ts`: one named type per shared section that any form uses. */
export async function sharedTypes(shared: ReadonlyMap<string, Json>): Promise<string> {
  const parts: string[] = [];
  for (const name of [...shared.keys()].sort()) {
    const schema = prepare(shared.get(name), true, undefined) as Json;
    parts.push(await compile({ ...schema, title: name } as never, name, { ...OPTIONS, bannerComment: '' }));
  }
  return `/* Bagian bersama dari forms/defs/ oleh \`npm run generate\`. Jangan disunting. */\n\n${parts.map((p) => p.trim()).join('\n\n')}\n`;
}
