/**
 * A definition's own test cases, run as the studio's publish gate and by the test suite: every
 * `examples` entry is valid, and every `x-test-cases` entry (an example with a JSON Patch applied,
 * or whole data) gives exactly its errors and warnings (path and message; label when given).
 */
import fjp from 'fast-json-patch';
import type { FormModel } from '../model-types.js';
import { validatorFor } from '../validator.js';

export interface TestCase {
  readonly name: string;
  readonly example?: number;
  readonly today?: string;
  readonly patch?: fjp.Operation[];
  readonly data?: unknown;
  readonly errors: readonly { readonly path: string; readonly label?: string; readonly message: string }[];
  readonly warnings?: readonly { readonly path: string; readonly label?: string; readonly message: string }[];
}

export interface CaseFailure {
  /** "Contoh 1" or the case's name. */
  readonly name: string;
  /** What differed, in Indonesian, for the staff who wrote the case. */
  readonly message: string;
}

/** The day examples are checked on when a case names none (date rules compare with "today"). */
const DEFAULT_TODAY = '2026-11-29';

type Issue = { path: string; label?: string; message: string };
const key = (i: Issue, withLabel: boolean) => `${i.path} | ${withLabel ? `${i.label ?? ''} | ` : ''}${i.message}`;

function compare(kind: string, want: readonly Issue[], got: readonly Issue[]): string | undefined {
  const withLabel = want.some((w) => w.label !== undefined);
  const a = want.map((w) => key(w, withLabel && w.label !== undefined)).sort();
  const b = got.map((g) => key(g, withLabel && want.some((w) => w.path === g.path && w.label !== undefined))).sort();
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  const missing = a.filter((x) => !b.includes(x));
  const extra = b.filter((x) => !a.includes(x));
  return [
    missing.length ? `${kind} yang diharapkan tidak muncul: ${missing.join('; ')}` : '',
    extra.length ? `${kind} yang muncul tanpa diharapkan: ${extra.join('; ')}` : '',
  ].filter(Boolean).join('. ');
}

/** Every failing example or case of `model`; empty when all pass. */
export function runTestCases(model: FormModel): CaseFailure[] {
  const validator = validatorFor(model);
  const examples = (model.schema.examples as unknown[] | undefined) ?? [];
  const cases = (model.schema['x-test-cases'] as TestCase[] | undefined) ?? [];
  const failures: CaseFailure[] = [];
  examples.forEach((example, i) => {
    const { errors, warnings } = validator.check(example, { today: new Date(`${DEFAULT_TODAY}T00:00:00Z`) });
    if (errors.length || warnings.length) {
      failures.push({ name: `Contoh ${i + 1}`, message: `Contoh harus sah tanpa peringatan, tetapi: ${[...errors, ...warnings].map((e) => `${e.label}: ${e.message}`).join('; ')}` });
    }
  });
  for (const c of cases) {
    const base = structuredClone(examples[c.example ?? 0]);
    let data: unknown;
    try {
      data = c.data ?? fjp.applyPatch(base, c.patch ?? [], true, false).newDocument;
    } catch (e) {
      failures.push({ name: c.name, message: `Patch kasus uji tidak dapat diterapkan: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    const checked = validator.check(data, { today: new Date(`${c.today ?? DEFAULT_TODAY}T00:00:00Z`) });
    const problems = [compare('Galat', c.errors, checked.errors), compare('Peringatan', c.warnings ?? [], checked.warnings)].filter(Boolean);
    if (problems.length) failures.push({ name: c.name, message: problems.join('. ') });
  }
  return failures;
}
