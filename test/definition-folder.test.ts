/**
 * A folder of definitions loads like the server loads it: every good definition, every bad one
 * reported with file, pointer and sentence, names across forms checked, never an exception for
 * content. `npm run check -- <folder>` prints the same list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { definitionProblems, DefinitionError, FORMS_DIR, loadForms, loadFormsChecked } from '../engine/index.js';
import { AUTHOR_MESSAGE, copyReport, groupForm, tableReport } from './definition-fixtures.js';

type Json = Record<string, any>;
const run = promisify(execFile);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, Json | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lembar-defs-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}
const fixtures = (): Record<string, Json | string> => ({ 'kelompok.json': groupForm(), 'laporan.json': tableReport(), 'laporan-kelompok.json': copyReport() });
const edit = (files: Record<string, Json | string>, name: string, change: (d: Json) => void) => {
  change(files[name] as Json);
  return files;
};
const column = (d: Json, key: string) => d.properties.baris.items.properties[key];

describe('loadFormsChecked', () => {
  it('loads a good folder with no problem', () => {
    const { forms, problems } = loadFormsChecked(folder(fixtures()));
    expect(problems).toEqual([]);
    expect([...forms.keys()]).toEqual(['kelompok', 'laporan-kelompok', 'laporan']);
  });

  it('reports bad JSON and keeps loading the rest; a form naming a refused form is refused too', () => {
    const { forms, problems } = loadFormsChecked(folder({ ...fixtures(), 'kelompok.json': '{ "title": ' }));
    expect(forms.size).toBe(0);
    expect(problems).toEqual(expect.arrayContaining([
      { file: 'kelompok.json', pointer: '', message: expect.stringMatching(/^Berkas bukan JSON yang sah/) },
      { file: 'laporan.json', pointer: '/x-rollup/rowPer', message: '"x-rollup.rowPer" merujuk formulir "kelompok" yang ditolak; perbaiki dulu masalah definisi itu.' },
      { file: 'laporan-kelompok.json', pointer: '/properties/periode/properties/kelompok_id/x-ref-form', message: expect.stringContaining('ditolak') },
    ]));
  });

  it('names forms that do not exist', () => {
    const files = edit(fixtures(), 'laporan.json', (d) => { column(d, 'nama')['x-rollup'].from = 'kelompk'; });
    const { forms, problems } = loadFormsChecked(folder(files));
    expect(problems).toEqual([{ file: 'laporan.json', pointer: '/properties/baris/items/properties/nama/x-rollup/from', message: '"x-rollup.from" merujuk formulir "kelompk" yang tidak ada.' }]);
    expect([...forms.keys()].sort()).toEqual(['kelompok', 'laporan-kelompok']);
  });

  it('a broken shared defs file refuses the forms that use it, listed with it', () => {
    const files = fixtures();
    files['defs/kode.json'] = { $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: { tahun: { type: 'integer', minimun: 2020 } } };
    edit(files, 'kelompok.json', (d) => { d.properties.identitas.properties.tahun_berdiri = { $ref: 'defs/kode.json#/$defs/tahun', title: 'Tahun Berdiri' }; });
    const { forms, problems } = loadFormsChecked(folder(files));
    expect(problems).toContainEqual({ file: 'defs/kode.json', pointer: '/$defs/tahun/minimun', message: 'Kata kunci `minimun` tidak dikenal; maksudnya `minimum`?' });
    expect(problems).toContainEqual({ file: 'kelompok.json', pointer: '/properties/identitas/properties/tahun_berdiri/$ref', message: expect.stringContaining('berkas bersama yang ditolak') });
    expect(forms.has('kelompok')).toBe(false);
  });

  it('loadForms still throws a DefinitionError listing every problem', () => {
    const dir = folder({ ...fixtures(), 'kelompok.json': '[' });
    expect(() => loadForms(dir)).toThrowError(DefinitionError);
    expect(() => loadForms(dir)).toThrowError(/laporan#\/x-rollup\/rowPer/);
  });
});

describe('report x-rollup names what exists (semantic checks)', () => {
  const cases: [string, string, (d: Json) => void, string][] = [
    ['laporan.json', 'params names a table', (d) => { d['x-rollup'].params = 'baris'; }, '/x-rollup/params'],
    ['laporan.json', 'rows names a section', (d) => { d['x-rollup'].rows = 'kop'; }, '/x-rollup/rows'],
    ['laporan.json', 'paramNames names a missing field', (d) => { d['x-rollup'].paramNames = { wilyah: 'provinsi' }; }, '/x-rollup/paramNames/wilyah'],
    ['laporan.json', 'period names a field the parameters lack', (d) => { d['x-rollup'].period.month = 'bln'; }, '/x-rollup/period/month'],
    ['laporan.json', 'filter compares with a missing parameter', (d) => { d['x-rollup'].filter.equals = { param: 'provinsi' }; }, '/x-rollup/filter/equals/param'],
    ['laporan.json', 'filter.field is not a field of rowPer', (d) => { d['x-rollup'].filter.field = 'provinsi'; }, '/x-rollup/filter/field'],
    ['laporan.json', 'orderBy names a missing field of rowPer', (d) => { d['x-rollup'].orderBy = ['nama', 'kampung']; }, '/x-rollup/orderBy/1'],
    ['laporan.json', 'target names no target file', (d) => { d['x-rollup'].target = 'pro-pn-2099'; }, '/x-rollup/target'],
    ['laporan.json', 'value names a missing field', (d) => { column(d, 'nama')['x-rollup'].value = 'nama_grup'; }, '/properties/baris/items/properties/nama/x-rollup/value'],
    ['laporan.json', 'count names a section', (d) => { column(d, 'jumlah')['x-rollup'].count = 'identitas'; }, '/properties/baris/items/properties/jumlah/x-rollup/count'],
    ['laporan.json', 'where names a missing column', (d) => { column(d, 'jumlah')['x-rollup'].where = { anyTrue: ['hadir'] }; }, '/properties/baris/items/properties/jumlah/x-rollup/where/anyTrue/0'],
    ['laporan.json', 'where compares with a missing parameter', (d) => { column(d, 'lama')['x-rollup'].where.lt = { param: 'tahun_lapor' }; }, '/properties/baris/items/properties/lama/x-rollup/where/lt/param'],
    ['laporan.json', 'x-pdf.header names a missing field', (d) => { d['x-pdf'].header = ['wilayah', 'tahn']; }, '/x-pdf/header/1'],
    ['laporan.json', 'a signature names a missing field', (d) => { d['x-pdf'].signatures[0].name = 'kepala'; }, '/x-pdf/signatures/0/name'],
    ['laporan.json', 'a signature placeholder names a missing field', (d) => { d['x-pdf'].signatures[0].title = 'Kepala {dinas}'; }, '/x-pdf/signatures/0/title'],
    ['laporan.json', 'x-unique names a missing field', (d) => { d['x-unique'] = ['wilayah', 'periode']; }, '/x-unique/1'],
    ['kelompok.json', 'x-title-field names a table column', (d) => { d['x-title-field'] = 'nama_anggota'; }, '/x-title-field'],
    ['kelompok.json', 'x-title-field names a number', (d) => { d['x-title-field'] = 'tahun_berdiri'; }, '/x-title-field'],
    ['kelompok.json', 'x-rollup on a form', (d) => { d['x-rollup'] = { scope: 'group', params: 'identitas', copy: [{ section: 'identitas', from: 'kelompok', path: 'identitas' }] }; }, '/x-rollup'],
    ['laporan-kelompok.json', 'copy.section names a missing part', (d) => { d['x-rollup'].copy[0].section = 'identitas_kelompok'; }, '/x-rollup/copy/0/section'],
    ['laporan-kelompok.json', 'copy.path names a missing part of the source', (d) => { d['x-rollup'].copy[0].path = 'identitas_kelompok'; }, '/x-rollup/copy/0/path'],
    ['laporan-kelompok.json', 'copy puts a table into a section', (d) => { d['x-rollup'].copy[0].path = 'anggota'; }, '/x-rollup/copy/0/section'],
    ['laporan-kelompok.json', 'the parameters do not name the copied form', (d) => { delete d.properties.periode.properties.kelompok_id['x-ref-form']; }, '/x-rollup/copy/0/from'],
  ];
  for (const [file, name, change, pointer] of cases) {
    it(name, () => {
      const { forms, problems } = loadFormsChecked(folder(edit(fixtures(), file, change)));
      expect(problems.filter((p) => p.file === file).map((p) => p.pointer)).toEqual([pointer]);
      for (const p of problems) expect(p.message).toMatch(AUTHOR_MESSAGE);
      expect(forms.has(file.replace('.json', ''))).toBe(false);
    });
  }
});

describe('the repository forms', () => {
  it('load through loadFormsChecked with no problem', () => {
    const { forms, problems } = loadFormsChecked(FORMS_DIR);
    expect(problems).toEqual([]);
    expect(forms.size).toBeGreaterThanOrEqual(4);
  });

  it('keep additionalProperties where declared: closing changes none of them', () => {
    for (const file of ['k0-uppka', 'r1-uppka', 'laporan-provinsi', 'laporan-kabupaten']) {
      const raw = JSON.parse(readFileSync(join(FORMS_DIR, `${file}.json`), 'utf8'));
      expect(definitionProblems(file, raw, new Map()).problems.every((p) => p.pointer.endsWith('/$ref'))).toBe(true);
    }
  });
});

describe('npm run check -- <folder>', () => {
  const check = async (dir: string) => {
    try {
      const { stdout } = await run('npx', ['tsx', 'scripts/check.ts', dir], { cwd: join(FORMS_DIR, '..') });
      return { code: 0, stdout };
    } catch (e) {
      const err = e as { code: number; stdout: string };
      return { code: err.code, stdout: err.stdout };
    }
  };

  it('prints every problem as file, pointer, message and exits 1; 0 with a summary when all is well', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lembar-forms-'));
    dirs.push(dir);
    cpSync(FORMS_DIR, dir, { recursive: true });
    const good = await check(dir);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^Semua definisi di .* baik: \d+ formulir dan laporan dimuat tanpa masalah, 1 rencana target\.\n$/);

    const provinsi = JSON.parse(readFileSync(join(dir, 'laporan-provinsi.json'), 'utf8'));
    provinsi['x-pdf'].totls = true;
    writeFileSync(join(dir, 'laporan-provinsi.json'), JSON.stringify(provinsi));
    writeFileSync(join(dir, 'r1-uppka.json'), '{ bukan json');
    // A target file is checked as the target pages read it.
    const targets = JSON.parse(readFileSync(join(dir, 'targets', 'pro-pn-2023.json'), 'utf8'));
    targets.values['33'] = -5;
    writeFileSync(join(dir, 'targets', 'pro-pn-2023.json'), JSON.stringify(targets));
    const bad = await check(dir);
    expect(bad.code).toBe(1);
    const lines = bad.stdout.split('\n');
    expect(lines).toContain('laporan-provinsi.json  /x-pdf/totls  Kata kunci `totls` tidak dikenal; maksudnya `totals`?');
    expect(lines.some((l) => l.startsWith('r1-uppka.json  /  Berkas bukan JSON yang sah'))).toBe(true);
    expect(lines.some((l) => l.startsWith('targets/pro-pn-2023.json  /values/33  '))).toBe(true);
    expect(bad.stdout).toMatch(/\d+ masalah di \d+ berkas; \d+ definisi dapat dimuat\./);
  }, 60_000);
});
