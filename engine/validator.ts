/**
 * The compiled validator of a form: ajv for the JSON Schema part, the rule evaluator for
 * `x-rules`, and one list of Indonesian issues out. Compiled once per definition version and
 * cached; validating a submission never compiles.
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, type AjvInstance } from './ajv.js';
import type { ValidationIssue } from './issues.js';
import { collapseErrors, errorPointer, indonesianMessage } from './messages.js';
import type { FormModel, ScopedRule } from './model-types.js';
import { indexModel, labelFor, readPointer } from './model-index.js';
import type { Condition } from './rule-types.js';
import { evaluate, inspectCondition, type RuleEnv } from './rules.js';

export interface ValidateOptions {
  /** The date "today" means in rules (tahun terbentuk not in the future). Defaults to now. */
  readonly today?: Date;
}

export interface FormValidator {
  readonly model: FormModel;
  /** Every problem of `data`, in the order of the paper form; empty when valid. */
  validate(data: unknown, options?: ValidateOptions): ValidationIssue[];
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
    // verbose: the message table needs the failing schema (a code list's option titles).
    const ajv = sharedAjv;
    const { $schema: _ignored, ...schema } = model.schema;
    fn = ajv.compile({ ...schema, $id: `https://lembar.local/compiled/${model.id}-${model.version}-${model.hash}.json` });
    compiled.set(key, fn);
    compileCount++;
  }
  return fn;
}

function firstField(cond: Condition): string | undefined {
  return inspectCondition(cond, '').refs.find((r) => r.kind === 'field')?.name;
}

const targets = new WeakMap<FormModel, (ScopedRule & { at: string })[]>();

/** Each rule with the field its message is shown at, worked out once per model. */
function rulesWithTarget(model: FormModel): (ScopedRule & { at: string })[] {
  let list = targets.get(model);
  if (!list) {
    list = model.rules.map((r) => ({ ...r, at: r.rule.at ?? firstField(r.rule.assert) ?? '' }));
    targets.set(model, list);
  }
  return list;
}

/**
 * Rules read values through `invalid`: a value that already failed the schema (a month of 13)
 * reads as missing, so no rule builds a second, misleading error on top of it.
 */
function ruleIssues(model: FormModel, data: unknown, today: Date, invalid: ReadonlySet<string>): ValidationIssue[] {
  const idx = indexModel(model);
  const checkInvalid = invalid.size > 0;
  const rootCache = new Map<string, unknown>();
  const rootValue = (name: string): unknown => {
    if (rootCache.has(name)) return rootCache.get(name);
    const f = idx.rootFields.get(name);
    const v = f && !(checkInvalid && invalid.has(f.pointer)) ? readPointer(data, f.pointer) : undefined;
    rootCache.set(name, v);
    return v;
  };
  const count = (repeat: string): number | undefined => {
    const rows = readPointer(data, `/${repeat}`);
    if (rows === undefined) return 0;
    return Array.isArray(rows) ? rows.length : undefined;
  };
  const noParam = (): undefined => undefined;
  const issues: ValidationIssue[] = [];

  for (const { rule, repeat, at } of rulesWithTarget(model)) {
    const check = (env: RuleEnv, rowPath: string | null): void => {
      if (rule.when !== undefined && evaluate(rule.when, env) !== true) return;
      if (evaluate(rule.assert, env) !== false) return;
      const inRow = rowPath !== null && repeat !== null && idx.rowFields.get(repeat)?.has(at);
      const path = inRow ? `${rowPath}/${at}` : (idx.rootFields.get(at)?.pointer ?? '');
      issues.push({ path, label: labelFor(model, path), message: rule.message, keyword: `rule:${rule.id}` });
    };
    if (repeat === null) {
      check({ value: rootValue, count, param: noParam, today }, null);
      continue;
    }
    const rows = readPointer(data, `/${repeat}`);
    if (!Array.isArray(rows)) continue;
    const own = idx.rowFields.get(repeat)!;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] !== null && typeof rows[i] === 'object' ? (rows[i] as Record<string, unknown>) : {};
      const value = (name: string): unknown => {
        if (!own.has(name)) return rootValue(name);
        return checkInvalid && invalid.has(`/${repeat}/${i}/${name}`) ? undefined : row[name];
      };
      check({ value, count, param: noParam, today }, `/${repeat}/${i}`);
    }
  }
  return issues;
}

/** Sort issues as the paper reads: section order, then row, then column. */
function paperOrder(model: FormModel): (path: string) => number[] {
  const partIndex = new Map(model.parts.map((p, i) => [p.key, i]));
  const fieldIndex = new Map(
    model.parts.flatMap((p) => (p.kind === 'section' ? p.fields : p.columns).map((f, i) => [`${p.key}/${f.key}`, i] as const)),
  );
  return (path) => {
    const [, part = '', a, b] = path.split('/');
    const pi = partIndex.get(part) ?? 999;
    if (a !== undefined && /^\d+$/.test(a)) return [pi, Number(a), fieldIndex.get(`${part}/${b}`) ?? -1];
    return [pi, -1, fieldIndex.get(`${part}/${a}`) ?? -1];
  };
}

const validators = new WeakMap<FormModel, FormValidator>();

/** The validator of a model, compiled on first use of this definition version. */
export function validatorFor(model: FormModel): FormValidator {
  let validator = validators.get(model);
  if (!validator) validators.set(model, (validator = buildValidator(model)));
  return validator;
}

function buildValidator(model: FormModel): FormValidator {
  const fn = compiledSchema(model);
  const order = paperOrder(model);
  return {
    model,
    validate(data, options = {}) {
      const ok = fn(data);
      const schemaIssues: ValidationIssue[] = ok
        ? []
        : collapseErrors(fn.errors ?? []).map((e) => {
            const path = errorPointer(e);
            return { path, label: labelFor(model, path), message: indonesianMessage(e), keyword: e.keyword };
          });
      const invalid = new Set(schemaIssues.map((i) => i.path));
      const issues = [...schemaIssues, ...ruleIssues(model, data, options.today ?? new Date(), invalid)];
      const seen = new Set<string>();
      return issues
        .filter((i) => {
          const k = `${i.path}|${i.message}`;
          return seen.has(k) ? false : (seen.add(k), true);
        })
        .map((issue, n) => ({ issue, n, key: order(issue.path) }))
        .sort((x, y) => {
          for (let i = 0; i < 3; i++) if (x.key[i] !== y.key[i]) return x.key[i]! - y.key[i]!;
          return x.n - y.n;
        })
        .map((x) => x.issue);
    },
  };
}
