/**
 * The rows an export reads, in pages: the submissions a list shows (the viewer's region, the
 * list's filters), walked by keyset on `_id` (the primary key's index, in both dialects) so that
 * page 200 costs what page 1 does, never an OFFSET over 100,000 rows. Each page's repeat rows
 * are read by the page's ids (the child table's primary key starts with `_submission_id`).
 */
import type { SelectQueryBuilder } from 'kysely';
import { tablesFor, type FormModel, type FormTables, type Row, type Store } from '../../engine/index.js';
import type { RegionScope } from '../access.js';
import type { AppDeps } from '../context.js';
import { scoped } from '../record-region.js';
import { filtered, type Filters } from '../submissions-query.js';

/** Main rows read per query: large enough to amortise a round trip, small enough to stay flat. */
export const PAGE_ROWS = 500;

export interface ExportSelection {
  readonly model: FormModel;
  readonly tables: FormTables;
  /** The filtered, scoped main-table query, without select or order. */
  readonly base: SelectQueryBuilder<any, any, any>;
  /** Main rows per page. */
  readonly pageRows: number;
}

/**
 * The main table narrowed as the submission list narrows it (the viewer's scope, then the list's
 * own `filtered`; test/export.test.ts holds the two to the same ids), and to what was stored when
 * the export began: a save during a long download is in neither the main table's
 * file nor its repeats' files, so the two always agree.
 */
export async function exportSelection(deps: Pick<AppDeps, 'store' | 'forms'>, model: FormModel, filters: Filters, scope: RegionScope, until: string, pageRows = PAGE_ROWS): Promise<ExportSelection> {
  const { store } = deps;
  const tables = await tablesFor(store, model);
  let q = await scoped(deps, model, store.db.selectFrom(tables.main.name), scope);
  q = await filtered(deps, model, q, filters);
  return { model, tables, base: q.where('_created_at', '<=', until), pageRows };
}

/** The selection's main rows (every column, or only `_id`), one page at a time, in `_id` order. */
export async function* mainPages(sel: ExportSelection, columns: 'all' | 'ids' = 'all'): AsyncGenerator<Row[]> {
  const size = sel.pageRows;
  let after: string | undefined;
  for (;;) {
    let q = sel.base;
    if (after !== undefined) q = q.where('_id', '>', after);
    const page = (await (columns === 'all' ? q.selectAll() : q.select('_id')).orderBy('_id').limit(size).execute()) as Row[];
    if (!page.length) return;
    yield page;
    if (page.length < size) return;
    after = String(page[page.length - 1]!._id);
  }
}

/** The rows of one repeat for a page of submissions, by submission and row number. */
export async function repeatRows(store: Store, table: string, ids: readonly string[]): Promise<Row[]> {
  if (!ids.length) return [];
  return (await store.db.selectFrom(table).selectAll().where('_submission_id', 'in', ids as string[]).orderBy('_submission_id').orderBy('_row').execute()) as Row[];
}
