/** The real server over HTTP: demo data, every route, the submission status codes, and robustness. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { bigK0 } from './support/submissions.js';
import { startServer } from './support/server.js';

let srv: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => { srv = await startServer(); });
afterAll(async () => srv.close());

const post = (path: string, body: unknown, key: string | null = randomUUID(), raw?: string) =>
  srv.fetch(srv.url(path), { method: 'POST', headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) }, body: raw ?? JSON.stringify(body) });

describe('start', () => {
  it('loads the demo data on first start', async () => {
    const res = await srv.fetch(srv.url('/api/forms/k0-uppka/submissions'));
    const body = await res.json();
    expect(body.total).toBe(6);
    const r1 = await (await srv.fetch(srv.url('/api/forms/r1-uppka/submissions'))).json();
    expect(r1.total).toBe(12);
  });

  it('answers every route', async () => {
    const k0List = await (await srv.fetch(srv.url('/api/forms/k0-uppka/submissions?kabupaten_kota=33.74'))).json();
    const id = k0List.items[0].id;
    // One province month and one group month with demo data, asked for in every form of report.
    const province = 'provinsi=33&tahun=2026&bulan=10';
    const group = `kelompok=${id}&tahun=2026&bulan=10`;
    const routes: [string, number, string][] = [
      ['/', 200, 'text/html'],
      ['/forms/k0-uppka', 200, 'text/html'],
      ['/forms/r1-uppka', 200, 'text/html'],
      ['/forms/k0-uppka/submissions?provinsi=33', 200, 'text/html'],
      ['/forms/r1-uppka/submissions?provinsi=34&tahun=2026', 200, 'text/html'],
      [`/submissions/${id}`, 200, 'text/html'],
      ['/reports/laporan-provinsi', 200, 'text/html'],
      [`/reports/laporan-provinsi?${province}`, 200, 'text/html'],
      ['/static/lembar.css', 200, 'text/css'],
      ['/static/lembar.js', 200, 'text/javascript'],
      ['/api/forms', 200, 'application/json'],
      ['/api/forms/k0-uppka', 200, 'application/json'],
      ['/api/forms/k0-uppka/submissions', 200, 'application/json'],
      ['/api/forms/k0-uppka/submissions.csv', 200, 'text/csv'],
      [`/api/submissions/${id}`, 200, 'application/json'],
      ['/api/regions', 200, 'application/json'],
      ['/api/regions?parent=33', 200, 'application/json'],
      [`/api/reports/laporan-provinsi.json?${province}`, 200, 'application/json'],
      [`/api/reports/laporan-provinsi.csv?${province}`, 200, 'text/csv'],
      [`/api/reports/laporan-kabupaten.json?${group}`, 200, 'application/json'],
      [`/api/reports/laporan-kabupaten.pdf?${group}`, 200, 'application/pdf'],
      ['/reports/laporan-kabupaten', 200, 'text/html'],
      [`/reports/laporan-kabupaten?${group}`, 200, 'text/html'],
      [`/api/reports/laporan-kabupaten.json?kelompok=${randomUUID()}&tahun=2026&bulan=10`, 404, 'application/json'],
      ['/forms/k0-uppka/blank.pdf', 200, 'application/pdf'],
      [`/api/submissions/${id}.pdf`, 200, 'application/pdf'],
      [`/api/reports/laporan-provinsi.pdf?${province}`, 200, 'application/pdf'],
      ['/tidak-ada', 404, 'text/html'],
      ['/api/tidak-ada', 404, 'application/json'],
      ['/forms/tidak-ada', 404, 'text/html'],
      ['/api/forms/tidak-ada', 404, 'application/json'],
      ['/api/submissions/bukan-uuid', 404, 'application/json'],
      [`/api/submissions/${randomUUID()}`, 404, 'application/json'],
      ['/api/reports/laporan-provinsi.json?provinsi=99&tahun=2026&bulan=10', 400, 'application/json'],
      ['/api/reports/laporan-provinsi.json?provinsi=33&tahun=2026&bulan=13', 400, 'application/json'],
      ['/api/reports/laporan-kabupaten.json?kelompok=x&tahun=2026&bulan=1', 400, 'application/json'],
    ];
    // Each report as the role that works with it; everything else as the suite's PKB.
    const roleFor = (path: string) => (path.includes('laporan-kabupaten') ? 'kabupaten' : path.includes('laporan-provinsi') ? 'provinsi' : 'pkb');
    for (const [path, status, type] of routes) {
      const res = await srv.fetchAs(roleFor(path), srv.url(path));
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(res.headers.get('content-type') ?? '', path).toContain(type);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'self'");
      expect(res.headers.get('x-request-id'), path).toBeTruthy();
    }
  });

  // 100 KB for page, style and both scripts. The form's validator is most of it: compiled from a
  // schema without titles or x- keywords, required names checked in a loop and one shared error
  // push, it is ~54 KB of the ~93 KB (it was ~64 KB of ~102 KB).
  it('serves the K/0 entry page with its style and scripts in under 100 KB, before compression', async () => {
    const html = await (await srv.fetch(srv.url('/forms/k0-uppka'))).text();
    const assets = [...html.matchAll(/(?:href|src)="(\/(?:static|forms)\/[^"]+\.(?:css|js)[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(assets).toHaveLength(3);
    let total = Buffer.byteLength(html);
    for (const a of assets) total += Buffer.byteLength(await (await srv.fetch(srv.url(a))).text());
    expect(total).toBeLessThan(100 * 1024);
    // Minified on the way out: the comments of the sources stay home.
    const script = await (await srv.fetch(srv.url('/static/lembar.js'))).text();
    expect(script).not.toContain('// Drafts.');
    expect(script).toContain('lembar:konsep:');
    expect((await srv.fetch(srv.url('/static/tidakada.js'))).status).toBe(404);
    // The form's validator carries no English messages (nobody reads them), but the definition's own sentences.
    const validator = await (await srv.fetch(srv.url(assets.find((a) => a.includes('validasi.js'))!))).text();
    expect(validator).not.toContain('must be');
    expect(validator).toContain('NIK harus 16 digit angka.');
  });

  it('lists the region tree one level at a time', async () => {
    const provinces = await (await srv.fetch(srv.url('/api/regions'))).json();
    expect(provinces).toHaveLength(38);
    expect(provinces.map((p: any) => p.nama)).toEqual(expect.arrayContaining(['Papua Selatan', 'Papua Tengah', 'Papua Pegunungan', 'Papua Barat Daya']));
    expect(provinces.find((p: any) => p.kode === '65')).toMatchObject({ nama: 'Kalimantan Utara' });
    const districts = await (await srv.fetch(srv.url('/api/regions?parent=33'))).json();
    expect(districts.map((d: any) => d.nama)).toEqual(['Kabupaten Semarang', 'Kota Semarang']);
  });
});

describe('submissions page filters', () => {
  const shown = async (query: string) => {
    const html = await (await srv.fetch(srv.url(`/forms/k0-uppka/submissions?${query}`))).text();
    return { html, total: Number(/<p>(\d+) kiriman\./.exec(html)?.[1]) };
  };
  const apiTotal = async (query: string) => (await (await srv.fetch(srv.url(`/api/forms/k0-uppka/submissions?${query}`))).json()).total as number;

  it('offers the chosen province\'s districts by name, and keeps the filters consistent', async () => {
    const inProvince = await shown('provinsi=33');
    expect(inProvince.html).toContain('<option value="33.74">Kota Semarang</option>');
    expect(inProvince.html).toContain('<option value="33.22">Kabupaten Semarang</option>');
    expect(inProvince.html).not.toContain('Kota Yogyakarta');
    expect((await shown('provinsi=34')).html).toContain('<option value="34.71">Kota Yogyakarta</option>');

    // A district alone brings its province along, both chosen in the pickers.
    const district = await shown('kabupaten_kota=33.74');
    expect(district.html).toContain('<option value="33" selected>Jawa Tengah</option>');
    expect(district.html).toContain('<option value="33.74" selected>Kota Semarang</option>');
    expect(district.total).toBe(await apiTotal('kabupaten_kota=33.74'));
    expect(district.total).toBeGreaterThan(0);
    expect(district.total).toBeLessThan(inProvince.total);
    // Saved times in Western Indonesian Time, not the stored UTC string.
    expect(district.html).toMatch(/>\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}\.\d{2} WIB</);
    expect(district.html).not.toMatch(/T\d{2}:\d{2}:\d{2}(\.\d+)?Z/);

    // The province changed, the old district still in the query: the new province's list counts.
    const changed = await shown('provinsi=34&kabupaten_kota=33.74');
    expect(changed.total).toBe(await apiTotal('provinsi=34'));
    expect(changed.total).toBeGreaterThan(0);
    expect(changed.html).not.toContain('value="33.74" selected');
  });
});

describe('POST /api/forms/:id/submissions', () => {
  it('201 once, 200 for the same UUID and content, 409 for other content', async () => {
    const key = randomUUID();
    const data = bigK0(3, 'UPPKA Uji API');
    const first = await post('/api/forms/k0-uppka/submissions', data, key);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ id: key, revision: 1, status: 'tersimpan' });
    const again = await post('/api/forms/k0-uppka/submissions', data, key);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: key, status: 'sudah tersimpan' });
    const other = await post('/api/forms/k0-uppka/submissions', bigK0(3, 'Lain'), key);
    expect(other.status).toBe(409);
    expect((await other.json()).errors[0].message).toBe('Kode kiriman ini sudah dipakai untuk isi yang berbeda.');
  });

  it('422 with every error as path, label and Indonesian message', async () => {
    const data = bigK0(2);
    (data.anggota[1] as any).usia = -1;
    (data.identitas_kelompok as any).jumlah_anggota = 5;
    const res = await post('/api/forms/k0-uppka/submissions', data);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ errors: [
      { path: '/identitas_kelompok/jumlah_anggota', label: 'Jumlah Anggota Kelompok', message: 'Jumlah anggota kelompok harus sama dengan banyaknya baris anggota.' },
      { path: '/anggota/1/usia', label: 'Anggota no. 2 — Usia', message: 'Tidak boleh kurang dari 0.' },
    ] });
  });

  it('400 for a body that is not JSON or a missing key, 404 for an unknown form, 413 past the limit', async () => {
    const bad = await post('/api/forms/k0-uppka/submissions', null, randomUUID(), '{"identitas_kelompok": ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].message).toBe('Isi permintaan bukan JSON yang sah.');
    const noKey = await post('/api/forms/k0-uppka/submissions', bigK0(1), null);
    expect(noKey.status).toBe(400);
    expect((await noKey.json()).errors[0].message).toContain('Idempotency-Key');
    expect((await post('/api/forms/tidak-ada/submissions', bigK0(1))).status).toBe(404);
    const huge = await post('/api/forms/k0-uppka/submissions', null, randomUUID(), JSON.stringify({ x: 'a'.repeat(3 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    // Without a declared length (chunked), the limit is counted while reading.
    const mb = new TextEncoder().encode(`"${'a'.repeat(1024 * 1024)}",`);
    const chunked = await srv.fetch(srv.url('/api/forms/k0-uppka/submissions'), {
      method: 'POST', duplex: 'half', headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: new ReadableStream({ start(ctl) { ctl.enqueue(new TextEncoder().encode('[')); for (let i = 0; i < 3; i++) ctl.enqueue(mb); ctl.close(); } }),
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await chunked.json()).errors[0].message).toBe('Kiriman terlalu besar.');
    const array = await post('/api/forms/k0-uppka/submissions', [1, 2]);
    expect(array.status).toBe(422);
  });

  it('a submission posted through the API appears in the list, the CSV and the province report', async () => {
    const data = bigK0(4, 'UPPKA Tampak Di Laporan');
    const key = randomUUID();
    expect((await post('/api/forms/k0-uppka/submissions', data, key)).status).toBe(201);
    const list = await (await srv.fetch(srv.url('/api/forms/k0-uppka/submissions?provinsi=33'))).json();
    expect(list.items.map((i: any) => i.id)).toContain(key);
    const csv = await (await srv.fetch(srv.url('/api/forms/k0-uppka/submissions.csv?provinsi=33'))).text();
    expect(csv).toContain('UPPKA Tampak Di Laporan');
    expect(csv.split('\n')[0]).toContain('Nama Kelompok');
    const report = await (await srv.fetchAs('provinsi', srv.url('/api/reports/laporan-provinsi.json?provinsi=33&tahun=2026&bulan=11'))).json();
    expect(report.baris.find((r: any) => r.kelompok_id === key)).toMatchObject({ nama_kelompok: 'UPPKA Tampak Di Laporan', jumlah_keluarga: 4, mkjp_lestari: 1, non_pus: 1 });
    const reportCsv = await (await srv.fetchAs('provinsi', srv.url('/api/reports/laporan-provinsi.csv?provinsi=33&tahun=2026&bulan=11'))).text();
    expect(reportCsv).toContain('UPPKA Tampak Di Laporan');
    expect(reportCsv.split('\n')[0]).toContain('(25) KET');
  });
});

describe('district report per group', () => {
  it('copies identity and members from the card and keeps the district\'s activity entries as revisions', async () => {
    const list = await (await srv.fetch(srv.url('/api/forms/k0-uppka/submissions?kabupaten_kota=33.74'))).json();
    const kelompok = list.items[0].id;
    const q = `kelompok=${kelompok}&tahun=2026&bulan=10`;
    const before = await (await srv.fetchAs('kabupaten', srv.url(`/api/reports/laporan-kabupaten.json?${q}`))).json();
    expect(before.periode).toEqual({ kelompok_id: kelompok, bulan: 10, tahun: 2026 });
    expect(before.identitas_kelompok.provinsi).toBe('33');
    expect(before.jenis_kegiatan).toEqual({});
    const entries = { kelompok, tahun: 2026, bulan: 10, sections: { jenis_kegiatan: { materi_media_kie: true, sosialisasi_kie_pek: false, orientasi_pek: true, fasilitasi_pek: false, pengembangan_pek_stunting: true } } };
    const post = (body: unknown) => srv.fetchAs('kabupaten', srv.url('/api/reports/laporan-kabupaten/entries'), { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: JSON.stringify(body) });
    const first = await post(entries);
    expect(first.status).toBe(201);
    const after = await (await srv.fetchAs('kabupaten', srv.url(`/api/reports/laporan-kabupaten.json?${q}`))).json();
    expect(after.jenis_kegiatan).toEqual(entries.sections.jenis_kegiatan);
    expect(after.anggota).toEqual(before.anggota);
    // "6. Kegiatan Lainnya" is the province's section now (test/district-report.test.ts).
    const bad = await post({ ...entries, sections: { ...entries.sections, kegiatan_lainnya: { lainnya_pelaksanaan: true } } });
    expect(bad.status).toBe(403);
    const again = await post({ ...entries, sections: { jenis_kegiatan: { ...entries.sections.jenis_kegiatan, fasilitasi_pek: true } } });
    expect(await again.json()).toMatchObject({ revision: 2 });
    const page = await (await srv.fetchAs('kabupaten', srv.url(`/reports/laporan-kabupaten?${q}`))).text();
    expect(page).toContain('C. Jenis Kegiatan');
    expect(page).toMatch(/name="jenis_kegiatan\.fasilitasi_pek" value="ya" checked/);
    const form = new URLSearchParams({ _id: randomUUID(), 'jenis_kegiatan.materi_media_kie': 'tidak', 'jenis_kegiatan.sosialisasi_kie_pek': 'ya', 'jenis_kegiatan.orientasi_pek': 'ya', 'jenis_kegiatan.fasilitasi_pek': 'ya', 'jenis_kegiatan.pengembangan_pek_stunting': 'ya' });
    const saved = await srv.fetchAs('kabupaten', srv.url(`/reports/laporan-kabupaten?${q}`), { method: 'POST', body: form });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Isian tersimpan (revisi 3).');
  });
});

describe('field names from the client', () => {
  it('cannot write into Object.prototype through the province report form (the server keeps answering)', async () => {
    const body = new URLSearchParams({ 'baris.__proto__.pagu': '5', '__proto__.polusi': 'ya', 'constructor.prototype': 'x', 'tanda_tangan.__proto__': 'y', 'baris.constructor.pagu': '7' });
    const res = await srv.fetchAs('provinsi', srv.url('/reports/laporan-provinsi?provinsi=33&tahun=2026&bulan=10'), { method: 'POST', body });
    expect(res.status).toBeLessThan(500);
    const probe = {} as Record<string, unknown>;
    expect(probe.pagu).toBeUndefined();
    expect(probe.polusi).toBeUndefined();
    expect((await srv.fetch(srv.url('/'))).status).toBe(200);
    expect((await srv.fetchAs('provinsi', srv.url('/api/reports/laporan-provinsi.json?provinsi=33&tahun=2026&bulan=10'))).status).toBe(200);
  });
});

describe('HTML form without JavaScript', () => {
  it('re-renders an invalid post with the summary, messages at the fields and every typed value kept', async () => {
    const form = new URLSearchParams({
      _id: randomUUID(), _aksi: 'simpan', 'kartu.tahun': '2026',
      'identitas_kelompok.nama_kampung_kb': 'Kampung KB Melati', 'identitas_kelompok.nama_kelompok': '<b>UPPKA "Uji"</b>',
      'identitas_kelompok.tahun_terbentuk': 'dua ribu', 'identitas_kelompok.provinsi': '33', 'identitas_kelompok.kabupaten_kota': '33.74',
      'anggota.0.nama': 'Sri', 'anggota.0.usia': '-2', 'anggota.0.status': 'pus', 'anggota.0.mkjp_lestari': 'ya', 'anggota.0.mkjp_mandiri': 'tidak', 'anggota.0.non_mkjp': 'tidak', 'anggota.0.jenis_kontrasepsi': 'iud',
      'anggota.1.nama': 'Dewi', 'anggota.1.usia': '30', 'anggota.1.status': 'non_pus', 'anggota.1.mkjp_lestari': 'tidak', 'anggota.1.mkjp_mandiri': 'tidak', 'anggota.1.non_mkjp': 'tidak',
    });
    const res = await srv.fetch(srv.url('/forms/k0-uppka'), { method: 'POST', body: form });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Ada 5 isian yang perlu diperbaiki');
    expect(html).toContain('<a href="#f-identitas_kelompok-tahun_terbentuk">Tahun Terbentuk: Harus berupa bilangan bulat.</a>');
    expect(html).toContain('<a href="#f-anggota-0-usia">Anggota no. 1 — Usia: Tidak boleh kurang dari 0.</a>');
    expect(html).toMatch(/id="f-anggota-0-usia" name="anggota\.0\.usia" value="-2"[^>]*aria-invalid="true"/);
    expect(html).toContain('value="dua ribu"');
    expect(html).toContain('value="&lt;b&gt;UPPKA &quot;Uji&quot;&lt;/b&gt;"');
    expect(html).toContain('name="anggota.1.nama" value="Dewi"');
    expect(html).toMatch(/<option value="33.74" selected>Kota Semarang<\/option>/);
    expect(html).toMatch(/name="identitas_kelompok\.jumlah_anggota" value="2"[^>]* readonly data-derived="anggota"/);
  });

  it('narrows the region pickers on "Perbarui pilihan wilayah" down to the village\'s Kampung KB', async () => {
    const form = new URLSearchParams({
      _id: randomUUID(), _aksi: 'wilayah', 'identitas_kelompok.provinsi': '33', 'identitas_kelompok.kabupaten_kota': '33.74',
      'identitas_kelompok.kecamatan': '33.74.01', 'identitas_kelompok.desa_kelurahan': '33.74.01.1002',
    });
    const res = await srv.fetch(srv.url('/forms/k0-uppka'), { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('ringkasan-galat');
    expect(html).toMatch(/<option value="33.74.01.1002" selected>Karangkidul<\/option>/);
    expect(html).toContain('<datalist id="f-identitas_kelompok-nama_kampung_kb-daftar"><option value="Kampung KB Anggrek"></option></datalist>');
  });

  it('saves a valid post and shows a receipt with the reference number', async () => {
    const id = randomUUID();
    const form = new URLSearchParams({
      _id: id, _aksi: 'simpan', 'kartu.tahun': '2026',
      'identitas_kelompok.nama_kampung_kb': 'Kampung KB Melati', 'identitas_kelompok.nama_kelompok': 'UPPKA Tanpa JS', 'identitas_kelompok.tahun_terbentuk': '2020',
      'identitas_kelompok.provinsi': '33', 'identitas_kelompok.kabupaten_kota': '33.74', 'identitas_kelompok.kecamatan': '33.74.01', 'identitas_kelompok.desa_kelurahan': '33.74.01.1001',
      'identitas_kelompok.jenis_usaha': 'kuliner', 'identitas_kelompok.modal_saat_ini': '1.250.000',
      'anggota.0.nama': 'Sri', 'anggota.0.usia': '31', 'anggota.0.status': 'pus', 'anggota.0.mkjp_lestari': 'ya', 'anggota.0.mkjp_mandiri': 'tidak', 'anggota.0.non_mkjp': 'tidak', 'anggota.0.jenis_kontrasepsi': 'iud',
      'anggota.1.nama': '', 'anggota.1.usia': '',
    });
    const res = await srv.fetch(srv.url('/forms/k0-uppka'), { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/submissions/${id}?baru=1`);
    const receipt = await (await srv.fetch(srv.url(`/submissions/${id}?baru=1`))).text();
    expect(receipt).toContain('Tersimpan');
    expect(receipt).toContain(id);
    const stored = await (await srv.fetch(srv.url(`/api/submissions/${id}`))).json();
    expect(stored.data.identitas_kelompok).toMatchObject({ jumlah_anggota: 1, modal_saat_ini: 1250000 });
    expect(stored.data.anggota).toHaveLength(1);
  });
});
