/**
 * Report roll-up: turns stored K/0 and R/1 data into the rows of a report, as the report
 * definition declares it (`x-rollup` on the report and on each column), never as code per column.
 * Counted in SQL (rollup-sql.ts); the document roll-up here is the reference it is tested against.
 *
 * Column declarations: `value` copies a K/0 field (a region code becomes its name); `count` counts
 * rows of a K/0 repeat that meet `where`; `countGroup` is 1 when the K/0 meets `where`; `flag`
 * reads a Ya/Tidak of the group's current R/1 of the report's month. Columns marked `x-input` come
 * from the province staff's saved entries.
 */
import type { FieldNode, FormModel, RepeatNode, TableRollup } from '../model-types.js';
import type { Operand } from '../rule-types.js';
import { indexModel } from '../model-index.js';
import { evaluate, type RuleEnv } from '../rules.js';
import { regionNames } from '../regions.js';
import { tablesFor } from '../storage/submissions.js';
import { idsInForce } from '../storage/entities.js';
import { rowsToSubmission, type Row } from '../storage/row-mapping.js';
import { NotCompilable, rollUpRowsSql } from './rollup-sql.js';
import type { Json, ReportParams, ReportSources } from './types.js';

const CHUNK = 500;

function paramValue(op: Operand, params: ReportParams): unknown {
  if (typeof op === 'object' && op !== null && 'param' in op) return params[op.param];
  return op;
}

/** The roll-up declaration of a table report and the repeat whose rows it builds. */
export function reportRows(report: FormModel): { decl: TableRollup; repeat: RepeatNode } {
  const decl = report.rollup;
  const repeat = decl?.kind === 'province' ? indexModel(report).repeats.get(decl.rows) : undefined;
  // The definition checks guarantee both for a loaded table report.
  if (decl?.kind !== 'province' || !repeat) throw new Error(`Report ${report.id} has no table roll-up.`);
  return { decl, repeat };
}

/**
 * Roll a report's rows up from stored data: `onRow` receives each finished row in display order
 * (district, Kampung KB, group name). The rows are counted in SQL (rollup-sql.ts), one query per
 * report, without rebuilding any group as a document.
 *
 * Two cases still go through the documents (`rollUpRowsByDocument`): a callback that takes the
 * second argument, `behind` (the drill-down, drill.ts), which answers synchronously what each
 * cell counted and so needs every row's data at hand; and a declaration the SQL compiler cannot
 * express (NotCompilable: a `flag` without `x-rollup.period`, a `where` reading a row column and a
 * card field of the same name but different types). Every shipped report compiles.
 */
export async function rollUpRows(
  sources: ReportSources, report: FormModel, params: ReportParams,
  inputs: ReadonlyMap<string, Json> = new Map(),
  onRow: (row: Json, behind: (column: string) => CellSource[]) => void,
): Promise<RollupCount> {
  if (onRow.length >= 2) return rollUpRowsByDocument(sources, report, params, inputs, onRow);
  const { decl, repeat } = reportRows(report);
  let counted;
  try {
    counted = await rollUpRowsSql(sources, report, decl, repeat.columns, params, inputs);
  } catch (e) {
    if (e instanceof NotCompilable) return rollUpRowsByDocument(sources, report, params, inputs, onRow);
    throw e;
  }
  for (const row of counted.rows) onRow(row, noSources);
  return { rows: counted.rows.length, received: counted.received };
}

const noSources = (): CellSource[] => [];

/**
 * The roll-up by documents, one chunk of groups at a time: each group's card rebuilt from its rows
 * and every column's declaration evaluated on it in JavaScript. What the SQL roll-up is tested
 * against, and what the drill-down reads.
 */
export async function rollUpRowsByDocument(
  sources: ReportSources, report: FormModel, params: ReportParams,
  inputs: ReadonlyMap<string, Json> = new Map(),
  onRow: (row: Json, behind: (column: string) => CellSource[]) => void,
): Promise<RollupCount> {
  const { store, forms } = sources;
  const { decl, repeat } = reportRows(report);
  const group = forms.get(decl.rowPer);
  if (!group) throw new Error(`Unknown form ${decl.rowPer}`);
  const groupTables = await tablesFor(store, group);
  const groupIdx = indexModel(group);

  // The card in force in the report's month for each group (engine/storage/entities.ts), in the
  // declared order; rows are keyed by the group (its entity), which the R/1 links to.
  const year = decl.period ? params[decl.period.year] : undefined;
  const month = decl.period ? params[decl.period.month] : undefined;
  const period = typeof year === 'number' ? { year, month: typeof month === 'number' ? month : undefined } : undefined;
  const narrow = (q: any) => (decl.filter ? q.where(decl.filter.field, '=', paramValue(decl.filter.equals, params) as never) : q);
  const inForce = await idsInForce(store.db, group, groupTables, period, narrow);
  let ordered = store.db.selectFrom(groupTables.main.name).select(['_id', '_entity']).where('_id', 'in', [...inForce.values()]);
  for (const f of decl.orderBy) if (groupIdx.rootFields.has(f)) ordered = ordered.orderBy(f);
  const cards = inForce.size ? ((await ordered.orderBy('_id').execute()) as Row[]) : [];
  const allIds = cards.map((r) => String(r._id));
  const entityOf = new Map(cards.map((r) => [String(r._id), String(r._entity ?? r._id)]));

  // Region codes that print as names (a `value` column copying a region field), loaded per chunk.
  const names = new Map<string, string>();
  const regionValueFields = repeat.columns
    .map((c) => (c.rollup?.kind === 'value' ? c.rollup.field : undefined))
    .filter((v): v is string => !!v && !!groupIdx.rootFields.get(v)?.region);

  // Period sources (R/1): which forms are read for "flag", and their current register per group.
  const flagForms = [...new Set(repeat.columns.map((c) => c.rollup?.from).filter((f): f is string => !!f && f !== decl.rowPer))];

  let n = 0;
  // Groups whose register of the report's month (R/1) has arrived, per period form.
  const received = new Map<string, number>(flagForms.map((f) => [f, 0]));
  for (let start = 0; start < allIds.length; start += CHUNK) {
    const chunk = allIds.slice(start, start + CHUNK);
    const mains = (await store.db.selectFrom(groupTables.main.name).selectAll().where('_id', 'in', chunk).execute()) as Row[];
    const byId = new Map(mains.map((m) => [String(m._id), m]));
    // child table → submission id → its rows
    const children = new Map<string, Map<string, Row[]>>();
    for (const child of groupTables.children) {
      const bySubmission = new Map<string, Row[]>();
      for (const r of (await store.db.selectFrom(child.name).selectAll().where('_submission_id', 'in', chunk).execute()) as Row[]) {
        const key = String(r._submission_id);
        let list = bySubmission.get(key);
        if (!list) bySubmission.set(key, (list = []));
        list.push(r);
      }
      children.set(child.name, bySubmission);
    }
    const codes = [...new Set(mains.flatMap((m) => regionValueFields.map((f) => m[f])).filter((c): c is string => typeof c === 'string' && !names.has(c)))];
    const found = await regionNames(store, codes);
    for (const c of codes) { const n = found(c); if (n !== undefined) names.set(c, n); }
    const periodData = new Map<string, Map<string, Json>>();
    const periodIds = new Map<string, Map<string, string>>();
    for (const formId of flagForms) {
      const model = forms.get(formId)!;
      const tables = await tablesFor(store, model);
      const link = [...indexModel(model).rootFields.values()].find((f) => f.refForm === decl.rowPer);
      if (!link) continue;
      let q = store.db.selectFrom(tables.main.name).selectAll().where('_current', '=', 1).where(link.key, 'in', chunk.map((id) => entityOf.get(id)!));
      if (decl.period) {
        q = q.where(decl.period.year, '=', params[decl.period.year] as never).where(decl.period.month, '=', params[decl.period.month] as never);
      }
      const rows = (await q.execute()) as Row[];
      periodData.set(formId, new Map(rows.map((r) => [String(r[link.key]), rowsToSubmission(model, { ...tables, children: [] }, r, new Map())])));
      periodIds.set(formId, new Map(rows.map((r) => [String(r[link.key]), String(r._id)])));
    }

    for (const id of chunk) {
      const main = byId.get(id)!;
      const kids = new Map<string, Row[]>();
      for (const child of groupTables.children) kids.set(child.name, children.get(child.name)?.get(id) ?? []);
      const data = rowsToSubmission(group, groupTables, main, kids);
      const entity = entityOf.get(id)!;
      const ctx = new ColumnContext(group, data, entity, params, periodData, names, inputs.get(entity), id, periodIds);
      for (const [formId, byGroup] of periodData) if (byGroup.has(entity)) received.set(formId, (received.get(formId) ?? 0) + 1);
      const row: Json = {};
      for (const col of repeat.columns) {
        const value = ctx.value(col);
        if (value !== undefined) row[col.key] = value;
      }
      onRow(row, (key) => {
        const col = repeat.columns.find((c) => c.key === key);
        return col ? ctx.behind(col) : [];
      });
      n++;
    }
  }
  return { rows: n, received };
}

/** How many rows a roll-up made, and for how many of them each period form (R/1) had arrived. */
export interface RollupCount {
  readonly rows: number;
  readonly received: ReadonlyMap<string, number>;
}

/**
 * One group's data as the column declarations read it. One environment for the group and one
 * for its rows (pointed at each row in turn), so 10,000 groups do not make millions of closures.
 */
class ColumnContext {
  private readonly rootEnv: RuleEnv;
  private readonly rowEnv: RuleEnv;
  private row: Json = {};

  constructor(
    private readonly group: FormModel,
    private readonly data: Json,
    private readonly id: string,
    params: ReportParams,
    private readonly periodData: ReadonlyMap<string, ReadonlyMap<string, Json>>,
    private readonly regionNames: ReadonlyMap<string, string>,
    private readonly inputs: Json | undefined,
    private readonly cardId: string = id,
    private readonly periodIds: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(),
  ) {
    const idx = indexModel(group);
    const rootValue = (name: string): unknown => {
      const f = idx.rootFields.get(name);
      if (!f) return undefined;
      const [, section, key] = f.pointer.split('/');
      return (data[section!] as Json | undefined)?.[key!];
    };
    const count = (repeat: string) => (Array.isArray(data[repeat]) ? (data[repeat] as unknown[]).length : 0);
    const param = (name: string) => params[name];
    const today = new Date();
    this.rootEnv = { value: rootValue, count, param, today };
    this.rowEnv = { value: (name) => (name in this.row ? this.row[name] : rootValue(name)), count, param, today };
  }

  value(col: FieldNode): unknown {
    if (col.input) return this.inputs?.[col.key];
    const decl = col.rollup;
    if (!decl) return undefined;
    switch (decl.kind) {
      case 'value': {
        if (decl.field === 'id') return this.id;
        const v = this.rootEnv.value(decl.field);
        return indexModel(this.group).rootFields.get(decl.field)?.region && typeof v === 'string' ? (this.regionNames.get(v) ?? v) : v;
      }
      case 'count': {
        const rows = Array.isArray(this.data[decl.repeat]) ? (this.data[decl.repeat] as Json[]) : [];
        if (!decl.where) return rows.length;
        let n = 0;
        for (const r of rows) {
          this.row = r;
          if (evaluate(decl.where, this.rowEnv) === true) n++;
        }
        return n;
      }
      case 'countGroup':
        return !decl.where || evaluate(decl.where, this.rootEnv) === true ? 1 : 0;
      case 'flag': {
        const register = this.periodData.get(decl.from)?.get(this.id);
        // No register for the month yet: "belum lapor" (blank), never "Tidak".
        if (!register) return undefined;
        for (const section of Object.values(register)) {
          if (section && typeof section === 'object' && !Array.isArray(section) && decl.field in (section as Json)) return (section as Json)[decl.field] === true;
        }
        return false;
      }
    }
  }

  /** The items a cell counts (see CellSource); none for a value copied or entered. */
  behind(col: FieldNode): CellSource[] {
    const decl = col.rollup;
    if (!decl || col.input) return [];
    const card = { formId: this.group.id, submissionId: this.cardId };
    switch (decl.kind) {
      case 'value':
        return [];
      case 'count': {
        const rows = Array.isArray(this.data[decl.repeat]) ? (this.data[decl.repeat] as Json[]) : [];
        const out: CellSource[] = [];
        rows.forEach((r, i) => {
          this.row = r;
          if (!decl.where || evaluate(decl.where, this.rowEnv) === true) out.push({ ...card, repeat: decl.repeat, row: i });
        });
        return out;
      }
      case 'countGroup':
        return this.value(col) === 1 ? [card] : [];
      case 'flag': {
        const id = this.periodIds.get(decl.from)?.get(this.id);
        return id && this.value(col) === true ? [{ formId: decl.from, submissionId: id }] : [];
      }
    }
  }
}

/**
 * What a cell counts, so a report can link each number to the rows behind it: the members of a
 * `count` column (submission and row), the group of a `countGroup` 1, the register of a `flag`
 * "Ya". As many items as the number says (a flag's total counts its "Ya" rows).
 */
export interface CellSource {
  /** The submission to open: the group's card, or its register of the month. */
  readonly formId: string;
  readonly submissionId: string;
  /** The repeat and its row, for a member counted. */
  readonly repeat?: string;
  readonly row?: number;
}

/** Sums of the numeric columns and counts of "Ya" of the boolean ones, for the totals row. */
export function totalsOf(repeat: RepeatNode, rows: readonly Json[]): Json {
  const totals: Json = {};
  for (const col of repeat.columns) {
    if (col.valueType === 'integer' || col.valueType === 'number') totals[col.key] = rows.reduce((s, r) => s + (typeof r[col.key] === 'number' ? (r[col.key] as number) : 0), 0);
    if (col.valueType === 'boolean') totals[col.key] = rows.filter((r) => r[col.key] === true).length;
  }
  return totals;
}

