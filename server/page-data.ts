/** Data the pages look up around a form: region options, linked group cards, region names. */
import { sql } from 'kysely';
import { indexModel, REGION_LEVELS, regionChildren, regionNames, tablesFor, type FormModel } from '../engine/index.js';
import { formatNumber } from '../generators/format.js';
import type { RegionScope } from './access.js';
import type { AppDeps } from './context.js';
import { scoped } from './record-region.js';

type Json = Record<string, unknown>;

/** Options for the region pickers, each level narrowed by the chosen parent. */
export async function regionOptions(deps: AppDeps, model: FormModel, values: Json) {
  const chosen = new Map<string, string>();
  for (const f of indexModel(model).rootFields.values()) {
    if (!f.region) continue;
    const [, section] = f.pointer.split('/');
    const v = (values[section!] as Json | undefined)?.[f.key];
    if (typeof v === 'string') chosen.set(f.region, v);
  }
  const out: Record<string, { kode: string; nama: string }[]> = {};
  let parent: string | null = null;
  for (const level of REGION_LEVELS) {
    out[level] = level === 'provinsi' || parent ? await regionChildren(deps.store, parent) : [];
    const v = chosen.get(level);
    parent = v && out[level]!.some((r) => r.kode === v) ? v : null;
  }
  return out;
}

/** Up to this many targets a reference lists them all; beyond, the page searches by name. */
export const REFERENCE_LIST_ALL = 200;
const REFERENCE_FOUND_MAX = 50;

/**
 * Submissions a reference field may point to (an R/1's group cards: current, active, by name).
 * A district has a few hundred groups and gets them all in one list; the country has about
 * 100,000, which no phone should download as options, so past REFERENCE_LIST_ALL the list holds
 * only what the field's search term (`search`, by field name) found, plus the group already
 * chosen, and `search` in the result says what to show by the box.
 */
export async function referenceOptions(deps: AppDeps, model: FormModel, values: Json = {}, terms: Readonly<Record<string, string>> = {}, scope: RegionScope = { kind: 'all' }) {
  const options: Record<string, { id: string; label: string }[]> = {};
  const search: Record<string, { term: string; hint: string }> = {};
  for (const f of indexModel(model).rootFields.values()) {
    const target = f.refForm ? deps.forms.get(f.refForm) : undefined;
    if (!target) continue;
    const tables = await tablesFor(deps.store, target);
    // Targets are named by their form's title field (`x-title-field`: the group's name).
    const nameField = target.titleField && indexModel(target).rootFields.has(target.titleField) ? target.titleField : '_id';
    // Only the viewer's region: a kader picks among the village's groups, never the country's.
    const base = await scoped(deps, target, deps.store.db.selectFrom(tables.main.name).where('_current', '=', 1).where('_status', '=', 'aktif'), scope);
    // The option's value is the group (its entity), which stays the same across its cards.
    const live = () => base.select(['_entity', nameField]);
    const toOption = (r: Record<string, unknown>) => ({ id: String(r._entity), label: String(r[nameField]) });
    const { n } = (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()) as { n: number };
    if (Number(n) <= REFERENCE_LIST_ALL) {
      options[f.refForm!] = (await live().orderBy(nameField).execute()).map(toOption);
      continue;
    }
    const name = f.pointer.slice(1).split('/').join('.');
    const [, section] = f.pointer.split('/');
    const chosen = (values[section!] as Json | undefined)?.[f.key];
    const term = (terms[name] ?? '').trim().slice(0, 100);
    // LIKE with the user's % and _ taken literally, and case ignored alike in both dialects
    // (SQLite's LIKE ignores ASCII case, PostgreSQL's does not; lower() on both sides does).
    const pattern = `%${term.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const found = term ? (await live().where(sql<boolean>`lower(${sql.ref(nameField)}) like ${pattern} escape '\\'`).orderBy(nameField).limit(REFERENCE_FOUND_MAX + 1).execute()).map(toOption) : [];
    const shown = found.slice(0, REFERENCE_FOUND_MAX);
    if (typeof chosen === 'string' && !shown.some((o) => o.id === chosen)) {
      const row = await live().where('_entity', '=', chosen).executeTakeFirst();
      if (row) shown.unshift(toOption(row));
    }
    options[f.refForm!] = shown;
    search[name] = {
      term,
      hint: !term ? `Ada ${formatNumber(Number(n))} pilihan. Ketik sebagian nama, lalu tekan Cari.`
        : found.length > REFERENCE_FOUND_MAX ? `Lebih dari ${REFERENCE_FOUND_MAX} cocok dengan “${term}”: 50 yang pertama ada di daftar; perjelas namanya.`
          : found.length ? `Ditemukan ${found.length} yang cocok dengan “${term}”.`
            : `Tidak ada yang cocok dengan “${term}”.`,
    };
  }
  return { options, search };
}

/** Names for region codes, looked up once per store (engine/regions.ts). */
export function regionNamer(deps: AppDeps): (codes: Iterable<string>) => Promise<(code: string) => string | undefined> {
  return (codes) => regionNames(deps.store, codes);
}

/** Every region code held by `data`'s region fields (sections and rows), to name them in one look-up. */
export function regionCodesOf(model: FormModel, data: Json): string[] {
  const codes: string[] = [];
  for (const part of model.parts) {
    const value = data[part.key];
    if (part.kind === 'section') {
      for (const f of part.fields) if (f.region && typeof (value as Json | undefined)?.[f.key] === 'string') codes.push((value as Json)[f.key] as string);
    } else if (Array.isArray(value)) {
      const cols = part.columns.filter((c) => c.region);
      for (const row of value as Json[]) for (const c of cols) if (typeof row?.[c.key] === 'string') codes.push(row[c.key] as string);
    }
  }
  return codes;
}
