/** Generated entry pages: deterministic, escaped, accessible, one control per field type. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadDefinition, loadForms, loadSharedDefs, FORMS_DIR } from '../engine/index.js';
import { formView } from '../generators/html/view-model.js';
import { page, render } from '../generators/html/render.js';
import { widgetFor } from '../generators/html/widgets.js';

const forms = loadForms();
const html = (id: string, input: Parameters<typeof formView>[1] = { submissionId: '00000000-0000-4000-8000-000000000000' }) =>
  page(forms.get(id)?.title ?? id, render('form', { form: formView(forms.get(id)!, input) }), { script: true });

describe('entry page rendering', () => {
  it('renders the same form twice to identical HTML', () => {
    for (const id of forms.keys()) expect(html(id)).toBe(html(id));
  });

  it('escapes a definition title and labels that contain markup: the text shows, inert', () => {
    const raw = JSON.parse(readFileSync(`${FORMS_DIR}/k0-uppka.json`, 'utf8'));
    raw.title = '<script>alert(1)</script>';
    raw.properties.catatan = { type: 'object', title: 'Catatan "x" <img src=x onerror=alert(2)>', properties: { isi: { type: 'string', title: '<b>Isi</b>', description: "a'b&c" } } };
    const model = loadDefinition('k0-uppka', raw, loadSharedDefs());
    const out = page(model.title, render('form', { form: formView(model, { submissionId: 'x', values: { catatan: { isi: '"><script>alert(3)</script>' } } }) }));
    expect(out).not.toMatch(/<script>alert/);
    expect(out).not.toContain('<img src=x');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;b&gt;Isi&lt;/b&gt;');
    expect(out).toContain('value="&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"');
    expect(out).toContain('a&#x27;b&amp;c');
  });

  it('gives every input a label, groups choices in fieldsets, and links errors with aria', () => {
    const out = html('k0-uppka', {
      submissionId: 'x',
      issues: [{ path: '/identitas_kelompok/nama_kelompok', label: 'Nama Kelompok', message: 'Wajib diisi.', keyword: 'required' }],
    });
    const ids = [...out.matchAll(/<(?:input|select|textarea)[^>]* id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(out, id).toContain(`for="${id}"`);
    const radios = [...out.matchAll(/<fieldset class="pilihan[^"]*" id="([^"]+)"/g)];
    expect(radios.length).toBeGreaterThan(5);
    expect(out).toMatch(/id="f-identitas_kelompok-nama_kelompok" name="identitas_kelompok\.nama_kelompok" value=""[^>]*aria-describedby="f-identitas_kelompok-nama_kelompok-galat"[^>]*aria-invalid="true"/);
    expect(out).toContain('<p class="galat" id="f-identitas_kelompok-nama_kelompok-galat">Wajib diisi.</p>');
    expect(out).toContain('<a href="#f-identitas_kelompok-nama_kelompok">Nama Kelompok: Wajib diisi.</a>');
  });

  it('chooses controls by ranked testers, and x-widget overrides them', () => {
    const k0 = forms.get('k0-uppka')!;
    const field = (key: string) => k0.parts.flatMap((p) => (p.kind === 'section' ? p.fields : p.columns)).find((f) => f.key === key)!;
    expect(widgetFor(field('nama_kelompok'))).toBe('text');
    expect(widgetFor(field('usia'))).toBe('number');
    expect(widgetFor(field('provinsi'))).toBe('region');
    expect(widgetFor(field('status'))).toBe('radio');
    expect(widgetFor(field('jenis_kontrasepsi'))).toBe('select');
    expect(widgetFor(field('mkjp_lestari'))).toBe('ya-tidak');
    expect(widgetFor(field('jenis_usaha'))).toBe('radio'); // x-widget: radio with 5 options
    expect(widgetFor(field('telepon'))).toBe('tel');
    expect(widgetFor(field('modal_saat_ini'))).toBe('rupiah');
    const r1 = forms.get('r1-uppka')!;
    expect(widgetFor(r1.parts[0]!.kind === 'section' ? r1.parts[0]!.fields[0]! : (null as never))).toBe('reference');
    expect(html('r1-uppka')).toContain('type="date"');
  });
});
