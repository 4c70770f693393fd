/** `npm run regions -- import <file.csv>`: a full region list, checked row by row, loaded in one transaction or not at all. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { regionChildren } from '../engine/index.js';
import { tempStore } from './support/temp-store.js';

let ctx: Awaited<ReturnType<typeof tempStore>>;
beforeEach(async () => { ctx = await tempStore(); });
afterEach(async () => ctx.cleanup());

function run(csv: string) {
  const file = join(ctx.dir, 'wilayah.csv');
  writeFileSync(file, csv);
  return spawnSync('npx', ['tsx', 'scripts/regions.ts', 'import', file], { env: { ...process.env, DATABASE_URL: ctx.file }, encoding: 'utf8' });
}

describe('importing a region list', () => {
  it('loads districts, sub-districts and villages under existing and new parents', async () => {
    const res = run('kode,nama,tingkat,induk\n93.01,Kabupaten Merauke,kabupaten_kota,93\n93.01.01,Merauke,kecamatan,93.01\n93.01.01.1001,Kelapa Lima,desa_kelurahan,93.01.01\n');
    expect(res.stdout).toContain('3 wilayah dimuat.');
    expect(res.status).toBe(0);
    expect((await regionChildren(ctx.store, '93')).map((r) => r.nama)).toEqual(['Kabupaten Merauke']);
    expect((await regionChildren(ctx.store, '93.01.01')).map((r) => r.kode)).toEqual(['93.01.01.1001']);
  });

  it('names every bad row and loads nothing', async () => {
    const res = run([
      'kode,nama,tingkat,induk',
      '93.02,Kabupaten Boven Digoel,kabupaten_kota,93',
      '93.02.01,Jair,kecamatan,99.01',
      '94.01.01,Salah Induk,kecamatan,93.02',
      '93.02.02,,kecamatan,93.02',
      '93.03,Kabupaten Mappi,kota_besar,93',
      '',
    ].join('\n'));
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('baris 3: Induk "99.01" dari 93.02.01 tidak ada di daftar maupun di data wilayah.');
    expect(res.stderr).toContain('baris 4: Kode 94.01.01 tidak berada di bawah kode induknya 93.02.');
    expect(res.stderr).toContain('baris 5: Nama wilayah 93.02.02 kosong.');
    expect(res.stderr).toContain('baris 6: Tingkat "kota_besar" tidak dikenal');
    expect(res.stderr).toContain('tidak ada yang dimuat');
    expect(await regionChildren(ctx.store, '93')).toEqual([]);
  });
});
