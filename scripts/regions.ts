/**
 * `npm run regions -- import <file.csv>`: load a full region list (columns kode, nama, tingkat,
 * induk) into the server's database (DATABASE_URL) in one transaction, after checking every row;
 * any problem is printed with its line and nothing is written.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { importRegions, loadRegions, openStore, regionImportProblems, type RegionRow } from '../engine/index.js';

const [command, file] = process.argv.slice(2);
if (command !== 'import' || !file) {
  console.error('Pemakaian: npm run regions -- import <berkas.csv>   (kolom: kode, nama, tingkat, induk)');
  process.exit(1);
}
const records = parse(readFileSync(file, 'utf8'), { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
const missing = ['kode', 'nama', 'tingkat', 'induk'].filter((c) => records.length && !(c in records[0]!));
if (missing.length) {
  console.error(`Kolom ${missing.join(', ')} tidak ada di ${file}.`);
  process.exit(1);
}
const rows: RegionRow[] = records.map((r) => ({ kode: r.kode ?? '', nama: r.nama ?? '', tingkat: r.tingkat ?? '', induk: r.induk ?? '' }));
const store = openStore(process.env.DATABASE_URL ?? 'data/lembar.sqlite');
try {
  await loadRegions(store);
  const problems = await regionImportProblems(store, rows);
  if (problems.length) {
    for (const p of problems) console.error(`baris ${p.line}: ${p.message}`);
    console.error(`${problems.length} masalah; tidak ada yang dimuat.`);
    process.exitCode = 1;
  } else {
    console.log(`${await importRegions(store, rows)} wilayah dimuat.`);
  }
} finally {
  await store.close();
}
