/**
 * Validation without the compiler: from a compiled schema check (ajv's, or the standalone code the
 * browser runs) and the form model to the list of Indonesian issues, cross-field rules included.
 * Imports nothing of ajv at run time, so the same code is bundled for the browser.
 */
import type { ErrorObject } from 'ajv';
import type { ValidationIssue } from './issues.js';
import { collapseErrors, errorPointer, indonesianMessage, type OptionLabels } from './messages.js';
import type { FieldNode, FormModel, ScopedRule } from './model-types.js';
import { indexModel, labelFor, readPointer } from './model-index.js';
import type { Condition } from './rule-types.js';
import { evaluate, inspectCondition, type RuleEnv } from './rules.js';
import { eachText, textProblem } from './text-hygiene.js';

/** A compiled JSON Schema check: ajv's ValidateFunction or its standalone code. */
export interface SchemaCheck {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export interface ValidateOptions {
  /** The date "today" means in rules (tahun terbentuk not in the future). Defaults to now. */
  readonly today?: Date;
}

function firstField(cond: Condition): string | undefined {
  return inspectCondition(cond, '').refs.find((r) => r.kind === 'field')?.name;
}

type TargetedRule = ScopedRule & { readonly at: string };
const scopes = new WeakMap<FormModel, Map<string | null, TargetedRule[]>>();

/** Rules grouped by what they check (the form, or each row of a repeat), with the field each
 * message is shown at; worked out once per model. */
function rulesByScope(model: FormModel): Map<string | null, TargetedRule[]> {
  let map = scopes.get(model);
  if (!map) {
    map = new Map();
    for (const r of model.rules) {
      const list = map.get(r.repeat) ?? [];
      list.push({ ...r, at: r.rule.at ?? firstField(r.rule.assert) ?? '' });
      map.set(r.repeat, list);
    }
    scopes.set(model, map);
  }
  return map;
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

  const fire = (rule: ScopedRule['rule'], repeat: string | null, at: string, env: RuleEnv, rowPath: string | null): void => {
    if (rule.when !== undefined && evaluate(rule.when, env) !== true) return;
    if (evaluate(rule.assert, env) !== false) return;
    const inRow = rowPath !== null && repeat !== null && idx.rowFields.get(repeat)?.has(at);
    const path = inRow ? `${rowPath}/${at}` : (idx.rootFields.get(at)?.pointer ?? '');
    issues.push({ path, label: labelFor(model, path), message: rule.message, keyword: `rule:${rule.id}`, ...(rule.severity === 'peringatan' ? { severity: 'peringatan' as const } : {}) });
  };

  const rootEnv: RuleEnv = { value: rootValue, count, param: noParam, today };
  for (const [repeat, rules] of rulesByScope(model)) {
    if (repeat === null) {
      for (const { rule, at } of rules) fire(rule, null, at, rootEnv, null);
      continue;
    }
    const rows = readPointer(data, `/${repeat}`);
    if (!Array.isArray(rows)) continue;
    const own = idx.rowFields.get(repeat)!;
    // One environment per repeat, pointed at each row in turn: no closures per row and rule.
    let row: Record<string, unknown> = {};
    let index = 0;
    const env: RuleEnv = {
      value: (name) => {
        if (!own.has(name)) return rootValue(name);
        return checkInvalid && invalid.has(`/${repeat}/${index}/${name}`) ? undefined : row[name];
      },
      count, param: noParam, today,
    };
    for (index = 0; index < rows.length; index++) {
      const r = rows[index];
      row = r !== null && typeof r === 'object' ? (r as Record<string, unknown>) : {};
      const rowPath = `/${repeat}/${index}`;
      for (const { rule, at } of rules) fire(rule, repeat, at, env, rowPath);
    }
  }
  return issues;
}

const orders = new WeakMap<FormModel, (path: string) => number[]>();

/** Sort issues as the paper reads: section order, then row, then column. */
function paperOrder(model: FormModel): (path: string) => number[] {
  const hit = orders.get(model);
  if (hit) return hit;
  const partIndex = new Map(model.parts.map((p, i) => [p.key, i]));
  const fieldIndex = new Map(
    model.parts.flatMap((p) => (p.kind === 'section' ? p.fields : p.columns).map((f, i) => [`${p.key}/${f.key}`, i] as const)),
  );
  const order = (path: string): number[] => {
    const [, part = '', a, b] = path.split('/');
    const pi = partIndex.get(part) ?? 999;
    if (a !== undefined && /^\d+$/.test(a)) return [pi, Number(a), fieldIndex.get(`${part}/${b}`) ?? -1];
    return [pi, -1, fieldIndex.get(`${part}/${a}`) ?? -1];
  };
  orders.set(model, order);
  return order;
}

/** The field at a place in a submission (`/anggota/2/status` → the status column). */
function fieldAt(model: FormModel, path: string): FieldNode | undefined {
  const [, partKey, second, third] = path.split('/');
  const part = model.parts.find((p) => p.key === partKey);
  if (!part) return undefined;
  if (part.kind === 'section') return part.fields.find((f) => f.key === second);
  return part.columns.find((c) => c.key === third);
}

/** Every problem of `data` after `check` ran on it, in the order of the paper form. */
export function issuesFor(model: FormModel, check: SchemaCheck, data: unknown, options: ValidateOptions = {}): ValidationIssue[] {
  const ok = check(data);
  const optionLabels: OptionLabels = (path) => fieldAt(model, path)?.options?.map((o) => o.label);
  const schemaIssues: ValidationIssue[] = ok
    ? []
    : collapseErrors(check.errors ?? []).map((e) => {
        const path = errorPointer(e);
        return { path, label: labelFor(model, path), message: indonesianMessage(e, optionLabels), keyword: e.keyword };
      });
  const invalid = new Set(schemaIssues.map((i) => i.path));
  // Text the schema accepted may still be unfit to store (broken, hidden characters, blank).
  eachText(model, data, (field, path, value) => {
    const message = invalid.has(path) ? undefined : textProblem(field, value);
    if (!message) return;
    schemaIssues.push({ path, label: labelFor(model, path), message, keyword: 'text' });
    invalid.add(path);
  });
  const issues = [...schemaIssues, ...ruleIssues(model, data, options.today ?? new Date(), invalid)];
  if (!issues.length) return issues;
  const order = paperOrder(model);
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
}
