/**
 * The rule compiler's `all` / `any` / `not` (engine/reports/rollup-sql-condition.ts) against
 * rules.ts on every mix of parts decided while compiling (a field the document never has:
 * `equals` is false, `notEquals` undecided) and parts left to SQL (a stored text column, filled
 * or NULL): each compiled condition is run in SQLite and must answer as `evaluate` does.
 * The roll-up test's generated data never has decided parts inside a junction; this does.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCondition, triSql, type ConditionScope } from '../engine/reports/rollup-sql-condition.js';
import { evaluate, type RuleEnv } from '../engine/rules.js';
import type { Condition } from '../engine/rule-types.js';

const raw = new Database(':memory:');
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
afterAll(() => db.destroy());

/** Leaves: decided false, decided undecided, and SQL over the column `x` (true, false or NULL by row). */
const LEAVES: readonly Condition[] = [
  { field: 'tidak_ada', equals: 'a' },
  { field: 'tidak_ada', notEquals: 'a' },
  { field: 'x', equals: 'a' },
  { field: 'x', notEquals: 'a' },
];

/** Every `all`, `any` and `not` of up to two leaves, and one level of nesting over those. */
function conditions(): Condition[] {
  const pairs = LEAVES.flatMap((a) => LEAVES.map((b) => [a, b] as const));
  const level1: Condition[] = [...LEAVES, ...pairs.flatMap(([a, b]) => [{ all: [a, b] }, { any: [a, b] }]), ...LEAVES.map((a) => ({ not: a }))];
  const nested = level1.slice(LEAVES.length, LEAVES.length + 12);
  return [...level1, ...nested.flatMap((c) => [{ not: c }, { all: [c, LEAVES[0]!] }, { any: [c, LEAVES[1]!] }, { all: [] }, { any: [] }] as Condition[])];
}

describe('three-valued junctions compiled to SQL', () => {
  it('answer as rules.ts does, for a stored value that matches, differs or is missing', async () => {
    const conds = conditions();
    for (const stored of ['a', 'b', null] as const) {
      const scope: ConditionScope = {
        dialect: 'sqlite',
        value: (name) => (name === 'x' ? { expr: sql`${stored}`, kind: 'string', nullable: true } : undefined),
        count: () => sql`0`,
        param: () => undefined,
        today: new Date(),
      };
      const env: RuleEnv = { value: (name) => (name === 'x' && stored !== null ? stored : undefined), count: () => 0, param: () => undefined, today: new Date() };
      for (const cond of conds) {
        const compiled = triSql(compileCondition(cond, scope));
        const row = (await sql<{ r: number | null }>`select (${compiled}) as r`.execute(db)).rows[0]!;
        const got = row.r === null ? undefined : row.r === 1;
        expect({ cond, stored, got }).toEqual({ cond, stored, got: evaluate(cond, env) });
      }
    }
  });
});
