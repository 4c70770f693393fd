/**
 * A multi-table export as a zip of CSV files, as ODK Central exports repeats: the main table's
 * file and one per repeat, each line of a repeat naming its submission's id. fflate's streaming
 * zip deflates each page as it is written, so the zip grows as the reader takes it.
 */
import { Zip, ZipDeflate } from 'fflate';
import type { ByteSink } from './byte-stream.js';
import { writeCsv } from './csv-writer.js';
import type { ExportTable } from './export-tables.js';

/** The file of a table in the zip: `k0-uppka.csv`, `k0-uppka-anggota.csv`. */
export const csvFileName = (formId: string, table: ExportTable): string => (table.key === 'utama' ? `${formId}.csv` : `${formId}-${table.key}.csv`);

export async function writeCsvZip(formId: string, tables: readonly ExportTable[], sink: ByteSink): Promise<void> {
  let failed: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failed = err;
    else sink.write(chunk);
  });
  const check = () => {
    if (failed) throw failed;
  };
  for (const table of tables) {
    const file = new ZipDeflate(csvFileName(formId, table), { level: 6 });
    // Each file carries the export's own time, not 1980's.
    file.mtime = new Date();
    zip.add(file);
    await writeCsv(table, (bytes) => file.push(bytes), async () => { check(); await sink.ready(); });
    file.push(new Uint8Array(0), true);
    check();
  }
  zip.end();
  check();
}
