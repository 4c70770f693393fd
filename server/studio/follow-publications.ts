/**
 * Versions published from the studio, installed into the live registry: at start (every one on
 * record) and whenever another server process on the same database announces a publication
 * (engine/storage/change-feed.ts), so a form published through one process is served by all.
 */
import { definitionProblems, listPublications, loadSharedDefs, type FormModel, type Publication, type Store } from '../../engine/index.js';
import type { FormRegistry } from './registry.js';

export interface RefusedVersion { readonly form: string; readonly reasons: readonly string[] }

/**
 * Install each publication the registry lacks. A version that no longer loads (a shared code list
 * changed since) is left out with its reasons; the periods it covered fall back to the one before.
 * `base`: the folder's versions, which a publication of the same or a lower number never replaces.
 */
export function installPublications(registry: FormRegistry, publications: readonly Publication[], formsDir?: string, base?: ReadonlyMap<string, FormModel>): RefusedVersion[] {
  const refused: RefusedVersion[] = [];
  let shared: ReturnType<typeof loadSharedDefs> | undefined;
  for (const p of publications) {
    const folder = base?.get(p.formId);
    if (folder && p.version <= folder.version) continue;
    if (registry.versionsOf(p.formId).some((v) => v.model.version === p.version)) continue;
    shared ??= loadSharedDefs(formsDir);
    const { model, problems } = definitionProblems(p.formId, p.definition, shared);
    if (!model) {
      refused.push({ form: `${p.formId} v${p.version}`, reasons: problems.map((x) => `${x.pointer || '/'}: ${x.message}`) });
      continue;
    }
    registry.install(model, p.from);
  }
  return refused;
}

/** Install what other processes publish, as they announce it. */
export function followPublications(store: Store, registry: FormRegistry, onError: (message: string) => void, formsDir?: string): Promise<void> {
  const catchUp = (formId?: string) => listPublications(store, formId)
    .then((publications) => {
      for (const r of installPublications(registry, publications, formsDir)) onError(`${r.form} tidak dapat dipakai: ${r.reasons.join('; ')}`);
    })
    .catch((e: Error) => onError(`publications could not be read: ${e.message}`));
  store.changes.subscribe((change) => { if (change.topic === 'definitions') void catchUp(change.detail); });
  // What was published between the registry's start and this subscription, read once listening.
  return store.changes.ready().then(() => catchUp());
}
