/**
 * The studio's JSON API (for integrations and our checks): forms with their versions, drafts
 * (create from a definition or from a form, read, replace), a submission checked against a
 * draft exactly as the published route would answer, the diff in words, the impact on stored
 * data, and publishing from a period with a note.
 */
import { Hono } from 'hono';
import {
  carryFormerKeys, createDraft, deleteDraft, describeChanges, draftImpact, listDrafts, listPublications, updateDraft, validatorFor,
} from '../../engine/index.js';
import { jsonBody } from '../api.js';
import type { AppDeps } from '../context.js';
import { formOr404 } from '../http.js';
import { registryOf } from './registry.js';
import { actor, draftOr404, draftState, publishFromStudio, yearMonth } from './studio-service.js';
import { audit } from '../audit.js';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const problemsJson = (problems: readonly { pointer: string; message: string }[]) => problems.map(({ pointer, message }) => ({ pointer, message }));

export function studioApi(deps: AppDeps): Hono {
  const api = new Hono();

  api.get('/forms', async (c) => {
    const drafts = await listDrafts(deps.store);
    const registry = registryOf(deps.forms);
    return c.json({
      forms: [...deps.forms.values()].map((m) => ({
        id: m.id, code: m.code, title: m.title, kind: m.formKind, version: m.version,
        versions: (registry?.versionsOf(m.id) ?? [{ model: m }]).map((v) => ({ versi: v.model.version, berlaku_mulai: 'from' in v && v.from ? v.from : null })),
        drafts: drafts.filter((d) => d.formId === m.id).map((d) => ({ id: d.id, by: d.by, updatedAt: d.updatedAt })),
      })),
    });
  });

  api.get('/forms/:id/versions', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    const registry = registryOf(deps.forms);
    const publications = await listPublications(deps.store, model.id);
    const folder = (registry?.versionsOf(model.id) ?? []).filter((v) => !v.from).map((v) => ({ versi: v.model.version, berlaku_mulai: null, catatan: 'Versi awal dari folder definisi', oleh: null, diterbitkan: null, perubahan: [] }));
    return c.json({
      form: model.id, berlaku_sekarang: model.version,
      versions: [...folder, ...publications.map((p) => ({ versi: p.version, berlaku_mulai: p.from, catatan: p.note, oleh: p.by, diterbitkan: p.at, perubahan: p.changes }))],
    });
  });

  // A draft from the newest version of a form, to edit.
  api.post('/forms/:id/drafts', async (c) => {
    const model = registryOf(deps.forms)?.latest(c.req.param('id')) ?? formOr404(deps, c.req.param('id'));
    const draft = await createDraft(deps.store, model.id, structuredClone(model.schema) as Record<string, unknown>, actor(c), model.version);
    await audit(deps.store, c, { action: 'draf', resource: model.id, record: draft.id });
    return c.json({ id: draft.id }, 201);
  });

  // A definition uploaded as a draft: for `?form=` (or the form whose code it carries).
  api.post('/drafts', async (c) => {
    const definition = await jsonBody(c);
    if (!isObject(definition)) return c.json({ problems: [{ pointer: '', message: 'Definisi harus berupa objek JSON.' }] }, 422);
    const formId = c.req.query('form') ?? [...deps.forms.values()].find((m) => m.code === definition['x-code'])?.id;
    if (!formId || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(formId)) return c.json({ problems: [{ pointer: '', message: 'Sebutkan formulirnya (?form=<id>) atau pakai "x-code" formulir yang sudah ada.' }] }, 422);
    const base = deps.forms.get(formId);
    const draft = await createDraft(deps.store, formId, definition, actor(c), base?.version);
    const state = await draftState(deps, draft);
    if (state.problems.length) {
      // A definition with problems is not kept: the caller gets every problem with its place.
      await deleteDraft(deps.store, draft.id);
      return c.json({ problems: problemsJson(state.problems) }, 422);
    }
    await audit(deps.store, c, { action: 'draf', resource: formId, record: draft.id });
    return c.json({ id: draft.id }, 201);
  });

  api.get('/drafts/:id', async (c) => {
    const state = await draftState(deps, await draftOr404(deps, c.req.param('id')));
    return c.json({ id: state.draft.id, form: state.draft.formId, dasar_versi: state.draft.baseVersion ?? null, versi_baru: state.version, definition: state.draft.definition, problems: problemsJson(state.problems) });
  });

  // Replace a draft's definition; kept even with problems (an edit in progress), which are listed.
  api.put('/drafts/:id', async (c) => {
    const draft = await draftOr404(deps, c.req.param('id'));
    const definition = await jsonBody(c);
    if (!isObject(definition)) return c.json({ problems: [{ pointer: '', message: 'Definisi harus berupa objek JSON.' }] }, 422);
    await updateDraft(deps.store, draft.id, definition);
    const state = await draftState(deps, { ...draft, definition });
    return c.json({ id: draft.id, problems: problemsJson(state.problems) });
  });

  api.post('/drafts/:id/validate', async (c) => {
    const state = await draftState(deps, await draftOr404(deps, c.req.param('id')));
    if (!state.model) return c.json({ problems: problemsJson(state.problems) }, 422);
    const data = await jsonBody(c);
    const errors = validatorFor(state.model).validate(carryFormerKeys(state.model, data)).map(({ path, label, message }) => ({ path, label, message }));
    return c.json({ errors });
  });

  api.get('/drafts/:id/diff', async (c) => {
    const state = await draftState(deps, await draftOr404(deps, c.req.param('id')));
    const base = deps.forms.get(state.draft.formId);
    if (!state.model) return c.json({ problems: problemsJson(state.problems) }, 422);
    return c.json({ changes: base ? describeChanges(base, state.model) : [] });
  });

  api.get('/drafts/:id/impact', async (c) => {
    const state = await draftState(deps, await draftOr404(deps, c.req.param('id')));
    if (!state.model) return c.json({ problems: problemsJson(state.problems) }, 422);
    return c.json(await draftImpact(deps.store, registryOf(deps.forms)?.latest(state.draft.formId) ?? deps.forms.get(state.draft.formId), state.model));
  });

  api.post('/drafts/:id/publish', async (c) => {
    const draft = await draftOr404(deps, c.req.param('id'));
    const body = await jsonBody(c);
    const from = yearMonth(isObject(body) ? body.berlaku_mulai : undefined);
    const note = isObject(body) && typeof body.catatan === 'string' ? body.catatan : '';
    if (!from) return c.json({ problems: [{ pointer: '/berlaku_mulai', message: 'Berlaku mulai harus {tahun, bulan}.' }], failures: [] }, 422);
    const outcome = await publishFromStudio(c, deps, draft.formId, draft.definition, from, note, draft);
    if (outcome.status === 'invalid') return c.json({ problems: problemsJson(outcome.problems), failures: outcome.failures }, 422);
    if (outcome.status === 'refused') return c.json({ reasons: outcome.reasons }, 409);
    return c.json({ form: draft.formId, versi: outcome.publication.version, berlaku_mulai: from, perubahan: outcome.publication.changes });
  });

  return api;
}
