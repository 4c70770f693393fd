/**
 * One place that configures ajv the way every Lembar definition expects: JSON Schema 2020-12,
 * all errors collected, formats, per-field `errorMessage` (ajv-errors) and the x- vocabulary
 * registered as annotations so strict mode accepts it.
 */
import Ajv2020Module from 'ajv/dist/2020.js';
import type { Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import addErrorsModule from 'ajv-errors';

// These packages are CommonJS with `exports.default`; NodeNext sees the module object.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
const addErrors = addErrorsModule.default;
export type AjvInstance = InstanceType<typeof Ajv2020>;

/** Every x- keyword a definition may carry; the meta-schema lists the same names (a test compares them). */
export const X_KEYWORDS = [
  'x-code', 'x-version', 'x-kind', 'x-assumed', 'x-pdf', 'x-rollup', 'x-rules', 'x-test-cases', 'x-unique', 'x-title-field', 'x-entity', 'x-deadline', 'x-copy-from',
  'x-column', 'x-header-group', 'x-widget', 'x-region', 'x-personal', 'x-renamed-from', 'x-hidden', 'x-input',
  'x-sql', 'x-row-label', 'x-row-number-column', 'x-derived', 'x-show-when', 'x-ref-form', 'x-suggest-region',
] as const;

/**
 * A fresh ajv configured for Lembar definitions (and for the meta-schema that checks them).
 * `extra` adds options of one use, e.g. the load-time check compiles standalone code like the
 * browser bundle does.
 */
export function createAjv(extra: Options = {}): AjvInstance {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, ...extra });
  addFormats(ajv, ['date', 'uuid', 'email', 'regex']);
  addErrors(ajv);
  ajv.addVocabulary([...X_KEYWORDS]);
  return ajv;
}
