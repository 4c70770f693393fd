/**
 * The province report's activity columns (11)–(13), rolled up from the groups' R/1, against the
 * district report's section C items they declare (`x-rollup.agreesWith`): on a real SQLite file,
 * the built report lists each group and column where both have a value and they differ, and the
 * PDF notes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, loadForms } from '../engine/index.js';
import { saveSubmission } from '../engine/storage/index.js';
import { renderPdf } from '../generators/pdf/pdfmake.js';
import { reportDocument } from '../generators/pdf/report-document.js';
import { bigK0, uuid } from './support/submissions.js';
import { pdfText } from './support/pdf-text.js';
import { tempStore } from './support/temp-store.js';

const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const r1 = forms.get('r1-uppka')!;
const district = forms.get('laporan-kabupaten')!;
const province = forms.get('laporan-provinsi')!;
const period = { tahun: 2023, bulan: 3 };

let ctx: Awaited<ReturnType<typeof tempStore>>;
const ids = { differs: uuid(), agrees: uuid(), noRegister: uuid(), noDistrict: uuid() };

function register(group: string, kegiatan: Record<string, boolean>) {
  const data = structuredClone((r1.schema.examples as Record<string, any>[])[0]!);
  data.identitas = { ...data.identitas, kelompok_id: group, ...period };
  for (const m of data.pertemuan ?? []) m.tanggal = `2023-03-${m.tanggal.slice(8)}`;
  data.kegiatan_pro_pn = kegiatan;
  return data;
}

const sectionC = (c: Record<string, boolean>) => ({ materi_media_kie: true, fasilitasi_pek: false, ...c });

async function districtReport(group: string, c: Record<string, boolean>) {
  const built = await buildReport({ store: ctx.store, forms }, district, { kelompok_id: group, ...period });
  await saveSubmission(ctx.store, district, { id: uuid(), data: { ...built.data, jenis_kegiatan: sectionC(c), kegiatan_lainnya: {} } });
}

beforeAll(async () => {
  ctx = await tempStore();
  for (const [name, id] of Object.entries(ids)) await saveSubmission(ctx.store, k0, { id, data: bigK0(4, `UPPKA ${name}`) });
  const yes = { sosialisasi_kebijakan: true, orientasi_pek: true, pengembangan_model: false, monitoring_evaluasi: true };
  for (const id of [ids.differs, ids.agrees, ids.noDistrict]) {
    const saved = await saveSubmission(ctx.store, r1, { id: uuid(), data: register(id, yes) });
    expect(saved.status).toBe('created');
  }
  // differs: the district says Tidak for orientation (12) and Ya for development (13).
  await districtReport(ids.differs, { sosialisasi_kie_pek: true, orientasi_pek: false, pengembangan_pek_stunting: true });
  await districtReport(ids.agrees, { sosialisasi_kie_pek: true, orientasi_pek: true, pengembangan_pek_stunting: false });
  // No R/1 for the month: blank (belum lapor) is never compared with the district's Ya.
  await districtReport(ids.noRegister, { sosialisasi_kie_pek: true, orientasi_pek: true, pengembangan_pek_stunting: true });
});
afterAll(async () => ctx.cleanup());

describe('cross-check of the province report against the district reports', () => {
  it('lists each group and column where the R/1 and section C disagree, and nothing where either is missing', async () => {
    const built = await buildReport({ store: ctx.store, forms }, province, { provinsi: '33', ...period });
    expect(built.table!.rows).toHaveLength(4);
    const list = built.disagreements!;
    expect(list.map((d) => [d.rowLabel, d.column, d.value, d.otherField, d.otherValue])).toEqual([
      ['UPPKA differs', '(12) Orientasi pemberdayaan ekonomi keluarga (Ya/Tidak)', true, 'Orientasi Pemberdayaan Ekonomi Keluarga Akseptor', false],
      ['UPPKA differs', '(13) Pengembangan Model Kemitraan, Permodalan, Pemasaran/Pilot Project PEK Peduli Stunting (Ya/Tidak)', false, 'Pengembangan PEK melalui strategi jenis usaha dalam rangka mendukung pencegahan stunting', true],
    ]);
    expect(list.every((d) => d.row === ids.differs && d.sourceCode === r1.code && d.otherCode === district.code && d.assumed)).toBe(true);
  });

  it('compares only the same month: another month of the district report does not count', async () => {
    const built = await buildReport({ store: ctx.store, forms }, province, { provinsi: '33', tahun: 2023, bulan: 4 });
    expect(built.disagreements).toEqual([]);
  });

  it('notes the disagreements in the PDF', async () => {
    const built = await buildReport({ store: ctx.store, forms }, province, { provinsi: '33', ...period });
    const text = pdfText(await renderPdf(reportDocument(built))).replace(/\s+/g, ' ');
    expect(text).toContain('Catatan: 2 isian tidak sama dengan laporan pembanding');
    expect(text).toContain('UPPKA differs — (12) Orientasi pemberdayaan ekonomi keluarga (Ya/Tidak): Ya (R/1/UPPKA/20); LAPORAN KABUPATEN/KOTA, Orientasi Pemberdayaan Ekonomi Keluarga Akseptor: Tidak');
  });
});
