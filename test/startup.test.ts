/**
 * A folder with a broken definition still starts: the broken one (and what depends on it) is left
 * out with its reasons, no table of it is published, and every other form and report is served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './support/server.js';

const ROOT = new URL('../', import.meta.url).pathname;
let srv: Awaited<ReturnType<typeof startServer>>;
let formsDir: string;

beforeAll(async () => {
  formsDir = mkdtempSync(join(tmpdir(), 'lembar-forms-'));
  cpSync(join(ROOT, 'forms'), formsDir, { recursive: true });
  const def = JSON.parse(readFileSync(join(ROOT, 'forms/laporan-provinsi.json'), 'utf8'));
  def['x-pdf'].totls = true;
  writeFileSync(join(formsDir, 'laporan-rusak.json'), JSON.stringify(def));
  const dependent = JSON.parse(readFileSync(join(ROOT, 'forms/r1-uppka.json'), 'utf8'));
  dependent.properties.identitas.properties.kelompok_id['x-ref-form'] = 'laporan-rusak';
  writeFileSync(join(formsDir, 'r1-bergantung.json'), JSON.stringify(dependent));
  writeFileSync(join(formsDir, 'bukan-json.json'), '{"title": ');
  srv = await startServer({ formsDir });
});
afterAll(async () => {
  await srv.close();
  rmSync(formsDir, { recursive: true, force: true });
});

describe('starting with broken definitions', () => {
  it('leaves them out with their reasons and serves the rest', async () => {
    const refused = new Map(srv.refused.map((r) => [r.form, r.reasons.join(' ')]));
    expect(refused.get('laporan-rusak.json')).toContain('/x-pdf/totls: Kata kunci `totls` tidak dikenal; maksudnya `totals`?');
    expect(refused.get('bukan-json.json')).toBeDefined();
    expect([...refused.keys()].some((k) => k.startsWith('r1-bergantung'))).toBe(true);
    expect((await srv.fetch(srv.url('/reports/laporan-rusak'))).status).toBe(404);
    expect((await srv.fetchAs('provinsi', srv.url('/reports/laporan-provinsi?provinsi=33&tahun=2026&bulan=10'))).status).toBe(200);
    const forms = (await (await srv.fetch(srv.url('/api/forms'))).json()).map((f: any) => f.id);
    expect(forms).toEqual(['k0-uppka', 'laporan-kabupaten', 'laporan-provinsi', 'r1-uppka']);
  });

  it('publishes no table for a definition that does not compile', () => {
    const db = new Database(srv.databaseUrl, { readonly: true });
    try {
      const tables = db.prepare("select name from sqlite_master where type = 'table'").all().map((r: any) => r.name as string);
      expect(tables.some((t) => t.includes('rusak') || t.includes('bergantung'))).toBe(false);
      expect(tables.some((t) => t.includes('provinsi'))).toBe(true);
    } finally {
      db.close();
    }
  });
});
