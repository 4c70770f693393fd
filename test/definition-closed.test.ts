/**
 * Nothing accepted is dropped: whatever a definition's validator accepts, storage keeps exactly.
 * Objects are closed by the loader (a section written without "additionalProperties" too), so a
 * submission with keys the definition does not declare is refused instead of being saved without
 * them. Property-tested with extra keys at the top, in sections and in rows, for a definition built
 * here and for the repository's forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadDefinition, loadForms, normalizeSubmission, validatorFor, type FormModel } from '../engine/index.js';
import { loadSubmission, openStore, publishDefinition, saveSubmission, type Store } from '../engine/storage/index.js';
import { smallForm } from './definition-fixtures.js';
import { tempStore } from './support/temp-store.js';

type Json = Record<string, any>;

/** Any JSON value a client could send as an extra key's value. */
const anyValue = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }));
/** Keys: declared names (valid or not for their place), new names, and prototype-looking ones. */
const keyArb = (declared: readonly string[]) => fc.oneof(fc.constantFrom(...declared), fc.stringMatching(/^[a-z_]{1,10}$/), fc.constantFrom('constructor', 'toString', '_id', 'nama ', 'NAMA'));

/** Places in a submission where an extra key can go: the top, each section, each row. */
function places(data: Json): Json[] {
  const out: Json[] = [data];
  for (const v of Object.values(data)) {
    if (Array.isArray(v)) out.push(...v.filter((r) => r && typeof r === 'object'));
    else if (v && typeof v === 'object') out.push(v);
  }
  return out;
}

/** A value like the one already there (same type, usually valid): keeps accepted cases coming. */
const sameKind = (v: unknown) =>
  typeof v === 'string' ? fc.string({ minLength: 1, maxLength: 10 }) : typeof v === 'number' ? fc.integer({ min: 0, max: 40 }) : typeof v === 'boolean' ? fc.boolean() : fc.constant(v);

/** The example with some extra keys written in, or declared values changed within their kind. */
const mutated = (example: Json, declared: readonly string[]) =>
  fc.array(fc.tuple(fc.nat(), fc.boolean(), keyArb(declared), anyValue, fc.nat()), { minLength: 1, maxLength: 3 }).chain((edits) => {
    const shape = places(structuredClone(example));
    // Each edit as [place index, key, value]; values of declared keys follow the example's kind.
    const changes = edits.map(([i, extra, key, value, j]) => {
      const spot = shape[i % shape.length]!;
      const own = Object.keys(spot).filter((k) => typeof spot[k] !== 'object' || spot[k] === null);
      if (extra || own.length === 0) return fc.constant([i % shape.length, key, value] as const);
      const name = own[j % own.length]!;
      return sameKind(spot[name]).map((v) => [i % shape.length, name, v] as const);
    });
    return fc.tuple(...changes).map((list) => {
      const data = structuredClone(example);
      const spots = places(data);
      for (const [at, key, value] of list) spots[at]![key] = value;
      return data;
    });
  });

function declaredKeys(model: FormModel): string[] {
  return model.parts.flatMap((p) => [p.key, ...(p.kind === 'section' ? p.fields : p.columns).map((f) => f.key)]);
}

async function acceptedRoundTrips(store: Store, model: FormModel, example: Json, numRuns: number): Promise<{ accepted: number; refused: number }> {
  const counts = { accepted: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(mutated(example, declaredKeys(model)), async (data) => {
      if (validatorFor(model).validate(data).length) {
        counts.refused++;
        return;
      }
      counts.accepted++;
      const id = randomUUID();
      await saveSubmission(store, model, { id, data });
      // Stored as the engine keeps text: trimmed (engine/text-hygiene.ts).
      expect((await loadSubmission(store, model, id))?.data).toEqual(normalizeSubmission(model, data));
    }),
    { numRuns },
  );
  return counts;
}

describe('a definition built here', () => {
  let dir: string;
  let store: Store;
  let model: FormModel;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lembar-closed-'));
    store = openStore(join(dir, 'uji.sqlite'));
    // The section "kegiatan" and the rows of "peserta" are written without additionalProperties.
    model = loadDefinition('uji-tertutup', smallForm(), new Map());
    await publishDefinition(store, model);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is closed by the loader: sections and rows refuse undeclared keys', () => {
    const schema = model.schema as Json;
    expect(schema.properties.kegiatan.additionalProperties).toBe(false);
    expect(schema.properties.peserta.items.additionalProperties).toBe(false);
    const v = validatorFor(model);
    expect(v.validate({ kegiatan: { nama: 'A', lain: 1 } })).toEqual([expect.objectContaining({ path: '/kegiatan/lain', keyword: 'additionalProperties' })]);
    expect(v.validate({ kegiatan: { nama: 'A' }, peserta: [{ nama_peserta: 'B', lain: 1 }] })).toHaveLength(1);
  });

  it('accepted ⇒ saved and loaded exactly (property)', async () => {
    const example = { kegiatan: { nama: 'Rapat', jumlah: 3, persen: 50, hadir: true }, catatan: { isi: 'baik' }, peserta: [{ nama_peserta: 'Sri', usia: 40 }, { nama_peserta: 'Ani' }] };
    const { accepted, refused } = await acceptedRoundTrips(store, model, example, 100);
    // Both sides of the implication are exercised: declared keys with valid values pass.
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

describe('the repository forms', () => {
  let ctx: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    ctx = await tempStore();
  });
  afterAll(async () => ctx.cleanup());

  it('accepted ⇒ saved and loaded exactly, from each form\'s example with extra keys (property)', async () => {
    for (const model of loadForms().values()) {
      if (model.formKind !== 'form') continue;
      const example = (model.schema.examples as Json[])[0]!;
      let data = structuredClone(example);
      // A form that names another (R/1 → K/0) needs that submission stored first.
      for (const f of model.parts.flatMap((p) => (p.kind === 'section' ? p.fields : []))) {
        if (!f.refForm) continue;
        const target = loadForms().get(f.refForm)!;
        const id = randomUUID();
        await saveSubmission(ctx.store, target, { id, data: (target.schema.examples as Json[])[0]! });
        const section = model.parts.find((p) => p.kind === 'section' && p.fields.includes(f))!.key;
        data = { ...data, [section]: { ...data[section], [f.key]: id } };
      }
      await acceptedRoundTrips(ctx.store, model, data, 50);
    }
  }, 60_000);
});
