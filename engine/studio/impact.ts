/**
 * What publishing a draft would do to stored data, before it is published: how many current
 * submissions its validator would reject and why (the first ones listed), and whether the table
 * migration is additive or refused, with the counts of rows that stand in the way (the same
 * check `publishDefinition` applies, run without changing anything).
 */
import type { FormModel } from '../model-types.js';
import type { ValidationIssue } from '../issues.js';
import type { Store } from '../storage/database.js';
import { migrationPlan, publishedTables } from '../storage/migrate.js';
import { loadSubmission } from '../storage/submissions.js';
import { carryFormerKeys } from '../rename-key.js';
import { validatorFor } from '../validator.js';

export interface Impact {
  /** Current submissions (the newest revision of each) checked against the draft. */
  readonly checked: number;
  readonly rejected: number;
  /**
   * Submissions whose stored data the new version holds differently: a value under a renamed key
   * (the migration carries it to the new key; nothing is lost).
   */
  readonly changed: number;
  /** The first rejected ones, with the draft's messages. */
  readonly firstRejected: readonly { readonly id: string; readonly errors: readonly Pick<ValidationIssue, 'path' | 'label' | 'message'>[] }[];
  readonly migration: {
    /** Only new nullable columns (or nothing): stored data stays exactly as it is. */
    readonly additive: boolean;
    readonly addedColumns: readonly string[];
    /** Columns renamed, "tabel.lama → baru": the rows keep their values under the new name. */
    readonly renamedColumns: readonly string[];
    /** Why publishing is refused: each names the column and the rows affected. */
    readonly refusals: readonly string[];
  };
}

const FIRST = 10;

/** `published`: the version in force now (reads the stored data exactly as saved). */
export async function draftImpact(store: Store, published: FormModel | undefined, draft: FormModel, now = new Date()): Promise<Impact> {
  const prev = await publishedTables(store, draft.id);
  const plan = prev ? await migrationPlan(store.db, prev.tables, draft) : undefined;
  const next = plan?.next;
  const reasons = plan?.refusals ?? [];
  const before = new Set(plan ? [plan.before.main, ...plan.before.children].flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)) : []);
  const added = next ? [next.main, ...next.children].flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)).filter((c) => !before.has(c)) : [];

  let checked = 0;
  let rejected = 0;
  let changed = 0;
  const firstRejected: Impact['firstRejected'][number][] = [];
  if (prev && published) {
    const validator = validatorFor(draft);
    const ids = (await store.db.selectFrom(prev.tables.main.name).select('_id').where('_current', '=', 1).orderBy('_created_at').execute()) as { _id: string }[];
    for (const { _id } of ids) {
      const stored = await loadSubmission(store, published, _id);
      if (!stored) continue;
      checked++;
      const data = carryFormerKeys(draft, stored.data);
      if (JSON.stringify(data) !== JSON.stringify(stored.data)) changed++;
      const errors = validator.validate(data, { today: now });
      if (!errors.length) continue;
      rejected++;
      if (firstRejected.length < FIRST) firstRejected.push({ id: _id, errors: errors.map(({ path, label, message }) => ({ path, label, message })) });
    }
  }
  const renamedColumns = (plan?.renames ?? []).map((r) => `${r.table}.${r.from} → ${r.to}`);
  return { checked, rejected, changed, firstRejected, migration: { additive: reasons.length === 0 && !renamedColumns.length, addedColumns: added, renamedColumns, refusals: reasons } };
}
