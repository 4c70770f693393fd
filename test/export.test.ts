/**
 * Streaming exports over the real server: CSV, a zip of one CSV per table and a workbook with a
 * sheet per table, read back and held to the stored submissions and the submission list (same
 * filters, same region scope); personal fields masked for roles that see none; the audit trail;
 * and the stream itself: bytes leave before the last page is read, and a cancelled download stops
 * reading. Timings and memory are the benchmark's (bench/export.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { loadForms, loadRegions, openStore, publishDefinition, saveSubmission, type FieldNode, type FormModel, type Store } from '../engine/index.js';
import type { Role } from '../server/auth/roles.js';
import { producedStream } from '../server/export/byte-stream.js';
import { csvLines, writeCsv } from '../server/export/csv-writer.js';
import { exportSelection } from '../server/export/export-query.js';
import { exportTables } from '../server/export/export-tables.js';
import { writeCsvZip } from '../server/export/zip-writer.js';
import { startPostgres } from './support/postgres.js';
import { tempStore } from './support/temp-store.js';
import { bigK0 } from './support/submissions.js';
import { startServer } from './support/server.js';

let srv: Awaited<ReturnType<typeof startServer>>;
const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const r1 = forms.get('r1-uppka')!;
/** Cards posted by the suite's kader (Kel. Pekunden, Kota Semarang), with NIK and telepon. */
const posted: { id: string; data: ReturnType<typeof bigK0> }[] = [];
let register: { id: string; tanggal: string };

const field = (model: FormModel, key: string): FieldNode => {
  for (const p of model.parts) for (const f of p.kind === 'section' ? p.fields : p.columns) if (f.key === key) return f;
  throw new Error(`no field ${key}`);
};
const optionLabel = (model: FormModel, key: string, value: unknown) => field(model, key).options!.find((o) => o.value === value)!.label;

async function download(role: Role, path: string) {
  const res = await srv.fetchAs(role, path);
  expect(res.status, `${role} ${path}`).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** A CSV as header names → one object per line. */
function table(text: string): { header: string[]; rows: Record<string, string>[] } {
  const lines = parse(text, { bom: true }) as string[][];
  const header = lines[0]!;
  return { header, rows: lines.slice(1).map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]!]))) };
}

/** Every id the JSON list shows the role for a query (all its pages). */
async function listIds(role: Role, form: string, query = ''): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const got = await (await srv.fetchAs(role, `/api/forms/${form}/submissions?per_page=200&page=${page}&${query}`)).json();
    ids.push(...got.items.map((i: { id: string }) => i.id));
    if (ids.length >= got.total) return ids.sort();
  }
}

async function sheetsOf(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  return wb.worksheets.map((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const header = rows[0] as string[];
    return { name: ws.name, header, rows: rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? null]))) };
  });
}

const post = (path: string, body: unknown) => srv.fetchAs('kader', path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: JSON.stringify(body) });

beforeAll(async () => {
  srv = await startServer();
  for (let i = 0; i < 12; i++) {
    const data = bigK0(3, `UPPKA Ekspor ${i + 1}`);
    data.anggota[0]!.nik = `33740123456700${String(i).padStart(2, '0')}`;
    data.identitas_kelompok.telepon = `08123456${String(i).padStart(4, '0')}`;
    const res = await post('/api/forms/k0-uppka/submissions', data);
    expect(res.status).toBe(201);
    posted.push({ id: (await res.json()).id, data });
  }
  const now = new Date();
  const d = new Date(now.getFullYear(), now.getMonth() - 5, 1);
  const tanggal = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-10`;
  const res = await post('/api/forms/r1-uppka/submissions', {
    identitas: { kelompok_id: posted[0]!.id, bulan: d.getMonth() + 1, tahun: d.getFullYear(), jumlah_anggota: 3 },
    pertemuan: [{ tanggal, materi: 'Ekspor bertahap', jumlah_hadir: 3 }],
    kegiatan_pro_pn: { sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: false, monitoring_evaluasi: false },
    usaha: { modal: 1_500_000, omzet: 250_000 },
  });
  expect(res.status).toBe(201);
  register = { id: (await res.json()).id, tanggal };
});
afterAll(async () => srv.close());

describe('CSV of a form\'s submissions', () => {
  it('has one line per submission the list shows, labels as headers, values as people read them', async () => {
    const csv = table((await download('pusat', '/api/forms/k0-uppka/submissions.csv')).toString('utf8'));
    expect(csv.rows.map((r) => r.ID).sort()).toEqual(await listIds('pusat', 'k0-uppka'));
    expect(csv.header.slice(0, 6)).toEqual(['ID', 'Versi', 'Revisi', 'Terkini', 'Status', 'Disimpan']);
    const province = (await (await srv.fetchAs('pusat', '/api/regions')).json()).find((r: { kode: string }) => r.kode === '33').nama;
    const { data, id } = posted[3]!;
    const line = csv.rows.find((r) => r.ID === id)!;
    expect(line[field(k0, 'nama_kelompok').label]).toBe(data.identitas_kelompok.nama_kelompok);
    expect(line[`Kode ${field(k0, 'provinsi').label}`]).toBe('33');
    expect(line[field(k0, 'provinsi').label]).toBe(province);
    expect(line[field(k0, 'jenis_usaha').label]).toBe(optionLabel(k0, 'jenis_usaha', data.identitas_kelompok.jenis_usaha));
    expect(line[field(k0, 'jumlah_anggota').label]).toBe(String(data.identitas_kelompok.jumlah_anggota));
    expect(line.Terkini).toBe('Ya');
    expect(line.Disimpan).toMatch(/WIB$/);
    // The national level sees telepon masked, the district in full.
    expect(line[field(k0, 'telepon').label]).not.toBe(data.identitas_kelompok.telepon);
    const district = table((await download('kabupaten', '/api/forms/k0-uppka/submissions.csv')).toString('utf8'));
    expect(district.rows.find((r) => r.ID === id)![field(k0, 'telepon').label]).toBe(data.identitas_kelompok.telepon);
  });

  it('applies the list\'s filters and the viewer\'s region: another province\'s rows are absent', async () => {
    const province = field(k0, 'provinsi').label;
    const all = table((await download('pusat', '/api/forms/k0-uppka/submissions.csv')).toString('utf8'));
    expect(all.rows.some((r) => r[`Kode ${province}`] === '34')).toBe(true);
    const district = table((await download('kabupaten', '/api/forms/k0-uppka/submissions.csv')).toString('utf8'));
    expect(district.rows.map((r) => r.ID).sort()).toEqual(await listIds('kabupaten', 'k0-uppka'));
    expect(district.rows.filter((r) => !r[`Kode ${field(k0, 'kabupaten_kota').label}`]!.startsWith('33.74'))).toEqual([]);
    expect(district.rows.map((r) => r.ID)).toEqual(expect.arrayContaining(posted.map((p) => p.id)));
    const filtered = table((await download('pusat', '/api/forms/k0-uppka/submissions.csv?kabupaten_kota=33.74')).toString('utf8'));
    expect(filtered.rows.map((r) => r.ID).sort()).toEqual(await listIds('pusat', 'k0-uppka', 'kabupaten_kota=33.74'));
    // A register follows its group card's region.
    const registers = table((await download('kabupaten', '/api/forms/r1-uppka/submissions.csv')).toString('utf8'));
    expect(registers.rows.map((r) => r.ID).sort()).toEqual(await listIds('kabupaten', 'r1-uppka'));
    expect((await listIds('pusat', 'r1-uppka')).length).toBeGreaterThan(registers.rows.length);
  });

  it('answers an unknown form with a 404 naming it, and anonymous requests with 401', async () => {
    for (const ext of ['csv', 'zip', 'xlsx']) {
      const res = await srv.fetchAs('pusat', `/api/forms/tidak-ada/submissions.${ext}`);
      expect(res.status).toBe(404);
      expect((await res.json()).errors[0].message).toContain('tidak-ada');
      expect((await fetch(srv.url(`/api/forms/k0-uppka/submissions.${ext}`))).status).toBe(401);
    }
  });
});

describe('CSV lines', () => {
  it('are what csv-stringify writes for the same text and number cells', () => {
    const cell = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('a,b', 'say "ya"', 'two\nlines', 'cr\r', '', ' '), fc.double({ noNaN: true }), fc.integer());
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 5 }), (lines) => {
      expect(csvLines(lines)).toBe(lines.length ? stringify(lines) : '');
    }), { numRuns: 500 });
  });
});

describe('zip of one CSV per table', () => {
  it('holds the main table and each repeat, linked by submission id, masked for the province', async () => {
    const files = unzipSync(new Uint8Array(await download('kabupaten', '/api/forms/k0-uppka/submissions.zip')));
    const repeats = k0.parts.filter((p) => p.kind === 'repeat').map((p) => `k0-uppka-${p.key}.csv`);
    expect(Object.keys(files).sort()).toEqual(['k0-uppka.csv', ...repeats].sort());
    // The main file is the plain CSV download, byte for byte (its BOM included).
    expect(Buffer.from(files['k0-uppka.csv']!).equals(await download('kabupaten', '/api/forms/k0-uppka/submissions.csv'))).toBe(true);
    const members = table(strFromU8(files['k0-uppka-anggota.csv']!));
    expect(members.header.slice(0, 2)).toEqual(['ID kiriman', 'No']);
    const name = field(k0, 'nama').label;
    const nik = field(k0, 'nik').label;
    for (const { id, data } of posted) {
      const own = members.rows.filter((r) => r['ID kiriman'] === id);
      expect(own.map((r) => [r.No, r[name]])).toEqual(data.anggota.map((m, i) => [String(i + 1), m.nama]));
      expect(own[0]![nik]).toBe(data.anggota[0]!.nik);
    }
    // Every member line belongs to a submission of the main file.
    const ids = new Set(table(strFromU8(files['k0-uppka.csv']!)).rows.map((r) => r.ID));
    expect(members.rows.filter((r) => !ids.has(r['ID kiriman']!))).toEqual([]);

    const masked = unzipSync(new Uint8Array(await download('provinsi', '/api/forms/k0-uppka/submissions.zip')));
    const text = strFromU8(masked['k0-uppka-anggota.csv']!) + strFromU8(masked['k0-uppka.csv']!);
    for (const { data } of posted) {
      expect(text).not.toContain(data.anggota[0]!.nik);
      expect(text).not.toContain(data.identitas_kelompok.telepon);
    }
    const maskedNik = table(strFromU8(masked['k0-uppka-anggota.csv']!)).rows.find((r) => r['ID kiriman'] === posted[0]!.id && r.No === '1')![nik];
    expect(maskedNik).toMatch(/^3374•+\d\d$/);
  });
});

describe('workbook with a sheet per table', () => {
  it('writes numbers and dates as cells and text as people read it, one sheet per repeat', async () => {
    const sheets = await sheetsOf(await download('kabupaten', '/api/forms/k0-uppka/submissions.xlsx'));
    expect(sheets.map((s) => s.name)).toEqual([k0.code, ...k0.parts.filter((p) => p.kind === 'repeat').map((p) => p.title)].map((n) => n.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31)));
    const [main, members] = sheets;
    expect(main!.rows.map((r) => r.ID).sort()).toEqual(await listIds('kabupaten', 'k0-uppka'));
    const { id, data } = posted[5]!;
    const row = main!.rows.find((r) => r.ID === id)!;
    expect(row[field(k0, 'jumlah_anggota').label]).toBe(data.identitas_kelompok.jumlah_anggota);
    expect(row[field(k0, 'jenis_usaha').label]).toBe(optionLabel(k0, 'jenis_usaha', data.identitas_kelompok.jenis_usaha));
    expect(row.Disimpan).toBeInstanceOf(Date);
    const own = members!.rows.filter((r) => r['ID kiriman'] === id);
    expect(own.map((r) => [r.No, r[field(k0, 'nama').label], r[field(k0, 'usia').label]])).toEqual(data.anggota.map((m, i) => [i + 1, m.nama, m.usia]));
    expect(own[0]![field(k0, 'nik').label]).toBe(data.anggota[0]!.nik);
    // Ya/Tidak for a yes/no column, the option's label for a choice.
    expect(own[0]![field(k0, 'mkjp_lestari').label]).toBe(data.anggota[0]!.mkjp_lestari ? 'Ya' : 'Tidak');
    expect(own[0]![field(k0, 'status').label]).toBe(optionLabel(k0, 'status', data.anggota[0]!.status));

    const masked = await sheetsOf(await download('provinsi', '/api/forms/k0-uppka/submissions.xlsx'));
    expect(masked[1]!.rows.find((r) => r['ID kiriman'] === id && r.No === 1)![field(k0, 'nik').label]).toMatch(/^3374•+\d\d$/);
  });

  it('keeps a register\'s meeting date as a date and its money as a number', async () => {
    const sheets = await sheetsOf(await download('kader', '/api/forms/r1-uppka/submissions.xlsx'));
    const meetings = sheets.find((s) => s.name === r1.parts.find((p) => p.key === 'pertemuan')!.title.slice(0, 31))!;
    const line = meetings.rows.find((r) => r['ID kiriman'] === register.id)!;
    expect(line[field(r1, 'tanggal').label]).toEqual(new Date(`${register.tanggal}T00:00:00Z`));
    const main = sheets[0]!.rows.find((r) => r.ID === register.id)!;
    expect(main[field(r1, 'modal').label]).toBe(1_500_000);
    // The group it belongs to: its id to join the files on, and its name to read.
    const group = field(r1, 'kelompok_id').label;
    expect([main[`ID ${group}`], main[group]]).toEqual([posted[0]!.id, 'UPPKA Ekspor 1']);
    const csv = table((await download('kader', '/api/forms/r1-uppka/submissions.csv')).toString('utf8'));
    expect(csv.rows.find((r) => r.ID === register.id)![group]).toBe('UPPKA Ekspor 1');
  });

  it('exports a report as a workbook, its table and totals line', async () => {
    const json = await (await srv.fetchAs('provinsi', '/api/reports/laporan-provinsi.json?provinsi=33&tahun=2026&bulan=11')).json();
    const [sheet] = await sheetsOf(await download('provinsi', '/api/reports/laporan-provinsi.xlsx?provinsi=33&tahun=2026&bulan=11'));
    expect(sheet!.rows.length).toBe(json.baris.length + 1);
    expect(sheet!.rows.at(-1)![sheet!.header[0]!]).toBe('Jumlah');
    expect((await srv.fetchAs('provinsi', '/api/reports/laporan-provinsi.xlsx?provinsi=33&tahun=abc&bulan=11')).status).toBe(400);
    expect((await srv.fetchAs('kader', '/api/reports/laporan-provinsi.xlsx?provinsi=33&tahun=2026&bulan=11')).status).toBe(403);
  });
});

describe('the submission list page', () => {
  it('links to each download with its filters, and the links download what the page lists', async () => {
    const html = await (await srv.fetchAs('pusat', '/forms/k0-uppka/submissions?kabupaten_kota=33.74')).text();
    const hrefs = [...html.matchAll(/href="(\/api\/forms\/k0-uppka\/submissions\.(csv|xlsx|zip)\?[^"]*)"/g)].map((m) => m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
    expect(hrefs.map((h) => h.split('?')[0])).toEqual(['csv', 'xlsx', 'zip'].map((e) => `/api/forms/k0-uppka/submissions.${e}`));
    const expected = await listIds('pusat', 'k0-uppka', 'kabupaten_kota=33.74');
    const [csv, xlsx, zip] = await Promise.all(hrefs.map((h) => download('pusat', h)));
    expect(table(csv!.toString('utf8')).rows.map((r) => r.ID).sort()).toEqual(expected);
    expect((await sheetsOf(xlsx!))[0]!.rows.map((r) => r.ID).sort()).toEqual(expected);
    expect(table(strFromU8(unzipSync(new Uint8Array(zip!))['k0-uppka.csv']!)).rows.map((r) => r.ID).sort()).toEqual(expected);
  });
});

describe('the audit trail', () => {
  it('records each export with its format and filters', async () => {
    await download('kabupaten', '/api/forms/k0-uppka/submissions.zip?peringatan=ada');
    const rows = await srv.store.db.selectFrom('lembar_jejak').select(['aksi', 'sumber', 'keterangan', 'pengguna']).where('aksi', '=', 'unduh').where('sumber', '=', 'k0-uppka').execute();
    expect(rows).toContainEqual({ aksi: 'unduh', sumber: 'k0-uppka', keterangan: 'zip: ?peringatan=ada', pengguna: 'uji.kabupaten' });
    // A HEAD downloads nothing, so it is not recorded as a download.
    const head = await srv.fetchAs('kabupaten', '/api/forms/k0-uppka/submissions.csv?kelompok=kepala', { method: 'HEAD' });
    expect(head.status).toBe(200);
    const after = await srv.store.db.selectFrom('lembar_jejak').select('keterangan').where('aksi', '=', 'unduh').where('keterangan', 'like', '%kelompok=kepala%').execute();
    expect(after).toEqual([]);
  });
});

describe('streaming', () => {
  it('sends the download chunked, without a length known in advance', async () => {
    const res = await srv.fetchAs('pusat', '/api/forms/k0-uppka/submissions.xlsx', { headers: { 'Accept-Encoding': 'identity' } });
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    await res.arrayBuffer();
    const head = await srv.fetchAs('pusat', '/api/forms/k0-uppka/submissions.csv', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
  });

  const source = async (pageRows: number) => {
    const sel = await exportSelection({ store: srv.store, forms }, k0, {}, { kind: 'all' }, new Date().toISOString(), pageRows);
    const [main] = exportTables(srv.store, sel, true, true);
    const read = { pages: 0 };
    const counted = { ...main!, async* pages() { for await (const p of main!.pages()) { read.pages++; yield p; } } };
    const total = (await listIds('pusat', 'k0-uppka')).length;
    let end!: (outcome: { error?: unknown }) => void;
    const ended = new Promise<{ error?: unknown }>((resolve) => { end = resolve; });
    const stream = producedStream((sink) => writeCsv(counted, (b) => sink.write(b), () => sink.ready()), (error) => end({ error }), 1);
    return { stream, read, pages: Math.ceil(total / pageRows), total, ended };
  };

  it('hands out the first bytes before the last page is read, and every line by the end', async () => {
    const { stream, read, pages, total } = await source(3);
    expect(pages).toBeGreaterThan(4);
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    // The reader sets the pace: one page more per chunk taken, at most.
    expect(read.pages).toBeLessThan(pages);
    const chunks = [first.value!];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(read.pages).toBe(pages);
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    expect(table(text).rows.length).toBe(total);
  });

  it('stops reading the database when the download is cancelled', async () => {
    const { stream, read, pages, ended } = await source(3);
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    // The producer hears of it at its next wait and ends without an error.
    expect(await ended).toEqual({ error: undefined });
    expect(read.pages).toBeLessThan(pages);
  });
});

describe('on both dialects', () => {
  /** Cards saved straight into a store: six in Kota Semarang (NIK on each), two in Yogyakarta. */
  const cards = Array.from({ length: 8 }, (_, i) => {
    const data = bigK0(2 + (i % 3), `UPPKA Dialek ${i + 1}`);
    data.anggota[0]!.nik = `33740123456711${String(i).padStart(2, '0')}`;
    if (i >= 6) Object.assign(data.identitas_kelompok, { provinsi: '34', kabupaten_kota: '34.71', kecamatan: '34.71.01', desa_kelurahan: '34.71.01.1001' });
    return { id: randomUUID(), data };
  });

  /** The district's zip from `store`, read back, pages of two cards. */
  async function districtZip(store: Store, full: boolean) {
    for (const c of cards) await saveSubmission(store, k0, { id: c.id, data: c.data });
    const sel = await exportSelection({ store, forms }, k0, {}, { kind: 'regions', codes: ['33.74'] }, new Date().toISOString(), 2);
    const chunks: Uint8Array[] = [];
    await writeCsvZip('k0-uppka', exportTables(store, sel, full), { write: (b) => chunks.push(b), ready: async () => undefined });
    const files = unzipSync(Buffer.concat(chunks));
    return { main: table(strFromU8(files['k0-uppka.csv']!)), members: table(strFromU8(files['k0-uppka-anggota.csv']!)) };
  }

  const expectDistrict = ({ main, members }: Awaited<ReturnType<typeof districtZip>>, full: boolean) => {
    const inside = cards.slice(0, 6);
    // Keyset order: by id, the same in both dialects.
    expect(main.rows.map((r) => r.ID)).toEqual(inside.map((c) => c.id).sort());
    const nik = field(k0, 'nik').label;
    expect(members.rows.map((r) => [r['ID kiriman'], r.No, r[field(k0, 'nama').label]])).toEqual(
      [...inside].sort((a, b) => (a.id < b.id ? -1 : 1)).flatMap((c) => c.data.anggota.map((m, i) => [c.id, String(i + 1), m.nama])));
    for (const c of inside) {
      const first = members.rows.find((r) => r['ID kiriman'] === c.id && r.No === '1')![nik];
      if (full) expect(first).toBe(c.data.anggota[0]!.nik);
      else expect(first).toMatch(/^3374•+\d\d$/);
    }
  };

  it('SQLite: the district\'s cards and members, by id, in pages', async () => {
    const t = await tempStore();
    try {
      expectDistrict(await districtZip(t.store, true), true);
    } finally {
      await t.cleanup();
    }
  });

  it('PostgreSQL: the same export from the same cards', async () => {
    const postgres = await startPostgres();
    const store = openStore(await postgres.createDatabase('lembar_ekspor'));
    try {
      for (const model of forms.values()) await publishDefinition(store, model);
      await loadRegions(store);
      expectDistrict(await districtZip(store, false), false);
    } finally {
      await store.close();
      await postgres.stop();
    }
  }, 120_000);
});
