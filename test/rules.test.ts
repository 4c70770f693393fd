/** The three-valued conditions of x-rules, roll-ups and show-when, evaluated directly. */
import { describe, expect, it } from 'vitest';
import { evaluate, type RuleEnv } from '../engine/rules.js';
import type { Condition } from '../engine/rule-types.js';

const env = (values: Record<string, unknown>): RuleEnv => ({
  value: (f) => values[f],
  count: (r) => (Array.isArray(values[r]) ? (values[r] as unknown[]).length : undefined),
  param: (p) => values[`param:${p}`],
  today: new Date('2026-11-29T00:00:00Z'),
});

describe('conditions', () => {
  const usiaLte = (n: number): Condition => ({ field: 'usia', lte: n });
  const cases: [string, Condition, Record<string, unknown>, boolean | undefined][] = [
    ['all: every part true', { all: [usiaLte(40), { field: 'status', equals: 'pus' }] }, { usia: 30, status: 'pus' }, true],
    ['all: one false decides, even beside an undecided part', { all: [usiaLte(20), { field: 'x', lt: 3 }] }, { usia: 30 }, false],
    ['all: undecided when no part is false and one is undecided', { all: [usiaLte(40), { field: 'x', lt: 3 }] }, { usia: 30 }, undefined],
    ['any: one true decides, even beside an undecided part', { any: [{ field: 'x', lt: 3 }, usiaLte(40)] }, { usia: 30 }, true],
    ['any: undecided when no part is true and one is undecided', { any: [usiaLte(20), { field: 'x', lt: 3 }] }, { usia: 30 }, undefined],
    ['any: false when every part is false', { any: [usiaLte(20), { field: 'status', equals: 'pus' }] }, { usia: 30, status: 'non_pus' }, false],
    ['not of undecided stays undecided', { not: { field: 'x', lt: 3 } }, {}, undefined],
    ['not of false', { not: usiaLte(20) }, { usia: 30 }, true],
    ['a sum with a missing part counts what is there', { field: 'total', eq: { sum: ['a', 'b'] } }, { total: 5, a: 5 }, true],
    ['a count of rows', { field: 'jumlah', eq: { count: 'anggota' } }, { jumlah: 2, anggota: [{}, {}] }, true],
    ['this year', { field: 'tahun', lte: { today: 'year' } }, { tahun: 2027 }, false],
    ['a date in the month of the report', { field: 'tanggal', inMonth: { year: { param: 'tahun' }, month: { param: 'bulan' } } }, { tanggal: '2026-03-31', 'param:tahun': 2026, 'param:bulan': 3 }, true],
    ['an impossible date is undecided, not false', { field: 'tanggal', inMonth: { year: 2026, month: 2 } }, { tanggal: '2026-02-30' }, undefined],
    ['at most one Ya', { atMostOne: ['a', 'b', 'c'] }, { a: true, b: true }, false],
    ['none Ya', { noneTrue: ['a', 'b'] }, { a: false }, true],
  ];
  it.each(cases)('%s', (_name, cond, values, expected) => {
    expect(evaluate(cond, env(values))).toBe(expected);
    // Compiled once per condition object and reused: an evaluation in between with other values
    // leaves nothing behind.
    evaluate(cond, env({ usia: 99, status: 'x', a: true, b: true, c: true }));
    expect(evaluate(cond, env(values))).toBe(expected);
  });
});
