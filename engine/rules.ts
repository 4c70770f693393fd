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

function operand(op: Operand, env: RuleEnv): unknown {
  if (typeof op === 'number' || typeof op === 'string') return op;
  if ('field' in op) return env.value(op.field);
  if ('count' in op) return env.count(op.count);
  if ('sum' in op) {
    let total = 0;
    for (const f of op.sum) {
      const v = env.value(f);
      if (v === undefined || v === null) continue;
      if (!isNumber(v)) return undefined;
      total += v;
    }
    return total;
  }
  if ('today' in op) return env.today.getUTCFullYear();
  return env.param(op.param);
}

function compare(a: unknown, b: unknown, test: (x: number, y: number) => boolean): Tri {
  if (!isNumber(a) || !isNumber(b)) return undefined;
  return test(a, b);
}

function dateParts(v: unknown): [number, number] | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return undefined;
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) return undefined;
  return [Number(m[1]), Number(m[2])];
}

/** Evaluate a condition: `true`, `false`, or `undefined` when it cannot be decided. */
export function evaluate(cond: Condition, env: RuleEnv): Tri {
  if ('all' in cond) {
    let unknown = false;
    for (const c of cond.all) {
      const r = evaluate(c, env);
      if (r === false) return false;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  }
  if ('any' in cond) {
    let unknown = false;
    for (const c of cond.any) {
      const r = evaluate(c, env);
      if (r === true) return true;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  }
  if ('not' in cond) {
    const r = evaluate(cond.not, env);
    return r === undefined ? undefined : !r;
  }
  if ('atMostOne' in cond) return cond.atMostOne.filter((f) => env.value(f) === true).length <= 1;
  if ('anyTrue' in cond) return cond.anyTrue.some((f) => env.value(f) === true);
  if ('noneTrue' in cond) return !cond.noneTrue.some((f) => env.value(f) === true);

  const v = env.value(cond.field);
  if ('filled' in cond) return isFilled(v) === cond.filled;
  if ('equals' in cond) return isFilled(v) ? v === cond.equals : false;
  if ('notEquals' in cond) return isFilled(v) ? v !== cond.notEquals : undefined;
  if ('in' in cond) return isFilled(v) ? cond.in.includes(v) : undefined;
  if ('notIn' in cond) return isFilled(v) ? !cond.notIn.includes(v) : undefined;
  if ('eq' in cond) return compare(v, operand(cond.eq, env), (x, y) => x === y);
  if ('lte' in cond) return compare(v, operand(cond.lte, env), (x, y) => x <= y);
  if ('lt' in cond) return compare(v, operand(cond.lt, env), (x, y) => x < y);
  if ('gte' in cond) return compare(v, operand(cond.gte, env), (x, y) => x >= y);
  if ('gt' in cond) return compare(v, operand(cond.gt, env), (x, y) => x > y);
  if ('inMonth' in cond) {
    const parts = dateParts(v);
    const year = operand(cond.inMonth.year, env);
    const month = operand(cond.inMonth.month, env);
    if (!parts || !isNumber(year) || !isNumber(month)) return undefined;
    return parts[0] === year && parts[1] === month;
  }
  return undefined;
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
      if (o.today === 'year') return;
      if (Array.isArray(o.sum) && o.sum.every((s) => typeof s === 'string')) {
        o.sum.forEach((name, i) => refs.push({ kind: 'field', name: name as string, pointer: `${at}/sum/${i}` }));
        return;
      }
    }
    problems.push({ pointer: at, message: 'Nilai pembanding harus angka, teks, {"field"}, {"count"}, {"sum"}, {"today": "year"} atau {"param"}.' });
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
