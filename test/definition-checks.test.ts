/** A broken definition is refused with every problem listed, each with its pointer and sentence. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DefinitionError, definitionProblems, loadDefinition, loadForms, loadSharedDefs, FORMS_DIR } from '../engine/index.js';

const registry = loadSharedDefs();
const k0 = JSON.parse(readFileSync(`${FORMS_DIR}/k0-uppka.json`, 'utf8'));
const mutate = (change: (d: any) => void): unknown => {
  const d = structuredClone(k0);
  change(d);
  return d;
};
const problemsOf = (def: unknown) => definitionProblems('k0-uppka', def, registry).problems;

describe('definition checks', () => {
  it('all four definitions load and pass the meta-schema', () => {
    const forms = loadForms();
    expect([...forms.keys()].sort()).toEqual(['k0-uppka', 'laporan-kabupaten', 'laporan-provinsi', 'r1-uppka']);
    for (const m of forms.values()) expect(m.version).toBeGreaterThan(0);
    expect(forms.get('k0-uppka')?.code).toBe('K/0/UPPKA/20');
    expect(forms.get('r1-uppka')?.code).toBe('R/1/UPPKA/20');
  });

  it('the shipped K/0 has no problems', () => {
    expect(problemsOf(k0)).toEqual([]);
  });

  it('refuses an unknown type with its pointer', () => {
    const problems = problemsOf(mutate((d) => {
      d.properties.catatan = { type: 'object', title: 'Catatan', properties: { isi: { type: 'teks', title: 'Isi' } } };
    }));
    expect(problems).toContainEqual({
      pointer: '/properties/catatan/properties/isi/type',
      message: 'Nilai `teks` tidak dikenal. Pilihan: `string`, `integer`, `number`, `boolean`, `object`, `array`.',
    });
    // The model's "needs a type" would only echo the same mistake.
    expect(problems).toHaveLength(1);
  });

  it('refuses a dangling $ref', () => {
    const problems = problemsOf(mutate((d) => {
      d.properties.anggota = { $ref: 'defs/kelompok.json#/$defs/anggota_lama' };
    }));
    expect(problems).toEqual([{ pointer: '/properties/anggota/$ref', message: 'Rujukan "defs/kelompok.json#/$defs/anggota_lama" tidak ditemukan.' }]);
  });

  it('refuses a duplicate column number', () => {
    const problems = problemsOf(mutate((d) => {
      d.properties.anggota = {
        type: 'array',
        title: 'B. Identitas Anggota Kelompok',
        items: {
          type: 'object',
          properties: {
            nama: { type: 'string', title: 'Nama', 'x-column': 2 },
            usia: { type: 'integer', title: 'Usia', 'x-column': 2 },
          },
        },
      };
    }));
    expect(problems).toContainEqual({
      pointer: '/properties/anggota/items/properties/usia/x-column',
      message: 'Nomor kolom (2) dipakai dua kali di tabel "B. Identitas Anggota Kelompok": oleh "nama" dan "usia".',
    });
  });

  it('refuses a rule naming a missing field or table', () => {
    const problems = problemsOf(mutate((d) => {
      d['x-rules'].push(
        { id: 'modal-positif', assert: { field: 'modal_awal', gte: 0 }, message: 'x' },
        { id: 'hitung', assert: { field: 'jumlah_anggota', eq: { count: 'peserta' } }, message: 'x' },
      );
    }));
    expect(problems).toEqual([
      { pointer: '/x-rules/1/assert/field', message: 'Aturan menyebut isian "modal_awal" yang tidak ada di formulir ini.' },
      { pointer: '/x-rules/2/assert/eq/count', message: 'Aturan menghitung baris "peserta", padahal tidak ada bagian berulang bernama itu.' },
    ]);
  });

  it('refuses an unknown operator where it is written, and two operators in one condition', () => {
    const problems = problemsOf(mutate((d) => {
      d['x-rules'].push(
        { id: 'aneh', assert: { field: 'jumlah_anggota', kiraKira: 3 }, message: 'x' },
        { id: 'dua', assert: { field: 'jumlah_anggota', gte: 1, lte: 3 }, message: 'x' },
        { id: 'ejaan', assert: { field: 'jumlah_anggota', eqauls: 3 }, message: 'x' },
      );
    }));
    expect(problems).toEqual([
      { pointer: '/x-rules/1/assert/kiraKira', message: expect.stringMatching(/^Kata kunci `kiraKira` tidak dikenal di sini\. Yang boleh: `field`, `equals`/) },
      { pointer: '/x-rules/2/assert', message: expect.stringContaining('Kondisi dengan "field" harus memakai tepat satu operator dari: equals') },
      { pointer: '/x-rules/3/assert/eqauls', message: 'Kata kunci `eqauls` tidak dikenal; maksudnya `equals`?' },
    ]);
  });

  it('lists every problem at once, and loadDefinition throws them as a DefinitionError', () => {
    const broken = mutate((d) => {
      delete d.title;
      d['x-warna'] = 'merah';
      d.properties.anggota.$ref = 'defs/tidak-ada.json#/$defs/anggota';
      d.properties.identitas_kelompok = { type: 'object', title: 'A', properties: { 'Nama Kelompok': { type: 'string', title: 'Nama' } } };
    });
    const problems = problemsOf(broken);
    expect(problems).toEqual(expect.arrayContaining([
      { pointer: '/title', message: 'Kata kunci `title` wajib ada di sini.' },
      { pointer: '/x-warna', message: expect.stringMatching(/^Kata kunci `x-warna` tidak dikenal di sini\. Yang boleh: .*`x-pdf`/) },
      { pointer: '/properties/identitas_kelompok/properties/Nama Kelompok', message: '`Nama Kelompok` bukan nama yang sah: huruf kecil, angka dan garis bawah, diawali huruf.' },
      { pointer: '/properties/anggota/$ref', message: 'Rujukan "defs/tidak-ada.json#/$defs/anggota" tidak ditemukan.' },
    ]));
    expect(() => loadDefinition('k0-uppka', broken, registry)).toThrowError(DefinitionError);
    try {
      loadDefinition('k0-uppka', broken, registry);
    } catch (e) {
      expect((e as DefinitionError).problems.length).toBe(problems.length);
      expect((e as Error).message).toContain('/properties/anggota/$ref: Rujukan');
    }
  });

  it('refuses a nested object inside a section and a field without a label', () => {
    const problems = problemsOf(mutate((d) => {
      d.properties.catatan = { type: 'object', title: 'Catatan', properties: { alamat: { type: 'object', title: 'Alamat', properties: { jalan: { type: 'string', title: 'Jalan' } } }, isi: { type: 'string' } } };
    }));
    expect(problems).toEqual([
      { pointer: '/properties/catatan/properties/alamat', message: expect.stringContaining('Isian "alamat" tidak boleh bertingkat') },
      { pointer: '/properties/catatan/properties/isi/title', message: 'Isian "isi" belum punya label ("title").' },
    ]);
  });

  it('refuses a field key used in two sections', () => {
    const problems = problemsOf(mutate((d) => {
      d.properties.tambahan = { type: 'object', title: 'Tambahan', properties: { nama_kelompok: { type: 'string', title: 'Nama lain' } } };
    }));
    expect(problems).toEqual([{ pointer: '/properties/tambahan/properties/nama_kelompok', message: 'Nama isian "nama_kelompok" sudah dipakai di bagian "identitas_kelompok"; nama isian harus unik dalam satu formulir.' }]);
  });
});

describe('docs/definition-format.md', () => {
  it('its complete small example form loads and behaves as documented', async () => {
    const { validatorFor } = await import('../engine/index.js');
    const text = readFileSync(new URL('../docs/definition-format.md', import.meta.url), 'utf8');
    const block = /```json\n([\s\S]*?)\n```/.exec(text)?.[1];
    const def = JSON.parse(block!);
    const model = loadDefinition('daftar-hadir', def, registry);
    const v = validatorFor(model);
    expect(v.validate(def.examples[0])).toEqual([]);
    const bad = structuredClone(def.examples[0]);
    bad.kegiatan.tanggal = '2024-04-01';
    bad.kegiatan.jumlah_peserta = 2;
    expect(v.validate(bad).map((i) => [i.label, i.message])).toEqual([
      ['Tanggal', 'Tanggal harus di dalam bulan dan tahun yang dipilih.'],
      ['Jumlah Peserta', 'Jumlah peserta harus sama dengan banyaknya baris peserta.'],
    ]);
  });
});
