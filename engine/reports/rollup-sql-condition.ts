/**
 * A rule condition (engine/rule-types.ts) compiled into an SQL condition on stored columns, with
 * the meaning engine/rules.ts `evaluate` gives it on the submission rebuilt from those columns:
 * true, false, or undecided. SQL's own NULL logic is the same three-valued (Kleene) logic as
 * `all`/`any`/`not`, so "undecided" compiles to NULL and an aggregate's FILTER counts only TRUE,
 * as the document roll-up counts only `=== true`.
 *
 * What the condition reads comes from a scope: a field's column (typed as the document would see
 * it: boolean, integer, number, string), a repeat's row count, the report's parameters and today.
 * Values known when compiling (parameters, today, literals) are folded, so a type that can never
 * match (a string compared with a number column) becomes a constant, never an SQL type error.
 * Everything from a definition or a parameter goes in as a bound parameter.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Condition, Operand } from '../rule-types.js';
import type { DialectName } from '../storage/ddl.js';

/** A condition or operand the SQL roll-up cannot express; the report falls back to documents. */
export class NotCompilable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotCompilable';
  }
}

export type ValueKind = 'boolean' | 'integer' | 'number' | 'string';

/** A field as SQL reads it: the expression, what the document holds there, whether it can be NULL. */
export interface SqlValue {
  readonly expr: RawBuilder<unknown>;
  readonly kind: ValueKind;
  readonly nullable: boolean;
}

export interface ConditionScope {
  readonly dialect: DialectName;
  /** The field's value, or undefined when the document never has it (always `undefined`). */
  value(name: string): SqlValue | undefined;
  /** Rows of a repeat (0 for a name that is not one), never NULL. */
  count(repeat: string): RawBuilder<unknown>;
  param(name: string): unknown;
  readonly today: Date;
}

/** Three-valued: a constant decided while compiling, or an SQL expression (TRUE, FALSE or NULL). */
export type Tri = { readonly c: boolean | null } | { readonly e: RawBuilder<unknown> };
/** A numeric operand: a constant (undefined when not a number) or an SQL expression (NULL when not a number). */
type Num = { readonly c: number | undefined } | { readonly e: RawBuilder<unknown> };

const TRUE: Tri = { c: true };
const FALSE: Tri = { c: false };
const NULL: Tri = { c: null };

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The SQL text of a three-valued result, for a FILTER clause or a CASE. */
export function triSql(t: Tri): RawBuilder<unknown> {
  if ('e' in t) return t.e;
  return t.c === null ? sql`cast(null as boolean)` : t.c ? sql`true` : sql`false`;
}

/** A number from a definition or a parameter, typed so PostgreSQL does not infer it from the column. */
function numberParam(v: number, dialect: DialectName): RawBuilder<unknown> {
  if (dialect === 'sqlite') return sql`${v}`;
  return Number.isSafeInteger(v) ? sql`cast(${v} as bigint)` : sql`cast(${v} as double precision)`;
}

/**
 * `and` / `or` over three-valued parts, folding the constants as rules.ts does: `absorbing` (false
 * for and, true for or) decides at once, an undecided part keeps the result undecided unless
 * another decides it, and no SQL part left leaves the `identity` (true for and, false for or).
 */
function junction(parts: readonly Tri[], absorbing: boolean, op: 'and' | 'or'): Tri {
  const exprs: RawBuilder<unknown>[] = [];
  let unknown = false;
  for (const p of parts) {
    if ('e' in p) exprs.push(p.e);
    else if (p.c === absorbing) return absorbing ? TRUE : FALSE;
    else if (p.c === null) unknown = true;
  }
  if (!exprs.length) return unknown ? NULL : absorbing ? FALSE : TRUE;
  if (unknown) exprs.push(triSql(NULL));
  return exprs.length === 1 ? { e: exprs[0]! } : { e: sql`(${sql.join(exprs, sql.raw(` ${op} `))})` };
}

const and = (parts: readonly Tri[]): Tri => junction(parts, false, 'and');
const or = (parts: readonly Tri[]): Tri => junction(parts, true, 'or');

function not(t: Tri): Tri {
  if ('e' in t) return { e: sql`(not ${t.e})` };
  return t.c === null ? NULL : { c: !t.c };
}

/** `case when <decided> then <inner> end`: the inner result where `decided` holds, else NULL. */
function onlyWhen(decided: Tri, inner: Tri): Tri {
  if (!('e' in decided)) return decided.c === true ? inner : NULL;
  return { e: sql`(case when ${decided.e} then ${triSql(inner)} end)` };
}

/** isFilled: present and not the empty string (never undecided). */
function filled(v: SqlValue | undefined): Tri {
  if (!v) return FALSE;
  if (v.kind === 'string') return { e: v.nullable ? sql`(${v.expr} is not null and ${v.expr} <> '')` : sql`(${v.expr} <> '')` };
  return v.nullable ? { e: sql`(${v.expr} is not null)` } : TRUE;
}

/** A constant as the stored column holds it, or undefined when the document's value can never `===` it. */
function storedConstant(v: SqlValue, want: unknown, dialect: DialectName): RawBuilder<unknown> | undefined {
  switch (v.kind) {
    case 'boolean': return typeof want === 'boolean' ? sql.lit(want ? 1 : 0) : undefined;
    case 'integer': return isNumber(want) && Number.isInteger(want) ? numberParam(want, dialect) : undefined;
    case 'number': return isNumber(want) ? numberParam(want, dialect) : undefined;
    case 'string': return typeof want === 'string' && want !== '' ? sql`${want}` : undefined;
  }
}

/** `value === want` on a filled value (no NULL guard: callers decide filledness). */
function equalsCore(v: SqlValue, want: unknown, dialect: DialectName): Tri {
  const c = storedConstant(v, want, dialect);
  return c ? { e: sql`(${v.expr} = ${c})` } : FALSE;
}

function inCore(v: SqlValue, list: readonly unknown[], dialect: DialectName): Tri {
  const consts = list.map((w) => storedConstant(v, w, dialect)).filter((c): c is RawBuilder<unknown> => !!c);
  return consts.length ? { e: sql`(${v.expr} in (${sql.join(consts)}))` } : FALSE;
}

/** Per boolean field, an SQL test that is TRUE exactly when the document's value is `=== true` (never NULL). */
function trueTests(names: readonly string[], scope: ConditionScope): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  for (const name of names) {
    const v = scope.value(name);
    if (v?.kind === 'boolean') out.push(v.nullable ? sql`(coalesce(${v.expr}, 0) = 1)` : sql`(${v.expr} = 1)`);
  }
  return out;
}

function operand(op: Operand, scope: ConditionScope): Num {
  if (typeof op === 'number') return { c: isNumber(op) ? op : undefined };
  if (typeof op === 'string') return { c: undefined };
  if ('field' in op) {
    const v = scope.value(op.field);
    return v && (v.kind === 'integer' || v.kind === 'number') ? { e: v.expr } : { c: undefined };
  }
  if ('count' in op) return { e: scope.count(op.count) };
  if ('sum' in op) {
    // Missing parts are skipped; a present value that is not a number makes the sum undecided.
    const terms: RawBuilder<unknown>[] = [];
    const spoilers: RawBuilder<unknown>[] = [];
    for (const name of op.sum) {
      const v = scope.value(name);
      if (!v) continue;
      if (v.kind === 'integer' || v.kind === 'number') terms.push(v.nullable ? sql`coalesce(${v.expr}, 0)` : v.expr);
      else if (!v.nullable) return { c: undefined };
      else spoilers.push(sql`${v.expr} is not null`);
    }
    if (!terms.length && !spoilers.length) return { c: 0 };
    const total = terms.length ? sql`(${sql.join(terms, sql` + `)})` : sql`0`;
    return { e: spoilers.length ? sql`(case when ${sql.join(spoilers, sql` or `)} then null else ${total} end)` : total };
  }
  if ('today' in op) {
    // As rules.ts reads it: today in Western Indonesian Time (UTC+7).
    const wib = new Date(scope.today.getTime() + 7 * 3600_000);
    return { c: op.today === 'month' ? wib.getUTCMonth() + 1 : wib.getUTCFullYear() };
  }
  const p = scope.param(op.param);
  return { c: isNumber(p) ? p : undefined };
}

function numSql(n: Num, dialect: DialectName): RawBuilder<unknown> | undefined {
  if ('e' in n) return n.e;
  return n.c === undefined ? undefined : numberParam(n.c, dialect);
}

function comparison(field: string, other: Operand, op: '=' | '<=' | '<' | '>=' | '>', scope: ConditionScope): Tri {
  const v = scope.value(field);
  if (!v || (v.kind !== 'integer' && v.kind !== 'number')) return NULL;
  const b = numSql(operand(other, scope), scope.dialect);
  // A NULL on either side (missing, or not a number) leaves the comparison NULL: undecided.
  return b ? { e: sql`(${v.expr} ${sql.raw(op)} ${b})` } : NULL;
}

/** A real calendar date written YYYY-MM-DD (rules.ts dateParts), never undecided. */
function validDate(expr: RawBuilder<unknown>, dialect: DialectName): RawBuilder<unknown> {
  const shape = dialect === 'postgres'
    ? sql`${expr} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`
    : sql`${expr} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;
  const y = sql`cast(substr(${expr}, 1, 4) as integer)`;
  const m = sql`cast(substr(${expr}, 6, 2) as integer)`;
  const d = sql`cast(substr(${expr}, 9, 2) as integer)`;
  const leap = sql`((${y} % 4 = 0 and ${y} % 100 <> 0) or ${y} % 400 = 0)`;
  const days = sql`(case when ${m} in (1, 3, 5, 7, 8, 10, 12) then 31 when ${m} in (4, 6, 9, 11) then 30 when ${leap} then 29 else 28 end)`;
  // Nested CASE, not AND: the casts run only on text of the right shape (PostgreSQL does not
  // promise the order of AND's operands).
  return sql`(case when ${shape} then (case when ${m} between 1 and 12 and ${d} between 1 and ${days} then true else false end) else false end)`;
}

function inMonth(field: string, year: Operand, month: Operand, scope: ConditionScope): Tri {
  const v = scope.value(field);
  if (!v || v.kind !== 'string') return NULL;
  const y = operand(year, scope);
  const m = operand(month, scope);
  const ys = numSql(y, scope.dialect);
  const ms = numSql(m, scope.dialect);
  if (!ys || !ms) return NULL;
  const decided = [sql`${validDate(v.expr, scope.dialect)}`];
  if ('e' in y) decided.push(sql`${y.e} is not null`);
  if ('e' in m) decided.push(sql`${m.e} is not null`);
  const same = sql`(cast(substr(${v.expr}, 1, 4) as integer) = ${ys} and cast(substr(${v.expr}, 6, 2) as integer) = ${ms})`;
  return onlyWhen({ e: sql`(${sql.join(decided, sql` and `)})` }, { e: same });
}

/** The condition as SQL, three-valued exactly as `evaluate` decides it. */
export function compileCondition(cond: Condition, scope: ConditionScope): Tri {
  const { dialect } = scope;
  if ('all' in cond) return and(cond.all.map((c) => compileCondition(c, scope)));
  if ('any' in cond) return or(cond.any.map((c) => compileCondition(c, scope)));
  if ('not' in cond) return not(compileCondition(cond.not, scope));
  // countTrue's three uses: as plain OR where it can (what a hand-written query would say), a sum for atMostOne.
  if ('anyTrue' in cond) return or(trueTests(cond.anyTrue, scope).map((e) => ({ e })));
  if ('noneTrue' in cond) return not(or(trueTests(cond.noneTrue, scope).map((e) => ({ e }))));
  if ('atMostOne' in cond) {
    const ones = trueTests(cond.atMostOne, scope).map((t) => sql`(case when ${t} then 1 else 0 end)`);
    return ones.length > 1 ? { e: sql`((${sql.join(ones, sql` + `)}) <= 1)` } : TRUE;
  }
  const field = cond.field;
  const v = scope.value(field);
  if ('filled' in cond) return cond.filled ? filled(v) : not(filled(v));
  if ('equals' in cond) {
    if (!v) return FALSE;
    // A stored value equal to a (non-empty) constant is filled; only a NULL must read as false.
    const eq = equalsCore(v, cond.equals, dialect);
    return v.nullable && 'e' in eq ? { e: sql`(${v.expr} is not null and ${eq.e})` } : eq;
  }
  if ('notEquals' in cond) return v ? onlyWhen(filled(v), not(equalsCore(v, cond.notEquals, dialect))) : NULL;
  if ('in' in cond) return v ? onlyWhen(filled(v), inCore(v, cond.in, dialect)) : NULL;
  if ('notIn' in cond) return v ? onlyWhen(filled(v), not(inCore(v, cond.notIn, dialect))) : NULL;
  if ('eq' in cond) return comparison(field, cond.eq, '=', scope);
  if ('lte' in cond) return comparison(field, cond.lte, '<=', scope);
  if ('lt' in cond) return comparison(field, cond.lt, '<', scope);
  if ('gte' in cond) return comparison(field, cond.gte, '>=', scope);
  if ('gt' in cond) return comparison(field, cond.gt, '>', scope);
  if ('inMonth' in cond) return inMonth(field, cond.inMonth.year, cond.inMonth.month, scope);
  // An operator rules.ts does not know is undecided there too.
  return NULL;
}
