/**
 * What the server serves, decided before it listens: every definition of the folder that loads
 * (the same check as `npm run check`), compiles for the server and the browser, and publishes its
 * tables without losing data. A definition that fails any step is left out with its reasons in
 * the log, and so is every definition that depends on it; its stored data is untouched.
 */
import { listPublications, loadFormsChecked, MigrationRefused, publishDefinition, validatorFor, type FormModel, type Store } from '../engine/index.js';
import { validatorBundle } from '../generators/client/validator-bundle.js';
import { FormRegistry } from './studio/registry.js';
import { installPublications } from './studio/follow-publications.js';

export interface Refused { readonly form: string; readonly reasons: readonly string[] }

/** Forms another form needs: a reference's target, a report's row form and copied forms. */
function needs(model: FormModel): string[] {
  const refs = model.parts.flatMap((p) => (p.kind === 'section' ? p.fields : p.columns)).flatMap((f) => [f.refForm, f.rollup?.from]);
  const rollup = model.rollup?.kind === 'province' ? [model.rollup.rowPer] : model.rollup?.kind === 'group' ? model.rollup.copy.map((c) => c.from) : [];
  return [...refs, ...rollup].filter((x): x is string => typeof x === 'string' && x !== model.id);
}

/** Drop forms whose dependencies are gone, until none is left wanting. */
function withDependencies(forms: Map<string, FormModel>, refused: Refused[]): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const [id, model] of forms) {
      const missing = needs(model).filter((n) => !forms.has(n));
      if (!missing.length) continue;
      forms.delete(id);
      refused.push({ form: id, reasons: [`Bergantung pada definisi yang tidak dapat dipakai: ${missing.join(', ')}.`] });
      changed = true;
    }
  }
}

/** Whether this exact version is published already (the studio has published later ones since). */
async function publishedBefore(store: Store, model: FormModel): Promise<boolean> {
  const row = await store.db.selectFrom('lembar_definisi').select('hash').where('form_id', '=', model.id).where('versi', '=', model.version).executeTakeFirst().catch(() => undefined);
  return row?.hash === model.hash;
}

export async function publishForms(store: Store, formsDir: string): Promise<{ forms: FormRegistry; refused: Refused[] }> {
  const { forms: loaded, problems } = loadFormsChecked(formsDir);
  const refused: Refused[] = [];
  const byFile = new Map<string, string[]>();
  for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), `${p.pointer || '/'}: ${p.message}`]);
  for (const [file, reasons] of byFile) refused.push({ form: file, reasons });

  const forms = new Map<string, FormModel>();
  for (const model of loaded.values()) {
    try {
      validatorFor(model);
      await validatorBundle(model);
      forms.set(model.id, model);
    } catch (e) {
      refused.push({ form: model.id, reasons: [`Validator tidak dapat dibuat: ${(e as Error).message.split('\n')[0]}`] });
    }
  }
  withDependencies(forms, refused);
  // Group cards first: registers and reports reference their tables.
  const ordered = [...forms.values()].sort((a, b) => Number(a.formKind === 'report') - Number(b.formKind === 'report') || a.id.localeCompare(b.id));
  for (const model of ordered) {
    if (!forms.has(model.id)) continue;
    try {
      if (!(await publishedBefore(store, model))) await publishDefinition(store, model);
    } catch (e) {
      if (!(e instanceof MigrationRefused)) throw e;
      forms.delete(model.id);
      refused.push({ form: model.id, reasons: e.reasons });
      withDependencies(forms, refused);
    }
  }
  return { forms: await withStudioVersions(store, formsDir, forms, refused), refused };
}

/** The folder's versions and, on top, every version published from the studio after them, each from its first period. */
async function withStudioVersions(store: Store, formsDir: string, forms: Map<string, FormModel>, refused: Refused[]): Promise<FormRegistry> {
  const registry = new FormRegistry(forms.values());
  refused.push(...installPublications(registry, await listPublications(store), formsDir, forms));
  return registry;
}
