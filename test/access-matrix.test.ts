/**
 * The access matrix over the real server: every route × every role × a record inside and one
 * outside the account's region (and anonymous) → the expected status, with nothing read or
 * written outside the region; every route of the app declared; cross-site posts refused; failed
 * logins limited per account and per address; personal fields masked for roles that need none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { needOf } from '../server/access.js';
import { createAccount } from '../server/auth/auth.js';
import { forgetSessions } from '../server/auth/session-cache.js';
import type { Role } from '../server/auth/roles.js';
import { bigK0 } from './support/submissions.js';
import { startServer, TEST_ACCOUNTS, TEST_PASSWORD } from './support/server.js';
import { pdfText } from './support/pdf-text.js';

let srv: Awaited<ReturnType<typeof startServer>>;
/** Group cards and registers: `in` inside every scoped test account's region (Kel. Pekunden), `out` in Yogyakarta. */
const rec = { k0: { in: '', out: '' }, r1: { in: '', out: '' } };
const now = new Date();
const period = `tahun=${now.getFullYear()}&bulan=${now.getMonth() + 1}`;

type Who = Role | 'anonim' | 'pkb_kecamatan';
const WHO: Who[] = ['anonim', 'kader', 'pkb_kecamatan', 'kabupaten', 'provinsi', 'pusat', 'admin'];
const cookies = new Map<Who, string>();

async function as(who: Who, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (who !== 'anonim') headers.set('Cookie', cookies.get(who)!);
  if (init.method === 'POST' && !headers.has('Origin')) headers.set('Origin', srv.base);
  return fetch(srv.url(path), { ...init, headers, redirect: 'manual' });
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: JSON.stringify(body) });

beforeAll(async () => {
  srv = await startServer();
  // A PKB bound to one kecamatan (the suite's own PKB has every village, so nothing is outside it).
  await createAccount(srv.auth, { name: 'PKB Semarang Tengah', role: 'pkb', regions: ['33.74.01'], username: 'uji.pkb.kec', password: TEST_PASSWORD });
  for (const who of WHO) {
    if (who === 'anonim') continue;
    const username = who === 'pkb_kecamatan' ? 'uji.pkb.kec' : TEST_ACCOUNTS[who].username;
    const res = await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: username, sandi: TEST_PASSWORD }) });
    expect(res.status, who).toBe(303);
    cookies.set(who, res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '));
  }
  const k0 = (await (await srv.fetchAs('pusat', '/api/forms/k0-uppka/submissions?per_page=200')).json()).items as { id: string; data: any }[];
  rec.k0.in = k0.find((i) => i.data.identitas_kelompok.desa_kelurahan === '33.74.01.1001')!.id;
  rec.k0.out = k0.find((i) => i.data.identitas_kelompok.provinsi === '34')!.id;
  const r1 = (await (await srv.fetchAs('pusat', '/api/forms/r1-uppka/submissions?per_page=200')).json()).items as { id: string; data: any }[];
  rec.r1.in = r1.find((i) => i.data.identitas.kelompok_id === rec.k0.in)!.id;
  rec.r1.out = r1.find((i) => i.data.identitas.kelompok_id === rec.k0.out)!.id;
});
afterAll(async () => srv.close());

/** What each account may do, written out here independently of the server's own table. */
const READS_FORMS: Who[] = ['kader', 'pkb_kecamatan', 'kabupaten', 'provinsi', 'pusat'];
const WRITES_FORMS: Who[] = ['kader', 'pkb_kecamatan'];
const READS_REPORTS: Who[] = ['kabupaten', 'provinsi', 'pusat'];
/** Whether the Yogyakarta records are inside the account's region (only the national account). */
const national = (who: Who) => who === 'pusat';

const card = (name: string, desa: 'in' | 'out') => {
  const c = bigK0(2, name);
  if (desa === 'out') Object.assign(c.identitas_kelompok, { provinsi: '34', kabupaten_kota: '34.71', kecamatan: '34.71.01', desa_kelurahan: '34.71.01.1001', nama_kampung_kb: 'Kampung KB Gedongkiwo' });
  return c;
};

interface Case { readonly name: string; readonly run: (who: Who, where: 'in' | 'out') => Promise<Response>; readonly expect: (who: Who, where: 'in' | 'out') => number }

/** Anonymous: pages send to the login page, the API answers 401. */
const anon = (page: boolean) => (page ? 303 : 401);

const cases: Case[] = [
  { name: 'GET /api/submissions/:id', run: (w, at) => as(w, `/api/submissions/${rec.k0[at]}`),
    expect: (w, at) => (w === 'anonim' ? anon(false) : !READS_FORMS.includes(w) ? 403 : at === 'in' || national(w) ? 200 : 404) },
  { name: 'GET /api/submissions/:id (R/1, region of its group)', run: (w, at) => as(w, `/api/submissions/${rec.r1[at]}`),
    expect: (w, at) => (w === 'anonim' ? anon(false) : !READS_FORMS.includes(w) ? 403 : at === 'in' || national(w) ? 200 : 404) },
  { name: 'GET /submissions/:id', run: (w, at) => as(w, `/submissions/${rec.k0[at]}`),
    expect: (w, at) => (w === 'anonim' ? anon(true) : !READS_FORMS.includes(w) ? 403 : at === 'in' || national(w) ? 200 : 404) },
  { name: 'GET /api/submissions/:id.pdf', run: (w, at) => as(w, `/api/submissions/${rec.k0[at]}.pdf`),
    expect: (w, at) => (w === 'anonim' ? anon(false) : !READS_FORMS.includes(w) ? 403 : at === 'in' || national(w) ? 200 : 404) },
  { name: 'GET /forms/:id (entry page)', run: (w) => as(w, '/forms/k0-uppka'), expect: (w) => (w === 'anonim' ? anon(true) : WRITES_FORMS.includes(w) ? 200 : 403) },
  { name: 'POST /api/forms/k0-uppka/submissions', run: (w, at) => as(w, '/api/forms/k0-uppka/submissions', json(card(`UPPKA Matriks ${w} ${at}`, at))),
    expect: (w, at) => (w === 'anonim' ? anon(false) : !WRITES_FORMS.includes(w) ? 403 : at === 'in' ? 201 : 403) },
  { name: 'POST /forms/k0-uppka (HTML)', run: (w, at) => as(w, '/forms/k0-uppka', { method: 'POST', body: new URLSearchParams(flatten({ _id: randomUUID(), _aksi: 'simpan', ...card(`UPPKA HTML ${w} ${at}`, at) })) }),
    expect: (w, at) => (w === 'anonim' ? 401 : !WRITES_FORMS.includes(w) ? 403 : at === 'in' ? 303 : 403) },
  { name: 'POST /api/forms/r1-uppka/submissions', run: (w, at) => as(w, '/api/forms/r1-uppka/submissions', json(register(at))),
    expect: (w, at) => (w === 'anonim' ? anon(false) : !WRITES_FORMS.includes(w) ? 403 : at === 'in' ? 201 : 403) },
  { name: 'GET /api/reports/laporan-provinsi.json', run: (w, at) => as(w, `/api/reports/laporan-provinsi.json?provinsi=${at === 'in' ? '33' : '34'}&${period}`),
    expect: (w, at) => (w === 'anonim' ? anon(false) : !READS_REPORTS.includes(w) ? 403 : (at === 'in' && w === 'provinsi') || national(w) ? 200 : 404) },
  { name: 'GET /reports/laporan-provinsi', run: (w, at) => as(w, `/reports/laporan-provinsi?provinsi=${at === 'in' ? '33' : '34'}&${period}`),
    expect: (w, at) => (w === 'anonim' ? anon(true) : !READS_REPORTS.includes(w) ? 403 : (at === 'in' && w === 'provinsi') || national(w) ? 200 : 404) },
  { name: 'POST /api/reports/laporan-provinsi/entries', run: (w, at) => as(w, '/api/reports/laporan-provinsi/entries', json({ provinsi: at === 'in' ? '33' : '34', tahun: now.getFullYear(), bulan: now.getMonth() + 1, sections: { tanda_tangan: { nama_koordinator: `Matriks ${w}` } } })),
    expect: (w, at) => (w === 'anonim' ? anon(false) : w !== 'provinsi' ? 403 : at === 'in' ? 201 : 403) },
  { name: 'GET /api/reports/laporan-kabupaten.json', run: (w, at) => as(w, `/api/reports/laporan-kabupaten.json?kelompok=${rec.k0[at]}&${period}`),
    expect: (w, at) => (w === 'anonim' ? anon(false) : !READS_REPORTS.includes(w) ? 403 : at === 'in' || national(w) ? 200 : 404) },
  { name: 'POST /api/reports/laporan-kabupaten/entries', run: (w, at) => as(w, '/api/reports/laporan-kabupaten/entries', json({ kelompok: rec.k0[at], tahun: now.getFullYear(), bulan: now.getMonth() + 1, sections: { jenis_kegiatan: { materi_media_kie: true, sosialisasi_kie_pek: true, orientasi_pek: true, fasilitasi_pek: true, pengembangan_pek_stunting: true } } })),
    expect: (w, at) => (w === 'anonim' ? anon(false) : w !== 'kabupaten' ? 403 : at === 'in' ? 201 : 403) },
  { name: 'GET /akun', run: (w) => as(w, '/akun'), expect: (w) => (w === 'anonim' ? anon(true) : w === 'admin' ? 200 : 403) },
  { name: 'GET /jejak', run: (w) => as(w, '/jejak'), expect: (w) => (w === 'anonim' ? anon(true) : w === 'admin' ? 200 : 403) },
  { name: 'GET /', run: (w) => as(w, '/'), expect: (w) => (w === 'anonim' ? anon(true) : 200) },
];

function register(at: 'in' | 'out') {
  const d = new Date(now.getFullYear(), now.getMonth() - 5, 1);
  return {
    identitas: { kelompok_id: rec.k0[at], bulan: d.getMonth() + 1, tahun: d.getFullYear(), jumlah_anggota: 8 },
    pertemuan: [{ tanggal: `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-10`, materi: 'Matriks', jumlah_hadir: 3 }],
    kegiatan_pro_pn: { sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: false, monitoring_evaluasi: false },
    usaha: { modal: 1_000_000, omzet: 250_000 },
  };
}

/** A submission as an HTML form post names it (`anggota.0.nama`, `ya`/`tidak`). */
function flatten(data: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flatten(v as Record<string, unknown>, name));
    else out[name] = v === true ? 'ya' : v === false ? 'tidak' : String(v);
  }
  return out;
}

describe('access matrix', () => {
  it('answers every route × role × inside/outside as expected', async () => {
    const wrong: string[] = [];
    for (const c of cases) {
      for (const who of WHO) {
        for (const at of ['in', 'out'] as const) {
          const res = await c.run(who, at);
          const want = c.expect(who, at);
          if (res.status !== want) wrong.push(`${c.name} as ${who} (${at}): ${res.status}, expected ${want}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('stores nothing that was refused outside a region', async () => {
    const all = (await (await srv.fetchAs('pusat', '/api/forms/k0-uppka/submissions?provinsi=34&per_page=200')).json()).items as { data: any }[];
    expect(all.filter((i) => /Matriks|HTML/.test(i.data.identitas_kelompok.nama_kelompok))).toEqual([]);
    const report = await (await srv.fetchAs('pusat', `/api/reports/laporan-provinsi.json?provinsi=34&${period}`)).json();
    expect(report.tanda_tangan ?? {}).toEqual({});
  });

  it('lists, CSV and group search show only the region\'s records', async () => {
    for (const who of ['kader', 'pkb_kecamatan', 'kabupaten', 'provinsi'] as const) {
      const list = await (await as(who, '/api/forms/k0-uppka/submissions?per_page=200')).json();
      const regions = list.items.map((i: any) => i.data.identitas_kelompok.desa_kelurahan as string);
      expect(regions.length, who).toBeGreaterThan(0);
      expect(regions.filter((r: string) => r.startsWith('34') || r.startsWith('11')), who).toEqual([]);
      const r1 = await (await as(who, '/api/forms/r1-uppka/submissions?per_page=200')).json();
      expect(r1.items.some((i: any) => i.id === rec.r1.out), who).toBe(false);
      const csv = await (await as(who, '/api/forms/k0-uppka/submissions.csv')).text();
      expect(csv, who).not.toContain('Gedongkiwo');
    }
    const picker = await (await as('kader', '/forms/r1-uppka')).text();
    expect(picker).toContain('UPPKA Sejahtera');
    expect(picker).not.toContain('UPPKA Gedongkiwo Berkah');
  });
});

describe('holes found in review', () => {
  it('refuses a card whose region fields do not nest (a village of one province, the province of another)', async () => {
    const mixed = card('UPPKA Titipan', 'in');
    Object.assign(mixed.identitas_kelompok, { provinsi: '34', kabupaten_kota: '34.71', kecamatan: '34.71.01' });
    const res = await as('kader', '/api/forms/k0-uppka/submissions', json(mixed));
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([expect.objectContaining({ path: '/identitas_kelompok/desa_kelurahan', message: 'Tidak berada di Kecamatan yang dipilih. Pilih ulang dari Kecamatan ke bawah.' })]);
  });

  it('does not show a report\'s saved entries through the form routes to roles that do not read reports', async () => {
    // January of this year: the demo's cards are this year's, so the group has a card in force then.
    const saved = await (await as('kabupaten', '/api/reports/laporan-kabupaten/entries', json({ kelompok: rec.k0.in, tahun: new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear(), bulan: 1, sections: { jenis_kegiatan: { materi_media_kie: true, sosialisasi_kie_pek: true, orientasi_pek: true, fasilitasi_pek: true, pengembangan_pek_stunting: true } } }))).json();
    for (const path of ['/api/forms/laporan-kabupaten/submissions', '/api/forms/laporan-kabupaten/submissions.csv', '/forms/laporan-kabupaten/submissions']) {
      expect((await as('kader', path)).status, path).toBe(403);
    }
    expect((await as('kader', `/api/submissions/${saved.id}`)).status).toBe(404);
    expect((await as('kabupaten', `/api/submissions/${saved.id}`)).status).toBe(200);
  });

  it('counts a burst of parallel guesses against the limit', async () => {
    await createAccount(srv.auth, { name: 'Sasaran Serbuan', role: 'kader', regions: ['33.74.01.1001'], username: 'uji.serbuan', password: TEST_PASSWORD });
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: 'uji.serbuan', sandi: `salah-${i}` }) }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
    await srv.store.db.deleteFrom('lembar_gagal_masuk').execute(); // the address is shared by the later tests
  });

  it('changing one\'s password needs the current one and ends the other sessions', async () => {
    await createAccount(srv.auth, { name: 'Ganti Sandi', role: 'pusat', regions: [], username: 'uji.ganti', password: TEST_PASSWORD });
    const login = async (sandi: string) => {
      const res = await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: 'uji.ganti', sandi }) });
      return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    };
    const phone = await login(TEST_PASSWORD);
    const office = await login(TEST_PASSWORD);
    const change = (lama: string) => fetch(srv.url('/sandi'), { method: 'POST', redirect: 'manual', headers: { Cookie: office, Origin: srv.base }, body: new URLSearchParams({ lama, sandi: 'sandi-baru-panjang-1', ulang: 'sandi-baru-panjang-1' }) });
    expect((await change('bukan-sandinya')).status).toBe(422);
    const done = await change(TEST_PASSWORD);
    expect(done.status).toBe(303);
    const renewed = done.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') || office;
    expect((await fetch(srv.url('/api/forms'), { headers: { Cookie: phone } })).status).toBe(401);
    expect((await fetch(srv.url('/api/forms'), { headers: { Cookie: renewed } })).status).toBe(200);
  });

  it('lets no web admin make a national admin, and answers a too short name with a message', async () => {
    const made = await as('admin', '/akun', { method: 'POST', body: new URLSearchParams({ nama: 'Admin Kedua', peran: 'admin', wilayah: '' }) });
    expect(made.status).toBe(422);
    const short = await as('admin', '/akun', { method: 'POST', body: new URLSearchParams({ nama: 'A', peran: 'kader', wilayah: '33.74.01.1001' }) });
    expect(short.status).toBe(201);
    expect(await short.text()).toContain('Nama pengguna: <strong class="rujukan">a.akun</strong>');
  });
});

describe('every route is declared', () => {
  it('matches each route of the app to a declaration in the access table', () => {
    const undeclared = srv.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, sample: r.path.replace(/:[a-z]+(\{[^}]*\})?/gi, 'x') }))
      .filter((r) => !needOf(r.method, r.sample))
      .map((r) => `${r.method} ${r.sample}`);
    expect(undeclared).toEqual([]);
  });

  it('does not serve an undeclared route', async () => {
    expect((await as('pusat', '/api/rahasia')).status).toBe(404);
  });
});

describe('cross-site requests', () => {
  it('refuses every state-changing request from another site (403), HTML forms included', async () => {
    const foreign = { Origin: 'http://evil.example' };
    const posts: [Who, string, RequestInit][] = [
      ['kader', '/api/forms/k0-uppka/submissions', { ...json(card('UPPKA Lintas Situs', 'in')), headers: { ...foreign, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() } }],
      ['kader', '/forms/k0-uppka', { method: 'POST', headers: foreign, body: new URLSearchParams({ _aksi: 'simpan' }) }],
      ['provinsi', `/reports/laporan-provinsi?provinsi=33&${period}`, { method: 'POST', headers: foreign, body: new URLSearchParams({ 'tanda_tangan.nama_koordinator': 'X' }) }],
      ['admin', '/akun', { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' }, body: new URLSearchParams({ nama: 'X', peran: 'pusat' }) }],
      ['kader', '/keluar', { method: 'POST', headers: foreign }],
    ];
    for (const [who, path, init] of posts) expect((await as(who, path, init)).status, path).toBe(403);
  });
});

describe('personal data', () => {
  it('shows NIK and telepon in full to the kader and the district, masked to the province and the centre', async () => {
    const withNik = card('UPPKA Data Pribadi', 'in');
    withNik.anggota[0]!.nik = '3374012345670001';
    withNik.identitas_kelompok.telepon = '081234567890';
    const posted = await (await as('kader', '/api/forms/k0-uppka/submissions', json(withNik))).json();
    for (const who of ['kader', 'kabupaten'] as const) {
      const got = await (await as(who, `/api/submissions/${posted.id}`)).json();
      expect(got.data.anggota[0].nik, who).toBe('3374012345670001');
    }
    for (const who of ['provinsi', 'pusat'] as const) {
      const got = await (await as(who, `/api/submissions/${posted.id}`)).json();
      expect(got.data.anggota[0].nik, who).toBe('3374••••••••••01');
      expect(got.data.identitas_kelompok.telepon, who).toBe('0812••••••90');
      const csv = await (await as(who, '/api/forms/k0-uppka/submissions.csv?kabupaten_kota=33.74')).text();
      expect(csv, who).not.toContain('081234567890');
      const pdf = pdfText(Buffer.from(await (await as(who, `/api/submissions/${posted.id}.pdf`)).arrayBuffer()));
      expect(pdf, who).not.toContain('3374012345670001');
      const page = await (await as(who, `/submissions/${posted.id}`)).text();
      expect(page, who).not.toContain('081234567890');
    }
    const district = await (await as('provinsi', `/api/reports/laporan-kabupaten.json?kelompok=${posted.id}&${period}`)).json();
    expect(district.anggota[0].nik).toBe('3374••••••••••01');
    // A cached download is never handed from the district (full) to the province (masked), or back.
    const q = `kelompok=${posted.id}&${period}`;
    expect(await (await as('kabupaten', `/api/reports/laporan-kabupaten.csv?${q}`)).text()).toContain('3374012345670001');
    expect(await (await as('provinsi', `/api/reports/laporan-kabupaten.csv?${q}`)).text()).not.toContain('3374012345670001');
    // The district report's print carries neither telepon nor NIK (off its paper since part A shows
    // the guide's items only), so the CSV above is where its masking shows.
  });
});

describe('the audit trail', () => {
  it('records writes and exports with who, what and from where, for admins of the region', async () => {
    const posted = await (await as('kader', '/api/forms/k0-uppka/submissions', json(card('UPPKA Jejak', 'in')))).json();
    await as('provinsi', `/api/reports/laporan-provinsi.csv?provinsi=33&${period}`);
    const page = await (await as('admin', '/jejak')).text();
    expect(page).toContain(posted.id);
    expect(page).toContain('uji.kader');
    expect(page).toContain('laporan-provinsi');
    expect(page).toContain('127.0.0.1');
  });
});

describe('admins of a level', () => {
  it('make accounts below their node only, reset passwords and deactivate, ending sessions', async () => {
    await createAccount(srv.auth, { name: 'Admin Jawa Tengah', role: 'admin', regions: ['33'], username: 'uji.admin.33', password: TEST_PASSWORD });
    const login = await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: 'uji.admin.33', sandi: TEST_PASSWORD }) });
    const admin = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const post = (path: string, body: Record<string, string>) => fetch(srv.url(path), { method: 'POST', redirect: 'manual', headers: { Cookie: admin, Origin: srv.base }, body: new URLSearchParams(body) });
    const made = await post('/akun', { nama: 'Kader Baru Karangkidul', peran: 'kader', wilayah: '33.74.01.1002' });
    expect(made.status).toBe(201);
    const html = await made.text();
    const password = /Kata sandi sementara: <strong class="rujukan">([^<]+)</.exec(html)![1]!;
    expect((await post('/akun', { nama: 'Di Luar', peran: 'kader', wilayah: '34.71.01.1001' })).status).toBe(422);
    expect((await post('/akun', { nama: 'Sejajar', peran: 'admin', wilayah: '33' })).status).toBe(422);
    expect((await post('/akun', { nama: 'Pusat Palsu', peran: 'pusat', wilayah: '' })).status).toBe(422);
    // The new account logs in with the one-time password and must change it first.
    const first = await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: 'kader.baru.karangkidul', sandi: password }) });
    expect(first.status).toBe(303);
    const kaderCookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect((await fetch(srv.url('/forms/k0-uppka'), { redirect: 'manual', headers: { Cookie: kaderCookie } })).headers.get('location')).toBe('/sandi');
    // Accounts beside or above the admin do not exist for it.
    const accounts = await (await fetch(srv.url('/akun'), { headers: { Cookie: admin } })).text();
    expect(accounts).toContain('kader.baru.karangkidul');
    expect(accounts).not.toContain('uji.pusat');
    const targetId = String((await srv.store.db.selectFrom('user').select('id').where('username', '=', 'kader.baru.karangkidul').executeTakeFirstOrThrow()).id);
    expect(accounts).toContain(`action="/akun/${targetId}"`);
    const pusatId = String((await srv.store.db.selectFrom('user').select('id').where('username', '=', 'uji.pusat').executeTakeFirstOrThrow()).id);
    expect((await post(`/akun/${pusatId}`, { _aksi: 'nonaktif' })).status).toBe(404);
    expect((await post(`/akun/${targetId}`, { _aksi: 'nonaktif' })).status).toBe(303);
    expect((await fetch(srv.url('/forms/k0-uppka'), { redirect: 'manual', headers: { Cookie: kaderCookie } })).headers.get('location')).toMatch(/^\/masuk/);
    const refused = await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: 'kader.baru.karangkidul', sandi: password }) });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('Akun ini sudah dinonaktifkan');
  });
});

describe('sessions', () => {
  it('end after their absolute age however active they are, and after logout', async () => {
    const login = await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: TEST_ACCOUNTS.kabupaten.username, sandi: TEST_PASSWORD }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const attrs = login.headers.getSetCookie().join('\n');
    expect(attrs).toMatch(/HttpOnly/i);
    expect(attrs).toMatch(/SameSite=Lax/i);
    expect((await fetch(srv.url('/api/forms'), { headers: { Cookie: cookie } })).status).toBe(200);
    const token = decodeURIComponent(cookie.split('=')[1]!).split('.')[0]!;
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    await srv.store.db.updateTable('session').set({ createdAt: eightDaysAgo.toISOString() }).where('token', '=', token).execute();
    forgetSessions(); // as if the seconds a session is remembered had passed

    expect((await fetch(srv.url('/api/forms'), { headers: { Cookie: cookie } })).status).toBe(401);
    const again = await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: TEST_ACCOUNTS.kabupaten.username, sandi: TEST_PASSWORD }) });
    const fresh = again.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect((await fetch(srv.url('/keluar'), { method: 'POST', redirect: 'manual', headers: { Cookie: fresh, Origin: srv.base } })).status).toBe(303);
    expect((await fetch(srv.url('/api/forms'), { headers: { Cookie: fresh } })).status).toBe(401);
  });
});

describe('API clients', () => {
  it('log in once and send a bearer token, without cookies or Origin', async () => {
    const login = await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', body: new URLSearchParams({ pengguna: TEST_ACCOUNTS.kader.username, sandi: TEST_PASSWORD }) });
    const token = login.headers.get('set-auth-token');
    expect(token).toBeTruthy();
    const auth = { Authorization: `Bearer ${token}` };
    expect((await fetch(srv.url('/api/forms'), { headers: auth })).status).toBe(200);
    const saved = await fetch(srv.url('/api/forms/k0-uppka/submissions'), { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: JSON.stringify(card('UPPKA Lewat Token', 'in')) });
    expect(saved.status).toBe(201);
    expect((await fetch(srv.url('/api/forms'), { headers: { Authorization: 'Bearer palsu' } })).status).toBe(401);
  });
});

describe('logging in', () => {
  it('limits failed logins per account (429), even with the right password afterwards', async () => {
    await createAccount(srv.auth, { name: 'Sasaran Tebakan', role: 'kader', regions: ['33.74.01.1001'], username: 'uji.tebakan', password: TEST_PASSWORD });
    const attempt = (sandi: string, address = '') => fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base, ...(address ? { 'X-Forwarded-For': address } : {}) }, body: new URLSearchParams({ pengguna: 'uji.tebakan', sandi }) });
    for (let i = 0; i < 5; i++) expect((await attempt('salah-sekali')).status).toBe(401);
    const blocked = await attempt(TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await blocked.text()).toContain('Terlalu banyak percobaan masuk yang gagal');
  });

  it('limits failed logins per address across accounts', async () => {
    for (let i = 0; i < 20; i++) {
      await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: `tidak.ada.${i}`, sandi: 'x' }) });
    }
    const next = await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: TEST_ACCOUNTS.pusat.username, sandi: TEST_PASSWORD }) });
    expect(next.status).toBe(429);
  });
});
