/** Data the pages look up around a form: region options, linked group cards, region names. */
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

/** Group cards an R/1 may point to: current, active, by name. */
export async function referenceOptions(deps: AppDeps, model: FormModel) {
  const out: Record<string, { id: string; label: string }[]> = {};
  for (const f of indexModel(model).rootFields.values()) {
    if (!f.refForm || out[f.refForm]) continue;
    const target = deps.forms.get(f.refForm);
    if (!target) continue;
    const tables = await tablesFor(deps.store, target);
    const nameField = indexModel(target).rootFields.has('nama_kelompok') ? 'nama_kelompok' : '_id';
    const rows = await deps.store.db.selectFrom(tables.main.name).select(['_id', nameField]).where('_current', '=', 1).where('_status', '=', 'aktif').orderBy(nameField).limit(5000).execute();
    out[f.refForm] = rows.map((r) => ({ id: String(r._id), label: String(r[nameField]) }));
  }
  return out;
}

export function regionNamer(deps: AppDeps): (codes: string[]) => Promise<(code: string) => string | undefined> {
  return async (codes) => {
    const rows = codes.length ? await deps.store.db.selectFrom('wilayah').select(['kode', 'nama']).where('kode', 'in', codes).execute() : [];
    const map = new Map(rows.map((r) => [String(r.kode), String(r.nama)]));
    return (code) => map.get(code);
  };
}
