/**
 * An export as tables: the main table (one line per submission) and one per repeat (one line
 * per row, linked by the submission's id), each read page by page only while it is written.
 * Personal fields are masked in the columns for viewers who do not see them.
 */
import { regionNames, tablesFor, type FormModel, type RepeatNode, type Row, type Store } from '../../engine/index.js';
import { mainColumns, referenceIds, regionCodes, repeatColumns, type ExportColumn, type ExportContext } from './export-columns.js';
import { mainPages, repeatRows, type ExportSelection } from './export-query.js';

export interface RecordPage<R> {
  readonly records: readonly R[];
  /** Names of the regions and linked records this page holds. */
  readonly ctx: ExportContext;
}

export interface ExportTable<R = any> {
  /** `utama` for the main table, else the repeat's key. */
  readonly key: string;
  readonly title: string;
  readonly columns: readonly ExportColumn<R>[];
  /** The table's records, one page per database read. */
  pages(): AsyncIterable<RecordPage<R>>;
}

/** The titles of the linked records in force now (a group's name for a register), one look-up per form. */
async function referenceNames(store: Store, forms: ReadonlyMap<string, FormModel> | undefined, wanted: Map<string, string[]>): Promise<ExportContext['referenceName']> {
  if (!forms || !wanted.size) return undefined;
  const names = new Map<string, Map<string, string>>();
  for (const [formId, ids] of wanted) {
    const target = forms.get(formId);
    const title = target?.titleField;
    if (!target || !title || !ids.length) continue;
    const tables = await tablesFor(store, target);
    const rows = (await store.db.selectFrom(tables.main.name).select(['_entity', title]).where('_current', '=', 1).where('_entity', 'in', ids).execute()) as Row[];
    names.set(formId, new Map(rows.map((r) => [String(r._entity), String(r[title])])));
  }
  return (form, id) => names.get(form)?.get(id);
}

async function named(store: Store, forms: ReadonlyMap<string, FormModel> | undefined, columns: readonly ExportColumn[], records: readonly Row[]): Promise<RecordPage<Row>> {
  const codes = regionCodes(columns, records);
  const referenceName = await referenceNames(store, forms, referenceIds(columns, records));
  return { records, ctx: { ...(codes.length ? { regionName: await regionNames(store, codes) } : {}), ...(referenceName ? { referenceName } : {}) } };
}

function mainTable(store: Store, sel: ExportSelection, full: boolean, forms?: ReadonlyMap<string, FormModel>): ExportTable<Row> {
  const columns = mainColumns(sel.model, full);
  return {
    key: 'utama', title: sel.model.code, columns,
    async* pages() {
      for await (const rows of mainPages(sel)) yield named(store, forms, columns, rows);
    },
  };
}

function repeatTable(store: Store, sel: ExportSelection, part: RepeatNode, full: boolean, forms?: ReadonlyMap<string, FormModel>): ExportTable<Row> | undefined {
  const spec = sel.tables.children.find((t) => t.repeat === part.key);
  if (!spec) return undefined;
  const columns = repeatColumns(part, full);
  return {
    key: part.key, title: part.title, columns,
    async* pages() {
      for await (const ids of mainPages(sel, 'ids')) {
        const rows = await repeatRows(store, spec.name, ids.map((r) => String(r._id)));
        if (rows.length) yield named(store, forms, columns, rows);
      }
    },
  };
}

/**
 * The main table and, unless `mainOnly`, one table per repeat, in the definition's order. `forms`
 * names linked records (a register's group); without it a link shows its id only.
 */
export function exportTables(store: Store, sel: ExportSelection, full: boolean, mainOnly = false, forms?: ReadonlyMap<string, FormModel>): ExportTable[] {
  const repeats = mainOnly ? [] : sel.model.parts.flatMap((p) => (p.kind === 'repeat' ? [repeatTable(store, sel, p, full, forms)].filter((t) => t !== undefined) : []));
  return [mainTable(store, sel, full, forms), ...repeats];
}
