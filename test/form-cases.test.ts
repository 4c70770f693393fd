/**
 * Runs every definition's own test cases: each `examples` entry must be valid, and each
 * `x-test-cases` entry (an example with a JSON Patch applied) must produce exactly its errors and warnings (`peringatan` rules).
 * A staff member who edits a form edits its tests in the same file.
 */
import { describe, expect, it } from 'vitest';
import fjp from 'fast-json-patch';
import { loadForms, validatorFor } from '../engine/index.js';

interface TestCase {
  name: string;
  example?: number;
  today?: string;
  patch?: fjp.Operation[];
  data?: unknown;
  errors: { path: string; label?: string; message: string }[];
  warnings?: { path: string; label?: string; message: string }[];
}

const forms = loadForms();

describe.each([...forms.values()].map((m) => [m.id, m] as const))('form %s', (_id, model) => {
  const validator = validatorFor(model);
  const examples = model.schema.examples as unknown[];
  const cases = (model.schema['x-test-cases'] ?? []) as TestCase[];

  it.each(examples.map((e, i) => [i, e] as const))('example %i is valid', (_i, example) => {
    expect(validator.check(example, { today: new Date('2026-11-29T00:00:00Z') })).toEqual({ errors: [], warnings: [] });
  });

  it('ships at least one invalid case', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const base = structuredClone(examples[c.example ?? 0]);
    const data = c.data ?? fjp.applyPatch(base, c.patch ?? [], true, false).newDocument;
    const today = new Date(`${c.today ?? '2026-11-29'}T00:00:00Z`);
    const checked = validator.check(data, { today });
    const shape = (issues: typeof checked.errors) => issues.map(({ path, label, message }) => ({ path, label, message }));
    const expected = (want: TestCase['errors'], got: ReturnType<typeof shape>) =>
      want.map((e) => ({ path: e.path, label: e.label ?? got.find((g) => g.path === e.path)?.label, message: e.message }));
    const errors = shape(checked.errors);
    const warnings = shape(checked.warnings);
    expect(errors).toEqual(expected(c.errors, errors));
    // A case that names no warnings still fails on an unexpected one.
    expect(warnings).toEqual(expected(c.warnings ?? [], warnings));
  });
});
