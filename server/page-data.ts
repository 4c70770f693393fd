/** Data the pages look up around a form: region options, linked group cards, region names. */
import { sql } from 'kysely';
import type { FormModel } from '../engine/model-types.js';
import { indexModel } from '../engine/model-index.js';
import { regionChildren, tablesFor } from '../engine/storage/index.js';
import type { AppDeps } from './context.js';

type Json = Record<string, unknown>;

/** Options for the region pickers, each level narrowed by the chosen parent. */
export async function regionOptions(deps: AppDeps, model: FormModel, values: Json) {
  const levels = ['provinsi', 'kabupaten_kota', 'kecamatan', 'desa_kelurahan', 'kampung_kb'];
  const chosen = new Map<string, string>();
  for (const f of indexModel(model).rootFields.values()) {
    if (!f.region) continue;
    const [, section] = f.pointer.split('/');
    const v = (values[section!] as Json | undefined)?.[f.key];
    if (typeof v === 'string') chosen.set(f.region, v);
  }
  const out: Record<string, { kode: string; nama: string }[]> = {};
  let parent: string | null = null;
  for (const level of levels) {
    out[level] = level === 'provinsi' || parent ? await regionChildren(deps.store, parent) : [];
    const v = chosen.get(level);
    parent = v && out[level]!.some((r) => r.kode === v) ? v : null;
  }
  return out;
}

/** Up to this many targets a reference lists them all; beyond, the page searches by name. */
export const REFERENCE_LIST_ALL = 200;
const REFERENCE_FOUND_MAX = 50;
const count = new Intl.NumberFormat('id-ID');

/**
 * Submissions a reference field may point to (an R/1's group cards: current, active, by name).
 * A district has a few hundred groups and gets them all in one list; the country has about
 * 100,000, which no phone should download as options, so past REFERENCE_LIST_ALL the list holds
 * only what the field's search term (`search`, by field name) found, plus the group already
 * chosen, and `search` in the result says what to show by the box.
 */
export async function referenceOptions(deps: AppDeps, model: FormModel, values: Json = {}, terms: Readonly<Record<string, string>> = {}) {
  const options: Record<string, { id: string; label: string }[]> = {};
  const search: Record<string, { term: string; hint: string }> = {};
  for (const f of indexModel(model).rootFields.values()) {
    const target = f.refForm ? deps.forms.get(f.refForm) : undefined;
    if (!target) continue;
    const tables = await tablesFor(deps.store, target);
    const nameField = indexModel(target).rootFields.has('nama_kelompok') ? 'nama_kelompok' : '_id';
    const live = () => deps.store.db.selectFrom(tables.main.name).select(['_id', nameField]).where('_current', '=', 1).where('_status', '=', 'aktif');
    const toOption = (r: Record<string, unknown>) => ({ id: String(r._id), label: String(r[nameField]) });
    const { n } = (await deps.store.db.selectFrom(tables.main.name).select((eb) => eb.fn.countAll<number>().as('n')).where('_current', '=', 1).where('_status', '=', 'aktif').executeTakeFirstOrThrow()) as { n: number };
    if (Number(n) <= REFERENCE_LIST_ALL) {
      options[f.refForm!] = (await live().orderBy(nameField).execute()).map(toOption);
      continue;
    }
    const name = f.pointer.slice(1).split('/').join('.');
    const [, section] = f.pointer.split('/');
    const chosen = (values[section!] as Json | undefined)?.[f.key];
    const term = (terms[name] ?? '').trim().slice(0, 100);
    // LIKE with the user's % and _ taken literally.
    const pattern = `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const found = term ? (await live().where(sql<boolean>`${sql.ref(nameField)} like ${pattern} escape '\\'`).orderBy(nameField).limit(REFERENCE_FOUND_MAX + 1).execute()).map(toOption) : [];
    const shown = found.slice(0, REFERENCE_FOUND_MAX);
    if (typeof chosen === 'string' && !shown.some((o) => o.id === chosen)) {
      const row = await live().where('_id', '=', chosen).executeTakeFirst();
      if (row) shown.unshift(toOption(row));
    }
    options[f.refForm!] = shown;
    search[name] = {
      term,
      hint: !term ? `Ada ${count.format(Number(n))} pilihan. Ketik sebagian nama, lalu tekan Cari.`
        : found.length > REFERENCE_FOUND_MAX ? `Lebih dari ${REFERENCE_FOUND_MAX} cocok dengan “${term}”: 50 yang pertama ada di daftar; perjelas namanya.`
          : found.length ? `Ditemukan ${found.length} yang cocok dengan “${term}”.`
            : `Tidak ada yang cocok dengan “${term}”.`,
    };
  }
  return { options, search };
}

export function regionNamer(deps: AppDeps): (codes: string[]) => Promise<(code: string) => string | undefined> {
  return async (codes) => {
    const rows = codes.length ? await deps.store.db.selectFrom('wilayah').select(['kode', 'nama']).where('kode', 'in', codes).execute() : [];
    const map = new Map(rows.map((r) => [String(r.kode), String(r.nama)]));
    return (code) => map.get(code);
  };
}
