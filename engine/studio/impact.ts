/**
 * What publishing a draft would do to stored data, before it is published: how many current
 * submissions its validator would reject and why (the first ones listed), and whether the table
 * migration is additive or refused, with the counts of rows that stand in the way (the same
 * check `publishDefinition` applies, run without changing anything).
 */
import type { FormModel } from '../model-types.js';
import type { ValidationIssue } from '../issues.js';
import type { Store } from '../storage/database.js';
import { effectiveTables, publishedTables, refusals } from '../storage/migrate.js';
import { loadSubmission } from '../storage/submissions.js';
import { formTables } from '../storage/table-spec.js';
import { validatorFor } from '../validator.js';

export interface Impact {
  /** Current submissions (the newest revision of each) checked against the draft. */
  readonly checked: number;
  readonly rejected: number;
  /** The first rejected ones, with the draft's messages. */
  readonly firstRejected: readonly { readonly id: string; readonly errors: readonly Pick<ValidationIssue, 'path' | 'label' | 'message'>[] }[];
  readonly migration: {
    /** Only new nullable columns (or nothing): stored data stays exactly as it is. */
    readonly additive: boolean;
    readonly addedColumns: readonly string[];
    /** Why publishing is refused: each names the column and the rows affected. */
    readonly refusals: readonly string[];
  };
}

const FIRST = 10;

/** `published`: the version in force now (reads the stored data exactly as saved). */
export async function draftImpact(store: Store, published: FormModel | undefined, draft: FormModel, now = new Date()): Promise<Impact> {
  const prev = await publishedTables(store, draft.id);
  const next = effectiveTables(formTables(draft), prev?.tables);
  const reasons = prev ? await refusals(store.db, prev.tables, next) : [];
  const before = new Set(prev ? [prev.tables.main, ...prev.tables.children].flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)) : []);
  const added = [next.main, ...next.children].flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)).filter((c) => prev && !before.has(c));

  let checked = 0;
  let rejected = 0;
  const firstRejected: Impact['firstRejected'][number][] = [];
  if (prev && published) {
    const validator = validatorFor(draft);
    const ids = (await store.db.selectFrom(prev.tables.main.name).select('_id').where('_current', '=', 1).orderBy('_created_at').execute()) as { _id: string }[];
    for (const { _id } of ids) {
      const stored = await loadSubmission(store, published, _id);
      if (!stored) continue;
      checked++;
      const errors = validator.validate(stored.data, { today: now });
      if (!errors.length) continue;
      rejected++;
      if (firstRejected.length < FIRST) firstRejected.push({ id: _id, errors: errors.map(({ path, label, message }) => ({ path, label, message })) });
    }
  }
  return { checked, rejected, firstRejected, migration: { additive: reasons.length === 0, addedColumns: added, refusals: reasons } };
}
