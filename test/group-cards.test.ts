/**
 * A UPPKA group's life (issue 15): one identity across its yearly K/0 cards and their revisions,
 * the card in force for each report month, deactivation with a reason and a day, duplicate-group
 * warnings, rule warnings stored with the submission, and the R/1's member count taken from the
 * card. Real SQLite file; the HTTP part on a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, loadForms } from '../engine/index.js';
import { loadCurrent, loadSubmission, saveSubmission, setSubmissionStatus, SubmissionRejected } from '../engine/storage/index.js';
import { bigK0, uuid } from './support/submissions.js';
import { tempStore } from './support/temp-store.js';
import { startServer } from './support/server.js';

const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const r1 = forms.get('r1-uppka')!;
const report = forms.get('laporan-provinsi')!;
const linked = (id: string) => forms.get(id);
let ctx: Awaited<ReturnType<typeof tempStore>>;

function card(members: number, name: string, year: number, formed = 2019) {
  const d = bigK0(members, name);
  d.kartu = { tahun: year };
  d.identitas_kelompok.tahun_terbentuk = formed;
  return d;
}
const register = (kelompok_id: string, tahun: number, bulan: number, hadir = 2, sent = 99) => ({
  identitas: { kelompok_id, bulan, tahun, jumlah_anggota: sent },
  pertemuan: [{ tanggal: `${tahun}-${String(bulan).padStart(2, '0')}-05`, materi: 'Pembukuan', jumlah_hadir: hadir }],
  kegiatan_pro_pn: { sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: false, monitoring_evaluasi: false },
  usaha: { modal: 0, omzet: 0 },
});
const rowsOf = async (tahun: number, bulan: number) =>
  ((await buildReport({ store: ctx.store, forms }, report, { provinsi: '33', tahun, bulan })).data.baris as Record<string, unknown>[]);

beforeAll(async () => { ctx = await tempStore(); });
afterAll(async () => ctx.cleanup());

describe('a group across its cards', () => {
  it('keeps one identity across revisions and years; reports use the card in force then', async () => {
    const first = uuid();
    await saveSubmission(ctx.store, k0, { id: first, data: card(4, 'UPPKA Tahunan', 2023) });
    // A revision in the same year (a member joined), then next year's card.
    const second = uuid();
    const revised = await saveSubmission(ctx.store, k0, { id: second, data: card(5, 'UPPKA Tahunan', 2023), revises: first });
    expect(revised).toMatchObject({ status: 'created', revision: 2, supersedes: first, entity: first, warnings: [] });
    const third = uuid();
    await saveSubmission(ctx.store, k0, { id: third, data: card(7, 'UPPKA Tahunan', 2025), revises: second });
    expect((await loadCurrent(ctx.store, k0, first))?.id).toBe(third);
    expect((await loadSubmission(ctx.store, k0, first))?.current).toBe(false);

    // Revising a card that is no longer the newest is a conflict: nothing is lost silently.
    const stale = await saveSubmission(ctx.store, k0, { id: uuid(), data: card(6, 'UPPKA Tahunan', 2025), revises: first }).catch((e) => e);
    expect(stale).toBeInstanceOf(SubmissionRejected);
    expect(stale.kind).toBe('conflict');

    const row = async (tahun: number, bulan: number) => (await rowsOf(tahun, bulan)).find((r) => r.kelompok_id === first);
    // 2023 reports count the 2023 card (its revision saved now, after those months: the first
    // revision is the one of the month; both were saved later, so the first counts), 2024 still
    // the 2023 card, 2025 and 2026 the 2025 card. The row is the group (its first card's id).
    expect((await row(2023, 3))?.jumlah_keluarga).toBe(4);
    expect((await row(2024, 6))?.jumlah_keluarga).toBe(4);
    expect((await row(2025, 1))?.jumlah_keluarga).toBe(7);
    expect((await row(2026, 11))?.jumlah_keluarga).toBe(7);
    // Before the first card's year there is no card in force.
    expect(await row(2022, 12)).toBeUndefined();
  });

  it('leaves out a group before it was formed, and after the month it stopped', async () => {
    const young = uuid();
    await saveSubmission(ctx.store, k0, { id: young, data: card(3, 'UPPKA Muda', 2026, 2026) });
    expect((await rowsOf(2025, 12)).some((r) => r.kelompok_id === young)).toBe(false);
    expect((await rowsOf(2026, 1)).some((r) => r.kelompok_id === young)).toBe(true);

    const stopped = uuid();
    await saveSubmission(ctx.store, k0, { id: stopped, data: card(3, 'UPPKA Berhenti', 2023) });
    await setSubmissionStatus(ctx.store, k0, stopped, 'nonaktif', { reason: 'Kelompok bubar', at: '2023-06-10' });
    expect((await rowsOf(2023, 6)).some((r) => r.kelompok_id === stopped)).toBe(true);
    expect((await rowsOf(2023, 7)).some((r) => r.kelompok_id === stopped)).toBe(false);
    const kept = await loadSubmission(ctx.store, k0, stopped);
    expect(kept).toMatchObject({ status: 'nonaktif', statusReason: 'Kelompok bubar', statusAt: '2023-06-10' });
    // A stopped group's card is not revised until it is active again.
    const refused = await saveSubmission(ctx.store, k0, { id: uuid(), data: card(3, 'UPPKA Berhenti', 2023), revises: stopped }).catch((e) => e);
    expect(refused.kind).toBe('conflict');
  });

  it('warns of a second group with the same name in the same village, and stores the warning', async () => {
    const a = uuid();
    await saveSubmission(ctx.store, k0, { id: a, data: card(2, 'UPPKA Kembar', 2023) });
    const b = uuid();
    const outcome = await saveSubmission(ctx.store, k0, { id: b, data: card(2, 'UPPKA Kembar', 2023) });
    expect(outcome.status).toBe('created');
    expect(outcome.warnings).toEqual([expect.objectContaining({ path: '/identitas_kelompok/nama_kelompok', label: 'Nama Kelompok', severity: 'peringatan', message: expect.stringMatching(/^Sudah ada kelompok aktif dengan nama yang sama/) })]);
    expect((await loadSubmission(ctx.store, k0, b))?.warnings).toHaveLength(1);
    // A revision of the group's own card is not a duplicate of itself.
    expect((await saveSubmission(ctx.store, k0, { id: uuid(), data: card(2, 'UPPKA Kembar', 2024), revises: a })).warnings).toEqual([]);
  });

  it('stores a rule warning (a PUS member aged 55) with the card, without refusing it', async () => {
    const data = card(2, 'UPPKA Usia', 2023);
    data.anggota[0]!.usia = 55;
    const id = uuid();
    const outcome = await saveSubmission(ctx.store, k0, { id, data });
    expect(outcome.warnings.map((w) => [w.label, w.message])).toEqual([['Anggota no. 1 — Usia', 'Anggota PUS biasanya berusia 15–49 tahun; periksa kembali usia atau statusnya.']]);
    expect((await loadSubmission(ctx.store, k0, id))?.warnings).toHaveLength(1);
  });

  it('takes the R/1 member count from the card in force in its month, whatever was sent', async () => {
    const group = uuid();
    await saveSubmission(ctx.store, k0, { id: group, data: card(4, 'UPPKA Register', 2023) });
    await saveSubmission(ctx.store, k0, { id: uuid(), data: card(6, 'UPPKA Register', 2025), revises: group });
    const old = uuid();
    await saveSubmission(ctx.store, r1, { id: old, data: register(group, 2024, 5), linked });
    expect((await loadSubmission(ctx.store, r1, old))?.data.identitas).toMatchObject({ jumlah_anggota: 4 });
    const recent = uuid();
    await saveSubmission(ctx.store, r1, { id: recent, data: register(group, 2025, 5, 6), linked });
    expect((await loadSubmission(ctx.store, r1, recent))?.data.identitas).toMatchObject({ jumlah_anggota: 6 });
    // Attendance above the card's members is refused, named by row and field.
    const over = await saveSubmission(ctx.store, r1, { id: uuid(), data: register(group, 2024, 6, 5), linked }).catch((e) => e);
    expect(over).toBeInstanceOf(SubmissionRejected);
    expect(over.issues.map((i: { label: string }) => i.label)).toContain('Pertemuan no. 1 — Jumlah Hadir');
    // No card in force in that month (before the first card's year): said at the group field.
    const early = await saveSubmission(ctx.store, r1, { id: uuid(), data: register(group, 2022, 5), linked }).catch((e) => e);
    expect(early.issues).toEqual([expect.objectContaining({ path: '/identitas/kelompok_id', message: expect.stringMatching(/belum punya kartu K\/0\/UPPKA\/20 yang berlaku/) })]);
  });

  it('copies into the district report the card in force in the report\'s month, none before the group was formed', async () => {
    const district = forms.get('laporan-kabupaten')!;
    const group = uuid();
    await saveSubmission(ctx.store, k0, { id: group, data: card(4, 'UPPKA Nama Lama', 2023, 2021) });
    await saveSubmission(ctx.store, k0, { id: uuid(), data: card(6, 'UPPKA Nama Baru', 2025, 2021), revises: group });
    const partA = async (tahun: number, bulan: number) =>
      (await buildReport({ store: ctx.store, forms }, district, { kelompok_id: group, tahun, bulan })).data.identitas_kelompok as Record<string, unknown>;
    expect(await partA(2023, 6)).toMatchObject({ nama_kelompok: 'UPPKA Nama Lama', jumlah_anggota: 4 });
    expect(await partA(2024, 12)).toMatchObject({ nama_kelompok: 'UPPKA Nama Lama', jumlah_anggota: 4 });
    expect(await partA(2025, 1)).toMatchObject({ nama_kelompok: 'UPPKA Nama Baru', jumlah_anggota: 6 });
    // A 2020 report: the group was formed in 2021, so there is no card to copy (404 over HTTP).
    await expect(partA(2020, 5)).rejects.toThrow(/No active k0-uppka/);
  });
});

describe('over HTTP', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => { srv = await startServer(); });
  afterAll(async () => srv.close());

  const post = (role: Parameters<typeof srv.fetchAs>[0], path: string, body: unknown, headers: Record<string, string> = {}) =>
    srv.fetchAs(role, path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('answers 404 for a district report of a month before the group was formed, naming why', async () => {
    const id = uuid();
    expect((await post('kader', '/api/forms/k0-uppka/submissions', card(3, 'UPPKA Baru Terbentuk', 2023, 2023), { 'Idempotency-Key': id })).status).toBe(201);
    expect((await srv.fetchAs('kabupaten', srv.url(`/reports/laporan-kabupaten?kelompok=${id}&tahun=2023&bulan=5`))).status).toBe(200);
    const res = await srv.fetchAs('kabupaten', srv.url(`/reports/laporan-kabupaten?kelompok=${id}&tahun=2022&bulan=5`));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('tidak berlaku pada periode ini (belum terbentuk atau sudah nonaktif)');
  });

  it('revises a card with ?revises=, deactivates it with a reason, and refuses what is not allowed', async () => {
    const id = uuid();
    const data = card(3, 'UPPKA Lewat API', 2023);
    expect((await post('kader', '/api/forms/k0-uppka/submissions', data, { 'Idempotency-Key': id })).status).toBe(201);
    const next = uuid();
    const res = await post('kader', `/api/forms/k0-uppka/submissions?revises=${id}`, card(4, 'UPPKA Lewat API', 2024), { 'Idempotency-Key': next });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: next, revision: 2, supersedes: id, entity: id, warnings: [] });
    // The old revision again: someone else's change would be lost — 409.
    const stale = await post('kader', `/api/forms/k0-uppka/submissions?revises=${id}`, card(5, 'UPPKA Lewat API', 2024), { 'Idempotency-Key': uuid() });
    expect(stale.status).toBe(409);

    // Deactivation needs a reason (422 naming "Alasan"), is for those who fill forms (403 for the district).
    const noReason = await post('kader', `/api/submissions/${next}/status`, { status: 'nonaktif' });
    expect(noReason.status).toBe(422);
    expect((await noReason.json()).errors).toEqual([expect.objectContaining({ label: 'Alasan', message: 'Tuliskan alasan kelompok dinonaktifkan.' })]);
    const future = await post('kader', `/api/submissions/${next}/status`, { status: 'nonaktif', alasan: 'Bubar', tanggal: '2999-01-01' });
    expect(future.status).toBe(422);
    expect((await post('kabupaten', `/api/submissions/${next}/status`, { status: 'nonaktif', alasan: 'Bubar' })).status).toBe(403);
    const done = await post('kader', `/api/submissions/${next}/status`, { status: 'nonaktif', alasan: 'Kelompok bubar', tanggal: '2026-01-31' });
    expect(done.status).toBe(200);
    const receipt = await (await srv.fetchAs('kader', `/submissions/${id}`)).text();
    expect(receipt).toContain('Dinonaktifkan sejak 2026-01-31: Kelompok bubar');
    expect(receipt).toContain('Riwayat kartu');
  });

  it('lists the cards saved with warnings for the district, which confirms it checked them', async () => {
    const first = uuid();
    const second = uuid();
    expect((await post('kader', '/api/forms/k0-uppka/submissions', card(2, 'UPPKA Periksa Ganda', 2023), { 'Idempotency-Key': first })).status).toBe(201);
    const dup = await post('kader', '/api/forms/k0-uppka/submissions', card(2, 'UPPKA Periksa Ganda', 2023), { 'Idempotency-Key': second });
    expect((await dup.json()).warnings).toHaveLength(1);
    const listed = async (filter: string) => {
      const body = await (await srv.fetchAs('kabupaten', `/api/forms/k0-uppka/submissions?peringatan=${filter}&per_page=500`)).json();
      return body.items as { id: string; warnings: number; warningsChecked: boolean }[];
    };
    expect((await listed('belum')).map((i) => i.id)).toContain(second);
    expect((await listed('belum')).map((i) => i.id)).not.toContain(first);
    const page = await (await srv.fetchAs('kabupaten', '/forms/k0-uppka/submissions?peringatan=belum')).text();
    expect(page).toContain('<option value="belum" selected>Peringatan belum diperiksa</option>');
    expect(page).toContain(`<a href="/submissions/${second}#peringatan">1 peringatan, belum diperiksa</a>`);

    // The district sees the check on the card; the cadre who filled it does not confirm it herself.
    expect(await (await srv.fetchAs('kabupaten', `/submissions/${second}`)).text()).toContain('Tandai sudah diperiksa');
    expect(await (await srv.fetchAs('kader', `/submissions/${second}`)).text()).not.toContain('Tandai sudah diperiksa');
    const byCadre = await post('kader', `/api/submissions/${second}/peringatan`, { catatan: 'Benar' });
    expect(byCadre.status).toBe(403);
    expect((await byCadre.json()).errors[0].message).toBe('Peringatan diperiksa oleh OPD KB kabupaten/kota atau perwakilan provinsi.');
    const nothing = await post('kabupaten', `/api/submissions/${first}/peringatan`, {});
    expect(nothing.status).toBe(409);
    expect((await nothing.json()).errors[0].message).toBe('Kiriman ini tidak punya peringatan untuk diperiksa.');

    const confirmed = await srv.fetchAs('kabupaten', `/submissions/${second}/peringatan`, { method: 'POST', body: new URLSearchParams({ catatan: 'Dua kelompok berbeda, ketuanya lain' }), redirect: 'manual' });
    expect(confirmed.status).toBe(303);
    const receipt = await (await srv.fetchAs('kader', `/submissions/${second}`)).text();
    expect(receipt).toMatch(/Sudah diperiksa oleh [^<]+ pada [^<]+: Dua kelompok berbeda, ketuanya lain\./);
    expect((await listed('belum')).map((i) => i.id)).not.toContain(second);
    expect((await listed('ada')).find((i) => i.id === second)).toMatchObject({ warnings: 1, warningsChecked: true });
  });

  it('offers "Perbarui kartu ini" and opens the form filled with the card, posting it as a revision', async () => {
    const id = uuid();
    expect((await post('kader', '/api/forms/k0-uppka/submissions', card(2, 'UPPKA Halaman', 2023), { 'Idempotency-Key': id })).status).toBe(201);
    const receipt = await (await srv.fetchAs('kader', `/submissions/${id}`)).text();
    expect(receipt).toContain(`/forms/k0-uppka?perbarui=${id}`);
    expect(receipt).toContain('Buat kartu tahun');
    const form = await (await srv.fetchAs('kader', `/forms/k0-uppka?perbarui=${id}&tahun_baru=1`)).text();
    expect(form).toContain(`name="_revises" value="${id}"`);
    expect(form).toContain('value="UPPKA Halaman"');
  });
});
