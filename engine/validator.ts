/**
 * The compiled validator of a form: ajv for the JSON Schema part, compiled once per definition
 * version and cached (validating a submission never compiles), and the shared validation core
 * (`validate-core.ts`) for rules and Indonesian messages.
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, type AjvInstance } from './ajv.js';
import { errorsOf, warningsOf, type ValidationIssue } from './issues.js';
import type { FormModel } from './model-types.js';
import { issuesFor, type ValidateOptions } from './validate-core.js';

export type { ValidateOptions } from './validate-core.js';

export interface FormValidator {
  readonly model: FormModel;
  /** Every error of `data` (what blocks a save), in the order of the paper form; empty when valid. */
  validate(data: unknown, options?: ValidateOptions): ValidationIssue[];
  /** Errors and warnings (`severity: "peringatan"` rules) of `data`, each in paper order. */
  check(data: unknown, options?: ValidateOptions): { errors: ValidationIssue[]; warnings: ValidationIssue[] };
}

const compiled = new Map<string, ValidateFunction>();
let compileCount = 0;
let sharedAjv: AjvInstance | undefined;

/** How many schemas were compiled since start: lets tests prove the cache holds. */
export function validatorStats(): { compiles: number; cached: number } {
  return { compiles: compileCount, cached: compiled.size };
}

function compiledSchema(model: FormModel): ValidateFunction {
  const key = `${model.id}@${model.version}#${model.hash}`;
  let fn = compiled.get(key);
  if (!fn) {
    sharedAjv ??= createAjv();
    const { $schema: _ignored, ...schema } = model.schema;
    fn = sharedAjv.compile({ ...schema, $id: `https://lembar.local/compiled/${model.id}-${model.version}-${model.hash}.json` });
    compiled.set(key, fn);
    compileCount++;
  }
  return fn;
}

const validators = new WeakMap<FormModel, FormValidator>();

/** The validator of a model, compiled on first use of this definition version. */
export function validatorFor(model: FormModel): FormValidator {
  let validator = validators.get(model);
  if (!validator) {
    const fn = compiledSchema(model);
    validator = {
      model,
      validate: (data, options) => errorsOf(issuesFor(model, fn, data, options)),
      check: (data, options) => {
        const all = issuesFor(model, fn, data, options);
        return { errors: errorsOf(all), warnings: warningsOf(all) };
      },
    };
    validators.set(model, validator);
  }
  return validator;
}
