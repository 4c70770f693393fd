/** Whatever a client sends, the server answers 2xx or 4xx: a 5xx on user input is a bug. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { bigK0 } from './support/submissions.js';
import { startServer } from './support/server.js';

let srv: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => { srv = await startServer({ demo: false }); });
afterAll(async () => srv.close());

/** The K/0 example with one field replaced by anything at all. */
const mangledK0 = fc.record({
  path: fc.constantFrom(['identitas_kelompok'], ['identitas_kelompok', 'provinsi'], ['identitas_kelompok', 'jumlah_anggota'], ['anggota'], ['anggota', '0'], ['anggota', '0', 'usia'], ['anggota', '0', 'status'], ['x']),
  value: fc.jsonValue({ maxDepth: 3 }),
}).map(({ path, value }) => {
  const data: any = structuredClone(bigK0(2));
  let node = data;
  for (const key of path.slice(0, -1)) node = node[key] ?? (node[key] = {});
  node[path.at(-1)!] = value;
  return data;
});

describe('fuzzing the HTTP surface', () => {
  it('JSON API posts never yield a 5xx', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(mangledK0, fc.jsonValue({ maxDepth: 4 })), fc.constantFrom('k0-uppka', 'r1-uppka', 'laporan-provinsi'), async (body, form) => {
      const res = await srv.fetch(srv.url(`/api/forms/${form}/submissions`), { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: JSON.stringify(body) });
      expect(res.status).toBeLessThan(500);
      if (res.status === 422) expect((await res.json()).errors.length).toBeGreaterThan(0);
    }), { numRuns: 150 });
  });

  it('HTML form posts and report queries never yield a 5xx', async () => {
    const field = fc.constantFrom('identitas_kelompok.tahun_terbentuk', 'identitas_kelompok.provinsi', 'anggota.0.usia', 'anggota.99999.nama', 'anggota.x.nama', '_tambah', '_aksi', '_id', 'identitas.bulan', 'pertemuan.0.tanggal', 'identitas.kelompok_id', '_cari.identitas.kelompok_id', '_cari.x');
    await fc.assert(fc.asyncProperty(fc.dictionary(field, fc.string({ maxLength: 30 })), fc.constantFrom('k0-uppka', 'r1-uppka'), async (entries, form) => {
      const res = await srv.fetch(srv.url(`/forms/${form}`), { method: 'POST', body: new URLSearchParams(entries) });
      expect(res.status).toBeLessThan(500);
    }), { numRuns: 100 });
    await fc.assert(fc.asyncProperty(fc.oneof(fc.constant('33'), fc.string({ maxLength: 12 })), fc.oneof(fc.constant('2026'), fc.string({ maxLength: 6 })), fc.oneof(fc.constant('10'), fc.string({ maxLength: 4 })), async (provinsi, tahun, bulan) => {
      const q = new URLSearchParams({ provinsi, tahun, bulan }).toString();
      const picked = new URLSearchParams({ provinsi: bulan, kabupaten_kota: provinsi, kelompok: provinsi, cari: bulan }).toString();
      for (const path of [`/api/reports/laporan-provinsi.json?${q}`, `/reports/laporan-provinsi?${q}`, `/api/forms/r1-uppka/submissions?${q}&page=${tahun}`, `/api/regions?parent=${encodeURIComponent(provinsi)}`, `/forms/k0-uppka/submissions?${picked}`, `/reports/laporan-kabupaten?${picked}`]) {
        expect((await srv.fetchAs(path.includes('laporan-kabupaten') ? 'kabupaten' : path.includes('laporan-') ? 'provinsi' : 'pkb', srv.url(path))).status, path).toBeLessThan(500);
      }
      const entry = await srv.fetchAs('provinsi', srv.url(`/reports/laporan-provinsi?${q}`), { method: 'POST', body: new URLSearchParams({ 'tanda_tangan.nama_koordinator': bulan, [`baris.${provinsi}.pagu`]: tahun }) });
      expect(entry.status).toBeLessThan(500);
      const api = await srv.fetchAs('provinsi', srv.url('/api/reports/laporan-provinsi/entries'), {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
        body: JSON.stringify({ provinsi, tahun, bulan, rows: { [provinsi]: { pagu: tahun } }, sections: { tanda_tangan: bulan } }),
      });
      expect(api.status).toBeLessThan(500);
    }), { numRuns: 60 });
  });
  it('every route, with any path segment, query value, content type and body, never yields a 5xx', async () => {
    const known = randomUUID();
    expect((await srv.fetch(srv.url('/api/forms/k0-uppka/submissions'), { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': known }, body: JSON.stringify(bigK0(2, 'UPPKA Fuzz')) })).status).toBe(201);
    const segment = fc.oneof(fc.constantFrom('k0-uppka', 'r1-uppka', 'laporan-provinsi', 'laporan-kabupaten', known, known.toUpperCase(), '__proto__', '..', '%00'), fc.string({ maxLength: 12 }));
    const value = fc.oneof(fc.constantFrom('1e308', 'Infinity', '2.5', '-1', '99999999999999999999', '33', '2026', '10', 'F4', known, '\u202e', '\u0000'), fc.string({ maxLength: 10 }));
    const paths = (id: string, v: string) => {
      const e = encodeURIComponent(id);
      const q = new URLSearchParams({ page: v, per_page: v, provinsi: v, tahun: v, bulan: v, kelompok: v, kertas: v, cari: v, parent: v, baru: v }).toString();
      return ['/', `/forms/${e}`, `/forms/${e}/validasi.js`, `/forms/${e}/submissions?${q}`, `/submissions/${e}?${q}`, `/forms/${e}/blank.pdf?${q}`,
        '/api/forms', `/api/forms/${e}`, `/api/forms/${e}/submissions?${q}`, `/api/forms/${e}/submissions.csv?${q}`, `/api/submissions/${e}`, `/api/submissions/${e}.pdf?${q}`,
        `/api/regions?${q}`, `/api/reports/${e}.json?${q}`, `/api/reports/${e}.csv?${q}`, `/reports/${e}?${q}`, `/static/${e}`];
    };
    await fc.assert(fc.asyncProperty(segment, value, async (id, v) => {
      for (const path of paths(id, v)) expect((await srv.fetchAs('pusat', srv.url(path))).status, path).toBeLessThan(500);
    }), { numRuns: 25 });
    const type = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=b', 'multipart/form-data', 'application/json; charset=latin1');
    const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((j) => JSON.stringify(j)), fc.string({ maxLength: 60 }), fc.constant('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n'),
      fc.record({ kelompok: fc.constant(known), tahun: fc.constant(2026), bulan: fc.constant(10), sections: fc.jsonValue({ maxDepth: 2 }) }).map((j) => JSON.stringify(j)));
    await fc.assert(fc.asyncProperty(segment, type, body, async (id, contentType, payload) => {
      const e = encodeURIComponent(id);
      for (const [path, as] of [[`/api/forms/${e}/submissions`, 'pkb'], [`/api/reports/${e}/entries`, 'kabupaten'], ['/api/reports/laporan-kabupaten/entries', 'kabupaten'], [`/forms/${e}`, 'pkb'], [`/reports/${e}?kelompok=${known}&tahun=2026&bulan=10`, 'kabupaten']] as const) {
        const res = await srv.fetchAs(as, srv.url(path), { method: 'POST', headers: { 'Content-Type': contentType, 'Idempotency-Key': randomUUID() }, body: payload });
        expect(res.status, `${path} ${contentType}`).toBeLessThan(500);
      }
    }), { numRuns: 60 });
  });
});
