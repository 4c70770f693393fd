/**
 * Renaming a published field's key in the studio (issue 16: "a rename is an explicit action that
 * records the mapping, and the migration carries the data"), on a real server: the editor's
 * "Ganti kunci" renames K/0's "sumber_modal" to "asal_modal"; the diff and the impact say what
 * happens to stored data; after publishing from next month the stored cards read under the new
 * key, this month's page (the earlier version) names the new key too, and a card sent under the
 * former key is carried. A rename another definition depends on, or onto a taken key, is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startServer } from './support/server.js';
import { bigK0 } from './support/submissions.js';
import { next, last, ym } from './support/periods.js';

let srv: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => { srv = await startServer(); });
afterAll(async () => srv.close());


type Role = Parameters<typeof srv.fetchAs>[0];
const send = (role: Role, method: string, path: string, body?: unknown) =>
  srv.fetchAs(role, path, { method, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: body === undefined ? undefined : JSON.stringify(body) });
const json = async (res: Response) => ({ status: res.status, body: await res.json() as any });

async function newDraft(): Promise<string> {
  const made = await json(await send('pusat', 'POST', '/api/studio/forms/k0-uppka/drafts'));
  expect(made.status).toBe(201);
  return made.body.id;
}
const action = (draft: string, body: Record<string, string>) =>
  srv.fetchAs('pusat', `/studio/drafts/${draft}`, { method: 'POST', body: new URLSearchParams(body), redirect: 'manual' });

function card(name: string, source: string | undefined, key = 'sumber_modal') {
  const data = bigK0(2, name) as any;
  delete data.identitas_kelompok.sumber_modal;
  if (source) data.identitas_kelompok[key] = source;
  if (source === 'lainnya') data.identitas_kelompok.sumber_modal_lainnya = 'Arisan warga';
  return data;
}

describe('renaming a field key in the studio', () => {
  it('renames explicitly, shows the diff and impact, publishes, and carries stored and incoming data', async () => {
    const saved = await json(await send('pkb', 'POST', '/api/forms/k0-uppka/submissions', card('UPPKA Ganti Kunci', 'lainnya')));
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const before = await json(await srv.fetchAs('kabupaten', `/api/submissions/${saved.body.id}`));
    expect(before.body.data.identitas_kelompok).toMatchObject({ sumber_modal: 'lainnya', sumber_modal_lainnya: 'Arisan warga' });
    const reportQuery = `/api/reports/laporan-provinsi.json?provinsi=33&tahun=${last.tahun}&bulan=${last.bulan}`;
    const reportBefore = await json(await srv.fetchAs('provinsi', reportQuery));

    const draft = await newDraft();
    expect((await action(draft, { _aksi: 'ganti-kunci', bagian: 'identitas_kelompok', isian: 'sumber_modal', kunci_baru: 'asal_modal' })).status).toBe(303);
    const got = await json(await srv.fetchAs('pusat', `/api/studio/drafts/${draft}`));
    expect(got.body.problems).toEqual([]);
    const identitas = got.body.definition.properties.identitas_kelompok;
    expect(identitas.properties.sumber_modal).toBeUndefined();
    expect(identitas.properties.asal_modal).toMatchObject({ title: 'Sumber Modal', 'x-renamed-from': ['sumber_modal'] });
    // The field keeps its place; the field shown only for "lainnya" now asks the new key.
    const keys = Object.keys(identitas.properties);
    expect(keys.indexOf('asal_modal')).toBe(keys.indexOf('sumber_modal_lainnya') - 1);
    expect(identitas.properties.sumber_modal_lainnya['x-show-when']).toEqual({ field: 'asal_modal', equals: 'lainnya' });
    const editor = await (await srv.fetchAs('pusat', `/studio/drafts/${draft}`)).text();
    expect(editor).toContain('Kunci lama: <code>sumber_modal</code>');

    const diff = await json(await srv.fetchAs('pusat', `/api/studio/drafts/${draft}/diff`));
    expect(diff.body.changes.map((c: any) => c.text)).toEqual(['Kunci isian "Sumber Modal" di A. Identitas Kelompok: "sumber_modal" → "asal_modal" (data tersimpan ikut pindah)']);
    const impact = await json(await srv.fetchAs('pusat', `/api/studio/drafts/${draft}/impact`));
    expect(impact.body).toMatchObject({ rejected: 0, migration: { additive: false, refusals: [], addedColumns: [], renamedColumns: ['k0_uppka.sumber_modal → asal_modal'] } });
    expect(impact.body.changed).toBeGreaterThanOrEqual(1);
    expect(await (await srv.fetchAs('pusat', `/studio/drafts/${draft}/dampak`)).text()).toContain('k0_uppka.sumber_modal → asal_modal');

    const published = await json(await send('pusat', 'POST', `/api/studio/drafts/${draft}/publish`, { berlaku_mulai: next, catatan: 'Istilah juknis baru: asal modal' }));
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    // Stored cards read under the new key, every value as it was.
    const after = await json(await srv.fetchAs('kabupaten', `/api/submissions/${saved.body.id}`));
    const { sumber_modal, ...rest } = before.body.data.identitas_kelompok;
    expect(after.body.data).toEqual({ ...before.body.data, identitas_kelompok: { ...rest, asal_modal: sumber_modal } });
    expect((await json(await srv.fetchAs('provinsi', reportQuery))).body.baris).toEqual(reportBefore.body.baris);
    // This month's page is the earlier version, served with the new key; next month's is the new one.
    const thisMonth = await (await srv.fetchAs('kader', '/forms/k0-uppka')).text();
    expect(thisMonth).toContain('name="identitas_kelompok.asal_modal"');
    expect(thisMonth).not.toContain('name="identitas_kelompok.sumber_modal"');
    expect(await (await srv.fetchAs('kader', `/forms/k0-uppka?periode=${ym(next)}`)).text()).toContain('name="identitas_kelompok.asal_modal"');

    // A card sent under the former key (an outbox filled before the rename) is carried to the new one.
    const late = await json(await send('pkb', 'POST', '/api/forms/k0-uppka/submissions', card('UPPKA Kunci Lama', 'lainnya')));
    expect(late.status, JSON.stringify(late.body)).toBe(201);
    const lateStored = await json(await srv.fetchAs('kabupaten', `/api/submissions/${late.body.id}`));
    expect(lateStored.body.data.identitas_kelompok).toMatchObject({ asal_modal: 'lainnya', sumber_modal_lainnya: 'Arisan warga' });
    expect(lateStored.body.data.identitas_kelompok.sumber_modal).toBeUndefined();
    // And under the new key, as the pages now send it.
    const fresh = await json(await send('pkb', 'POST', '/api/forms/k0-uppka/submissions', card('UPPKA Kunci Baru', 'lainnya', 'asal_modal')));
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
  });

  it('refuses a rename onto a taken or malformed key, and one that another definition depends on', async () => {
    const draft = await newDraft();
    const taken = await action(draft, { _aksi: 'ganti-kunci', bagian: 'identitas_kelompok', isian: 'jalan', kunci_baru: 'nama_kelompok' });
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('Kunci &quot;nama_kelompok&quot; sudah dipakai isian lain di bagian');
    // A prototype's name is no field: refused, and nothing leaks into the process's objects.
    for (const aksi of ['ganti-kunci', 'ubah-isian']) {
      const proto = await action(draft, { _aksi: aksi, bagian: 'identitas_kelompok', isian: '__proto__', kunci_baru: 'apa_saja', label: 'X', kelompok_judul: 'A / B' });
      expect(proto.status).toBe(422);
    }
    expect(({} as Record<string, unknown>)['x-renamed-from']).toBeUndefined();
    expect((await send('pkb', 'POST', '/api/forms/k0-uppka/submissions', card('UPPKA Sesudah Proto', undefined))).status).toBe(201);
    const malformed = await action(draft, { _aksi: 'ganti-kunci', bagian: 'identitas_kelompok', isian: 'jalan', kunci_baru: 'Jalan Raya' });
    expect(malformed.status).toBe(422);
    expect(await malformed.text()).toContain('Kunci isian: huruf kecil, angka dan garis bawah');

    // The province report counts members by "status": renaming it would break the report.
    expect((await action(draft, { _aksi: 'ganti-kunci', bagian: 'anggota', isian: 'status', kunci_baru: 'status_pus' })).status).toBe(303);
    const got = await json(await srv.fetchAs('pusat', `/api/studio/drafts/${draft}`));
    expect(got.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/^Definisi lain ".*" \(laporan-[a-z]+ versi \d+\) memakai isian formulir ini dan akan rusak: /) })]));
    const refused = await json(await send('pusat', 'POST', `/api/studio/drafts/${draft}/publish`, { berlaku_mulai: next, catatan: 'Ganti status' }));
    expect(refused.status).toBe(422);
    expect((await json(await srv.fetchAs('kabupaten', '/api/forms/k0-uppka'))).body).toBeTruthy();
  });
});
