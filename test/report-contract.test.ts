/**
 * Reports are definitions: a copy of each report definition saved under another id and title
 * (the province report with its rows renamed too) works at its own page, JSON, CSV and PDF and
 * saves entries, with no code change; and no report id, route or field name is written in code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './support/server.js';
import { pdfText } from './support/pdf-text.js';

const ROOT = new URL('../', import.meta.url).pathname;
const PROVINCE_COPY = 'rekap-provinsi-uji';
const GROUP_COPY = 'rekap-kelompok-uji';

/** The repeat key `baris` renamed to `kelompok_uppka` everywhere the definition names it. */
function copyProvinceReport(dir: string): void {
  const def = JSON.parse(readFileSync(join(ROOT, 'forms/laporan-provinsi.json'), 'utf8'));
  def.title = 'Rekap Uji Kelompok UPPKA per Provinsi';
  def['x-code'] = 'REKAP UJI';
  def.properties.kelompok_uppka = def.properties.baris;
  delete def.properties.baris;
  def.required = def.required.map((k: string) => (k === 'baris' ? 'kelompok_uppka' : k));
  def['x-rollup'].rows = 'kelompok_uppka';
  writeFileSync(join(dir, `${PROVINCE_COPY}.json`), JSON.stringify(def, null, 2));
}

function copyGroupReport(dir: string): void {
  const def = JSON.parse(readFileSync(join(ROOT, 'forms/laporan-kabupaten.json'), 'utf8'));
  def.title = 'Rekap Uji per Kelompok';
  def['x-code'] = 'REKAP KELOMPOK UJI';
  writeFileSync(join(dir, `${GROUP_COPY}.json`), JSON.stringify(def, null, 2));
}

let srv: Awaited<ReturnType<typeof startServer>>;
let formsDir: string;
let group: string;
const now = new Date();
const period = { tahun: String(now.getFullYear()), bulan: String(now.getMonth() + 1) };

beforeAll(async () => {
  formsDir = mkdtempSync(join(tmpdir(), 'lembar-forms-'));
  cpSync(join(ROOT, 'forms'), formsDir, { recursive: true });
  copyProvinceReport(formsDir);
  copyGroupReport(formsDir);
  srv = await startServer({ formsDir });
  const list = await (await srv.fetch(srv.url('/api/forms/k0-uppka/submissions?provinsi=33'))).json();
  group = list.items.find((it: any) => it.data.identitas_kelompok.nama_kelompok === 'UPPKA Sejahtera').id;
});
afterAll(async () => {
  await srv.close();
  rmSync(formsDir, { recursive: true, force: true });
});

describe('a copied province report', () => {
  const q = new URLSearchParams({ provinsi: '33', ...period }).toString();

  it('is listed and shown at its own page', async () => {
    const home = await (await srv.fetchAs('provinsi', srv.url('/'))).text();
    expect(home).toContain(`href="/reports/${PROVINCE_COPY}"`);
    expect(home).toContain('Rekap Uji Kelompok UPPKA per Provinsi');
    const res = await srv.fetchAs('provinsi', srv.url(`/reports/${PROVINCE_COPY}?${q}`));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Rekap Uji Kelompok UPPKA per Provinsi');
    expect(html).toContain('UPPKA Sejahtera');
    expect(html).toContain(`name="kelompok_uppka.${group}.pagu"`);
    // The 2023 table is 2023's: a report of another year without targets says so.
    expect(html).toContain(period.tahun === '2023' ? 'Target Pro PN 2023: 35 kelompok' : `tidak ada Target ${period.tahun}`);
    expect(html).toMatch(/R\/1\/UPPKA\/20 bulan ini diterima dari \d+ dari 3 kelompok/);
    expect(html).toContain(`href="/api/reports/${PROVINCE_COPY}.pdf?`);
  });

  it('answers JSON, CSV and PDF', async () => {
    const json = await (await srv.fetchAs('provinsi', srv.url(`/api/reports/${PROVINCE_COPY}.json?${q}`))).json();
    expect(json.kop).toEqual({ provinsi: '33', tahun: Number(period.tahun), bulan: Number(period.bulan) });
    expect(json.kelompok_uppka.map((r: any) => r.nama_kelompok)).toContain('UPPKA Sejahtera');
    expect(json.baris).toBeUndefined();
    expect(json.jumlah.jumlah_keluarga).toBeGreaterThan(0);
    const csv = await srv.fetchAs('provinsi', srv.url(`/api/reports/${PROVINCE_COPY}.csv?${q}`));
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`${PROVINCE_COPY}-33-`);
    expect(await csv.text()).toContain('UPPKA Sejahtera');
    const pdf = await srv.fetchAs('provinsi', srv.url(`/api/reports/${PROVINCE_COPY}.pdf?${q}`));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain('REKAP UJI KELOMPOK UPPKA PER PROVINSI');
    expect(text).toMatch(/R\/1\/UPPKA\/20 bulan ini diterima dari \d+ dari \d+ kelompok/);
    expect(text).toContain('UPPKA Sejahtera');
  });

  it('saves entries under the renamed rows, from the page and the API', async () => {
    const form = new URLSearchParams({ _id: randomUUID(), [`kelompok_uppka.${group}.pagu`]: '7.500.000', 'tanda_tangan.nama_koordinator': 'Rina Uji' });
    const saved = await srv.fetchAs('provinsi', srv.url(`/reports/${PROVINCE_COPY}?${q}`), { method: 'POST', body: form });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Isian tersimpan (revisi 1).');
    let json = await (await srv.fetchAs('provinsi', srv.url(`/api/reports/${PROVINCE_COPY}.json?${q}`))).json();
    expect(json.kelompok_uppka.find((r: any) => r.kelompok_id === group).pagu).toBe(7_500_000);
    expect(json.tanda_tangan.nama_koordinator).toBe('Rina Uji');
    const api = await srv.fetchAs('provinsi', srv.url(`/api/reports/${PROVINCE_COPY}/entries`), {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ provinsi: '33', ...period, rows: { [group.toUpperCase()]: { realisasi: 1_000_000 } } }),
    });
    expect(api.status).toBe(201);
    json = await (await srv.fetchAs('provinsi', srv.url(`/api/reports/${PROVINCE_COPY}.json?${q}`))).json();
    expect(json.kelompok_uppka.find((r: any) => r.kelompok_id === group)).toMatchObject({ pagu: 7_500_000, realisasi: 1_000_000 });
    // The original report keeps its own entries: nothing was saved there.
    const original = await (await srv.fetchAs('provinsi', srv.url(`/api/reports/laporan-provinsi.json?${q}`))).json();
    expect(original.baris.find((r: any) => r.kelompok_id === group).pagu).toBeUndefined();
  });

  it('refuses a field name or a row it does not have, instead of answering 200 with nothing stored', async () => {
    const stale = await srv.fetchAs('provinsi', srv.url(`/reports/${PROVINCE_COPY}?${q}`), { method: 'POST', body: new URLSearchParams({ [`baris.${group}.pagu`]: '5' }) });
    expect(stale.status).toBe(422);
    expect(await stale.text()).toContain(`Isian &quot;baris.${group}.pagu&quot; tidak ada di laporan ini.`);
    const api = await srv.fetchAs('provinsi', srv.url(`/api/reports/${PROVINCE_COPY}/entries`), {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ provinsi: '33', ...period, rows: { [randomUUID()]: { pagu: 1 } }, sections: { tanda_tangan: { nama_kepala_dinas: 'X', jumlah_keluarga: 3 } } }),
    });
    expect(api.status).toBe(422);
    const errors = (await api.json()).errors.map((e: any) => e.message);
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^Baris ".*" tidak ada dalam laporan ini\.$/), expect.stringMatching(/^Bagian|^Isian ini tidak diisi oleh petugas\.$/)]));
  });

  it('names a bad parameter by its label, from the report\'s own schema', async () => {
    const res = await srv.fetchAs('provinsi', srv.url(`/api/reports/${PROVINCE_COPY}.json?provinsi=33&tahun=1999&bulan=13`));
    expect(res.status).toBe(400);
    const labels = (await res.json()).errors.map((e: any) => e.label);
    expect(labels).toEqual(expect.arrayContaining(['Tahun', 'Bulan']));
    const unknown = await (await srv.fetchAs('provinsi', srv.url(`/api/reports/${PROVINCE_COPY}.json?provinsi=99&${new URLSearchParams(period)}`))).json();
    expect(unknown.errors).toEqual([expect.objectContaining({ label: 'Provinsi', message: 'Kode "99" tidak terdaftar sebagai Provinsi.' })]);
  });
});

describe('a copied district report', () => {
  const q = () => new URLSearchParams({ kelompok: group, ...period }).toString();

  it('is shown at its own page, JSON, CSV and PDF', async () => {
    const html = await (await srv.fetchAs('kabupaten', srv.url(`/reports/${GROUP_COPY}?${q()}`))).text();
    expect(html).toContain('Rekap Uji per Kelompok');
    expect(html).toContain('C. Jenis Kegiatan');
    expect(html).toContain(`action="/reports/${GROUP_COPY}?`);
    const json = await (await srv.fetchAs('kabupaten', srv.url(`/api/reports/${GROUP_COPY}.json?${q()}`))).json();
    expect(json.periode.kelompok_id).toBe(group);
    expect(json.identitas_kelompok.nama_kelompok).toBe('UPPKA Sejahtera');
    const csv = await (await srv.fetchAs('kabupaten', srv.url(`/api/reports/${GROUP_COPY}.csv?${q()}`))).text();
    expect(csv).toContain('UPPKA Sejahtera');
    expect(csv).toContain('Kota Semarang');
    const pdf = await srv.fetchAs('kabupaten', srv.url(`/api/reports/${GROUP_COPY}.pdf?${q()}`));
    expect(pdf.status).toBe(200);
    expect(pdfText(Buffer.from(await pdf.arrayBuffer()))).toContain('REKAP UJI PER KELOMPOK');
  });

  it('saves the district\'s entries, and a null section is a 422, not a 500', async () => {
    const sections = { jenis_kegiatan: { materi_media_kie: true, sosialisasi_kie_pek: true, orientasi_pek: false, fasilitasi_pek: false, pengembangan_pek_stunting: true } };
    const post = (body: unknown) => srv.fetchAs('kabupaten', srv.url(`/api/reports/${GROUP_COPY}/entries`), { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: JSON.stringify(body) });
    expect((await post({ kelompok: group, ...period, sections })).status).toBe(201);
    const json = await (await srv.fetchAs('kabupaten', srv.url(`/api/reports/${GROUP_COPY}.json?${q()}`))).json();
    expect(json.jenis_kegiatan).toEqual(sections.jenis_kegiatan);
    expect((await post({ kelompok: group, ...period, sections: { jenis_kegiatan: null } })).status).toBe(422);
    expect((await post({ kelompok: group, ...period, sections: { identitas_kelompok: { nama_kelompok: 'Bukan di sini' } } })).status).toBe(422);
    expect((await srv.fetchAs('kabupaten', srv.url(`/api/reports/${GROUP_COPY}.json?kelompok=${randomUUID()}&${new URLSearchParams(period)}`))).status).toBe(404);
  });
});

describe('the code', () => {
  /** Every source file of the folders that must not know a form. */
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return /\.(ts|js|hbs)$/.test(name) ? [path] : [];
    });
  }

  it('names no report id, report route or report field (they live in the definitions)', () => {
    const words = ['laporan-provinsi', 'laporan-kabupaten', 'kelompok_id', 'nama_kelompok', 'identitas_kelompok', 'nama_kampung_kb', 'target_2023', '`baris.', "'baris", '"baris"', 'Pro PN'];
    const found = ['server', 'templates', 'generators', 'engine'].flatMap((d) => sources(join(ROOT, d)))
      .flatMap((file) => {
        // Comments may name an example; code may not.
        const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '').replace(/\s\/\/ .*$/gm, '');
        // In templates `baris` is also the CSS class of a row.
        return words.filter((w) => code.includes(w) && !(file.endsWith('.hbs') && w === '"baris"')).map((w) => `${file.slice(ROOT.length)}: ${w}`);
      });
    expect(found).toEqual([]);
  });
});
