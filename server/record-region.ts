/**
 * The region a record belongs to, as access checks read it: the deepest region field of its own
 * sections (a K/0's village), or, for a form without region fields, the region of the submission
 * it refers to (an R/1's group card). And the same as a query condition, so lists apply the
 * viewer's scope in SQL rather than after loading.
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { deepestRegion, indexModel, loadCurrent, tablesFor, type FieldNode, type FormModel, REGION_LEVELS, type RegionLevel } from '../engine/index.js';
import type { RegionScope } from './access.js';
import type { AppDeps } from './context.js';

type Json = Record<string, unknown>;

/** The form's deepest region field, if it has one. */
export function regionField(model: FormModel): FieldNode | undefined {
  let best: FieldNode | undefined;
  for (const f of indexModel(model).rootFields.values()) {
    if (f.region && (!best || REGION_LEVELS.indexOf(f.region as RegionLevel) > REGION_LEVELS.indexOf(best.region as RegionLevel))) best = f;
  }
  return best;
}

/** The field linking to another form whose region stands for this one's (R/1 → K/0). */
export function regionLink(deps: Pick<AppDeps, 'forms'>, model: FormModel): FieldNode | undefined {
  return [...indexModel(model).rootFields.values()].find((f) => f.refForm && deps.forms.get(f.refForm) && regionField(deps.forms.get(f.refForm)!));
}

export async function regionOfData(deps: Pick<AppDeps, 'store' | 'forms'>, model: FormModel, data: Json, depth = 0): Promise<string | undefined> {
  const own = [...indexModel(model).rootFields.values()].map((f) => ({ region: f.region, value: (data[f.pointer.split('/')[1]!] as Json | undefined)?.[f.key] }));
  const region = deepestRegion(own);
  if (region || depth > 2) return region;
  const link = regionLink(deps, model);
  const target = link && deps.forms.get(link.refForm!);
  const id = link && (data[link.pointer.split('/')[1]!] as Json | undefined)?.[link.key];
  if (!target || typeof id !== 'string') return undefined;
  // The group's current card: a revision may have moved it (a corrected village).
  const stored = await loadCurrent(deps.store, target, id.toLowerCase());
  return stored ? regionOfData(deps, target, stored.data, depth + 1) : undefined;
}

/** `column` is one of the scope's regions or inside one (codes nest by prefix; they are digits and dots). */
function inRegions(eb: ExpressionBuilder<any, any>, column: string, codes: readonly string[]) {
  return eb.or(codes.flatMap((code) => [eb(column, '=', code), eb(column, 'like', `${code}.%`)]).map((e) => e));
}

/**
 * The same narrowing as `scoped` for a form with its own region field, as a plain function of the
 * query (what `idsInForce` takes); a form without one is national-only (nothing for a scope).
 */
export function scopeNarrow(model: FormModel, scope: RegionScope): (q: any) => any {
  if (scope.kind === 'all') return (q) => q;
  const own = regionField(model);
  if (!own) return (q) => q.where(sql<boolean>`1 = 0`);
  return (q) => q.where((eb: ExpressionBuilder<any, any>) => inRegions(eb, own.key, scope.codes));
}

/**
 * A list query narrowed to the scope: on the form's own region field, or through its link. A form
 * with neither is visible only to national accounts.
 */
export async function scoped<Q extends SelectQueryBuilder<any, any, any>>(deps: Pick<AppDeps, 'store' | 'forms'>, model: FormModel, q: Q, scope: RegionScope): Promise<Q> {
  if (scope.kind === 'all') return q;
  const own = regionField(model);
  if (own) return q.where((eb: ExpressionBuilder<any, any>) => inRegions(eb, own.key, scope.codes)) as Q;
  const link = regionLink(deps, model);
  if (!link) return q.where(sql<boolean>`1 = 0`) as Q;
  const target = deps.forms.get(link.refForm!)!;
  const tables = await tablesFor(deps.store, target);
  const targetField = regionField(target)!;
  // Links name the group (its entity); any current card of it in the scope counts.
  const ids = deps.store.db.selectFrom(tables.main.name).select('_entity').where('_current', '=', 1).where((eb) => inRegions(eb, targetField.key, scope.codes));
  return q.where(link.key, 'in', ids) as Q;
}
