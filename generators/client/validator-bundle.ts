/**
 * The browser validator of a form, as one script: ajv's standalone code of the definition
 * (compiled from the same resolved schema as the server's validator) bundled by esbuild with the
 * shared validation core, the rule evaluator and the form-post parser. Built once per definition
 * version and cached; the server serves it as /forms/:id/validasi.js.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import standaloneModule from 'ajv/dist/standalone/index.js';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import addErrorsModule from 'ajv-errors';
import { X_KEYWORDS } from '../../engine/ajv.js';
import type { FormModel } from '../../engine/model-types.js';

const standaloneCode = standaloneModule.default;
const ENTRY = fileURLToPath(new URL('./entry.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cache = new Map<string, Promise<string>>();

/**
 * The schema as ajv needs it: without what only people and the server read (titles, examples,
 * test cases, descriptions and every x- keyword, all annotations that ajv compiles to no code).
 * Dropping keys moves no other keyword's schema path (errorMessage paths stay those of the full
 * schema). It matters for the bundle's size: ajv's code refers to the schema object itself where a
 * section has more than 8 properties (additionalProperties) or required names (loopRequired), so
 * whatever stays here is shipped.
 */
const LEAN_DROPPED = new Set(['title', 'examples', 'description', '$schema', '$comment']);
/** Keywords whose value is a map of names to subschemas: the names are data, never dropped. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is data (or the definition's own sentences), copied as it is. */
const VALUES = new Set(['const', 'enum', 'default', 'errorMessage', 'required']);

function lean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(lean);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Record<string, unknown>)
      .filter(([k]) => !LEAN_DROPPED.has(k) && !k.startsWith('x-'))
      .map(([k, v]) => [k, VALUES.has(k) ? v : SCHEMA_MAPS.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([name, sub]) => [name, lean(sub)]))
        : lean(v)]),
  );
}

/**
 * The definition's own sentences (ajv-errors `errorMessage`), by the schema path ajv reports for
 * them. The browser's code is compiled without ajv's messages (`messages: false`: its English
 * default for every keyword, 4.5 KB of the K/0 page, none of which a user sees), and that option
 * drops these sentences from the code too, so the bundle carries them here instead.
 */
export function errorMessages(schema: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) { node.forEach((n, i) => walk(n, `${path}/${i}`)); return; }
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === 'errorMessage') out[`${path}/errorMessage`] = v;
      else if (k !== 'const' && k !== 'enum' && k !== 'default') walk(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  };
  walk(schema, '#');
  return out;
}

/**
 * ajv reports each error with the same four statements (`const errN = {…};if(vErrors === null)
 * {vErrors = [errN];}else {vErrors.push(errN);}errors++;`), about 120 times on the K/0. They
 * become one call of a shared function, same order, same objects. Should ajv's output read
 * otherwise, nothing matches and the code stays as ajv wrote it.
 */
const ERROR_PUSH = /const (err\d+) = (\{[^;]*?\});if\(vErrors === null\)\{vErrors = \[\1\];\}else \{vErrors\.push\(\1\);\}errors\+\+;/g;
const PUSH_HELPER = 'function pushError(list, e) { if (list === null) return [e]; list.push(e); return list; }';

function shareErrorPushes(code: string): string {
  let shared = 0;
  const out = code.replace(ERROR_PUSH, (_all, _name: string, error: string) => { shared++; return `vErrors = pushError(vErrors, ${error});errors++;`; });
  return shared ? `${out}\n${PUSH_HELPER}\n` : code;
}

function standaloneValidator(model: FormModel): string {
  // loopRequired: a section's required names are checked in one loop over its list rather than one
  // statement each (same errors, same order).
  const ajv = new Ajv2020Module.default({ allErrors: true, messages: false, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, loopRequired: 2, code: { source: true, esm: true } });
  addFormatsModule.default(ajv, ['date', 'uuid', 'email', 'regex']);
  addErrorsModule.default(ajv);
  ajv.addVocabulary([...X_KEYWORDS]);
  return shareErrorPushes(standaloneCode(ajv, ajv.compile(lean(model.schema) as object)));
}

/** Field properties the browser never reads (it parses, validates and labels; nothing else). */
const SERVER_ONLY = new Set(['help', 'assumed', 'x-assumed', 'entity', 'unique', 'titleField', 'pdf', 'sql', 'rollup', 'headerGroup', 'column', 'widget', 'region', 'refForm', 'personal', 'hidden', 'input', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'suggestRegion']);

/** The model as the browser needs it: no raw schema, no print or storage hints. */
function clientModel(model: FormModel): string {
  const { schema: _schema, pdf: _pdf, rollup: _rollup, description: _d, assumed: _a, ...rest } = model;
  return JSON.stringify({ ...rest, schema: {}, pdf: {} }, (key, value) => (SERVER_ONLY.has(key) || (key === 'multiline' && value === false) ? undefined : value));
}

/** The minified script that installs `window.LembarValidasi` for this form. */
export function validatorBundle(model: FormModel): Promise<string> {
  const key = `${model.id}@${model.version}#${model.hash}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = build({
      stdin: {
        contents: `import { install } from ${JSON.stringify(ENTRY)};\nimport check from 'lembar:schema';\ninstall(${clientModel(model)}, check, ${JSON.stringify(errorMessages(lean(model.schema)))});\n`,
        resolveDir: fileURLToPath(new URL('.', import.meta.url)),
        loader: 'ts',
      },
      bundle: true, minify: true, format: 'iife', target: 'es2019', write: false, platform: 'browser', legalComments: 'none',
      plugins: [{
        name: 'lembar-schema',
        setup(b) {
          b.onResolve({ filter: /^lembar:schema$/ }, () => ({ path: 'schema', namespace: 'lembar' }));
          b.onLoad({ filter: /^schema$/, namespace: 'lembar' }, () => ({ contents: standaloneValidator(model), loader: 'js', resolveDir: ROOT }));
          // ajv-i18n only phrases keywords our own table does not (none that the forms use); in the
          // browser a plain sentence does, and the server phrases it fully after sending.
          b.onResolve({ filter: /^ajv-i18n\// }, () => ({ path: 'i18n', namespace: 'lembar' }));
          b.onLoad({ filter: /^i18n$/, namespace: 'lembar' }, () => ({
            contents: 'export default function (errors) { for (const e of errors || []) e.message = "isian tidak sesuai"; }',
            loader: 'js',
          }));
        },
      }],
    }).then((r) => r.outputFiles[0]!.text);
    cache.set(key, hit);
  }
  return hit;
}
