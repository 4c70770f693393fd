/**
 * Drill-down on the province report (issue 17): every counted number on the page links to the
 * rows behind it — members for a count, groups for a group count, registers for a "Ya" — and the
 * linked rows add up to the number, for each cell and each total; a row's group links to its card.
 * Real server, data made by construction, the viewer's region respected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadForms, saveSubmission } from '../engine/index.js';
import { bigK0, uuid } from './support/submissions.js';
import { startServer } from './support/server.js';

const forms = loadForms();
const linked = (id: string) => forms.get(id);

describe('province report drill-down', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  const a = uuid();
  const b = uuid();
  const q = 'provinsi=33&tahun=2026&bulan=9';

  beforeAll(async () => {
    srv = await startServer({ demo: false });
    const card = (n: number, name: string, formed: number) => {
      const d = bigK0(n, name);
      d.kartu = { tahun: 2026 };
      d.identitas_kelompok.tahun_terbentuk = formed;
      return d;
    };
    await saveSubmission(srv.store, forms.get('k0-uppka')!, { id: a, data: card(9, 'UPPKA Rinci Satu', 2019) });
    await saveSubmission(srv.store, forms.get('k0-uppka')!, { id: b, data: card(5, 'UPPKA Rinci Dua', 2026) });
    const yogya = card(4, 'UPPKA Rinci Yogya', 2020);
    Object.assign(yogya.identitas_kelompok, { provinsi: '34', kabupaten_kota: '34.71', kecamatan: '34.71.01', desa_kelurahan: '34.71.01.1001', nama_kampung_kb: 'Kampung KB Gedongkiwo' });
    await saveSubmission(srv.store, forms.get('k0-uppka')!, { id: uuid(), data: yogya });
    await saveSubmission(srv.store, forms.get('r1-uppka')!, {
      id: uuid(), linked,
      data: {
        identitas: { kelompok_id: a, bulan: 9, tahun: 2026, jumlah_anggota: 9 },
        pertemuan: [{ tanggal: '2026-09-05', materi: 'Pembukuan', jumlah_hadir: 4 }],
        kegiatan_pro_pn: { sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: true, monitoring_evaluasi: false },
        usaha: { modal: 0, omzet: 0 },
      },
    });
  });
  afterAll(async () => srv.close());

  it('links every counted number to exactly as many rows as it says', async () => {
    const page = await (await srv.fetchAs('provinsi', `/reports/laporan-provinsi?${q}`)).text();
    const links = [...page.matchAll(/<a href="(\/reports\/laporan-provinsi\/rincian\?[^"]+)">([^<]+)<\/a>/g)]
      .map((m) => ({ href: m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='), shown: m[2]! }));
    // 9 + 5 members across many count columns, two Ya flags, one old group, and their totals.
    expect(links.length).toBeGreaterThan(30);
    let members = 0;
    for (const { href, shown } of links) {
      const expected = shown === 'Ya' ? 1 : Number(shown.replace(/\./g, ''));
      const drilled = await (await srv.fetchAs('provinsi', href)).text();
      expect(drilled, href).toContain(`<strong>${expected}</strong> baris dihitung`);
      const rows = [...drilled.matchAll(/<td><a href="\/submissions\/([0-9a-f-]{36})">/g)].map((m) => m[1]);
      expect(rows, href).toHaveLength(expected);
      if (href.endsWith('kolom=jumlah_keluarga')) members = rows.length;
    }
    expect(members).toBe(14);
    // The registers' flags lead to the register; the old-group count to the card of the group formed before 2026.
    const flag = await (await srv.fetchAs('provinsi', `/reports/laporan-provinsi/rincian?${q}&kolom=kegiatan_sosialisasi`)).text();
    expect(flag).toContain('R/1/UPPKA/20');
    const old = await (await srv.fetchAs('provinsi', `/reports/laporan-provinsi/rincian?${q}&kolom=jumlah_uppka_lama`)).text();
    expect(old).toContain(`<a href="/submissions/${a}">`);
    expect(old).not.toContain(`<a href="/submissions/${b}">`);
    // A member row names the member, and the group's name on the report opens its card.
    const lestari = await (await srv.fetchAs('provinsi', `/reports/laporan-provinsi/rincian?${q}&kolom=jumlah_akseptor_lestari&id=${a}`)).text();
    expect(lestari).toContain('no. 1: Anggota 1');
    expect(page).toContain(`<a href="/submissions/${a}">UPPKA Rinci Satu</a>`);
  });

  it('keeps drill-down within the viewer\'s region and to drillable columns', async () => {
    expect((await srv.fetchAs('provinsi', `/reports/laporan-provinsi/rincian?provinsi=34&tahun=2026&bulan=9&kolom=jumlah_keluarga`)).status).toBe(404);
    expect((await srv.fetchAs('kader', `/reports/laporan-provinsi/rincian?${q}&kolom=jumlah_keluarga`)).status).toBe(403);
    expect((await srv.fetchAs('provinsi', `/reports/laporan-provinsi/rincian?${q}&kolom=pagu`)).status).toBe(404);
    expect((await srv.fetchAs('pusat', `/reports/laporan-provinsi/rincian?${q}&kolom=jumlah_keluarga`)).status).toBe(200);
  });

  it('sums every province one level up for the national page, each number leading to its rows', async () => {
    const national = await (await srv.fetchAs('pusat', '/reports/laporan-provinsi/nasional?tahun=2026&bulan=9')).text();
    expect(national).toContain('Ringkasan nasional');
    const row = (name: string) => national.slice(national.indexOf(`>${name}</a></th>`), national.indexOf('</tr>', national.indexOf(`>${name}</a></th>`)));
    // (15) members: 9 + 5 in Jawa Tengah, 4 in DI Yogyakarta; 18 in all.
    const cells = (html: string) => [...html.matchAll(/<td>(?:<a href="[^"]+">)?([^<]*)/g)].map((m) => m[1]);
    const header = [...national.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map((m) => m[1]!);
    const at = header.findIndex((h) => h.startsWith('(15) ')) - 1;
    expect(at).toBeGreaterThan(0);
    expect(cells(row('Jawa Tengah'))[at]).toBe('14');
    expect(cells(row('DI Yogyakarta'))[at]).toBe('4');
    const foot = national.slice(national.indexOf('<tfoot>'));
    expect(cells(foot)[at]).toBe('18');
    const link = row('DI Yogyakarta').match(/href="(\/reports\/laporan-provinsi\/rincian\?[^"]*kolom&#x3D;jumlah_keluarga)"/)?.[1]?.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(link).toBeDefined();
    expect(await (await srv.fetchAs('pusat', link!)).text()).toContain('<strong>4</strong> baris dihitung');
    // A province sees only its own row.
    const own = await (await srv.fetchAs('provinsi', '/reports/laporan-provinsi/nasional?tahun=2026&bulan=9')).text();
    expect(own).toContain('>Jawa Tengah</a>');
    expect(own).not.toContain('DI Yogyakarta');
  });
});
