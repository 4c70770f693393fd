/**
 * Approval up the chain (issue 17) on a real server: a district submits its month, the province
 * returns it with a note, the district submits again, the province approves, the province submits
 * its month and the national level approves; approved months lock the data behind them (R/1s of
 * the district's groups, the district's report entries, the province report's entries, and K/0
 * saves exactly when they would change the card in force in an approved month) with a 423 naming
 * who approved and when; reopening goes top down; refusals for the wrong role, region and order.
 *
 * Months by construction: "this month" (WIB) is approved in the chain; June of last year is
 * approved for the district only; July of last year stays open. The group's card is last year's
 * card (formed the year before), saved during the test: for last year's months every revision was
 * saved after the month ended, so the first one stays in force there and a revision changes
 * nothing; for this month the newest revision is in force, so a revision changes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedCountQuery, loadForms, loadSubmission, saveSubmission, type WriteContext } from '../engine/index.js';
import { createAccount } from '../server/auth/auth.js';
import type { AppDeps } from '../server/context.js';
import { reportApproval } from '../server/monitoring/approval-view.js';
import type { Role } from '../server/auth/roles.js';
import { bigK0, uuid } from './support/submissions.js';
import { startServer, TEST_PASSWORD } from './support/server.js';
import { pdfText } from './support/pdf-text.js';

const wib = new Date(Date.now() + 7 * 3600 * 1000);
const Y = wib.getUTCFullYear();
const M = wib.getUTCMonth() + 1;
const TODAY = wib.toISOString().slice(0, 10);
/** The last day of the month before this one. */
const LAST_MONTH_END = new Date(Date.UTC(Y, M - 1, 0)).toISOString().slice(0, 10);
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const THIS = { tahun: Y, bulan: M };
const PAST = { tahun: Y - 1, bulan: 6 };
const OPEN = { tahun: Y - 1, bulan: 7 };

function card(members: number, name: string) {
  const d = bigK0(members, name);
  d.kartu = { tahun: Y - 1 };
  d.identitas_kelompok.tahun_terbentuk = Y - 2;
  return d;
}
const register = (kelompok_id: string, tahun: number, bulan: number) => ({
  identitas: { kelompok_id, bulan, tahun, jumlah_anggota: 99 },
  pertemuan: [{ tanggal: `${tahun}-${String(bulan).padStart(2, '0')}-01`, materi: 'Pembukuan', jumlah_hadir: 2 }],
  kegiatan_pro_pn: { sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: false, monitoring_evaluasi: false },
  usaha: { modal: 0, omzet: 0 },
});
const C = { materi_media_kie: true, sosialisasi_kie_pek: false, orientasi_pek: true, fasilitasi_pek: false, pengembangan_pek_stunting: true };

describe('approval up the chain', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  /** Accounts beyond the suite's: a province elsewhere (34) and the other district of 33. */
  const extra = new Map<string, string>();
  let group: string;
  let current: string;

  type Who = Role | 'provinsi34' | 'kabupaten3322';
  const send = async (who: Who, path: string, init: RequestInit) => {
    if (who !== 'provinsi34' && who !== 'kabupaten3322') return srv.fetchAs(who, path, init);
    const headers = new Headers(init.headers);
    headers.set('Cookie', extra.get(who)!);
    if (init.method && init.method !== 'GET') headers.set('Origin', srv.base);
    return fetch(srv.url(path), { ...init, headers });
  };
  const post = (who: Who, path: string, body: unknown, key: string = uuid()) =>
    send(who, path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key }, body: JSON.stringify(body) });
  const act = (who: Who, tingkat: string, wilayah: string, aksi: string, period: { tahun: number; bulan: number } = THIS, catatan = '') =>
    post(who, '/api/pantau/persetujuan', { tingkat, wilayah, ...period, aksi, catatan });
  const listing = async (who: Who, period = THIS) => (await send(who, `/api/pantau/persetujuan?tahun=${period.tahun}&bulan=${period.bulan}`, {})).json();
  const message = async (res: Response) => ((await res.json()) as { errors: { message: string }[] }).errors.map((e) => e.message).join(' ');
  const revise = (members: number, key = uuid()) => post('kader', `/api/forms/k0-uppka/submissions?revises=${current}`, card(members, 'UPPKA Persetujuan'), key);

  /** This month's register through the entry page's own post (no JavaScript). */
  const registerPage = () => srv.fetchAs('kader', '/forms/r1-uppka', { method: 'POST', redirect: 'manual', body: new URLSearchParams({
    _id: uuid(), 'identitas.kelompok_id': group, 'identitas.tahun': String(Y), 'identitas.bulan': String(M),
    'pertemuan.0.tanggal': `${Y}-${String(M).padStart(2, '0')}-01`, 'pertemuan.0.materi': 'Pembukuan', 'pertemuan.0.jumlah_hadir': '2',
    'kegiatan_pro_pn.sosialisasi_kebijakan': 'ya', 'kegiatan_pro_pn.orientasi_pek': 'tidak',
    'kegiatan_pro_pn.pengembangan_model': 'tidak', 'kegiatan_pro_pn.monitoring_evaluasi': 'tidak', 'usaha.modal': '0', 'usaha.omzet': '0',
  }) });

  beforeAll(async () => {
    srv = await startServer({ demo: false });
    for (const [who, role, regions] of [['provinsi34', 'provinsi', ['34']], ['kabupaten3322', 'kabupaten', ['33.22']]] as const) {
      await createAccount(srv.auth, { name: `Uji ${who}`, role, regions: [...regions], username: `uji.${who}`, password: TEST_PASSWORD });
      const res = await fetch(srv.url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: srv.base }, body: new URLSearchParams({ pengguna: `uji.${who}`, sandi: TEST_PASSWORD }) });
      extra.set(who, res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '));
    }
    group = uuid();
    expect((await post('kader', '/api/forms/k0-uppka/submissions', card(4, 'UPPKA Persetujuan'), group)).status).toBe(201);
    current = group;
  });
  afterAll(async () => srv.close());

  it('refuses the wrong role, another province, the wrong order and months that cannot be', async () => {
    expect((await act('kader', 'kabupaten', '33.74', 'ajukan')).status).toBe(403);
    const own = await act('kabupaten', 'kabupaten', '33.74', 'setujui');
    expect(own.status).toBe(403);
    expect(await message(own)).toContain('oleh Perwakilan BKKBN provinsi');
    expect((await act('kabupaten', 'kabupaten', '33.22', 'ajukan')).status).toBe(403);
    const early = await act('provinsi', 'kabupaten', '33.74', 'setujui');
    expect(early.status).toBe(409);
    expect(await message(early)).toBe(`Laporan Kota Semarang ${MONTHS[M - 1]} ${Y} belum diajukan (status: belum diajukan).`);
    expect((await act('pusat', 'provinsi', '33', 'setujui')).status).toBe(409);
    expect((await act('provinsi34', 'kabupaten', '33.74', 'setujui')).status).toBe(403);
    expect((await listing('provinsi34')).rows.map((r: { region: string }) => r.region)).not.toContain('33.74');

    const month = await post('kabupaten', '/api/pantau/persetujuan', { tingkat: 'kabupaten', wilayah: '33.74', tahun: Y, bulan: 13, aksi: 'ajukan' });
    expect(month.status).toBe(422);
    expect((await month.json()).errors).toEqual([{ path: '/bulan', label: 'Bulan', message: 'Isi bilangan 1–12.' }]);
    const year = await post('kabupaten', '/api/pantau/persetujuan', { tingkat: 'kabupaten', wilayah: '33.74', tahun: 'dua ribu', bulan: 1, aksi: 'ajukan' });
    expect((await year.json()).errors).toEqual([{ path: '/tahun', label: 'Tahun', message: 'Isi tahun 2000–2100.' }]);
    const future = await act('kabupaten', 'kabupaten', '33.74', 'ajukan', { tahun: Y + 1, bulan: M });
    expect(future.status).toBe(422);
    expect(await message(future)).toContain('belum tiba');
    const place = await act('kabupaten', 'kabupaten', '33.74.01', 'ajukan');
    expect((await place.json()).errors[0]).toMatchObject({ path: '/wilayah', label: 'Wilayah' });
    expect((await send('provinsi', '/api/pantau/persetujuan?tahun=2026&bulan=0', {})).status).toBe(422);
  });

  it('locks a district month it approved; a card revision that only applies after that month is accepted', async () => {
    expect((await act('kabupaten', 'kabupaten', '33.74', 'ajukan', PAST)).status).toBe(200);
    const approved = await act('provinsi', 'kabupaten', '33.74', 'setujui', PAST);
    expect(await approved.json()).toMatchObject({ status: 'disetujui', oleh: 'Uji provinsi' });

    const locked = await post('kader', '/api/forms/r1-uppka/submissions', register(group, PAST.tahun, PAST.bulan));
    expect(locked.status).toBe(423);
    expect(await message(locked)).toMatch(new RegExp(`^Data Juni ${Y - 1} Kota Semarang sudah disetujui oleh Uji provinsi pada \\d\\d-\\d\\d-\\d{4} \\d\\d:\\d\\d WIB; minta provinsi membuka kembali untuk mengubahnya\\.$`));
    const open = await post('kader', '/api/forms/r1-uppka/submissions', register(group, OPEN.tahun, OPEN.bulan));
    expect(open.status, await open.clone().text()).toBe(201);

    // Every revision of last year's card is saved after June of last year: the first stays in force then.
    const next = uuid();
    expect((await revise(5, next)).status).toBe(201);
    current = next;
    // A deactivation dated before June of last year takes the group out of that month.
    const stop = await post('kader', `/api/submissions/${current}/status`, { status: 'nonaktif', alasan: 'Bubar', tanggal: `${Y - 1}-05-31` });
    expect(stop.status).toBe(423);
    expect(await message(stop)).toContain(`Data Juni ${Y - 1} Kota Semarang sudah disetujui`);
  });

  it('checks the approval again inside the save\'s transaction: one committed after the check refuses the save, nothing stored', async () => {
    // The server checks the approvals before a save (the 423 above) and hands the save a guard
    // that counts the months it watched inside the save's own transaction. A guard that saw June
    // of last year still open (0 approved) meets it approved there, and the save stores nothing.
    const r1 = srv.forms.get('r1-uppka')!;
    const watched = [{ level: 'kabupaten' as const, region: '33.74', year: PAST.tahun, month: PAST.bulan }];
    const guard = async (w: WriteContext) => {
      const [row] = await w.query(approvedCountQuery(w.db, watched));
      if (Number(row?.n) !== 0) throw new Error('disetujui sesudah diperiksa');
    };
    const id = uuid();
    await expect(saveSubmission(srv.store, r1, { id, data: register(group, PAST.tahun, PAST.bulan), guard })).rejects.toThrow('disetujui sesudah diperiksa');
    expect(await loadSubmission(srv.store, r1, id)).toBeUndefined();
    // July is open: the same guard over July lets the save through.
    const july = [{ ...watched[0]!, month: OPEN.bulan }];
    const saved = await saveSubmission(srv.store, r1, { id, data: register(group, OPEN.tahun, OPEN.bulan), guard: async (w) => {
      const [row] = await w.query(approvedCountQuery(w.db, july));
      expect(Number(row?.n)).toBe(0);
    } });
    expect(saved.status).toBe('created');
  });

  it('runs the chain for this month: submit, return with a note, submit again, approve; the province submits when no district is open; national approves', async () => {
    expect((await act('kabupaten', 'kabupaten', '33.74', 'ajukan')).status).toBe(200);
    const twice = await act('kabupaten', 'kabupaten', '33.74', 'ajukan');
    expect(twice.status).toBe(409);
    expect(await message(twice)).toContain('sudah diajukan');
    const bare = await act('provinsi', 'kabupaten', '33.74', 'kembalikan');
    expect((await bare.json()).errors).toEqual([expect.objectContaining({ path: '/catatan', label: 'Catatan' })]);
    expect((await act('provinsi', 'kabupaten', '33.74', 'kembalikan', THIS, 'Register Pekunden belum lengkap')).status).toBe(200);
    const returned = await listing('kabupaten');
    expect(returned.own).toMatchObject({ region: '33.74', status: 'dikembalikan', note: 'Register Pekunden belum lengkap', by: 'Uji provinsi' });
    expect(returned.own.actions.map((a: { action: string }) => a.action)).toEqual(['ajukan']);
    expect((await act('kabupaten', 'kabupaten', '33.74', 'ajukan')).status).toBe(200);

    // The other district's month is pending: the province may not submit, and is told which one.
    expect((await act('kabupaten3322', 'kabupaten', '33.22', 'ajukan')).status).toBe(200);
    expect((await act('provinsi', 'kabupaten', '33.74', 'setujui')).status).toBe(200);
    const blocked = await act('provinsi', 'provinsi', '33', 'ajukan');
    expect(blocked.status).toBe(409);
    const why = await message(blocked);
    expect(why).toContain('Kabupaten Semarang (diajukan)');
    expect(why).not.toContain('Kota Semarang');
    const held = await listing('provinsi');
    expect(held.own.actions).toEqual([]);
    expect(held.own.held).toContain('Kabupaten Semarang');

    expect((await act('provinsi', 'kabupaten', '33.22', 'setujui')).status).toBe(200);
    const notYet = await act('pusat', 'provinsi', '33', 'setujui');
    expect(notYet.status).toBe(409);
    expect(await message(notYet)).toBe(`Laporan provinsi Jawa Tengah ${MONTHS[M - 1]} ${Y} belum diajukan (status: belum diajukan).`);
    expect((await act('provinsi', 'provinsi', '33', 'ajukan')).status).toBe(200);
    expect((await act('pusat', 'provinsi', '33', 'setujui')).status).toBe(200);

    const district = await listing('kabupaten');
    expect(district.own.history.map((h: { action: string }) => h.action)).toEqual(['ajukan', 'kembalikan', 'ajukan', 'setujui']);
    expect(district.own.history[1]).toMatchObject({ by: 'Uji provinsi', note: 'Register Pekunden belum lengkap' });
    expect(district.above).toMatchObject({ region: '33', status: 'disetujui', by: 'Uji pusat' });
    const national = await listing('pusat');
    expect(national.rows.find((r: { region: string }) => r.region === '33')).toMatchObject({ status: 'disetujui', actions: [{ action: 'buka' }] });
    expect(national.rows.find((r: { region: string }) => r.region === '34')).toMatchObject({ status: 'belum', actions: [] });

    const page = await (await srv.fetchAs('provinsi', `/pantau/persetujuan?tahun=${Y}&bulan=${M}`)).text();
    expect(page).toContain('Kota Semarang');
    expect(page).toMatch(/data-wilayah="33\.74" data-status="disetujui"/);
    const audit = await (await srv.fetchAs('admin', '/jejak')).text();
    expect(audit).toContain('kembalikan kabupaten/kota');

    // The reports show and print their month's approval: the province's by the national level.
    const report = `provinsi=33&tahun=${Y}&bulan=${M}`;
    const reportPage = await (await srv.fetchAs('provinsi', `/reports/laporan-provinsi?${report}`)).text();
    expect(reportPage).toMatch(/Status persetujuan: Disetujui oleh Uji pusat pada [^<]+ WIB\./);
    expect((await (await srv.fetchAs('provinsi', `/api/reports/laporan-provinsi.json?${report}`)).json()).persetujuan).toMatchObject({ status: 'disetujui' });
    const pdf = Buffer.from(await (await srv.fetchAs('provinsi', `/api/reports/laporan-provinsi.pdf?${report}`)).arrayBuffer());
    expect(pdfText(pdf).replace(/\s+/g, ' ')).toMatch(/Status persetujuan: Disetujui oleh Uji pusat pada/);
    const districtPdf = Buffer.from(await (await srv.fetchAs('kabupaten', `/api/reports/laporan-kabupaten.pdf?kelompok=${group}&tahun=${Y}&bulan=${M}`)).arrayBuffer());
    expect(pdfText(districtPdf).replace(/\s+/g, ' ')).toMatch(/Status persetujuan: Disetujui oleh Uji provinsi pada/);
  });

  it('locks the data behind the approved month with a 423 naming who approved', async () => {
    const r1 = await post('kader', '/api/forms/r1-uppka/submissions', register(group, Y, M));
    expect(r1.status).toBe(423);
    expect(await message(r1)).toMatch(new RegExp(`^Data ${MONTHS[M - 1]} ${Y} Kota Semarang sudah disetujui oleh Uji provinsi pada .+ WIB; minta provinsi membuka kembali untuk mengubahnya\\.$`));

    // The entry page's own post of the same register.
    const html = await registerPage();
    expect(html.status).toBe(423);
    expect(await html.text()).toContain(`Data ${MONTHS[M - 1]} ${Y} Kota Semarang sudah disetujui oleh Uji provinsi`);

    // This month's card in force is the newest revision: another one would change it.
    expect((await revise(6)).status).toBe(423);
    // A new group card of the district would count in this month.
    expect((await post('kader', '/api/forms/k0-uppka/submissions', card(3, 'UPPKA Baru Sesudah Disetujui'))).status).toBe(423);
    // Stopping before this month would take the group out of it; stopping today keeps it in this month.
    expect((await post('kader', `/api/submissions/${current}/status`, { status: 'nonaktif', alasan: 'Bubar', tanggal: LAST_MONTH_END })).status).toBe(423);
    const stopPage = await srv.fetchAs('kader', `/submissions/${current}/status`, { method: 'POST', body: new URLSearchParams({ status: 'nonaktif', alasan: 'Bubar', tanggal: LAST_MONTH_END }) });
    expect(stopPage.status).toBe(423);
    expect(await stopPage.text()).toContain('minta provinsi membuka kembali');
    expect((await post('kader', `/api/submissions/${current}/status`, { status: 'nonaktif', alasan: 'Bubar', tanggal: TODAY })).status).toBe(200);
    expect((await post('kader', `/api/submissions/${current}/status`, { status: 'aktif' })).status).toBe(200);

    const entries = await post('kabupaten', '/api/reports/laporan-kabupaten/entries', { kelompok: group, ...THIS, sections: { jenis_kegiatan: C } });
    expect(entries.status).toBe(423);
    const form = new URLSearchParams({ _id: uuid(), 'jenis_kegiatan.materi_media_kie': 'ya', 'jenis_kegiatan.sosialisasi_kie_pek': 'ya', 'jenis_kegiatan.orientasi_pek': 'ya', 'jenis_kegiatan.fasilitasi_pek': 'tidak', 'jenis_kegiatan.pengembangan_pek_stunting': 'ya' });
    const page = await srv.fetchAs('kabupaten', `/reports/laporan-kabupaten?kelompok=${group}&tahun=${Y}&bulan=${M}`, { method: 'POST', body: form });
    expect(page.status).toBe(423);
    expect(await page.text()).toContain('sudah disetujui oleh Uji provinsi');
    const province = await post('provinsi', '/api/reports/laporan-provinsi/entries', { provinsi: '33', ...THIS, sections: { tanda_tangan: { nama_koordinator: 'Koordinator Uji' } } });
    expect(province.status).toBe(423);
    expect(await message(province)).toMatch(/^Data .+ Jawa Tengah sudah disetujui oleh Uji pusat pada .+; minta pusat membuka kembali untuk mengubahnya\.$/);

    // The reports of the month say who signed it.
    const forms = loadForms();
    const deps = { store: srv.store, forms } as unknown as AppDeps;
    expect(await reportApproval(deps, forms.get('laporan-kabupaten')!, { kelompok_id: group, ...THIS })).toMatchObject({ level: 'kabupaten', region: '33.74', status: 'disetujui', by: 'Uji provinsi' });
    expect((await reportApproval(deps, forms.get('laporan-provinsi')!, { provinsi: '33', ...THIS }))?.text).toMatch(/^Disetujui oleh Uji pusat pada \d\d-\d\d-\d{4} \d\d:\d\d WIB\.$/);
    expect(await reportApproval(deps, forms.get('laporan-provinsi')!, { provinsi: '34', ...THIS })).toMatchObject({ status: 'belum', text: 'Belum diajukan untuk disetujui.' });

    // Outside the lock: another month, another province, and a retry of what was stored before.
    expect((await post('kader', '/api/forms/r1-uppka/submissions', register(group, OPEN.tahun, 8))).status).toBe(201);
    expect((await post('provinsi34', '/api/reports/laporan-provinsi/entries', { provinsi: '34', ...THIS, sections: { tanda_tangan: { nama_koordinator: 'Koordinator DIY' } } })).status).toBe(201);
    const key = uuid();
    const body = register(group, OPEN.tahun, 9);
    expect((await post('kader', '/api/forms/r1-uppka/submissions', body, key)).status).toBe(201);
    expect((await post('kader', '/api/forms/r1-uppka/submissions', body, key)).status).toBe(200);
  });

  it('reopens from the top down, recorded, and then accepts the edits again', async () => {
    const first = await act('provinsi', 'kabupaten', '33.74', 'buka', THIS, 'Register perlu diperbaiki');
    expect(first.status).toBe(409);
    expect(await message(first)).toContain('Minta pusat membuka kembali laporan provinsi lebih dahulu');
    expect((await act('pusat', 'provinsi', '33', 'buka')).status).toBe(422);
    expect((await act('pusat', 'provinsi', '33', 'buka', THIS, 'Data Kota Semarang diperbaiki')).status).toBe(200);
    // The district month is still approved: its data stays locked until the province reopens it.
    expect((await post('kader', '/api/forms/r1-uppka/submissions', register(group, Y, M))).status).toBe(423);
    expect((await act('provinsi', 'kabupaten', '33.74', 'buka', THIS, 'Register perlu diperbaiki')).status).toBe(200);

    expect((await post('kader', '/api/forms/r1-uppka/submissions', register(group, Y, M))).status).toBe(201);
    expect((await registerPage()).status).toBe(303);
    const next = uuid();
    expect((await revise(6, next)).status).toBe(201);
    current = next;
    expect((await post('kabupaten', '/api/reports/laporan-kabupaten/entries', { kelompok: group, ...THIS, sections: { jenis_kegiatan: C } })).status).toBe(201);
    expect((await post('provinsi', '/api/reports/laporan-provinsi/entries', { provinsi: '33', ...THIS, sections: { tanda_tangan: { nama_koordinator: 'Koordinator Uji' } } })).status).toBe(201);

    const district = await listing('kabupaten');
    expect(district.own).toMatchObject({ status: 'dibuka', note: 'Register perlu diperbaiki', actions: [{ action: 'ajukan' }] });
    expect(district.own.history.at(-1)).toMatchObject({ action: 'buka', by: 'Uji provinsi', note: 'Register perlu diperbaiki' });
    expect((await listing('pusat')).rows.find((r: { region: string }) => r.region === '33').history.at(-1)).toMatchObject({ action: 'buka', by: 'Uji pusat' });
  });

  it('lets only one of two approvals of the same month at once succeed', async () => {
    expect((await act('kabupaten', 'kabupaten', '33.74', 'ajukan')).status).toBe(200);
    const both = await Promise.all([act('provinsi', 'kabupaten', '33.74', 'setujui'), act('provinsi', 'kabupaten', '33.74', 'kembalikan', THIS, 'Kurang')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const history = (await listing('kabupaten')).own.history;
    expect(history.filter((h: { action: string }) => h.action === 'setujui' || h.action === 'kembalikan').length).toBe(3);
  });

  it('shows the district its month with the Ajukan button, and the province its districts, on the page', async () => {
    const district = await (await srv.fetchAs('kabupaten', `/pantau/persetujuan?tahun=${OPEN.tahun}&bulan=${OPEN.bulan}`)).text();
    expect(district).toContain('Laporan Kota Semarang');
    expect(district).toMatch(/name="aksi" value="ajukan"/);
    const province = await (await srv.fetchAs('provinsi', `/pantau/persetujuan?tahun=${OPEN.tahun}&bulan=${OPEN.bulan}`)).text();
    expect(province).toContain('Kabupaten Semarang');
    expect(province).not.toMatch(/name="aksi" value="setujui"/);

    // The page's own form posts: submit as the district, approve as the province.
    const submit = await srv.fetchAs('kabupaten', '/pantau/persetujuan', { method: 'POST', redirect: 'manual', body: new URLSearchParams({ tingkat: 'kabupaten', wilayah: '33.74', tahun: String(OPEN.tahun), bulan: String(OPEN.bulan), aksi: 'ajukan', catatan: '' }) });
    expect(submit.status).toBe(303);
    expect(await (await srv.fetchAs('provinsi', `/pantau/persetujuan?tahun=${OPEN.tahun}&bulan=${OPEN.bulan}`)).text()).toMatch(/name="aksi" value="setujui"/);
    const refused = await srv.fetchAs('kabupaten', '/pantau/persetujuan', { method: 'POST', body: new URLSearchParams({ tingkat: 'kabupaten', wilayah: '33.74', tahun: String(OPEN.tahun), bulan: String(OPEN.bulan), aksi: 'setujui' }) });
    expect(refused.status).toBe(403);
  });
});
