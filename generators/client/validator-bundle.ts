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

/** The schema without what only people read (examples, test cases, descriptions). */
// Keys only people and the server read: x- hints are no-ops for ajv and their removal moves no
// other keyword's schema path (errorMessage paths stay those of the full schema).
const LEAN_DROPPED = new Set(['examples', 'x-test-cases', 'description', '$schema', 'x-rollup', 'x-pdf', 'x-assumed', 'x-entity', 'x-copy-from', 'x-sql', 'x-column', 'x-header-group', 'x-suggest-region', 'x-title-field', 'x-unique']);

function lean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(lean);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Record<string, unknown>)
      .filter(([k]) => !LEAN_DROPPED.has(k))
      .map(([k, v]) => [k, k === 'const' ? v : lean(v)]),
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

function standaloneValidator(model: FormModel): string {
  const ajv = new Ajv2020Module.default({ allErrors: true, messages: false, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, code: { source: true, esm: true } });
  addFormatsModule.default(ajv, ['date', 'uuid', 'email', 'regex']);
  addErrorsModule.default(ajv);
  ajv.addVocabulary([...X_KEYWORDS]);
  return standaloneCode(ajv, ajv.compile(lean(model.schema) as object));
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
