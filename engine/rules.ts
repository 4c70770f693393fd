/**
 * Evaluates the declarative conditions of `x-rules`, `x-show-when` and report roll-ups.
 * Three-valued on purpose: a comparison whose value is missing or malformed is `undefined`
 * (not applicable), because telling the user that a field is missing or malformed is JSON
 * Schema's job; a rule then neither fires nor hides that error behind a second one.
 */
import type { Condition, Operand } from './rule-types.js';

/** What a condition can read: field values by key, row counts, today, report parameters. */
export interface RuleEnv {
  value(field: string): unknown;
  count(repeat: string): number | undefined;
  param(name: string): unknown;
  readonly today: Date;
}

type Tri = boolean | undefined;

const isFilled = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

type Read = (env: RuleEnv) => unknown;
type Test = (env: RuleEnv) => Tri;

/** An operand as a reader, built once per operand object. */
function compileOperand(op: Operand): Read {
  if (typeof op === 'number' || typeof op === 'string') return () => op;
  if ('field' in op) {
    const name = op.field;
    return (env) => env.value(name);
  }
  if ('count' in op) {
    const name = op.count;
    return (env) => env.count(name);
  }
  if ('sum' in op) {
    const names = op.sum;
    return (env) => {
      let total = 0;
      for (const f of names) {
        const v = env.value(f);
        if (v === undefined || v === null) continue;
        if (!isNumber(v)) return undefined;
        total += v;
      }
      return total;
    };
  }
  // Today in Western Indonesian Time (UTC+7), where the cadres are: the evening of 31 December
  // is still that year and month there.
  if ('today' in op) {
    const wib = (env: RuleEnv) => new Date(env.today.getTime() + 7 * 3600_000);
    return op.today === 'month' ? (env) => wib(env).getUTCMonth() + 1 : (env) => wib(env).getUTCFullYear();
  }
  const name = op.param;
  return (env) => env.param(name);
}

function compileComparison(field: string, other: Read, test: (x: number, y: number) => boolean): Test {
  return (env) => {
    const a = env.value(field);
    if (!isNumber(a)) return undefined;
    const b = other(env);
    return isNumber(b) ? test(a, b) : undefined;
  };
}

function dateParts(v: unknown): [number, number] | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return undefined;
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) return undefined;
  return [Number(m[1]), Number(m[2])];
}

const countTrue = (names: readonly string[], env: RuleEnv): number => {
  let n = 0;
  for (const f of names) if (env.value(f) === true) n++;
  return n;
};

/**
 * `all` (decided by the first false) or `any` (by the first true); when no part decides, the
 * result is undecided if any part was.
 */
function combine(parts: readonly Test[], decisive: boolean): Test {
  return (env) => {
    let unknown = false;
    for (const c of parts) {
      const r = c(env);
      if (r === decisive) return decisive;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : !decisive;
  };
}

/**
 * A condition as a closure. Conditions run once per row and rule on every save and for every
 * group of a roll-up, so the operator is dispatched once here instead of on each evaluation.
 */
function compileCondition(cond: Condition): Test {
  if ('all' in cond) return combine(cond.all.map(compiled), false);
  if ('any' in cond) return combine(cond.any.map(compiled), true);
  if ('not' in cond) {
    const inner = compiled(cond.not);
    return (env) => {
      const r = inner(env);
      return r === undefined ? undefined : !r;
    };
  }
  if ('atMostOne' in cond) {
    const names = cond.atMostOne;
    return (env) => countTrue(names, env) <= 1;
  }
  if ('anyTrue' in cond) {
    const names = cond.anyTrue;
    return (env) => countTrue(names, env) > 0;
  }
  if ('noneTrue' in cond) {
    const names = cond.noneTrue;
    return (env) => countTrue(names, env) === 0;
  }

  const field = cond.field;
  if ('filled' in cond) {
    const want = cond.filled;
    return (env) => isFilled(env.value(field)) === want;
  }
  if ('equals' in cond) {
    const want = cond.equals;
    return (env) => {
      const v = env.value(field);
      return isFilled(v) ? v === want : false;
    };
  }
  if ('notEquals' in cond) {
    const other = cond.notEquals;
    return (env) => {
      const v = env.value(field);
      return isFilled(v) ? v !== other : undefined;
    };
  }
  if ('in' in cond) {
    const list = cond.in;
    return (env) => {
      const v = env.value(field);
      return isFilled(v) ? list.includes(v) : undefined;
    };
  }
  if ('notIn' in cond) {
    const list = cond.notIn;
    return (env) => {
      const v = env.value(field);
      return isFilled(v) ? !list.includes(v) : undefined;
    };
  }
  if ('eq' in cond) return compileComparison(field, compileOperand(cond.eq), (x, y) => x === y);
  if ('lte' in cond) return compileComparison(field, compileOperand(cond.lte), (x, y) => x <= y);
  if ('lt' in cond) return compileComparison(field, compileOperand(cond.lt), (x, y) => x < y);
  if ('gte' in cond) return compileComparison(field, compileOperand(cond.gte), (x, y) => x >= y);
  if ('gt' in cond) return compileComparison(field, compileOperand(cond.gt), (x, y) => x > y);
  if ('inMonth' in cond) {
    const year = compileOperand(cond.inMonth.year);
    const month = compileOperand(cond.inMonth.month);
    return (env) => {
      const parts = dateParts(env.value(field));
      const y = year(env);
      const m = month(env);
      if (!parts || !isNumber(y) || !isNumber(m)) return undefined;
      return parts[0] === y && parts[1] === m;
    };
  }
  return () => undefined;
}

const compiledConditions = new WeakMap<Condition, Test>();

function compiled(cond: Condition): Test {
  let fn = compiledConditions.get(cond);
  if (!fn) {
    fn = compileCondition(cond);
    compiledConditions.set(cond, fn);
  }
  return fn;
}

/** Evaluate a condition: `true`, `false`, or `undefined` when it cannot be decided. */
export function evaluate(cond: Condition, env: RuleEnv): Tri {
  return compiled(cond)(env);
}

/** The operators a condition may use, for the definition checker's messages. */
export const FIELD_OPERATORS = ['equals', 'notEquals', 'in', 'notIn', 'filled', 'eq', 'lte', 'lt', 'gte', 'gt', 'inMonth'] as const;
export const LIST_OPERATORS = ['atMostOne', 'anyTrue', 'noneTrue'] as const;
export const GROUP_OPERATORS = ['all', 'any', 'not'] as const;

/** A reference a condition makes, for checking that every name exists. */
export interface ConditionRef {
  readonly kind: 'field' | 'repeat' | 'param';
  readonly name: string;
  /** Pointer inside the condition object, e.g. `/assert/lte/field`. */
  readonly pointer: string;
}

/**
 * Every field, repeat and parameter a condition names, plus structural problems
 * (an unknown operator, a malformed operand), each with its pointer inside the condition.
 */
export function inspectCondition(cond: unknown, pointer: string): { refs: ConditionRef[]; problems: { pointer: string; message: string }[] } {
  const refs: ConditionRef[] = [];
  const problems: { pointer: string; message: string }[] = [];
  const known = [...FIELD_OPERATORS, ...LIST_OPERATORS, ...GROUP_OPERATORS];

  function visitOperand(op: unknown, at: string): void {
    if (typeof op === 'number' || typeof op === 'string') return;
    if (typeof op === 'object' && op !== null && !Array.isArray(op)) {
      const o = op as Record<string, unknown>;
      if (typeof o.field === 'string') return void refs.push({ kind: 'field', name: o.field, pointer: `${at}/field` });
      if (typeof o.count === 'string') return void refs.push({ kind: 'repeat', name: o.count, pointer: `${at}/count` });
      if (typeof o.param === 'string') return void refs.push({ kind: 'param', name: o.param, pointer: `${at}/param` });
      if (o.today === 'year' || o.today === 'month') return;
      if (Array.isArray(o.sum) && o.sum.every((s) => typeof s === 'string')) {
        o.sum.forEach((name, i) => refs.push({ kind: 'field', name: name as string, pointer: `${at}/sum/${i}` }));
        return;
      }
    }
    problems.push({ pointer: at, message: 'Nilai pembanding harus angka, teks, {"field"}, {"count"}, {"sum"}, {"today": "year"}, {"today": "month"} atau {"param"}.' });
  }

  function visit(c: unknown, at: string): void {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      problems.push({ pointer: at, message: 'Kondisi harus berupa objek.' });
      return;
    }
    const o = c as Record<string, unknown>;
    const ops = Object.keys(o).filter((k) => k !== 'field');
    const op = ops[0];
    if (ops.length !== 1 || op === undefined || !(known as readonly string[]).includes(op)) {
      problems.push({ pointer: at, message: `Kondisi harus memakai tepat satu operator dari: ${known.join(', ')}.` });
      return;
    }
    if ((GROUP_OPERATORS as readonly string[]).includes(op)) {
      if (op === 'not') return visit(o.not, `${at}/not`);
      const list = o[op];
      if (!Array.isArray(list)) return void problems.push({ pointer: `${at}/${op}`, message: `"${op}" harus berisi daftar kondisi.` });
      list.forEach((item, i) => visit(item, `${at}/${op}/${i}`));
      return;
    }
    if ((LIST_OPERATORS as readonly string[]).includes(op)) {
      const list = o[op];
      if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
        return void problems.push({ pointer: `${at}/${op}`, message: `"${op}" harus berisi daftar nama isian.` });
      }
      list.forEach((name, i) => refs.push({ kind: 'field', name: name as string, pointer: `${at}/${op}/${i}` }));
      return;
    }
    if (typeof o.field !== 'string') return void problems.push({ pointer: at, message: `Operator "${op}" memerlukan "field" berisi nama isian.` });
    refs.push({ kind: 'field', name: o.field, pointer: `${at}/field` });
    if (['eq', 'lte', 'lt', 'gte', 'gt'].includes(op)) visitOperand(o[op], `${at}/${op}`);
    if (op === 'inMonth') {
      const m = o.inMonth as Record<string, unknown> | undefined;
      if (!m || m.year === undefined || m.month === undefined) {
        return void problems.push({ pointer: `${at}/inMonth`, message: '"inMonth" memerlukan "year" dan "month".' });
      }
      visitOperand(m.year, `${at}/inMonth/year`);
      visitOperand(m.month, `${at}/inMonth/month`);
    }
    if ((op === 'in' || op === 'notIn') && !Array.isArray(o[op])) problems.push({ pointer: `${at}/${op}`, message: `"${op}" harus berisi daftar nilai.` });
    if (op === 'filled' && typeof o.filled !== 'boolean') problems.push({ pointer: `${at}/filled`, message: '"filled" harus true atau false.' });
  }

  visit(cond, pointer);
  return { refs, problems };
}
