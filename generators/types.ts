/**
 * TypeScript types of a form's submissions, through json-schema-to-typescript. Titles are the
 * Indonesian labels people read, so they go into the doc comments rather than becoming type
 * names; each form gets one exported type named after its id (`K0Uppka`).
 */
import { compile } from 'json-schema-to-typescript';
import type { FormModel } from '../engine/model-types.js';

type Json = Record<string, unknown>;

/** `k0-uppka` → `K0Uppka`. */
export function typeName(formId: string): string {
  return formId.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

function prepare(node: unknown, root: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => prepare(n, false));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'examples' || k === 'x-test-cases' || k.startsWith('x-') || k === 'errorMessage') continue;
    if (k === 'title' || k === 'description') continue;
    out[k] = k === 'const' || k === 'enum' ? v : prepare(v, false);
  }
  const { title, description } = node as { title?: string; description?: string };
  const doc = [title, description].filter(Boolean).join('\n\n');
  if (doc && !root) out.description = doc;
  return out;
}

/** The `.ts` source of a form's submission type. */
export async function formTypes(model: FormModel): Promise<string> {
  const { $schema: _meta, ...rest } = prepare(model.schema, true) as Json;
  const schema = { ...rest, title: typeName(model.id) };
  const banner = `/* Dibuat dari forms/${model.id}.json (${model.code}, versi ${model.version}) oleh \`npm run generate\`. Jangan disunting. */`;
  return compile(schema as never, typeName(model.id), { bannerComment: banner, additionalProperties: false, format: true, strictIndexSignatures: true, ignoreMinAndMaxItems: true });
}
