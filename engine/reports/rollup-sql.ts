/**
 * The table report's roll-up as one SQL query (through kysely, both dialects): the group cards in
 * force (idsInForce, the same choice the document roll-up makes), each repeat's rows counted per
 * card by filtered aggregates (`count(*) filter (where …)`, which SQLite ≥ 3.30 and PostgreSQL
 * both have), `countGroup` as a CASE on the card, each period form's register of the month (the R/1)
 * joined for `flag` and the `received` counts, ordered as the report declares. No group is rebuilt
 * as a document; the rows come back already counted.
 *
 * Column semantics are those of the document roll-up (rollup.ts, `rollUpRowsByDocument`), which a
 * test holds this to on generated data: `where` rules compile through rollup-sql-condition.ts.
 * A declaration that cannot be expressed here throws NotCompilable while the query is built
 * (nothing has run), and rollup.ts then rolls that report up by documents.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { FieldNode, FormModel, TableRollup } from '../model-types.js';
import type { Condition, Operand } from '../rule-types.js';
import { indexModel } from '../model-index.js';
import { regionNames } from '../regions.js';
import { tablesFor } from '../storage/submissions.js';
import { idsInForce } from '../storage/entities.js';
import type { DialectName } from '../storage/ddl.js';
import type { ColumnSpec, FormTables, TableSpec } from '../storage/table-spec.js';
import { compileCondition, NotCompilable, triSql, type ConditionScope, type SqlValue, type ValueKind } from './rollup-sql-condition.js';
import type { Json, ReportParams, ReportSources } from './types.js';

function paramValue(op: Operand, params: ReportParams): unknown {
  if (typeof op === 'object' && op !== null && 'param' in op) return params[op.param];
  return op;
}

function kindOf(c: ColumnSpec): ValueKind {
  const t = c.field?.valueType;
  return t === 'boolean' || t === 'integer' || t === 'number' ? t : 'string';
}

/** A stored cell as the rebuilt document holds it (row-mapping.ts fromCell); pg's bigints arrive as text. */
function fromCell(kind: ValueKind, cell: unknown): unknown {
  if (cell === null || cell === undefined) return undefined;
  if (kind === 'boolean') return Number(cell) === 1;
  if (kind === 'integer' || kind === 'number') return Number(cell);
  return String(cell);
}

/** The main-table column of a root field (section and key), as rowsToSubmission reads it. */
function rootColumn(model: FormModel, tables: FormTables, name: string): { column: ColumnSpec; optional?: string } | undefined {
  const f = indexModel(model).rootFields.get(name);
  if (!f) return undefined;
  const [, section, key] = f.pointer.split('/');
  const column = tables.main.columns.find((c) => c.field?.section === section && c.field?.key === key);
  if (!column) return undefined;
  return { column, optional: tables.optionalSections.includes(section!) ? section : undefined };
}

/** A root field read through table alias `alias`: NULL when its optional section is absent. */
function rootValue(model: FormModel, tables: FormTables, alias: string, name: string): SqlValue | undefined {
  const found = rootColumn(model, tables, name);
  if (!found) return undefined;
  const ref = sql.ref(`${alias}.${found.column.name}`);
  if (found.optional) return { expr: sql`(case when ${sql.ref(`${alias}._ada_${found.optional}`)} = 1 then ${ref} end)`, kind: kindOf(found.column), nullable: true };
  return { expr: sql`${ref}`, kind: kindOf(found.column), nullable: !found.column.notNull };
}

/** The cards' ids as one parameter (a JSON array in SQLite, a text[] in PostgreSQL): no limit on how many. */
export function inIds(dialect: DialectName, column: string, ids: readonly string[]): RawBuilder<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} = any(cast(${ids} as text[]))`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`;
}

interface Plan {
  readonly select: (q: any) => any;
  readonly read: (row: Record<string, unknown>, entity: string, inputs: Json | undefined) => unknown;
  /**
   * The column's share of the totals row (totalsOf) as SQL on the row query: the number a number
   * column adds, 1 where a boolean column is "Ya". Undefined for entered (x-input) columns.
   */
  readonly total?: RawBuilder<unknown>;
}

/** Per period form: the joined register's alias and its link field. */
interface PeriodJoin {
  readonly formId: string;
  readonly alias: string;
  readonly model: FormModel;
  readonly tables: FormTables;
  readonly link: FieldNode;
}

export interface SqlRollup {
  readonly rows: readonly Json[];
  readonly received: ReadonlyMap<string, number>;
}

/** A report's columns compiled for one set of parameters: the row query for any set of card ids. */
export interface Compiled {
  readonly group: FormModel;
  readonly groupTables: FormTables;
  readonly flagForms: readonly string[];
  readonly joins: readonly PeriodJoin[];
  readonly plans: readonly Plan[];
  /** Aliases of `value` columns holding region codes, printed as names. */
  readonly regionFields: ReadonlySet<string>;
  /** Parameters the compiled conditions read. */
  readonly paramsRead: ReadonlySet<string>;
  /**
   * One row per card of `ids` (or per card `ids` holds true for, a condition on alias `g`): `_id`,
   * `_entity`, each join's `<alias>_id`, and the plans' columns. `scan`: count every card's repeat
   * rows and keep those of `ids` by the join (when `ids` is most of the table, a scan in key order
   * beats looking each card up).
   */
  rows(ids: readonly string[] | RawBuilder<SqlBool>, scan?: boolean): any;
}

const ZERO = sql`0`;

/** Throws NotCompilable for what SQL cannot express; runs no query but the table lookups. */
export async function compile(sources: ReportSources, decl: TableRollup, columns: readonly FieldNode[], params: ReportParams): Promise<Compiled> {
  const { store, forms } = sources;
  const group = forms.get(decl.rowPer);
  if (!group) throw new Error(`Unknown form ${decl.rowPer}`);
  const groupTables = await tablesFor(store, group);
  const dialect = store.dialect;
  const db = store.db as Kysely<any>;

  const flagForms = [...new Set(columns.map((c) => c.rollup?.from).filter((f): f is string => !!f && f !== decl.rowPer))];
  // Without a period, a group may have several current registers and the document roll-up keeps
  // whichever the database returns last: no query can promise the same one.
  if (!decl.period && columns.some((c) => !c.input && c.rollup?.kind === 'flag' && c.rollup.from !== decl.rowPer)) {
    throw new NotCompilable('flag without x-rollup.period');
  }
  const joins: PeriodJoin[] = [];
  for (const [i, formId] of flagForms.entries()) {
    const model = forms.get(formId);
    if (!model) throw new Error(`Unknown form ${formId}`);
    const link = [...indexModel(model).rootFields.values()].find((f) => f.refForm === decl.rowPer);
    if (link) joins.push({ formId, alias: `p${i}`, model, tables: await tablesFor(store, model), link });
  }

  const today = new Date();
  const paramsRead = new Set<string>();
  const param = (name: string) => {
    paramsRead.add(name);
    return params[name];
  };
  const childOf = (repeat: string) => groupTables.children.find((t) => t.repeat === repeat);
  /** Rows of a repeat of the card whose id is `sid`, as the document's array length. */
  const countRows = (sid: string) => (repeat: string): RawBuilder<unknown> => {
    const child = childOf(repeat);
    if (!child) return sql`0`;
    const n = sql`(select count(*) from ${sql.table(child.name)} as cnt where cnt._submission_id = ${sql.ref(sid)})`;
    return groupTables.optionalSections.includes(repeat) ? sql`(case when ${sql.ref(`g._ada_${repeat}`)} = 1 then ${n} else 0 end)` : n;
  };
  const rootScope: ConditionScope = { dialect, value: (name) => rootValue(group, groupTables, 'g', name), count: countRows('g._id'), param, today };

  const plans: Plan[] = [];
  const regionFields = new Set<string>();
  // One aggregate subquery per repeat that a `count` column reads.
  const perRepeat = new Map<string, { child: TableSpec; selects: RawBuilder<unknown>[]; root: boolean }>();
  let n = 0;
  for (const col of columns) {
    const alias = `c${n++}`;
    const numeric = col.valueType === 'integer' || col.valueType === 'number';
    const yes = col.valueType === 'boolean';
    /** What totalsOf adds for a value of `kind` in `expr` (NULL adds nothing). */
    const totalOf = (expr: RawBuilder<unknown>, kind: ValueKind | 'count'): RawBuilder<unknown> =>
      numeric && kind !== 'boolean' && kind !== 'string' ? sql`coalesce(${expr}, 0)` : yes && kind === 'boolean' ? sql`(case when ${expr} = 1 then 1 else 0 end)` : ZERO;
    if (col.input) {
      plans.push({ select: (q) => q, read: (_r, _e, inp) => inp?.[col.key] });
      continue;
    }
    const d = col.rollup;
    if (!d) {
      plans.push({ select: (q) => q, read: () => undefined, total: ZERO });
      continue;
    }
    switch (d.kind) {
      case 'value': {
        if (d.field === 'id') {
          plans.push({ select: (q) => q, read: (_r, entity) => entity, total: ZERO });
          break;
        }
        const v = rootValue(group, groupTables, 'g', d.field);
        if (!v) {
          plans.push({ select: (q) => q, read: () => undefined, total: ZERO });
          break;
        }
        const region = !!indexModel(group).rootFields.get(d.field)?.region;
        if (region) regionFields.add(alias);
        plans.push({ select: (q) => q.select(v.expr.as(alias)), read: (r) => fromCell(v.kind, r[alias]), total: region ? ZERO : totalOf(v.expr, v.kind) });
        break;
      }
      case 'count': {
        const child = childOf(d.repeat);
        if (!child) {
          plans.push({ select: (q) => q, read: () => 0, total: ZERO });
          break;
        }
        let agg = perRepeat.get(d.repeat);
        if (!agg) perRepeat.set(d.repeat, (agg = { child, selects: [], root: false }));
        let counted = sql`count(*)`;
        if (d.where) {
          const scope = rowScope(group, groupTables, child, rootScope, () => (agg!.root = true), countRows('m._submission_id'));
          counted = sql`count(*) filter (where ${triSql(compileCondition(d.where, scope))})`;
        }
        agg.selects.push(counted.as(alias) as never);
        const ref = sql.ref(`a_${d.repeat}.${alias}`);
        // An absent optional repeat counts nothing, whatever rows there are.
        const guarded = groupTables.optionalSections.includes(d.repeat)
          ? sql`(case when ${sql.ref(`g._ada_${d.repeat}`)} = 1 then coalesce(${ref}, 0) else 0 end)`
          : sql`coalesce(${ref}, 0)`;
        plans.push({ select: (q) => q.select(guarded.as(alias)), read: (r) => Number(r[alias]), total: totalOf(guarded, 'count') });
        break;
      }
      case 'countGroup': {
        const test = d.where ? triSql(compileCondition(d.where as Condition, rootScope)) : sql`true`;
        const one = sql`(case when ${test} then 1 else 0 end)`;
        plans.push({ select: (q) => q.select(one.as(alias)), read: (r) => Number(r[alias]), total: totalOf(one, 'count') });
        break;
      }
      case 'flag': {
        const join = joins.find((j) => j.formId === d.from);
        if (!join) {
          plans.push({ select: (q) => q, read: () => undefined, total: ZERO });
          break;
        }
        // The register's sections in order; the first that holds the field decides (`=== true`).
        const candidates = join.tables.main.columns
          .filter((c) => c.field?.section && c.field.key === d.field)
          .sort((a, b) => join.model.parts.findIndex((p) => p.key === a.field!.section) - join.model.parts.findIndex((p) => p.key === b.field!.section));
        const cells = candidates.map((c, i) => {
          const ref = sql.ref(`${join.alias}.${c.name}`);
          const optional = join.tables.optionalSections.includes(c.field!.section!);
          const expr = optional ? sql`(case when ${sql.ref(`${join.alias}._ada_${c.field!.section}`)} = 1 then ${ref} end)` : sql`${ref}`;
          return { as: `${alias}_${i}`, expr, kind: kindOf(c) };
        });
        // "Ya" in the totals: a register, and its first value present is a boolean true.
        const firstYes = cells.length
          ? sql`(case ${sql.join(cells.map((c) => sql`when ${c.expr} is not null then ${c.kind === 'boolean' ? sql`(${c.expr} = 1)` : sql`false`}`), sql` `)} else false end)`
          : sql`false`;
        const isYes = sql`(case when ${sql.ref(`${join.alias}._id`)} is not null and ${firstYes} then 1 else 0 end)`;
        plans.push({
          select: (q) => cells.reduce((acc, c) => acc.select(c.expr.as(c.as)), q),
          read: (r) => {
            // No register for the month yet: "belum lapor" (blank), never "Tidak".
            if (r[`${join.alias}_id`] === null || r[`${join.alias}_id`] === undefined) return undefined;
            for (const c of cells) if (r[c.as] !== null && r[c.as] !== undefined) return c.kind === 'boolean' && Number(r[c.as]) === 1;
            return false;
          },
          total: yes ? isYes : ZERO,
        });
        break;
      }
    }
  }

  const rows = (ids: readonly string[] | RawBuilder<SqlBool>, scan = false) => {
    const list = Array.isArray(ids) ? (ids as readonly string[]) : undefined;
    if (!list) scan = true;
    let q: any = db.selectFrom(`${groupTables.main.name} as g`).select(['g._id as _id', 'g._entity as _entity']).where(list ? inIds(dialect, 'g._id', list) : (ids as RawBuilder<SqlBool>));
    for (const [repeat, agg] of perRepeat) {
      let sub: any = db.selectFrom(`${agg.child.name} as m`).select('m._submission_id as sid');
      if (agg.root) sub = sub.innerJoin(`${groupTables.main.name} as g`, 'g._id', 'm._submission_id');
      sub = sub.select(agg.selects);
      if (!scan) sub = sub.where(inIds(dialect, 'm._submission_id', list!));
      sub = sub.groupBy('m._submission_id');
      q = q.leftJoin(sub.as(`a_${repeat}`), `a_${repeat}.sid`, 'g._id');
    }
    for (const j of joins) {
      q = q.leftJoin(`${j.tables.main.name} as ${j.alias}`, (on: any) => {
        let c = on.on(sql.ref(`${j.alias}.${j.link.key}`), '=', sql`coalesce(g._entity, g._id)`).on(`${j.alias}._current`, '=', 1);
        if (decl.period) c = c.on(`${j.alias}.${decl.period.year}`, '=', params[decl.period.year]).on(`${j.alias}.${decl.period.month}`, '=', params[decl.period.month]);
        return c;
      }).select(`${j.alias}._id as ${j.alias}_id`);
    }
    for (const p of plans) q = p.select(q);
    return q;
  };
  return { group, groupTables, flagForms, joins, plans, regionFields, paramsRead, rows };
}

/** The card in force in the report's month for each group (entity → card id), narrowed by `narrow`. */
export function inForceFor(store: ReportSources['store'], c: Compiled, decl: TableRollup, params: ReportParams, narrow?: (q: any) => any) {
  return idsInForce(store.db, c.group, c.groupTables, periodOf(decl, params), narrow);
}

/** The report's year and month as idsInForce reads them (no year: the current cards). */
export function periodOf(decl: TableRollup, params: ReportParams): { year: number; month?: number } | undefined {
  const year = decl.period ? params[decl.period.year] : undefined;
  const month = decl.period ? params[decl.period.month] : undefined;
  return typeof year === 'number' ? { year, month: typeof month === 'number' ? month : undefined } : undefined;
}

/**
 * The report's rows for `params`, in display order, with the saved `inputs` (by group) in their
 * x-input columns. Throws NotCompilable, before running anything, for what SQL cannot express.
 */
export async function rollUpRowsSql(
  sources: ReportSources, report: FormModel, decl: TableRollup, columns: readonly FieldNode[],
  params: ReportParams, inputs: ReadonlyMap<string, Json>,
): Promise<SqlRollup> {
  const { store } = sources;
  const c = await compile(sources, decl, columns, params);
  const narrow = (q: any) => (decl.filter ? q.where(decl.filter.field, '=', paramValue(decl.filter.equals, params) as never) : q);
  const ids = [...(await inForceFor(store, c, decl, params, narrow)).values()];
  const received = new Map<string, number>(c.flagForms.map((f) => [f, 0]));
  if (!ids.length) return { rows: [], received };

  let q = c.rows(ids);
  const rootFields = indexModel(c.group).rootFields;
  for (const f of decl.orderBy) if (rootFields.has(f)) q = q.orderBy(`g.${f}`);
  const found = (await q.orderBy('g._id').execute()) as Record<string, unknown>[];

  // Region codes that print as names (a `value` column copying a region field).
  const codes = new Set<string>();
  for (const r of found) for (const a of c.regionFields) if (typeof r[a] === 'string') codes.add(r[a] as string);
  const name = codes.size ? await regionNames(store, codes) : () => undefined;

  const rows: Json[] = [];
  for (const r of found) {
    const entity = String(r._entity ?? r._id);
    const inp = inputs.get(entity);
    const row: Json = {};
    columns.forEach((col, i) => {
      let value = c.plans[i]!.read(r, entity, inp);
      if (typeof value === 'string' && c.regionFields.has(`c${i}`)) value = name(value) ?? value;
      if (value !== undefined) row[col.key] = value;
    });
    rows.push(row);
    for (const j of c.joins) if (r[`${j.alias}_id`] !== null && r[`${j.alias}_id`] !== undefined) received.set(j.formId, (received.get(j.formId) ?? 0) + 1);
  }
  return { rows, received };
}

/**
 * What a `count` column's rule reads for one row of the repeat: the row's own column, else (a
 * missing cell, as rules.ts's row environment falls back) the card's root field.
 */
function rowScope(
  group: FormModel, tables: FormTables, child: TableSpec, root: ConditionScope,
  needsRoot: () => void, count: (repeat: string) => RawBuilder<unknown>,
): ConditionScope {
  return {
    ...root,
    count: (repeat) => {
      needsRoot();
      return count(repeat);
    },
    value(name) {
      const own = child.columns.find((c) => c.field?.key === name);
      const card = rootColumn(group, tables, name) ? root.value(name) : undefined;
      const cell: SqlValue | undefined = own && { expr: sql`${sql.ref(`m.${own.name}`)}`, kind: kindOf(own), nullable: !own.notNull };
      if (cell && (!card || !cell.nullable)) return cell;
      if (!card) return undefined;
      needsRoot();
      if (!cell) return card;
      if (card.kind !== cell.kind) throw new NotCompilable(`${name}: a row column and a card field of different types`);
      return { expr: sql`coalesce(${cell.expr}, ${card.expr})`, kind: cell.kind, nullable: card.nullable };
    },
  };
}

export { NotCompilable };
