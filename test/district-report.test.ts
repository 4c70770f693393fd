/**
 * The district report per group as the guide has it, over a real server and SQLite file: part A
 * with its five items and the address in the guide's order, the old UPPKS fields off its page and
 * PDF (still on the K/0's); "6. Kegiatan Lainnya" entered by the province only, section C by the
 * district only, neither save wiping the other's; and a stored version-3 report (activities all
 * in section C) migrated to version 4 without losing the province's items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport, loadDefinition, loadForms, loadSharedDefs } from '../engine/index.js';
import { loadRegions, loadSubmission, openStore, publishDefinition, saveSubmission } from '../engine/storage/index.js';
import { bigK0, uuid } from './support/submissions.js';
import { pdfText } from './support/pdf-text.js';
import { startServer } from './support/server.js';

const squash = (s: string) => s.replace(/\s+/g, ' ');
const C = { materi_media_kie: true, sosialisasi_kie_pek: false, orientasi_pek: true, fasilitasi_pek: false, pengembangan_pek_stunting: true };
const LAINNYA = { lainnya_identifikasi_data: true, lainnya_bimbingan_teknis: true, lainnya_pelaksanaan: true, lainnya_keterangan: 'Pameran produk' };

describe('district report over HTTP', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  let kelompok: string;
  let other: string;
  const period = { tahun: 2026, bulan: 9 };
  const q = () => `kelompok=${kelompok}&tahun=${period.tahun}&bulan=${period.bulan}`;
  const post = (role: 'kabupaten' | 'provinsi', body: Record<string, unknown>) => srv.fetchAs(role, srv.url('/api/reports/laporan-kabupaten/entries'), {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: JSON.stringify({ kelompok, ...period, ...body }),
  });
  const json = async (role: 'kabupaten' | 'provinsi') => (await srv.fetchAs(role, srv.url(`/api/reports/laporan-kabupaten.json?${q()}`))).json();

  beforeAll(async () => {
    srv = await startServer({ as: 'kabupaten' });
    const list = await (await srv.fetch(srv.url('/api/forms/k0-uppka/submissions?kabupaten_kota=33.74'))).json();
    expect(list.items.length).toBeGreaterThan(1);
    [kelompok, other] = [list.items[0].id, list.items[1].id];
  });
  afterAll(async () => srv.close());

  it('shows part A as the guide numbers it, without the old UPPKS fields, on the page and in the PDF', async () => {
    const page = await (await srv.fetchAs('kabupaten', srv.url(`/reports/laporan-kabupaten?${q()}`))).text();
    const labels = ['1. Nama Kelompok', '2. Tahun Terbentuk', '3. Alamat Kelompok — Jalan', '3. Alamat Kelompok — Desa/Kelurahan', '3. Alamat Kelompok — Kecamatan', '3. Alamat Kelompok — Kabupaten/Kota', '3. Alamat Kelompok — Provinsi', '4. Jumlah Anggota Kelompok', '5. Jenis Usaha'];
    const at = labels.map((l) => page.indexOf(`<dt>${l}</dt>`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const gone of ['Nama Ketua', 'Telepon', 'Sumber Modal', 'Modal Saat Ini']) expect(page).not.toContain(gone);

    const pdf = Buffer.from(await (await srv.fetchAs('kabupaten', srv.url(`/api/reports/laporan-kabupaten.pdf?${q()}`))).arrayBuffer());
    const text = squash(pdfText(pdf));
    const printed = ['1. Nama Kelompok', '2. Tahun Terbentuk', '3. Alamat Kelompok', 'Jalan', 'Desa/Kelurahan', 'Kecamatan', 'Kabupaten/Kota', 'Provinsi', '4. Jumlah Anggota Kelompok', '5. Jenis Usaha'];
    const partA = text.slice(text.indexOf('A. Identitas Kelompok'), text.indexOf('B. Identitas Anggota'));
    const where = printed.map((l) => partA.indexOf(l));
    expect(where.every((i) => i >= 0)).toBe(true);
    expect([...where].sort((a, b) => a - b)).toEqual(where);
    for (const gone of ['Nama Ketua', 'Telepon', 'Sumber Modal', 'Modal Saat Ini']) expect(text).not.toContain(gone);
    expect(text).toContain('6. Kegiatan Lainnya (Diisi oleh Perwakilan BKKBN Provinsi)');
    // The JSON keeps the whole copy; the K/0's own PDF keeps the UPPKS fields.
    expect(Object.keys((await json('kabupaten')).identitas_kelompok)).toContain('nama_kelompok');
    const k0 = squash(pdfText(Buffer.from(await (await srv.fetchAs('kabupaten', srv.url('/forms/k0-uppka/blank.pdf'))).arrayBuffer())));
    for (const kept of ['Nama Ketua', 'Sumber Modal', 'Modal Saat Ini']) expect(k0).toContain(kept);
  });

  it('lets the district enter section C only and the province section 6 only, each save keeping the other\'s', async () => {
    expect((await post('kabupaten', { sections: { jenis_kegiatan: C } })).status).toBe(201);

    const refused = await post('kabupaten', { sections: { kegiatan_lainnya: { lainnya_identifikasi_data: true } } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).errors).toEqual([{ path: '/kegiatan_lainnya/lainnya_identifikasi_data', label: 'Identifikasi dan Inventarisasi Data', message: 'Isian ini diisi oleh peran provinsi, bukan oleh peran kabupaten.' }]);
    const notTheirs = await post('provinsi', { sections: { jenis_kegiatan: { ...C, orientasi_pek: false } } });
    expect(notTheirs.status).toBe(403);
    expect((await notTheirs.json()).errors[0]).toMatchObject({ path: '/jenis_kegiatan/materi_media_kie', message: 'Isian ini diisi oleh peran kabupaten, bukan oleh peran provinsi.' });

    const province = await post('provinsi', { sections: { kegiatan_lainnya: LAINNYA } });
    expect(province.status).toBe(201);
    expect(await json('provinsi')).toMatchObject({ jenis_kegiatan: C, kegiatan_lainnya: LAINNYA });

    // The district saves C again (API, then its page): the province's section stays.
    expect((await post('kabupaten', { sections: { jenis_kegiatan: { ...C, fasilitasi_pek: true } } })).status).toBe(201);
    const form = new URLSearchParams({ _id: randomUUID(), 'jenis_kegiatan.materi_media_kie': 'ya', 'jenis_kegiatan.sosialisasi_kie_pek': 'ya', 'jenis_kegiatan.orientasi_pek': 'ya', 'jenis_kegiatan.fasilitasi_pek': 'tidak', 'jenis_kegiatan.pengembangan_pek_stunting': 'ya' });
    expect((await srv.fetchAs('kabupaten', srv.url(`/reports/laporan-kabupaten?${q()}`), { method: 'POST', body: form })).status).toBe(200);
    const afterDistrict = await json('kabupaten');
    expect(afterDistrict.kegiatan_lainnya).toEqual(LAINNYA);
    expect(afterDistrict.jenis_kegiatan).toEqual({ ...C, sosialisasi_kie_pek: true });

    // The province changes its section: the district's C stays.
    expect((await post('provinsi', { sections: { kegiatan_lainnya: { lainnya_menyusun_laporan: true } } })).status).toBe(201);
    expect(await json('provinsi')).toMatchObject({ jenis_kegiatan: { ...C, sosialisasi_kie_pek: true }, kegiatan_lainnya: { lainnya_menyusun_laporan: true } });
    expect((await json('provinsi')).kegiatan_lainnya).toEqual({ lainnya_menyusun_laporan: true });
  });

  it('asks for the named field of the province\'s section and says when the district has not sent section C yet', async () => {
    const missing = await post('provinsi', { sections: { kegiatan_lainnya: { lainnya_pelaksanaan: true } } });
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors).toEqual([{ path: '/kegiatan_lainnya/lainnya_keterangan', label: 'Kegiatan Lainnya', message: 'Sebutkan kegiatan lainnya.' }]);
    const first = await srv.fetchAs('provinsi', srv.url('/api/reports/laporan-kabupaten/entries'), {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ kelompok: other, ...period, sections: { kegiatan_lainnya: { lainnya_identifikasi_data: true } } }),
    });
    expect(first.status).toBe(422);
    expect((await first.json()).errors).toEqual([{ path: '/jenis_kegiatan', label: 'C. Jenis Kegiatan', message: 'Bagian ini belum lengkap; bagian ini diisi lebih dahulu oleh peran kabupaten.' }]);
  });

  it('gives each role its own section to edit on the page and shows the other read-only', async () => {
    const district = await (await srv.fetchAs('kabupaten', srv.url(`/reports/laporan-kabupaten?${q()}`))).text();
    expect(district).toContain('name="jenis_kegiatan.orientasi_pek"');
    expect(district).not.toContain('name="kegiatan_lainnya.');
    expect(district).toContain('6. Kegiatan Lainnya (Diisi oleh Perwakilan BKKBN Provinsi)');
    const province = await (await srv.fetchAs('provinsi', srv.url(`/reports/laporan-kabupaten?${q()}`))).text();
    expect(province).toContain('name="kegiatan_lainnya.lainnya_identifikasi_data"');
    expect(province).not.toContain('name="jenis_kegiatan.');
    expect(province).toContain('C. Jenis Kegiatan');
    // A crafted page post into the other role's section is refused, not ignored.
    const crafted = new URLSearchParams({ _id: randomUUID(), 'kegiatan_lainnya.lainnya_identifikasi_data': 'ya', 'jenis_kegiatan.materi_media_kie': 'ya', 'jenis_kegiatan.sosialisasi_kie_pek': 'ya', 'jenis_kegiatan.orientasi_pek': 'ya', 'jenis_kegiatan.fasilitasi_pek': 'ya', 'jenis_kegiatan.pengembangan_pek_stunting': 'ya' });
    const res = await srv.fetchAs('kabupaten', srv.url(`/reports/laporan-kabupaten?${q()}`), { method: 'POST', body: crafted });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Identifikasi dan Inventarisasi Data: Isian ini diisi oleh peran provinsi, bukan oleh peran kabupaten.');
  });

  it('shows on the province report where the R/1 and the district\'s section C disagree (page and JSON)', async () => {
    const r1 = await (await srv.fetchAs('kabupaten', srv.url('/api/forms/r1-uppka'))).json();
    const data = structuredClone(r1.examples[0]);
    data.identitas = { ...data.identitas, kelompok_id: kelompok, ...period };
    for (const m of data.pertemuan ?? []) m.tanggal = `2026-09-${m.tanggal.slice(8)}`;
    data.kegiatan_pro_pn = { sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: true, monitoring_evaluasi: false };
    const saved = await srv.fetchAs('pkb', srv.url('/api/forms/r1-uppka/submissions'), { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: JSON.stringify(data) });
    expect(saved.status, await saved.clone().text()).toBe(201);
    const report = await (await srv.fetchAs('provinsi', srv.url(`/api/reports/laporan-provinsi.json?provinsi=33&tahun=${period.tahun}&bulan=${period.bulan}`))).json();
    // The district's C (last saved): sosialisasi Ya, orientasi Ya, pengembangan Ya; the R/1: Ya, Tidak, Ya.
    expect(report.selisih).toEqual([expect.objectContaining({ baris: kelompok, kolom: '(12) Orientasi pemberdayaan ekonomi keluarga (Ya/Tidak)', nilai: false, laporan: 'LAPORAN KABUPATEN/KOTA', isian: 'Orientasi Pemberdayaan Ekonomi Keluarga Akseptor', nilai_laporan: true })]);
    const page = await (await srv.fetchAs('provinsi', srv.url(`/reports/laporan-provinsi?provinsi=33&tahun=${period.tahun}&bulan=${period.bulan}`))).text();
    expect(page).toContain('Tidak sama dengan laporan lain (1)');
    expect(page).toContain('(12) Orientasi pemberdayaan ekonomi keluarga (Ya/Tidak)');
  });
});

describe('a stored version-3 district report', () => {
  it('keeps the province\'s items, now in their own section, after version 4 is published', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lembar-v3-'));
    const store = openStore(join(dir, 'lembar.sqlite'));
    try {
      const forms = loadForms();
      await publishDefinition(store, forms.get('k0-uppka')!);
      await loadRegions(store);
      const v3raw = JSON.parse(execFileSync('git', ['show', 'fc585cd:forms/laporan-kabupaten.json'], { encoding: 'utf8' }));
      expect(v3raw['x-version']).toBe(3);
      const v3 = loadDefinition('laporan-kabupaten', v3raw, loadSharedDefs());
      await publishDefinition(store, v3);
      const group = uuid();
      await saveSubmission(store, forms.get('k0-uppka')!, { id: group, data: bigK0(2, 'UPPKA Lama') });
      const old = structuredClone(v3raw.examples[0]);
      old.periode.kelompok_id = group;
      old.identitas_kelompok = bigK0(1, 'UPPKA Lama').identitas_kelompok;
      old.anggota = [bigK0(1).anggota[0]];
      old.jenis_kegiatan = { ...C, lainnya_identifikasi_data: true, lainnya_pelaksanaan: true, lainnya_keterangan: 'Pameran produk' };
      const id = uuid();
      expect((await saveSubmission(store, v3, { id, data: old })).status).toBe('created');

      // The repository's version (4 or later) over the stored version 3.
      const v4 = forms.get('laporan-kabupaten')!;
      expect(v4.version).toBeGreaterThanOrEqual(4);
      expect((await publishDefinition(store, v4)).action).toBe('migrated');
      const stored = await loadSubmission(store, v4, id);
      expect(stored).toMatchObject({ version: 3 });
      expect(stored!.data.jenis_kegiatan).toEqual(C);
      expect(stored!.data.kegiatan_lainnya).toEqual({ lainnya_identifikasi_data: true, lainnya_pelaksanaan: true, lainnya_keterangan: 'Pameran produk' });
      const built = await buildReport({ store, forms }, v4, { kelompok_id: group, tahun: old.periode.tahun, bulan: old.periode.bulan });
      expect(built.data.kegiatan_lainnya).toEqual(stored!.data.kegiatan_lainnya);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
