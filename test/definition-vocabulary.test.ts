/**
 * The definition vocabulary is closed and exact: a misspelt keyword anywhere is refused where it is
 * written, with the nearest allowed name; what would crash ajv or the resolver becomes a problem;
 * keywords beside a `$ref` only ever tighten the target.
 */
import { describe, expect, it } from 'vitest';
import { compileProblems, definitionProblems, loadDefinition, validatorFor, type DefinitionProblem } from '../engine/index.js';
import { editDistance, nearestName } from '../engine/author-messages.js';
import { X_KEYWORDS } from '../engine/ajv.js';
import { AUTHOR_MESSAGE, copyReport, smallForm, tableReport } from './definition-fixtures.js';

type Json = Record<string, any>;
const registry = new Map<string, Json>();
const problemsOf = (def: unknown, id = 'uji'): DefinitionProblem[] => definitionProblems(id, def, registry).problems;
const change = (make: () => Json, edit: (d: Json) => void): Json => {
  const d = make();
  edit(d);
  return d;
};
/** Exactly one problem, at `pointer`, in author-facing Indonesian; returns its message. */
function single(problems: DefinitionProblem[], pointer: string): string {
  expect(problems.map((p) => p.pointer)).toEqual([pointer]);
  expect(problems[0]!.message).toMatch(AUTHOR_MESSAGE);
  return problems[0]!.message;
}
const kegiatan = (d: Json) => d.properties.kegiatan.properties;
const column = (d: Json, key: string) => d.properties.baris.items.properties[key];

describe('the fixtures', () => {
  it('load with no problem', () => {
    for (const make of [smallForm, tableReport, copyReport]) expect(problemsOf(make())).toEqual([]);
  });
});

describe('typos in x- keywords are refused where they are written', () => {
  it('x-pdf: totls', () => {
    const message = single(problemsOf(change(tableReport, (d) => { d['x-pdf'].totls = true; })), '/x-pdf/totls');
    expect(message).toBe('Kata kunci `totls` tidak dikenal; maksudnya `totals`?');
  });

  it('x-rollup: perod', () => {
    const message = single(problemsOf(change(tableReport, (d) => { d['x-rollup'].perod = d['x-rollup'].period; delete d['x-rollup'].period; })), '/x-rollup/perod');
    expect(message).toBe('Kata kunci `perod` tidak dikenal; maksudnya `period`?');
  });

  it('column x-rollup: cuont (and no echo about "exactly one")', () => {
    const problems = problemsOf(change(tableReport, (d) => { column(d, 'jumlah')['x-rollup'] = { from: 'kelompok', cuont: 'anggota' }; }));
    const message = single(problems, '/properties/baris/items/properties/jumlah/x-rollup/cuont');
    expect(message).toBe('Kata kunci `cuont` tidak dikenal; maksudnya `count`?');
  });

  it('column x-rollup needs exactly one of value, count, countGroup, flag', () => {
    for (const decl of [{ from: 'kelompok' }, { from: 'kelompok', value: 'nama', count: 'anggota' }]) {
      const message = single(problemsOf(change(tableReport, (d) => { column(d, 'nama')['x-rollup'] = decl; })), '/properties/baris/items/properties/nama/x-rollup');
      expect(message).toContain('tepat satu dari "value", "count", "countGroup" atau "flag"');
    }
  });

  it('x-rollup scope: provnce, with the allowed values', () => {
    const message = single(problemsOf(change(tableReport, (d) => { d['x-rollup'].scope = 'provnce'; })), '/x-rollup/scope');
    expect(message).toBe('Nilai `provnce` tidak dikenal; maksudnya `province`? Pilihan: `province`, `group`.');
  });

  it('x-rollup by scope: a table report needs params, rows and rowPer; a group report refuses rows', () => {
    expect(single(problemsOf(change(tableReport, (d) => { delete d['x-rollup'].params; })), '/x-rollup/params')).toBe('Kata kunci `params` wajib ada di sini.');
    expect(single(problemsOf(change(copyReport, (d) => { d['x-rollup'].rows = 'baris'; })), '/x-rollup/rows')).toMatch(/^Kata kunci `rows` tidak dikenal/);
  });

  it('x-pdf by place: emptyRows on a table, page/repeat on a field', () => {
    expect(single(problemsOf(change(smallForm, (d) => { d.properties.peserta['x-pdf'] = { emptyRow: 5 }; })), '/properties/peserta/x-pdf/emptyRow'))
      .toBe('Kata kunci `emptyRow` tidak dikenal; maksudnya `emptyRows`?');
    expect(single(problemsOf(change(tableReport, (d) => { column(d, 'nama')['x-pdf'] = { emptyRows: 3 }; })), '/properties/baris/items/properties/nama/x-pdf/emptyRows'))
      .toMatch(/^Kata kunci `emptyRows` tidak dikenal/);
    expect(single(problemsOf(change(tableReport, (d) => { column(d, 'nama')['x-pdf'] = { page: 0 }; })), '/properties/baris/items/properties/nama/x-pdf/page'))
      .toBe('Tidak boleh kurang dari 1.');
  });

  it('conditions are closed too: an operand typo and a misspelt operator', () => {
    expect(single(problemsOf(change(tableReport, (d) => { column(d, 'lama')['x-rollup'].where = { field: 'tahun_berdiri', lt: { parm: 'tahun' } }; })), '/properties/baris/items/properties/lama/x-rollup/where/lt/parm'))
      .toBe('Kata kunci `parm` tidak dikenal; maksudnya `param`?');
    expect(single(problemsOf(change(smallForm, (d) => { kegiatan(d).jumlah['x-show-when'] = { field: 'hadir', equal: true }; })), '/properties/kegiatan/properties/jumlah/x-show-when/equal'))
      .toBe('Kata kunci `equal` tidak dikenal; maksudnya `equals`?');
  });

  it('x-unique items must be field keys', () => {
    expect(single(problemsOf(change(tableReport, (d) => { d['x-unique'] = ['Wilayah']; })), '/x-unique/0')).toMatch(/bukan nama isian yang sah/);
  });

  it('x-title-field is known to ajv and the meta-schema', () => {
    expect(X_KEYWORDS).toContain('x-title-field');
    expect(single(problemsOf(change(smallForm, (d) => { d['x-title-feild'] = 'nama'; })), '/x-title-feild')).toBe('Kata kunci `x-title-feild` tidak dikenal; maksudnya `x-title-field`?');
  });
});

describe('standard keywords are a closed set too', () => {
  it('minimun', () => {
    expect(single(problemsOf(change(smallForm, (d) => { kegiatan(d).jumlah.minimun = 1; })), '/properties/kegiatan/properties/jumlah/minimun'))
      .toBe('Kata kunci `minimun` tidak dikenal; maksudnya `minimum`?');
  });

  it('additionalProperties: true on a section', () => {
    expect(single(problemsOf(change(smallForm, (d) => { d.properties.catatan.additionalProperties = true; })), '/properties/catatan/additionalProperties'))
      .toContain('"additionalProperties": false');
  });

  it('patternProperties, unevaluatedProperties and propertyNames on a section', () => {
    for (const k of ['patternProperties', 'unevaluatedProperties', 'propertyNames']) {
      const message = single(problemsOf(change(smallForm, (d) => { d.properties.catatan[k] = k === 'patternProperties' ? { '^x_': { type: 'string' } } : false; })), `/properties/catatan/${k}`);
      expect(message).toContain('tidak didukung');
    }
  });

  it('properties inside allOf (keys accepted there would be dropped by storage)', () => {
    const message = single(problemsOf(change(smallForm, (d) => { d.properties.catatan.allOf = [{ properties: { lain: { type: 'string' } } }]; })), '/properties/catatan/allOf/0/properties');
    expect(message).toContain('tidak boleh di dalam allOf');
  });

  it('constraint-only allOf, anyOf, not, if/then/else, multipleOf, exclusive bounds are accepted and enforced', () => {
    const def = change(smallForm, (d) => {
      Object.assign(kegiatan(d).jumlah, { multipleOf: 5, allOf: [{ exclusiveMaximum: 90 }], not: { const: 50 }, if: { minimum: 60 }, then: { multipleOf: 10 }, $comment: 'uji', default: 0, examples: [5] });
    });
    const v = validatorFor(loadDefinition('uji', def, registry));
    const at = (jumlah: number) => v.validate({ kegiatan: { nama: 'A', jumlah } }).length;
    expect([at(45), at(70)]).toEqual([0, 0]);
    expect([at(47), at(95), at(50), at(65)].every((n) => n > 0)).toBe(true);
  });

  it('"if" without "then" or "else"', () => {
    const message = single(problemsOf(change(smallForm, (d) => { kegiatan(d).jumlah.if = { minimum: 10 }; })), '/properties/kegiatan/properties/jumlah');
    expect(message).toContain('"if" harus disertai "then" atau "else"');
  });

  it('an invalid regex inside allOf', () => {
    expect(single(problemsOf(change(smallForm, (d) => { kegiatan(d).nama.allOf = [{ pattern: '([a-z]' }]; })), '/properties/kegiatan/properties/nama/allOf/0/pattern'))
      .toBe('Pola (regex) `([a-z]` tidak sah.');
  });

  it('an unknown format inside not', () => {
    expect(single(problemsOf(change(smallForm, (d) => { kegiatan(d).nama.not = { format: 'datum' }; })), '/properties/kegiatan/properties/nama/not/format'))
      .toBe('Nilai `datum` tidak dikenal; maksudnya `date`? Pilihan: `date`, `uuid`, `email`.');
  });
});

describe('references that would crash the resolver are problems', () => {
  it('"http://"', () => {
    expect(single(problemsOf(change(smallForm, (d) => { kegiatan(d).persen.$ref = 'http://'; })), '/properties/kegiatan/properties/persen/$ref')).toContain('Rujukan "http://" tidak sah');
  });

  it('another host', () => {
    expect(single(problemsOf(change(smallForm, (d) => { kegiatan(d).persen.$ref = 'https://example.org/skema.json'; })), '/properties/kegiatan/properties/persen/$ref')).toContain('di luar folder forms/');
  });

  it('"#/$defs/persen%25" (decoded once: "persen%", which is not there)', () => {
    expect(single(problemsOf(change(smallForm, (d) => { kegiatan(d).persen.$ref = '#/$defs/persen%25'; })), '/properties/kegiatan/properties/persen/$ref'))
      .toBe('Rujukan "#/$defs/persen%25" tidak ditemukan.');
  });

  it('broken percent-encoding', () => {
    expect(single(problemsOf(change(smallForm, (d) => { kegiatan(d).persen.$ref = '#/$defs/persen%E0%A4%A'; })), '/properties/kegiatan/properties/persen/$ref')).toContain('kode persen');
  });

  it('an anchor instead of a pointer', () => {
    expect(single(problemsOf(change(smallForm, (d) => { kegiatan(d).persen.$ref = '#persen'; })), '/properties/kegiatan/properties/persen/$ref')).toContain('#/$defs/nama');
  });
});

describe('$ref follows 2020-12: keywords beside it add constraints', () => {
  const field = (def: Json) => loadDefinition('uji', def, registry).parts[0]!;
  const persen = (extra: Json) => {
    const model = loadDefinition('uji', change(smallForm, (d) => { Object.assign(kegiatan(d).persen, extra); }), registry);
    const f = model.parts[0]!.kind === 'section' ? model.parts[0]!.fields.find((x) => x.key === 'persen')! : undefined;
    return { model, f: f!, ok: (n: number) => validatorFor(model).validate({ kegiatan: { nama: 'A', persen: n } }).length === 0 };
  };

  it('a local maximum above the target does not widen it; below, it tightens in place', () => {
    const wide = persen({ maximum: 500 });
    expect(wide.f.maximum).toBe(100);
    expect([wide.ok(100), wide.ok(150)]).toEqual([true, false]);
    const narrow = persen({ maximum: 50, minimum: -5 });
    expect([narrow.f.minimum, narrow.f.maximum]).toEqual([0, 50]);
    expect([narrow.ok(50), narrow.ok(60), narrow.ok(-1)]).toEqual([true, false, false]);
  });

  it('labels and hints beside it still override', () => {
    const { f } = persen({ title: 'Persen Hadir', description: 'bantuan', 'x-widget': 'number' });
    expect([f.label, f.help, f.widget]).toEqual(['Persen Hadir', 'bantuan', 'number']);
  });

  it('a second pattern keeps both (the local one in allOf); a narrower enum is the common codes', () => {
    const def = change(smallForm, (d) => {
      d.$defs.kode = { type: 'string', pattern: '^[a-z]+$', enum: ['aa', 'bb', 'cc'] };
      kegiatan(d).kode = { $ref: '#/$defs/kode', title: 'Kode', pattern: '^a', enum: ['aa', 'bb', 'zz'] };
    });
    const model = loadDefinition('uji', def, registry);
    const node = (model.schema as Json).properties.kegiatan.properties.kode;
    expect(node.enum).toEqual(['aa', 'bb']);
    expect(node.pattern).toBe('^[a-z]+$');
    expect(node.allOf).toEqual([{ pattern: '^a' }]);
    const ok = (kode: string) => validatorFor(model).validate({ kegiatan: { nama: 'A', kode } }).length === 0;
    expect([ok('aa'), ok('bb'), ok('cc'), ok('zz')]).toEqual([true, false, false, false]);
    void field;
  });

  it('a conflicting type is refused; structure beside a $ref that has its own is refused', () => {
    expect(single(problemsOf(change(smallForm, (d) => { kegiatan(d).persen.type = 'string'; })), '/properties/kegiatan/properties/persen/type')).toContain('tidak cocok');
    const def = change(smallForm, (d) => {
      d.$defs.baris = d.properties.peserta;
      d.properties.peserta = { $ref: '#/$defs/baris', items: { type: 'object', properties: { lain: { type: 'string', title: 'Lain' } } } };
    });
    expect(single(problemsOf(def), '/properties/peserta/items')).toContain('tidak boleh ditulis di samping "$ref"');
  });

  it('"$ref" inside enum, const, default and examples is data, and a field named "examples" is still a schema', () => {
    const data = { $ref: '#/$defs/persen' };
    const def = change(smallForm, (d) => {
      kegiatan(d).pilihan = { type: 'string', title: 'Pilihan', enum: ['a', data], default: data, examples: [data] };
      kegiatan(d).tetap = { type: 'string', title: 'Tetap', const: 'a', examples: [{ $ref: 'tidak-ada.json' }] };
      kegiatan(d).examples = { $ref: '#/$defs/persen', title: 'Contoh' };
    });
    const model = loadDefinition('uji', def, registry);
    const props = (model.schema as Json).properties.kegiatan.properties;
    expect(props.pilihan.enum).toEqual(['a', data]);
    expect(props.pilihan.default).toEqual(data);
    expect(props.pilihan.examples).toEqual([data]);
    expect(props.examples).toMatchObject({ type: 'integer', maximum: 100, title: 'Contoh' });
  });
});

describe('the loader compiles the validator', () => {
  it('finds the node ajv refuses, with a pointer and an Indonesian sentence', () => {
    const cases: [Json, string, RegExp][] = [
      [{ type: 'object', properties: { a: { type: 'integer', if: { minimum: 1 } } } }, '/properties/a/if', /"if" harus disertai/],
      [{ type: 'object', properties: { a: { type: 'string', allOf: [{ format: 'datum' }] } } }, '/properties/a/allOf/0/format', /Format `datum` tidak dikenal/],
      [{ type: 'object', properties: { a: { type: 'string', not: { pattern: '\\p{Foo}' } } } }, '/properties/a/not/pattern', /Pola \(regex\)/],
      [{ type: 'object', properties: { a: { type: 'string', minimun: 1 } } }, '/properties/a/minimun', /Kata kunci `minimun` tidak dikenal/],
    ];
    for (const [schema, pointer, message] of cases) {
      const problems = compileProblems(schema);
      expect(problems).toEqual([{ pointer, message: expect.stringMatching(message) }]);
      expect(problems[0]!.message).toMatch(AUTHOR_MESSAGE);
    }
    expect(compileProblems(smallForm())).toEqual([]);
  });

  it('never throws out of definitionProblems, whatever the content', () => {
    const weird: unknown[] = [null, 3, [], 'x', { properties: 5 }, { ...smallForm(), properties: { a: { $ref: 7 } } }, { ...smallForm(), $defs: { a: { $ref: '#/$defs/a' } }, properties: { a: { $ref: '#/$defs/a' } } }];
    for (const def of weird) expect(() => problemsOf(def)).not.toThrow();
    for (const def of weird) expect(problemsOf(def).length).toBeGreaterThan(0);
  });
});

describe('nearest names', () => {
  it('by edit distance with adjacent swaps, only when close', () => {
    expect(editDistance('cuont', 'count')).toBe(1);
    expect(nearestName('totls', ['orientation', 'header', 'totals', 'signatures'])).toBe('totals');
    expect(nearestName('warna', ['orientation', 'header', 'totals'])).toBeUndefined();
  });
});
