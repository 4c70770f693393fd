/**
 * The national summary's roll-up in SQL (one level up: every region's totals from one GROUP BY),
 * with the cards in force chosen as a condition on the card row rather than a list of ids. Built
 * on the table report's compiled roll-up (rollup-sql.ts); rollup-sql-regions.ts adds the regions'
 * saved entries around it.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { FieldNode, TableRollup } from '../model-types.js';
import { indexModel } from '../model-index.js';
import { idsInForce } from '../storage/entities.js';
import { compile, inForceFor, inIds, NotCompilable, periodOf, type Compiled } from './rollup-sql.js';
import type { Json, ReportParams, ReportSources } from './types.js';

/** The cards in force over the whole table, as a condition on alias `g` (inForceWhere). */
interface InForceWhere {
  readonly where: RawBuilder<SqlBool>;
  /** Entities with more than one card (the only ones that can have moved), and their cards in force. */
  readonly several: readonly string[];
  readonly severalInForce: ReadonlyMap<string, string>;
}

/**
 * The cards in force in a month of an entity form, for every group, as a condition on the card's
 * row instead of a list of ids. A group with a single card (most groups, most of the year) has it
 * in force unless the rules of entities.ts `inForce` rule it out from that card's own fields:
 * stopped before the month began (or without a date), formed after the year, a card for a later
 * year. Those rules are written here as SQL for that one case; every group with several cards is
 * chosen by idsInForce itself and its chosen card joins the condition by id. Reading every card's
 * revisions into JavaScript and sending 100,000 ids back to the query was ~0.6 s of the national
 * summary's ~2.5 s on PostgreSQL; this reads only the groups with several cards.
 */
async function inForceWhere(store: ReportSources['store'], c: Compiled, period: { year: number; month?: number }): Promise<InForceWhere> {
  const db = store.db as Kysely<any>;
  const main = c.groupTables.main.name;
  const fields = indexModel(c.group).rootFields;
  const col = (name: string | undefined) => (name && fields.has(name) ? sql.ref(`g.${name}`) : undefined);
  const severalOf = db.selectFrom(main).select('_entity').where('_entity', 'is not', null).groupBy('_entity').having(sql`count(*)`, '>', 1);
  const several = ((await severalOf.execute()) as { _entity: string }[]).map((r) => String(r._entity));
  const severalInForce = several.length ? await idsInForce(db, c.group, c.groupTables, period, (q) => q.where('_entity', 'in', severalOf)) : new Map<string, string>();
  const month = period.month ?? 12;
  const firstDay = `${period.year}-${String(month).padStart(2, '0')}-01`;
  // `_status_at` is compared as inForce compares strings: byte order, whatever the database's collation.
  const before = store.dialect === 'postgres' ? sql`g._status_at < ${firstDay} collate "C"` : sql`g._status_at < ${firstDay}`;
  const single: RawBuilder<unknown>[] = [
    sql`g._entity is not null`,
    sql`not ${inIds(store.dialect, 'g._entity', several)}`,
    // Stopped: counts in the month it stopped, not after; a stop without a date hides it from every report.
    sql`(g._status is null or g._status <> 'nonaktif' or (g._status_at is not null and not (${before})))`,
  ];
  const since = col(c.group.entity?.since);
  const year = col(c.group.entity?.year);
  if (since) single.push(sql`(${since} is null or ${since} <= ${period.year})`);
  // A card without a year counts from `since` (already no later than the year), else always.
  if (year) single.push(sql`(${year} is null or ${year} <= ${period.year})`);
  const where = sql<SqlBool>`(${inIds(store.dialect, 'g._id', [...severalInForce.values()])} or (${sql.join(single, sql` and `)}))`;
  return { where, several, severalInForce };
}

/** One region's share of a report one level up: its rows, registers arrived per period form, totals. */
export interface RegionTotals {
  readonly rows: number;
  readonly received: ReadonlyMap<string, number>;
  /** As totalsOf makes them from the region's rows, without the entered (x-input) columns. */
  readonly totals: Json;
}

/**
 * The report's totals for every value of its filter field at once (one GROUP BY, for the national
 * summary one level up): region code → what the region's own report would total, for the regions
 * with rows. A group counts in each region one of its cards names, as the region's report narrows
 * on any card; the card counted is the one in force. Entered (x-input) columns are left to the
 * caller, who has each region's saved entries. Throws NotCompilable when a condition reads the
 * filter's parameter (each region would compile differently).
 */
export async function rollUpRegionTotalsSql(
  sources: ReportSources, decl: TableRollup, columns: readonly FieldNode[], params: ReportParams, regionParam: string,
): Promise<{ regions: Map<string, RegionTotals>; entitiesOf: (code: string) => Promise<Set<string>> }> {
  const { store } = sources;
  const filter = decl.filter;
  if (!filter) throw new NotCompilable('no filter field to group by');
  const c = await compile(sources, decl, columns, params);
  if (c.paramsRead.has(regionParam)) throw new NotCompilable(`a condition reads the region parameter ${regionParam}`);
  const out = new Map<string, RegionTotals>();
  const db = store.db as Kysely<any>;
  const main = c.groupTables.main.name;
  // Which regions each group is in: any of its cards (entities), or its current card (plain forms).
  const byEntity = !!c.group.entity && !!decl.period;
  const period = periodOf(decl, params);
  // An entity form's report without a year: not what the national page asks; the reports decide.
  if (byEntity && !period) throw new NotCompilable('no year for the cards in force');
  const totals = c.plans.map((p, i) => ({ key: columns[i]!.key, alias: `t${i}`, expr: p.total, numeric: ['integer', 'number', 'boolean'].includes(columns[i]!.valueType) }));
  // Each row's share of every total as a column of the row query, summed per region around it.
  const withTotals = (q: any) => {
    for (const t of totals) if (t.expr && t.numeric) q = q.select(t.expr.as(t.alias));
    return q;
  };
  let q: any;
  let entitiesOf: (code: string) => Promise<Set<string>>;
  if (byEntity && period) {
    const inForce = await inForceWhere(store, c, period);
    /** The groups a region's report has rows for (for its entered columns): those with a card there and one in force. */
    entitiesOf = async (code) => {
      const inForceOf = db.selectFrom(`${main} as g`).select(sql`coalesce(g._entity, g._id)`.as('e')).where(inForce.where);
      const rows = (await db.selectFrom(main).select(sql`coalesce(_entity, _id)`.as('e')).distinct().where(filter.field, '=', code)
        .where(sql`coalesce(_entity, _id)`, 'in', inForceOf).execute()) as { e: string }[];
      return new Set(rows.map((r) => String(r.e)));
    };
    // Every group counts in the region of its card in force...
    q = withTotals(c.rows(inForce.where).select(`g.${filter.field} as _region`));
    // ...and a group that moved also in every other region one of its cards names. Only a group
    // with several cards can have moved: those few are looked at, then only their rows built again.
    const moved = inForce.several.length
      ? ((await db.selectFrom(main).select('_entity as e').where(inIds(store.dialect, '_entity', inForce.several)).groupBy('_entity')
        .having(sql`count(distinct ${sql.ref(filter.field)})`, '>', 1).execute()) as { e: string }[])
      : [];
    const movedIds = moved.map((m) => inForce.severalInForce.get(String(m.e))).filter((id): id is string => !!id);
    if (movedIds.length) {
      const pairs = db.selectFrom(`${main} as rv`).select(['rv._entity as pe', `rv.${filter.field} as region`]).distinct().where(inIds(store.dialect, 'rv._entity', moved.map((m) => String(m.e))));
      const others = withTotals(c.rows(movedIds).innerJoin(pairs.as('pr'), 'pr.pe', 'g._entity').select('pr.region as _region')
        .where(sql.ref('pr.region'), '<>', sql.ref(`g.${filter.field}`)));
      q = q.unionAll(others);
    }
  } else {
    const inForce = await inForceFor(store, c, decl, params);
    const ids = [...inForce.values()];
    entitiesOf = async (code) => {
      const rows = (await db.selectFrom(main).select(['_id', '_entity']).where(filter.field, '=', code).where(inIds(store.dialect, '_id', ids)).execute()) as Record<string, unknown>[];
      return new Set(rows.map((r) => String(r._entity ?? r._id)));
    };
    if (!ids.length) return { regions: out, entitiesOf };
    q = withTotals(c.rows(ids, true).select(`g.${filter.field} as _region`));
  }
  let agg: any = db.selectFrom(q.as('r')).select(['r._region as region', sql`count(*)`.as('_rows')]);
  for (const j of c.joins) agg = agg.select(sql`count(${sql.ref(`r.${j.alias}_id`)})`.as(`_recv_${j.alias}`));
  for (const t of totals) if (t.expr && t.numeric) agg = agg.select(sql`sum(${sql.ref(`r.${t.alias}`)})`.as(t.alias));
  const found = (await agg.groupBy('r._region').execute()) as Record<string, unknown>[];
  for (const r of found) {
    if (typeof r.region !== 'string') continue;
    const received = new Map<string, number>(c.flagForms.map((f) => [f, 0]));
    for (const j of c.joins) received.set(j.formId, Number(r[`_recv_${j.alias}`]));
    const sums: Json = {};
    totals.forEach((t, i) => {
      if (!t.numeric) return;
      sums[t.key] = columns[i]!.input ? 0 : Number(r[t.alias] ?? 0);
    });
    out.set(r.region, { rows: Number(r._rows), received, totals: sums });
  }
  return { regions: out, entitiesOf };
}
