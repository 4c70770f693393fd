/**
 * The compiled validator of a form: ajv for the JSON Schema part, the rule evaluator for
 * `x-rules`, and one list of Indonesian issues out. Compiled once per definition version and
 * cached; validating a submission never compiles.
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, type AjvInstance } from './ajv.js';
import type { ValidationIssue } from './issues.js';
import { collapseErrors, errorPointer, indonesianMessage } from './messages.js';
import type { FormModel } from './model-types.js';
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

/**
 * Rules read values through `invalid`: a value that already failed the schema (a month of 13)
 * reads as missing, so no rule builds a second, misleading error on top of it.
 */
function ruleIssues(model: FormModel, data: unknown, today: Date, invalid: ReadonlySet<string>): ValidationIssue[] {
  const idx = indexModel(model);
  const rootValue = (name: string): unknown => {
    const f = idx.rootFields.get(name);
    return f && !invalid.has(f.pointer) ? readPointer(data, f.pointer) : undefined;
  };
  const count = (repeat: string): number | undefined => {
    const rows = readPointer(data, `/${repeat}`);
    if (rows === undefined) return 0;
    return Array.isArray(rows) ? rows.length : undefined;
  };
  const issues: ValidationIssue[] = [];

  for (const { rule, repeat } of model.rules) {
    const at = rule.at ?? firstField(rule.assert) ?? '';
    const check = (env: RuleEnv, rowPath: string | null): void => {
      if (rule.when !== undefined && evaluate(rule.when, env) !== true) return;
      if (evaluate(rule.assert, env) !== false) return;
      const inRow = rowPath !== null && repeat !== null && idx.rowFields.get(repeat)?.has(at);
      const path = inRow ? `${rowPath}/${at}` : (idx.rootFields.get(at)?.pointer ?? '');
      issues.push({ path, label: labelFor(model, path), message: rule.message, keyword: `rule:${rule.id}` });
    };
    if (repeat === null) {
      check({ value: rootValue, count, param: () => undefined, today }, null);
      continue;
    }
    const rows = readPointer(data, `/${repeat}`);
    if (!Array.isArray(rows)) continue;
    const own = idx.rowFields.get(repeat)!;
    rows.forEach((row, i) => {
      const value = (name: string): unknown =>
        own.has(name)
          ? row !== null && typeof row === 'object' && !invalid.has(`/${repeat}/${i}/${name}`)
            ? (row as Record<string, unknown>)[name]
            : undefined
          : rootValue(name);
      check({ value, count, param: () => undefined, today }, `/${repeat}/${i}`);
    });
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

/** The validator of a model, compiled on first use of this definition version. */
export function validatorFor(model: FormModel): FormValidator {
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
