/**
 * Renaming a field key in a definition (engine/rename-key.ts): what follows the key (required,
 * rules and show-when in the key's scope, form hints, examples and test cases), how data under a
 * former key is carried (JSON and form posts), and what the checker refuses.
 */
import { describe, expect, it } from 'vitest';
import { carryFormerKeys, definitionProblems, FORMS_DIR, loadForms, loadSharedDefs, loadSubmission, publishDraft, rekeyModel, renameKey, renamesFrom, runTestCases, saveSubmission } from '../engine/index.js';
import { publishForms } from '../server/publish.js';
import { bigK0, uuid } from './support/submissions.js';
import { tempStore } from './support/temp-store.js';
import { next, now } from './support/periods.js';
import { renameField, EditRefused, FIELD_KINDS, RULE_OPERATORS } from '../engine/studio/edit.js';
import { picked } from '../engine/studio/choices.js';
import { formDataToSubmission } from '../generators/html/form-data.js';

const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const shared = loadSharedDefs();
const build = (def: Record<string, unknown>) => definitionProblems('k0-uppka', def, shared);

describe('renameKey', () => {
  it('renames a repeat column in its rows\' rules only, and keeps the examples and test cases green', () => {
    const def = renameKey(k0.schema, { part: 'anggota', from: 'usia', to: 'umur' }) as any;
    const row = def.properties.anggota.items;
    expect(Object.keys(row.properties)).toEqual(Object.keys((k0.schema as any).properties.anggota.items.properties).map((k) => (k === 'usia' ? 'umur' : k)));
    expect(row.required).toContain('umur');
    expect(row.properties.umur['x-renamed-from']).toEqual(['usia']);
    expect(JSON.stringify(row['x-rules'])).not.toContain('"usia"');
    expect(JSON.stringify(def.examples)).not.toContain('"usia"');
    expect(JSON.stringify(def['x-test-cases'])).not.toMatch(/\/usia\b/);
    const { model, problems } = build(def);
    expect(problems).toEqual([]);
    expect(runTestCases(model!)).toEqual([]);
  });

  it('renames a section field in show-when and the form\'s hints, and a second rename keeps the history', () => {
    const once = renameKey(k0.schema, { part: 'identitas_kelompok', from: 'sumber_modal', to: 'asal_modal' });
    const twice = renameKey(once, { part: 'identitas_kelompok', from: 'asal_modal', to: 'asal_dana' }) as any;
    expect(twice.properties.identitas_kelompok.properties.asal_dana['x-renamed-from']).toEqual(['sumber_modal', 'asal_modal']);
    expect(twice.properties.identitas_kelompok.properties.sumber_modal_lainnya['x-show-when']).toEqual({ field: 'asal_dana', equals: 'lainnya' });
    const v2 = build({ ...twice, 'x-version': k0.version + 1 }).model!;
    // An earlier version, re-keyed, reads as the new one; data under either former key is carried.
    expect(renamesFrom(k0, v2)).toEqual([{ part: 'identitas_kelompok', from: 'sumber_modal', to: 'asal_dana' }]);
    const v1 = rekeyModel(k0, renamesFrom(k0, v2));
    expect(v1.publishedHash).toBe(k0.hash);
    expect(v1.parts[1]!.kind === 'section' && v1.parts[1]!.fields.some((f) => f.key === 'asal_dana')).toBe(true);
    for (const former of ['sumber_modal', 'asal_modal']) {
      expect(carryFormerKeys(v2, { identitas_kelompok: { [former]: 'bantuan', nama_kelompok: 'X' } })).toEqual({ identitas_kelompok: { nama_kelompok: 'X', asal_dana: 'bantuan' } });
    }
    // The key itself wins over a former one sent beside it.
    expect(carryFormerKeys(v2, { identitas_kelompok: { sumber_modal: 'lama', asal_dana: 'baru' } })).toEqual({ identitas_kelompok: { asal_dana: 'baru' } });
    // A form post from a page made before the rename names the former key.
    const posted = formDataToSubmission(v2, { 'identitas_kelompok.sumber_modal': 'lainnya', 'identitas_kelompok.sumber_modal_lainnya': 'Arisan' });
    expect(posted.identitas_kelompok).toMatchObject({ asal_dana: 'lainnya', sumber_modal_lainnya: 'Arisan' });
  });

  it('renames a section field in the printed header and signatures (engine level)', () => {
    const report = forms.get('laporan-provinsi')!.schema as Record<string, any>;
    const def = renameKey(report, { part: 'tanda_tangan', from: 'dinas', to: 'nama_dinas' }) as any;
    expect(JSON.stringify(def['x-pdf'])).not.toMatch(/\{dinas\}|"dinas"/);
    expect(def['x-pdf'].signatures[0].title).toBe('Kepala Dinas {nama_dinas} Provinsi {provinsi}');
  });

  it('refuses a former key that is another field\'s key, and the editor refuses taken and malformed keys', () => {
    const def = renameKey(k0.schema, { part: 'identitas_kelompok', from: 'jalan', to: 'alamat_jalan' }) as any;
    def.properties.identitas_kelompok.properties.telepon['x-renamed-from'] = ['nama_ketua'];
    expect(build(def).problems).toEqual([expect.objectContaining({ pointer: '/properties/identitas_kelompok/properties/telepon/x-renamed-from', message: expect.stringContaining('Kunci lama "nama_ketua"') })]);
    expect(() => renameField(k0.schema, 'identitas_kelompok', 'jalan', 'nama_kelompok')).toThrow(EditRefused);
    expect(() => renameField(k0.schema, 'identitas_kelompok', 'jalan', '9jalan')).toThrow(/huruf kecil/);
    expect(() => renameField(k0.schema, 'identitas_kelompok', 'tidak_ada', 'baru')).toThrow(/tidak ada/);
    // A key another field had before is taken too: data sent under it is carried to that field.
    expect(() => renameField(def, 'identitas_kelompok', 'nama_ketua', 'jalan')).toThrow(/dulu dipakai isian/);
    // A report's parameters name its addresses; its rolled-up rows are computed, nothing to carry.
    const report = forms.get('laporan-provinsi')!.schema as Record<string, any>;
    const { params, rows } = report['x-rollup'];
    expect(() => renameField(report, params, Object.keys(report.properties[params].properties)[0]!, 'baru')).toThrow(/parameter laporan/);
    expect(() => renameField(report, rows, 'non_pus', 'bukan_pus')).toThrow(/tidak disimpan/);
    // Entries of a report are posted by its own pages, which do not carry former keys.
    expect(() => renameField(report, 'tanda_tangan', 'nama_kepala_dinas', 'nama_kadis')).toThrow(/laporan belum dapat diganti/);
    // Keys that are names of every object's prototype name no field.
    for (const key of ['__proto__', 'constructor', 'toString']) expect(() => renameField(k0.schema, 'identitas_kelompok', key, 'apa_saja')).toThrow(EditRefused);
    expect(() => renameField(k0.schema, 'identitas_kelompok', 'jalan', 'constructor')).not.toThrow();
    expect(({} as Record<string, unknown>)['x-renamed-from']).toBeUndefined();
    // The editor's vocabularies answer for their own entries only.
    for (const name of ['constructor', '__proto__', 'toString']) expect([picked(RULE_OPERATORS, name), picked(FIELD_KINDS, name)]).toEqual([undefined, undefined]);
    expect(picked(RULE_OPERATORS, 'kurang')).toEqual({ label: 'kurang dari', key: 'lt' });
  });

  it('survives a restart: the server starting on the database again serves the earlier version re-keyed', async () => {
    const t = await tempStore();
    try {
      const first = await publishForms(t.store, FORMS_DIR);
      const id = uuid();
      await saveSubmission(t.store, first.forms.get('k0-uppka')!, { id, data: bigK0(3) });
      const [today, from] = [now, next];
      const definition = renameKey(k0.schema, { part: 'anggota', from: 'usia', to: 'umur' });
      const outcome = await publishDraft({ store: t.store, registry: shared, forms: first.forms }, 'k0-uppka', definition, { from, today, note: 'Umur', by: 'uji' });
      expect(outcome.status).toBe('published');

      const again = await publishForms(t.store, FORMS_DIR);
      expect(again.refused).toEqual([]);
      const thisMonth = again.forms.at('k0-uppka', today)!;
      expect(thisMonth.version).toBe(k0.version);
      expect(thisMonth.parts.find((p) => p.key === 'anggota')!.kind === 'repeat' && (thisMonth.parts.find((p) => p.key === 'anggota') as any).columns.map((c: any) => c.key)).toContain('umur');
      const expected = JSON.parse(JSON.stringify(bigK0(3)).replaceAll('"usia":', '"umur":'));
      expect((await loadSubmission(t.store, thisMonth, id))?.data).toEqual(expected);
      expect((await loadSubmission(t.store, again.forms.at('k0-uppka', from)!, id))?.data).toEqual(expected);
      // The page made from this month's version before the restart still finds it by its hash.
      expect(again.forms.byHash('k0-uppka', k0.hash)).toBe(thisMonth);
    } finally {
      await t.cleanup();
    }
  });
});
