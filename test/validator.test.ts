/** The compiled validator: cached per definition version, Indonesian messages only, labels with rows. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDefinition, loadForms, loadSharedDefs, validatorFor, validatorStats, FORMS_DIR } from '../engine/index.js';
import { readFileSync } from 'node:fs';

const forms = loadForms();
const k0 = forms.get('k0-uppka')!;
const example = (k0.schema.examples as any[])[0];

describe('validator', () => {
  it('validates 10,000 submissions with one compiled validator', () => {
    validatorFor(k0).validate(example);
    const before = validatorStats().compiles;
    let invalid = 0;
    for (let i = 0; i < 10_000; i++) {
      const data = structuredClone(example);
      data.anggota[i % 3].usia = i % 2 === 0 ? 30 : -1;
      if (validatorFor(k0).validate(data).length) invalid++;
    }
    expect(invalid).toBe(5_000);
    expect(validatorStats().compiles).toBe(before);
  });

  it('compiles again only when the definition version changes', () => {
    const raw = JSON.parse(readFileSync(`${FORMS_DIR}/k0-uppka.json`, 'utf8'));
    raw['x-version'] = 2;
    raw.properties.kontak = { type: 'object', title: 'Kontak', properties: { email: { type: 'string', format: 'email', title: 'Surel' } } };
    const v2 = loadDefinition('k0-uppka', raw, loadSharedDefs());
    validatorFor(k0).validate(example);
    const before = validatorStats().compiles;
    const issues = validatorFor(v2).validate({ ...example, kontak: { email: 'bukan surel' } });
    expect(issues).toEqual([{ path: '/kontak/email', label: 'Surel', message: 'Harus berupa alamat surel yang benar.', keyword: 'format' }]);
    validatorFor(v2).validate(example);
    expect(validatorStats().compiles).toBe(before + 1);
  });

  it('names the row and the field of a member error like the paper does', () => {
    const data = structuredClone(example);
    delete data.anggota[2].usia;
    data.anggota[2].status = 'janda';
    expect(validatorFor(k0).validate(data)).toEqual([
      { path: '/anggota/2/usia', label: 'Anggota no. 3 — Usia', message: 'Wajib diisi.', keyword: 'required' },
      { path: '/anggota/2/status', label: 'Anggota no. 3 — Status', message: 'Pilih salah satu dari daftar: PUS, Non-PUS.', keyword: 'oneOf' },
    ]);
  });

  it('answers a submission that is not an object, or has unknown fields, in Indonesian', () => {
    expect(validatorFor(k0).validate([])[0]).toMatchObject({ path: '', message: 'Bentuk isian tidak sesuai.' });
    const issues = validatorFor(k0).validate({ ...example, catatan: 'x' });
    expect(issues).toEqual([{ path: '/catatan', label: 'catatan', message: 'Isian "catatan" tidak dikenal di bagian ini.', keyword: 'additionalProperties' }]);
  });

  it('never lets English ajv text reach a user, whatever the input', () => {
    const english = /\b(must|should|property|schema|equal|match|items|characters)\b/i;
    const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer()), fc.object());
    for (const model of forms.values()) {
      const base = (model.schema.examples as any[])[0];
      const sections = model.parts;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: sections.length - 1 }), fc.nat(), anyValue, (pi, fi, value) => {
          const part = sections[pi]!;
          const data = structuredClone(base);
          if (part.kind === 'section') {
            const f = part.fields[fi % part.fields.length]!;
            data[part.key] = { ...data[part.key], [f.key]: value };
          } else {
            const f = part.columns[fi % part.columns.length]!;
            data[part.key] = [{ ...(data[part.key]?.[0] ?? {}), [f.key]: value }];
          }
          for (const issue of validatorFor(model).validate(data)) {
            expect(issue.message).not.toMatch(english);
            expect(issue.label.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 300 },
      );
    }
  });
});
