/**
 * A full region list (kode, nama, tingkat, induk), for deployments beyond the demo slice: checked
 * row by row (level known, parent of the level above, code nested in the parent's) against the rows
 * of the list and those already stored, then written in one transaction, or not at all.
 */
import { REGION_LEVELS, forgetRegionNames, type Region, type RegionLevel } from '../regions.js';
import type { Store } from './database.js';

export interface RegionRow { readonly kode: string; readonly nama: string; readonly tingkat: string; readonly induk: string }
export interface ImportProblem { readonly line: number; readonly message: string }

/** Every problem of the rows (line numbers count the header as line 1); empty when they can be loaded. */
export async function regionImportProblems(store: Store, rows: readonly RegionRow[]): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  const stored = new Map((await store.db.selectFrom('wilayah').select(['kode', 'tingkat']).execute()).map((r) => [String(r.kode), String(r.tingkat)]));
  const inFile = new Map<string, string>();
  rows.forEach((r, i) => {
    const line = i + 2;
    if (inFile.has(r.kode)) problems.push({ line, message: `Kode ${r.kode} muncul dua kali.` });
    inFile.set(r.kode, r.tingkat);
    if (!/^[0-9]+(\.[0-9]+)*$/.test(r.kode)) problems.push({ line, message: `Kode "${r.kode}" tidak sah: angka dipisah titik, misalnya 33.74.01.` });
    if (!r.nama.trim()) problems.push({ line, message: `Nama wilayah ${r.kode} kosong.` });
    if (!REGION_LEVELS.includes(r.tingkat as RegionLevel)) problems.push({ line, message: `Tingkat "${r.tingkat}" tidak dikenal: pakai ${REGION_LEVELS.join(', ')}.` });
  });
  rows.forEach((r, i) => {
    const line = i + 2;
    const depth = REGION_LEVELS.indexOf(r.tingkat as RegionLevel);
    if (depth < 0) return;
    if (depth === 0) {
      if (r.induk) problems.push({ line, message: `Provinsi ${r.kode} tidak punya induk.` });
      return;
    }
    const parentLevel = inFile.get(r.induk) ?? stored.get(r.induk);
    if (!r.induk || parentLevel === undefined) problems.push({ line, message: `Induk "${r.induk}" dari ${r.kode} tidak ada di daftar maupun di data wilayah.` });
    else if (parentLevel !== REGION_LEVELS[depth - 1]) problems.push({ line, message: `Induk ${r.induk} dari ${r.kode} bertingkat ${parentLevel}, padahal ${r.tingkat} berinduk ${REGION_LEVELS[depth - 1]}.` });
    else if (!r.kode.startsWith(`${r.induk}.`)) problems.push({ line, message: `Kode ${r.kode} tidak berada di bawah kode induknya ${r.induk}.` });
  });
  return problems;
}

/** Load checked rows in one transaction (new codes added, names refreshed); how many were written. */
export async function importRegions(store: Store, rows: readonly RegionRow[]): Promise<number> {
  const ordered = [...rows].sort((a, b) => REGION_LEVELS.indexOf(a.tingkat as RegionLevel) - REGION_LEVELS.indexOf(b.tingkat as RegionLevel));
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < ordered.length; i += 200) {
      const chunk = ordered.slice(i, i + 200).map((r): Region => ({ kode: r.kode, nama: r.nama.trim(), tingkat: r.tingkat as RegionLevel, induk: r.induk || null }));
      await trx.insertInto('wilayah').values(chunk as never)
        .onConflict((oc) => oc.column('kode').doUpdateSet((eb) => ({ nama: eb.ref('excluded.nama') })))
        .execute();
    }
  });
  forgetRegionNames(store);
  await store.changes.announce({ topic: 'regions' });
  return ordered.length;
}
