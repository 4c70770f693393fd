/**
 * Hostile input and heavy requests against the real server (issue 14): every input below is a 4xx
 * with an Indonesian message, never a 5xx, and nothing invalid is stored; heavy PDFs run in the
 * render pool while the API keeps answering; artefacts are cached until the next save.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { loadForms, saveSubmission } from '../engine/index.js';
import { safeCell } from '../generators/csv/index.js';
import { bigK0 } from './support/submissions.js';
import { startServer } from './support/server.js';

let srv: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => { srv = await startServer(); });
afterAll(async () => srv.close());

const json = (path: string, body: unknown, init: { key?: string; type?: string; as?: 'pkb' | 'kabupaten' | 'pusat' } = {}) =>
  srv.fetchAs(init.as ?? 'pkb', path, { method: 'POST', headers: { 'Content-Type': init.type ?? 'application/json', 'Idempotency-Key': init.key ?? randomUUID() }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const form = (path: string, body: BodyInit, headers: Record<string, string> = {}) => srv.fetch(path, { method: 'POST', body, headers });
const k0Total = async () => (await (await srv.fetch('/api/forms/k0-uppka/submissions')).json()).total as number;

/** A K/0 entry-page post (flat names) with `rows` member rows from `row(i)`. */
function k0Post(rows: number, row: (i: number) => Record<string, string> = () => ({})): URLSearchParams {
  const p = new URLSearchParams({ _id: randomUUID(), _versi: '1', 'identitas_kelompok.nama_kelompok': 'UPPKA Tangguh' });
  for (let i = 0; i < rows; i++) {
    const r = row(i);
    if (!Object.keys(r).length) p.append(`anggota.${i}.nama`, '');
    for (const [k, v] of Object.entries(r)) p.append(`anggota.${i}.${k}`, v);
  }
  return p;
}

describe('form posts stop at the definition\'s limits', () => {
  it('10,000 blank member rows (about 194 KB): 413 at once, a short page, nothing stored', async () => {
    const before = await k0Total();
    const body = k0Post(10_000).toString();
    expect(body.length).toBeGreaterThan(150_000);
    const res = await form('/forms/k0-uppka', body, { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html.length).toBeLessThan(20_000);
    expect(html).toContain('paling banyak 1.000 baris');
    // The server kept answering and stored nothing.
    expect((await srv.fetch('/api/forms')).status).toBe(200);
    expect(await k0Total()).toBe(before);
  });

  it('"tambah baris" at the limit is a 422 with the repeat named; below it the page comes back', async () => {
    const full = k0Post(1000, (i) => ({ nama: `Anggota ${i}` }));
    full.set('_tambah', 'anggota');
    const res = await form('/forms/k0-uppka', full);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('tidak dapat menambah baris lagi');
    const few = k0Post(2, (i) => ({ nama: `Anggota ${i}` }));
    few.set('_tambah', 'anggota');
    expect((await form('/forms/k0-uppka', few)).status).toBe(200);
    const unknownRepeat = k0Post(1);
    unknownRepeat.set('_tambah', '__proto__');
    expect((await form('/forms/k0-uppka', unknownRepeat)).status).toBe(422);
  });

  it('an unknown field name is a 422 naming it; bookkeeping names keep working', async () => {
    const before = await k0Total();
    const bad = new URLSearchParams({ ...Object.fromEntries(k0Post(1, () => ({ nama: 'Sri' }))), 'identitas_kelompok.gaji_ketua': '5' });
    const res = await form('/forms/k0-uppka', bad);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Isian &quot;identitas_kelompok.gaji_ketua&quot; tidak ada di formulir ini.');
    for (const name of ['anggota.x.nama', 'anggota.0.gaji', '__proto__.polluted', '_cari.anggota']) {
      const r = await form('/forms/k0-uppka', new URLSearchParams({ [name]: '1' }));
      expect(r.status, name).toBe(422);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await k0Total()).toBe(before);
    // The region picker's "perbarui" and the R/1's group search post only names the page has.
    const region = await form('/forms/k0-uppka', new URLSearchParams({ _id: randomUUID(), _versi: '1', _aksi: 'wilayah', 'identitas_kelompok.provinsi': '33' }));
    expect(region.status).toBe(200);
    const search = await form('/forms/r1-uppka', new URLSearchParams({ _aksi: 'wilayah', '_cari.identitas.kelompok_id': 'Tangguh', 'identitas.bulan': '10' }));
    expect(search.status).toBe(200);
  });

  it('a malformed multipart body is a 400 on every form post route', async () => {
    const broken = '--batas\r\nContent-Disposition: form-data; name="identitas_kelompok.nama_kelompok"\r\n\r\nUPPKA';
    for (const [path, as] of [['/forms/k0-uppka', 'pkb'], ['/forms/r1-uppka', 'pkb'], ['/reports/laporan-provinsi?provinsi=33&tahun=2026&bulan=10', 'provinsi']] as const) {
      const res = await srv.fetchAs(as, path, { method: 'POST', body: broken, headers: { 'Content-Type': 'multipart/form-data; boundary=batas' } });
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toContain('bentuk kirimannya rusak');
    }
  });
});

describe('numbers, ids and content types', () => {
  it('page and per_page that are not plain integers in range are a 400 naming the parameter', async () => {
    for (const v of ['1e308', 'Infinity', '-1', '0', '2.5', '99999999999999999999', 'NaN', '0x10']) {
      for (const q of [`page=${v}`, `per_page=${v}`]) {
        const res = await srv.fetch(`/api/forms/k0-uppka/submissions?${q}`);
        expect(res.status, q).toBe(400);
        expect((await res.json()).errors[0].message, q).toContain(q.split('=')[0]);
      }
      expect((await srv.fetch(`/forms/k0-uppka/submissions?page=${v}`)).status, v).toBe(400);
    }
    expect((await (await srv.fetch('/api/forms/k0-uppka/submissions?per_page=1000')).json()).per_page).toBe(200);
  });

  it('one id space: an id used by another form is a 409; ids are compared lowercased', async () => {
    const id = randomUUID();
    const k0 = await json('/api/forms/k0-uppka/submissions', bigK0(2, 'UPPKA Satu Id'), { key: id.toUpperCase() });
    expect(k0.status).toBe(201);
    expect((await k0.json()).id).toBe(id);
    // A valid R/1 (a demo one, as stored) sent under the K/0's id.
    const demoR1 = (await (await srv.fetch('/api/forms/r1-uppka/submissions')).json()).items[0].id;
    const r1 = (await (await srv.fetch(`/api/submissions/${demoR1}`)).json()).data;
    const clash = await json('/api/forms/r1-uppka/submissions', r1, { key: id });
    expect(clash.status).toBe(409);
    expect((await clash.json()).errors[0].message).toBe('Kode kiriman ini sudah dipakai oleh kiriman formulir lain.');
    expect((await json('/api/forms/k0-uppka/submissions', bigK0(2, 'UPPKA Satu Id'), { key: id })).status).toBe(200);
    expect((await srv.fetch(`/api/submissions/${id.toUpperCase()}`)).status).toBe(200);
  });

  it('a JSON API post with another Content-Type is a 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await json('/api/forms/k0-uppka/submissions', bigK0(1), { type });
      expect(res.status, type).toBe(415);
      const report = await json('/api/reports/laporan-provinsi/entries', { provinsi: '33', tahun: 2026, bulan: 10 }, { type, as: 'pusat' });
      expect(report.status, type).toBeGreaterThanOrEqual(400);
      expect(report.status, type).toBeLessThan(500);
    }
    expect((await json('/api/forms/k0-uppka/submissions', bigK0(1, 'UPPKA Charset'), { type: 'application/json; charset=utf-8' })).status).toBe(201);
  });

  it('sections.jenis_kegiatan: null and other shapes of report entries are 4xx', async () => {
    const kelompok = (await (await srv.fetch('/api/forms/k0-uppka/submissions')).json()).items[0].id;
    for (const sections of [{ jenis_kegiatan: null }, { jenis_kegiatan: 'ya' }, null, [], { __proto__: { x: 1 } }]) {
      const res = await json('/api/reports/laporan-kabupaten/entries', { kelompok, tahun: 2026, bulan: 10, sections }, { as: 'kabupaten' });
      expect(res.status, JSON.stringify(sections)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(sections)).toBeLessThan(500);
    }
  });
});

describe('text hygiene, the same through the API and the entry page', () => {
  const cases: [string, string][] = [
    ['Grup\ud800X', 'karakter rusak'],
    ['Grup\u0000X', 'U+0000'],
    ['Grup\u001bX', 'U+001B'],
    ['Grup\u202eX', 'U+202E'],
    ['\u200b\u200b', 'U+200B'],
    ['   ', 'bukan hanya spasi'],
    ['\u3164', 'bukan hanya spasi'],
    ['Baris satu\nbaris dua', 'satu baris'],
  ];
  it.each(cases)('%j is refused at Nama Kelompok, nothing stored', async (name, message) => {
    const before = await k0Total();
    const res = await json('/api/forms/k0-uppka/submissions', bigK0(1, name));
    expect(res.status).toBe(422);
    const errors = (await res.json()).errors;
    expect(errors).toContainEqual(expect.objectContaining({ path: '/identitas_kelompok/nama_kelompok', label: 'Nama Kelompok', message: expect.stringContaining(message) }));
    const page = k0Post(1, () => ({ nama: 'Sri', usia: '30', status: 'non_pus' }));
    page.set('identitas_kelompok.nama_kelompok', name);
    const html = await form('/forms/k0-uppka', page);
    expect(html.status).toBe(422);
    // A form post is UTF-8: a lone surrogate arrives as U+FFFD, and blank text as no value at all.
    if (!name.includes('\ud800')) expect(await html.text()).toMatch(name.trim() ? message : /bukan hanya spasi|Wajib diisi/);
    expect(await k0Total()).toBe(before);
  });

  it('text is stored trimmed; emoji joined with U+200D are kept', async () => {
    const id = randomUUID();
    expect((await json('/api/forms/k0-uppka/submissions', bigK0(1, '  UPPKA 👩‍🌾 Maju  '), { key: id })).status).toBe(201);
    expect((await (await srv.fetch(`/api/submissions/${id}`)).json()).data.identitas_kelompok.nama_kelompok).toBe('UPPKA 👩‍🌾 Maju');
  });
});

describe('CSV cells a spreadsheet would run', () => {
  it('cells starting with =, +, -, @, tab or CR are exported with a leading apostrophe', async () => {
    for (const s of ['=1+1', '+628', '-2', '@SUM(A1)', '\tx', '\rx']) expect(safeCell(s)).toBe(`'${s}`);
    expect(safeCell('Sri =1')).toBe('Sri =1');
    expect(safeCell(-2)).toBe(-2); // numbers stay numbers
    for (const name of ['=HYPERLINK("http://contoh.invalid","klik")', '+6281', '-UPPKA', '@SUM(A1:A9)']) {
      expect((await json('/api/forms/k0-uppka/submissions', bigK0(1, name))).status, name).toBe(201);
    }
    const csv = await (await srv.fetch('/api/forms/k0-uppka/submissions.csv')).text();
    expect(csv).toContain(`"'=HYPERLINK(""http://contoh.invalid"",""klik"")"`);
    for (const cell of ["'+6281", "'-UPPKA", "'@SUM(A1:A9)"]) expect(csv).toContain(cell);
    expect(csv).not.toMatch(/(^|,)[=+@]/m);
  });
});

describe('heavy downloads', () => {
  const pdf = (query: string) => srv.fetchAs('pusat', `/api/reports/laporan-provinsi.pdf?${query}`);
  const timed = async (path: string) => {
    const t = performance.now();
    const res = await srv.fetchAs('pusat', path);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    return performance.now() - t;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  beforeAll(async () => {
    // Enough groups in one province that each report PDF takes real work in the pool.
    const k0 = loadForms().get('k0-uppka')!;
    for (let i = 0; i < 300; i++) await saveSubmission(srv.store, k0, { id: randomUUID(), data: bigK0(3, `UPPKA Beban ${i}`) });
  }, 120_000);

  it('serves a second identical PDF from the cache; a save makes it stale', async () => {
    const q = 'provinsi=33&tahun=2026&bulan=10';
    const first = await pdf(q);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-lembar-cache')).toBe('miss');
    const bytes = new Uint8Array(await first.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const second = await pdf(q);
    expect(second.headers.get('x-lembar-cache')).toBe('hit');
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(bytes);
    expect((await json('/api/forms/k0-uppka/submissions', bigK0(1, 'UPPKA Baru Disimpan'))).status).toBe(201);
    expect((await pdf(q)).headers.get('x-lembar-cache')).toBe('miss');
  });

  it('the report page\'s PDF link says the file is being prepared (unduh.js)', async () => {
    const html = await (await srv.fetchAs('pusat', '/reports/laporan-provinsi?provinsi=33&tahun=2026&bulan=10')).text();
    expect(html).toMatch(/<a href="\/api\/reports\/laporan-provinsi\.pdf\?[^"]+"[^>]* data-menyiapkan="Menyiapkan PDF… laporan besar bisa sampai satu menit\.">Unduh PDF<\/a>/);
    expect(html).toContain('src="/static/unduh.js"');
    expect(await (await srv.fetch('/static/unduh.js')).text()).toContain('data-menyiapkan');
  });

  it('20 heavy PDFs at once: the API answers about as fast as when idle; past the queue a 503 with Retry-After', async () => {
    await timed('/api/forms'); // warm
    const idle: number[] = [];
    for (let i = 0; i < 15; i++) idle.push(await timed('/api/forms'));
    // Twenty different artefacts (months × paper), so neither cache nor sharing helps.
    const queries = Array.from({ length: 20 }, (_, i) => `provinsi=33&tahun=2025&bulan=${(i % 12) + 1}&kertas=${i < 12 ? 'A4' : 'F4'}`);
    const started = queries.map((q) => pdf(q).then(async (r) => ({ status: r.status, retry: r.headers.get('retry-after'), body: r.status === 503 ? await r.json() : (await r.arrayBuffer(), undefined) })));
    await new Promise((r) => setTimeout(r, 100));
    const loaded: number[] = [];
    for (let i = 0; i < 15; i++) loaded.push(await timed('/api/forms'));
    const results = await Promise.all(started);
    expect(results.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    const refused = results.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(Number(r.retry)).toBeGreaterThan(0);
      expect(r.body.errors[0].message).toContain('Coba lagi');
    }
    // Generous for two busy cores: the median loaded answer within 10× the idle median plus 100 ms
    // (on the request thread, one province PDF alone took seconds).
    expect(median(loaded)).toBeLessThan(median(idle) * 10 + 100);
  });
});

describe('what already held, kept as tests', () => {
  it('headers past Node\'s limit are a 431, and the server keeps answering', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(srv.url('/api/forms'), { headers: { 'X-Besar': 'x'.repeat(40_000) } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
    expect((await srv.fetch('/api/forms')).status).toBe(200);
  });

  it('50 concurrent posts of one id: one stored (201), the same content 200, other content 409', async () => {
    const id = randomUUID();
    const same = bigK0(3, 'UPPKA Serentak');
    const other = bigK0(3, 'UPPKA Serentak Lain');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => json('/api/forms/k0-uppka/submissions', i % 5 === 4 ? other : same, { key: id }).then((r) => r.status)));
    expect(results.filter((s) => s === 201)).toHaveLength(1);
    expect(results.every((s) => [200, 201, 409].includes(s))).toBe(true);
    const stored = await (await srv.fetch(`/api/submissions/${id}`)).json();
    // Whichever content came first is the one stored, once.
    expect(['UPPKA Serentak', 'UPPKA Serentak Lain']).toContain(stored.data.identitas_kelompok.nama_kelompok);
    const won = stored.data.identitas_kelompok.nama_kelompok === 'UPPKA Serentak' ? 'same' : 'other';
    expect(results.filter((s) => s === 409)).toHaveLength(won === 'same' ? 10 : 40);
  });
});
