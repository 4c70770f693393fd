/**
 * What the studio's API and pages share: the checking context, drafts by id (404 otherwise), a
 * draft's state (its model as the version it would become, or its problems), and publishing,
 * which installs the new version in the live registry (no restart) and is audited.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  checkDraft, deleteDraft, latestVersion, loadDraft, loadSharedDefs, publishDraft,
  type DefinitionProblem, type Draft, type FormModel, type PublishOutcome, type StudioContext, type YearMonth,
} from '../../engine/index.js';
import { viewerOf } from '../access.js';
import { audit } from '../audit.js';
import type { AppDeps } from '../context.js';
import { UUID } from '../http.js';
import { currentPeriod, registryOf } from './registry.js';

let shared: ReturnType<typeof loadSharedDefs> | undefined;

export function studioContext(deps: AppDeps): StudioContext {
  shared ??= loadSharedDefs();
  const registry = registryOf(deps.forms);
  return {
    store: deps.store, registry: shared, forms: deps.forms, targets: new Set(deps.targets?.keys() ?? []),
    ...(registry ? { versionsOf: (id: string) => registry.versionsOf(id).map((v) => v.model) } : {}),
  };
}

export async function draftOr404(deps: AppDeps, id: string | undefined): Promise<Draft> {
  const draft = id && UUID.test(id) ? await loadDraft(deps.store, id.toLowerCase()) : undefined;
  if (!draft) throw new HTTPException(404, { message: 'Draf tidak ditemukan.' });
  return draft;
}

export interface DraftState {
  readonly draft: Draft;
  /** The version number it would be published as. */
  readonly version: number;
  readonly model?: FormModel;
  readonly problems: readonly DefinitionProblem[];
}

export async function draftState(deps: AppDeps, draft: Draft): Promise<DraftState> {
  const version = (await latestVersion(deps.store, draft.formId)) + 1;
  const { model, problems } = checkDraft(studioContext(deps), draft.formId, draft.definition, version);
  return { draft, version, model, problems };
}

/** Who acts, as the studio records it. */
export const actor = (c: Context) => {
  const a = viewerOf(c).account;
  return a.name || a.username;
};

/** Publish a draft; on success the version is live for its periods and the draft is gone. */
export async function publishFromStudio(c: Context, deps: AppDeps, formId: string, definition: unknown, from: YearMonth, note: string, draft?: { id: string; baseVersion?: number }): Promise<PublishOutcome> {
  const outcome = await publishDraft(studioContext(deps), formId, definition, { from, note, by: actor(c), today: currentPeriod(), baseVersion: draft?.baseVersion });
  if (outcome.status !== 'published') return outcome;
  registryOf(deps.forms)?.install(outcome.model, from);
  if (draft) await deleteDraft(deps.store, draft.id);
  await audit(deps.store, c, { action: 'terbitkan', resource: formId, revision: outcome.publication.version, detail: `berlaku mulai ${from.bulan}/${from.tahun}: ${note}` });
  return outcome;
}

/** `{tahun, bulan}` from a request body, or undefined when it is not one. */
export function yearMonth(raw: unknown): YearMonth | undefined {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const tahun = typeof o.tahun === 'string' ? Number(o.tahun) : o.tahun;
  const bulan = typeof o.bulan === 'string' ? Number(o.bulan) : o.bulan;
  return typeof tahun === 'number' && typeof bulan === 'number' && Number.isFinite(tahun) && Number.isFinite(bulan) ? { tahun, bulan } : undefined;
}
