/**
 * The definition studio over its JSON API on a real server (issue 16): a national admin drafts a
 * change of K/0 (a label, an option, a field), sees the diff in words and the impact on stored
 * data, and publishes it from next month; this month's entry page keeps the old version, next
 * month's has the new field; stored submissions stay readable and exact, last month's report the
 * same. Refused: a draft with problems, a destructive change (with counts), a stale draft, a
 * province user publishing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startServer } from './support/server.js';
import { now, next, last, ym } from './support/periods.js';

let srv: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => { srv = await startServer(); });
afterAll(async () => srv.close());


type Role = Parameters<typeof srv.fetchAs>[0];
const send = (role: Role, method: string, path: string, body?: unknown) =>
  srv.fetchAs(role, path, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
const json = async (res: Response) => ({ status: res.status, body: await res.json() as any });

async function newDraft(role: Role = 'pusat'): Promise<{ id: string; definition: any }> {
  const made = await json(await send(role, 'POST', '/api/studio/forms/k0-uppka/drafts'));
  expect(made.status).toBe(201);
  const got = await json(await srv.fetchAs(role, `/api/studio/drafts/${made.body.id}`));
  expect(got.body.problems).toEqual([]);
  return { id: made.body.id, definition: got.body.definition };
}

describe('the studio API', () => {
  it('drafts, checks, diffs, measures and publishes a K/0 change from next month', async () => {
    const forms = await json(await srv.fetchAs('pusat', '/api/studio/forms'));
    const k0 = forms.body.forms.find((f: any) => f.id === 'k0-uppka');
    const before = k0.version;
    const demo = (await json(await srv.fetchAs('pusat', '/api/forms/k0-uppka/submissions'))).body.items as { id: string }[];
    const storedBefore = await json(await srv.fetchAs('kabupaten', `/api/submissions/${demo[0]!.id}`));
    const reportQuery = `/api/reports/laporan-provinsi.json?provinsi=33&tahun=${last.tahun}&bulan=${last.bulan}`;
    const reportBefore = await json(await srv.fetchAs('provinsi', reportQuery));

    const drafted = await newDraft();
    const { id } = drafted;
    // The shipped test cases expect the label too: an advanced user edits them with the JSON.
    const definition = JSON.parse(JSON.stringify(drafted.definition).replaceAll('— Usia"', '— Umur"'));
    const member = definition.properties.anggota.items.properties;
    member.usia.title = 'Umur';
    member.jenis_kontrasepsi.oneOf.push({ const: 'mal', title: 'MAL (Metode Amenore Laktasi)' });
    definition.properties.identitas_kelompok.properties.catatan_kader = { type: 'string', title: 'Catatan Kader', maxLength: 200 };
    const put = await json(await send('pusat', 'PUT', `/api/studio/drafts/${id}`, definition));
    expect(put).toEqual({ status: 200, body: { id, problems: [] } });

    const diff = await json(await srv.fetchAs('pusat', `/api/studio/drafts/${id}/diff`));
    const texts = diff.body.changes.map((c: any) => c.text);
    expect(texts).toContain('Label "Usia" → "Umur" (B. Identitas Anggota Kelompok)');
    expect(texts).toEqual(expect.arrayContaining([expect.stringMatching(/^Pilihan baru "mal" \(MAL \(Metode Amenore Laktasi\)\) di Jenis Kontrasepsi/), expect.stringMatching(/^Isian baru "Catatan Kader" \(catatan_kader\)/)]));

    const impact = await json(await srv.fetchAs('pusat', `/api/studio/drafts/${id}/impact`));
    expect(impact.body.checked).toBeGreaterThan(0);
    expect(impact.body).toMatchObject({ rejected: 0, migration: { additive: true, refusals: [], addedColumns: ['k0_uppka.catatan_kader'] } });

    // The draft's validator answers as the published route would, with the new label.
    const example = (await json(await srv.fetchAs('pusat', '/api/forms/k0-uppka'))).body.examples[0];
    expect((await json(await send('pusat', 'POST', `/api/studio/drafts/${id}/validate`, example))).body).toEqual({ errors: [] });
    const noAge = structuredClone(example);
    delete noAge.anggota[0].usia;
    const refused = await json(await send('pusat', 'POST', `/api/studio/drafts/${id}/validate`, noAge));
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: '/anggota/0/usia', label: 'Anggota no. 1 — Umur' })]);

    // A province user may draft but not publish; a note and a period that has not passed are required.
    expect((await send('provinsi', 'POST', `/api/studio/drafts/${id}/publish`, { berlaku_mulai: next, catatan: 'x' })).status).toBe(403);
    const noNote = await json(await send('pusat', 'POST', `/api/studio/drafts/${id}/publish`, { berlaku_mulai: next, catatan: ' ' }));
    expect(noNote.status).toBe(422);
    expect(noNote.body.problems).toEqual([{ pointer: '/catatan', message: 'Tuliskan catatan mengapa versi ini diterbitkan.' }]);
    expect((await send('pusat', 'POST', `/api/studio/drafts/${id}/publish`, { berlaku_mulai: last, catatan: 'Terlambat' })).status).toBe(422);

    const published = await json(await send('pusat', 'POST', `/api/studio/drafts/${id}/publish`, { berlaku_mulai: next, catatan: 'Umur, MAL dan catatan kader sesuai surat edaran' }));
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ form: 'k0-uppka', versi: before + 1, berlaku_mulai: next });
    const versions = await json(await srv.fetchAs('pusat', '/api/studio/forms/k0-uppka/versions'));
    expect(versions.body.berlaku_sekarang).toBe(before);
    expect(versions.body.versions.at(-1)).toMatchObject({ versi: before + 1, berlaku_mulai: next, catatan: 'Umur, MAL dan catatan kader sesuai surat edaran' });

    // This month's entry page is the old version; next month's has the new field and label.
    const thisMonth = await (await srv.fetchAs('kader', '/forms/k0-uppka')).text();
    expect(thisMonth).not.toContain('Catatan Kader');
    const nextMonth = await (await srv.fetchAs('kader', `/forms/k0-uppka?periode=${ym(next)}`)).text();
    expect(nextMonth).toContain('Catatan Kader');
    expect(nextMonth).toContain(`name="_versi" value="${before + 1}"`);

    // A card for next month's year is stored with the new version (when next month is a new year)
    // or the old one; either way stored data stays exact and last month's report is the same.
    expect(await json(await srv.fetchAs('kabupaten', `/api/submissions/${demo[0]!.id}`))).toEqual(storedBefore);
    expect((await json(await srv.fetchAs('provinsi', reportQuery))).body.baris).toEqual(reportBefore.body.baris);
  });

  it('refuses a draft with problems, a destructive change with its counts, and a stale draft', async () => {
    const bad = await json(await send('pusat', 'POST', '/api/studio/drafts?form=k0-uppka', { title: 'Tanpa isi' }));
    expect(bad.status).toBe(422);
    expect(bad.body.problems.length).toBeGreaterThan(0);
    expect(bad.body.problems[0]).toEqual({ pointer: expect.any(String), message: expect.any(String) });

    const { id, definition } = await newDraft();
    delete definition.properties.identitas_kelompok.properties.modal_saat_ini;
    definition.properties.identitas_kelompok.required = definition.properties.identitas_kelompok.required.filter((k: string) => k !== 'modal_saat_ini');
    // Its test cases go with it (else the cases, not the data, would stop the publication).
    definition['x-test-cases'] = definition['x-test-cases'].filter((c: any) => !JSON.stringify(c).includes('modal_saat_ini'));
    for (const e of definition.examples) delete e.identitas_kelompok.modal_saat_ini;
    await send('pusat', 'PUT', `/api/studio/drafts/${id}`, definition);
    const impact = await json(await srv.fetchAs('pusat', `/api/studio/drafts/${id}/impact`));
    expect(impact.body.migration.additive).toBe(false);
    // Stored cards carry the field: the draft's closed section would reject every one of them.
    expect(impact.body.rejected).toBe(impact.body.checked);
    expect(impact.body.firstRejected[0].errors).toEqual([expect.objectContaining({ path: '/identitas_kelompok/modal_saat_ini' })]);
    expect(impact.body.migration.refusals).toEqual([expect.stringMatching(/^Kolom "modal_saat_ini" di tabel "k0_uppka" hilang dari definisi .* berisi data di \d+ baris/)]);
    const refused = await json(await send('pusat', 'POST', `/api/studio/drafts/${id}/publish`, { berlaku_mulai: next, catatan: 'Hapus ketua' }));
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.reasons[0]).toMatch(/modal_saat_ini/);

    // Two drafts from the same version: the first published wins, the second would undo it.
    const a = await newDraft();
    const b = await newDraft();
    a.definition.properties.identitas_kelompok.properties.nama_kampung_kb.title = 'Nama Kampung Keluarga Berkualitas';
    b.definition.properties.identitas_kelompok.properties.jalan.title = 'Alamat Jalan';
    await send('pusat', 'PUT', `/api/studio/drafts/${a.id}`, a.definition);
    await send('pusat', 'PUT', `/api/studio/drafts/${b.id}`, b.definition);
    const [ra, rb] = await Promise.all([
      send('pusat', 'POST', `/api/studio/drafts/${a.id}/publish`, { berlaku_mulai: next, catatan: 'Nama' }),
      send('pusat', 'POST', `/api/studio/drafts/${b.id}/publish`, { berlaku_mulai: next, catatan: 'Jalan' }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const loser = await json(ra.status === 409 ? ra : rb);
    expect(loser.body.reasons[0]).toMatch(/Buat draf baru dari versi/);
  });

  it('gives a report of a month the report definition in force that month', async () => {
    const made = await json(await send('pusat', 'POST', '/api/studio/forms/laporan-provinsi/drafts'));
    const { body } = await json(await srv.fetchAs('pusat', `/api/studio/drafts/${made.body.id}`));
    body.definition.properties.baris.items.properties.keterangan.title = 'Keterangan Tambahan';
    expect((await json(await send('pusat', 'PUT', `/api/studio/drafts/${made.body.id}`, body.definition))).body.problems).toEqual([]);
    const published = await json(await send('pusat', 'POST', `/api/studio/drafts/${made.body.id}/publish`, { berlaku_mulai: next, catatan: 'Judul kolom keterangan' }));
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const page = async (p: { tahun: number; bulan: number }) => (await srv.fetchAs('provinsi', `/reports/laporan-provinsi?provinsi=33&tahun=${p.tahun}&bulan=${p.bulan}`)).text();
    expect(await page(now)).not.toContain('Keterangan Tambahan');
    expect(await page(next)).toContain('Keterangan Tambahan');
  });

  it('adds and edits a cross-field rule from the rule table, checked by the draft\'s validator', async () => {
    const { id } = await newDraft();
    const page = (body: Record<string, string>) => srv.fetchAs('pusat', `/studio/drafts/${id}`, { method: 'POST', body: new URLSearchParams(body), redirect: 'manual' });
    const missing = await page({ _aksi: 'tambah-aturan', bagian: 'anggota', aturan_isian: 'usia', pembanding: 'paling_besar', nilai: '100', pesan: '' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Tuliskan pesan yang dibaca pengisi bila aturan tidak terpenuhi.');
    expect((await page({ _aksi: 'tambah-aturan', bagian: 'anggota', aturan_isian: 'usia', pembanding: 'paling_besar', nilai: '100', pesan: 'Usia paling besar 100 tahun.', tingkat: 'galat' })).status).toBe(303);
    const editor = await (await srv.fetchAs('pusat', `/studio/drafts/${id}`)).text();
    expect(editor).toContain('<td>usia paling besar 100</td>');
    const example = (await json(await srv.fetchAs('pusat', '/api/forms/k0-uppka'))).body.examples[0];
    const old = structuredClone(example);
    old.anggota[0].usia = 120;
    old.anggota[0].status = 'non_pus';
    for (const k of ['mkjp_lestari', 'mkjp_mandiri', 'non_mkjp', 'jenis_kontrasepsi']) delete old.anggota[0][k];
    const checked = await json(await send('pusat', 'POST', `/api/studio/drafts/${id}/validate`, old));
    expect(checked.body.errors, JSON.stringify(checked.body.errors)).toContainEqual(expect.objectContaining({ path: '/anggota/0/usia', message: 'Usia paling besar 100 tahun.' }));
    // Made a warning, it no longer blocks: the validate answer lists errors only.
    const rules = (await json(await srv.fetchAs('pusat', `/api/studio/drafts/${id}`))).body.definition.properties.anggota.items['x-rules'];
    const at = rules.findIndex((r: any) => r.message === 'Usia paling besar 100 tahun.');
    expect((await page({ _aksi: 'ubah-aturan', bagian: 'anggota', nomor: String(at), pesan: 'Usia di atas 100 tahun: periksa lagi.', tingkat: 'peringatan' })).status).toBe(303);
    const again = await json(await send('pusat', 'POST', `/api/studio/drafts/${id}/validate`, old));
    expect(again.body.errors.filter((e: any) => e.path === '/anggota/0/usia')).toEqual([]);
  });

  it('sets header groups, a show-when and a calculated value from the field editor, checked like the rest', async () => {
    const { id } = await newDraft();
    const page = (body: Record<string, string>) => srv.fetchAs('pusat', `/studio/drafts/${id}`, { method: 'POST', body: new URLSearchParams(body), redirect: 'manual' });
    const definition = async () => (await json(await srv.fetchAs('pusat', `/api/studio/drafts/${id}`))).body;
    const field = (d: any, key: string) => d.definition.properties.identitas_kelompok.properties[key];
    const base = { _aksi: 'ubah-isian', bagian: 'identitas_kelompok' };
    // "Telepon" shown only for groups whose business is "lainnya", under two header groups.
    expect((await page({ ...base, isian: 'telepon', label: 'Telepon', kelompok_judul: 'Kontak / Ketua', tampil_bila: 'jenis_usaha', tampil_nilai: 'lainnya' })).status).toBe(303);
    let d = await definition();
    expect(field(d, 'telepon')).toMatchObject({ 'x-header-group': ['Kontak', 'Ketua'], 'x-show-when': { field: 'jenis_usaha', equals: 'lainnya' } });
    const editor = await (await srv.fetchAs('pusat', `/studio/drafts/${id}`)).text();
    expect(editor).toContain('value="Kontak / Ketua"');
    expect(editor).toMatch(/<option value="jenis_usaha" selected>/);
    // The member count, calculated from the member rows rather than typed.
    expect((await page({ ...base, isian: 'jumlah_anggota', label: 'Jumlah Anggota', hitung_baris: 'anggota' })).status).toBe(303);
    d = await definition();
    expect(field(d, 'jumlah_anggota')['x-derived']).toEqual({ count: 'anggota' });
    // A show-when on a value the field never has is the checker's to refuse, beside the field.
    expect((await page({ ...base, isian: 'telepon', label: 'Telepon', tampil_bila: 'jenis_usaha', tampil_nilai: 'tidak_ada' })).status).toBe(303);
    d = await definition();
    expect(d.problems.map((p: any) => p.pointer)).toContainEqual(expect.stringContaining('/telepon/x-show-when'));
    // Cleared again: always shown, no groups.
    expect((await page({ ...base, isian: 'telepon', label: 'Telepon', kelompok_judul: '', tampil_bila: '' })).status).toBe(303);
    d = await definition();
    expect(field(d, 'telepon')['x-show-when']).toBeUndefined();
    expect(field(d, 'telepon')['x-header-group']).toBeUndefined();
    expect(d.problems).toEqual([]);
    const self = await page({ ...base, isian: 'telepon', label: 'Telepon', tampil_bila: 'telepon', tampil_nilai: '1' });
    expect(self.status).toBe(422);
    expect(await self.text()).toContain('Syarat tampil tidak boleh bergantung pada isian itu sendiri.');
  });

  it('edits a report column\'s roll-up as a row with pickers: where the number comes from and which rows count', async () => {
    const made = await json(await send('pusat', 'POST', '/api/studio/forms/laporan-provinsi/drafts'));
    const id = made.body.id;
    const page = (body: string[][]) => srv.fetchAs('pusat', `/studio/drafts/${id}`, { method: 'POST', body: new URLSearchParams(body), redirect: 'manual' });
    const rollup = async (key: string) => {
      const { body } = await json(await srv.fetchAs('pusat', `/api/studio/drafts/${id}`));
      return { rollup: body.definition.properties.baris.items.properties[key]['x-rollup'], problems: body.problems };
    };
    const editor = await (await srv.fetchAs('pusat', `/studio/drafts/${id}`)).text();
    expect(editor).toContain('<caption>Asal angka setiap kolom laporan</caption>');
    expect(editor).toContain('Simpan hitungan Non PUS');
    const base = [['_aksi', 'ubah-hitungan'], ['bagian', 'baris']];
    // Non-PUS members: counted as members whose status is not PUS.
    expect((await page([...base, ['isian', 'non_pus'], ['cara', 'hitung'], ['asal', 'anggota'], ['syarat', 'banding'], ['syarat_isian', 'status'], ['syarat_pembanding', 'tidak_sama'], ['syarat_nilai', 'pus']])).status).toBe(303);
    expect(await rollup('non_pus')).toEqual({ rollup: { from: 'k0-uppka', count: 'anggota', where: { field: 'status', notEquals: 'pus' } }, problems: [] });
    // Members at risk of stunting: any of the ticked Ya/Tidak fields.
    expect((await page([...base, ['isian', 'rentan_stunting'], ['cara', 'hitung'], ['asal', 'anggota'], ['syarat', 'ya'], ['ya_isian', 'ibu_hamil'], ['ya_isian', 'balita']])).status).toBe(303);
    expect((await rollup('rentan_stunting')).rollup).toEqual({ from: 'k0-uppka', count: 'anggota', where: { anyTrue: ['ibu_hamil', 'balita'] } });
    // A condition the pickers cannot hold (a report parameter) is kept as it is.
    const keep = await rollup('jumlah_uppka_lama');
    expect((await page([...base, ['isian', 'jumlah_uppka_lama'], ['cara', 'kelompok'], ['asal', ''], ['syarat', 'tetap']])).status).toBe(303);
    expect((await rollup('jumlah_uppka_lama')).rollup).toEqual(keep.rollup);
    // The pairing with the district report stays when the source changes.
    const paired = (await rollup('kegiatan_orientasi')).rollup;
    expect((await page([...base, ['isian', 'kegiatan_orientasi'], ['cara', 'tanda'], ['asal', 'sosialisasi_kebijakan'], ['syarat', 'semua']])).status).toBe(303);
    expect((await rollup('kegiatan_orientasi')).rollup).toEqual({ from: 'r1-uppka', flag: 'sosialisasi_kebijakan', agreesWith: paired.agreesWith });
    // Counting rows of a table the form lacks is the checker's to refuse, beside the column.
    expect((await page([...base, ['isian', 'non_pus'], ['cara', 'hitung'], ['asal', 'tidak_ada'], ['syarat', 'semua']])).status).toBe(303);
    const broken = await rollup('non_pus');
    expect(broken.problems.map((p: any) => p.pointer)).toContainEqual(expect.stringContaining('/non_pus/x-rollup'));
    const missing = await page([...base, ['isian', 'non_pus'], ['cara', 'hitung'], ['asal', ''], ['syarat', 'semua']]);
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Pilih tabel berulang yang dihitung barisnya.');
  });

  it('rolls back by publishing an earlier version again, as a new version from a period', async () => {
    const before = (await json(await srv.fetchAs('pusat', '/api/studio/forms/k0-uppka/versions'))).body.versions;
    const first = before[0].versi;
    const res = await srv.fetchAs('pusat', `/studio/forms/k0-uppka/versions/${first}/pulihkan`, { method: 'POST', body: new URLSearchParams({ periode: ym(next), catatan: 'Kembali ke kartu awal' }), redirect: 'manual' });
    expect(res.status).toBe(303);
    const after = (await json(await srv.fetchAs('pusat', '/api/studio/forms/k0-uppka/versions'))).body.versions;
    expect(after.at(-1)).toMatchObject({ versi: before.at(-1).versi + 1, berlaku_mulai: next, catatan: 'Kembali ke kartu awal' });
    // Next month's page is the first version's again: no "Catatan Kader".
    expect(await (await srv.fetchAs('kader', `/forms/k0-uppka?periode=${ym(next)}`)).text()).not.toContain('Catatan Kader');
    expect((await srv.fetchAs('provinsi', `/studio/forms/k0-uppka/versions/${first}/pulihkan`, { method: 'POST', body: new URLSearchParams({ catatan: 'x' }) })).status).toBe(403);
  });

  it('keeps the studio to province and national staff', async () => {
    expect((await srv.fetchAs('kader', '/api/studio/forms')).status).toBe(403);
    expect((await srv.fetchAs('kabupaten', '/studio')).status).toBe(403);
    expect((await send('provinsi', 'POST', '/api/studio/forms/k0-uppka/drafts')).status).toBe(201);
    expect((await srv.fetchAs('pusat', `/api/studio/drafts/${randomUUID()}`)).status).toBe(404);
  });
});
