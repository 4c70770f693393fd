/**
 * The definition studio for program staff (desktop browser, Indonesian): every form with its
 * versions and drafts; a draft as a structured editor (parts and fields in paper order, each
 * field's label, required, column, help, limits, pattern and message, personal mark, assumption,
 * options of a choice; add a field; move up and down with buttons, which work from the keyboard
 * and without JavaScript); the problems inline beside their field, from the same checker as
 * `npm run check`; a live preview of the entry page at 360 px with the draft's validator; the
 * diff in words, the impact on stored data, the raw JSON; and publishing from a period.
 * Every edit is a post that re-renders the editor (post, redirect, get).
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { randomUUID } from 'node:crypto';
import {
  addField, addRule, addTestCase, createDraft, describeCondition, editRule, removeRule, ruleHolders, RULE_OPERATORS, describeChanges, draftImpact, editField, EditRefused, FIELD_KINDS, listDrafts, listPublications,
  moveField, partsOf, pickerOptions, renameField, removeOption, rollupRows, ROLLUP_KINDS, setOption, setRollup, updateDraft, validatorFor,
  type DefinitionProblem, type FieldEdit, type FieldKind, type FormModel, type RollupKind, type RuleOperator,
} from '../../engine/index.js';
import { validatorBundle } from '../../generators/client/validator-bundle.js';
import { formDataToSubmission } from '../../generators/html/form-data.js';
import { page, render } from '../../generators/html/render.js';
import { ROLE_INFO } from '../auth/roles.js';
import { viewerOf } from '../access.js';
import type { AppDeps } from '../context.js';
import { formBody, type FormBody } from '../form-body.js';
import { formOr404, shell } from '../http.js';
import { MONTHS } from '../monitoring/timeliness-routes.js';
import { entryPage } from '../pages.js';
import { currentPeriod, registryOf } from './registry.js';
import { actor, draftOr404, draftState, publishFromStudio, yearMonth, type DraftState } from './studio-service.js';

type Json = Record<string, unknown>;
const KEY_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const text = (body: FormBody, name: string): string | undefined => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
const numberOrNull = (raw: string | undefined): number | null | undefined => {
  if (raw === undefined) return undefined;
  if (raw.trim() === '') return null;
  const n = Number(raw.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
};
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** The pointer of a field in the resolved definition, as the checker names it. */
const fieldPointer = (part: string, repeat: boolean, key: string) => `/properties/${part}${repeat ? '/items' : ''}/properties/${key}`;

function editorView(state: DraftState, deps: AppDeps, canPublish: boolean, message?: { text: string; error?: boolean }) {
  const def = state.draft.definition;
  const placed = new Set<DefinitionProblem>();
  const parts = partsOf(def).map((p) => {
    const required = new Set(Array.isArray(p.holder.required) ? (p.holder.required as string[]) : []);
    const keys = Object.keys(obj(p.holder.properties));
    return {
      key: p.key, title: p.title, repeat: p.repeat,
      fields: keys.map((key, i) => {
        const f = obj(obj(p.holder.properties)[key]);
        const pointer = fieldPointer(p.key, p.repeat, key);
        const problems = state.problems.filter((x) => x.pointer === pointer || x.pointer.startsWith(`${pointer}/`));
        for (const x of problems) placed.add(x);
        const kind = Array.isArray(f.oneOf) ? 'pilihan' : f.type === 'boolean' ? 'Ya/Tidak' : f.format === 'date' ? 'tanggal' : f.type === 'integer' || f.type === 'number' ? 'angka' : f['x-region'] ? 'wilayah' : f['x-ref-form'] ? 'rujukan' : 'teks';
        return {
          key, pointer, id: `${p.key}-${key}`, label: String(f.title ?? key), kind, required: required.has(key),
          column: typeof f['x-column'] === 'number' ? f['x-column'] : '', help: String(f.description ?? ''),
          minimum: f.minimum ?? '', maximum: f.maximum ?? '', maxLength: f.maxLength ?? '', pattern: String(f.pattern ?? ''),
          patternMessage: String(obj(f.errorMessage).pattern ?? ''), personal: f['x-personal'] === true, assumed: String(f['x-assumed'] ?? ''),
          formerKeys: Array.isArray(f['x-renamed-from']) ? (f['x-renamed-from'] as unknown[]).map(String) : [],
          headerGroup: Array.isArray(f['x-header-group']) ? (f['x-header-group'] as unknown[]).join(' / ') : String(f['x-header-group'] ?? ''),
          ...showWhenView(f['x-show-when']),
          derivedCount: String(obj(f['x-derived']).count ?? ''),
          numeric: f.type === 'integer' || f.type === 'number', isText: f.type === 'string' && !Array.isArray(f.oneOf) && f.format === undefined,
          options: Array.isArray(f.oneOf) ? (f.oneOf as Json[]).map((o) => ({ code: String(o.const), label: String(o.title ?? o.const) })) : undefined,
          first: i === 0, last: i === keys.length - 1, problems: problems.map((x) => x.message),
        };
      }),
    };
  });
  // What a field's show-when may name (its row's columns, then the form's fields) and what it may count.
  const rootKeys = parts.filter((p) => !p.repeat).flatMap((p) => p.fields.map((f) => ({ key: f.key, label: `${f.label} (${p.title})` })));
  const repeats = parts.filter((p) => p.repeat).map((p) => ({ key: p.key, title: p.title }));
  for (const p of parts) {
    const scope = p.repeat ? [...p.fields.map((f) => ({ key: f.key, label: f.label })), ...rootKeys] : rootKeys;
    for (const f of p.fields) Object.assign(f, { whenFields: scope.filter((x) => x.key !== f.key), repeats: f.numeric ? repeats : [] });
  }
  // Rules as rows of a table, per place they are checked; the fields a new rule may name.
  const rootFields = parts.filter((p) => !p.repeat).flatMap((p) => p.fields.map((f) => ({ key: f.key, label: `${f.label} (${p.title})` })));
  const rules = ruleHolders(def).map((h) => ({
    part: h.part, title: h.title, repeat: h.repeat,
    fields: h.repeat ? (parts.find((p) => p.key === h.part)?.fields ?? []).map((f) => ({ key: f.key, label: f.label })) : rootFields,
    rules: h.rules.map((r, index) => ({
      index, id: String(r.id ?? ''), message: String(r.message ?? ''), warning: r.severity === 'peringatan',
      condition: describeCondition(r.assert), when: r.when ? describeCondition(r.when) : '',
    })),
  })).filter((h) => h.fields.length || h.rules.length);
  const base = deps.forms.get(state.draft.formId);
  const rollups = rollupView(def, deps);
  const now = currentPeriod();
  const next = now.bulan === 12 ? { tahun: now.tahun + 1, bulan: 1 } : { tahun: now.tahun, bulan: now.bulan + 1 };
  return {
    draft: state.draft, version: state.version, base: base && { version: base.version, code: base.code, title: base.title },
    parts, rules, rollups, rollupKinds: pickerOptions(ROLLUP_KINDS), operators: pickerOptions(RULE_OPERATORS), problems: state.problems.map((x) => ({ pointer: x.pointer, message: x.message })), unplaced: state.problems.filter((x) => !placed.has(x)).map((x) => ({ pointer: x.pointer || '/', message: x.message })),
    ok: state.problems.length === 0, canPublish,
    changes: state.model && base ? describeChanges(base, state.model) : [],
    kinds: pickerOptions(FIELD_KINDS),
    json: JSON.stringify(def, null, 2),
    months: MONTHS.map((label, i) => ({ value: i + 1, label, selected: i + 1 === next.bulan })), nextYear: next.tahun,
    message,
  };
}

/** The report's roll-up rows with the pickers each needs: the source form's fields and repeats. */
function rollupView(def: Json, deps: AppDeps) {
  return rollupRows(def).map((r) => {
    const source = deps.forms.get(r.from);
    const fields = (source?.parts ?? []).flatMap((p) => (p.kind === 'section' ? p.fields : p.columns).map((f) => ({ key: f.key, label: `${f.label} (${p.title})`, flag: f.valueType === 'boolean' })));
    const simple = r.simple && 'field' in r.simple ? r.simple : undefined;
    const anyTrue = r.simple && 'anyTrue' in r.simple ? r.simple.anyTrue : [];
    return {
      ...r, id: `${r.part}-${r.key}`, sourceTitle: source ? `${source.code} — ${source.title}` : r.from,
      // One list for every way of counting: the source's repeats (to count rows) and its fields.
      choices: [...(source?.parts ?? []).filter((p) => p.kind === 'repeat').map((p) => ({ key: p.key, label: `Tabel ${p.title}` })), ...fields]
        .map((c) => ({ ...c, selected: c.key === r.source })),
      fields, flags: fields.filter((f) => f.flag).map((f) => ({ ...f, checked: anyTrue.includes(f.key) })),
      whereField: simple?.field ?? '', whereOperator: simple?.operator ?? '', whereValue: simple?.value ?? '',
      mode: r.where === '' ? 'semua' : simple ? 'banding' : anyTrue.length ? 'ya' : 'tetap',
    };
  });
}

/** A show-when as the field editor offers it: a field and a value, or words when it is more than that. */
function showWhenView(raw: unknown): { whenField: string; whenValue: string; whenComplex?: string } {
  const o = obj(raw);
  if (raw === undefined) return { whenField: '', whenValue: '' };
  if (typeof o.field === 'string' && 'equals' in o && Object.keys(o).length === 2 && ['string', 'number', 'boolean'].includes(typeof o.equals)) {
    return { whenField: o.field, whenValue: typeof o.equals === 'boolean' ? (o.equals ? 'Ya' : 'Tidak') : String(o.equals) };
  }
  return { whenField: '', whenValue: '', whenComplex: describeCondition(raw) };
}

/** Apply one editor action to a definition; the new definition, or why not. */
function applyAction(def: Json, body: FormBody, forms: ReadonlyMap<string, FormModel>): Json {
  const action = text(body, '_aksi') ?? '';
  const part = text(body, 'bagian') ?? '';
  const key = text(body, 'isian') ?? '';
  // Parts and fields are named by keys; anything else ("__proto__", "constructor") names none.
  if ((part && !KEY_NAME.test(part)) || (key && !KEY_NAME.test(key))) throw new EditRefused('', 'Bagian atau isian itu tidak ada di draf ini.');
  switch (action) {
    case 'ubah-isian': {
      const edit: FieldEdit = {
        label: text(body, 'label'), help: text(body, 'bantuan') ?? null, required: body.wajib === 'ya',
        column: numberOrNull(text(body, 'kolom')), minimum: numberOrNull(text(body, 'minimum')), maximum: numberOrNull(text(body, 'maksimum')),
        maxLength: numberOrNull(text(body, 'panjang')), pattern: text(body, 'pola'), patternMessage: text(body, 'pesan_pola'),
        personal: body.pribadi === 'ya', assumed: text(body, 'asumsi'), headerGroup: text(body, 'kelompok_judul') ?? null,
        // A show-when the editor cannot show as field-and-value stays as it is (edited in the JSON tab).
        showWhen: body.syarat_tetap === 'ya' ? undefined : text(body, 'tampil_bila') ? { field: text(body, 'tampil_bila')!, value: text(body, 'tampil_nilai') ?? '' } : null,
        derivedCount: 'hitung_baris' in body ? text(body, 'hitung_baris') || null : undefined,
      };
      return editField(def, part, key, edit);
    }
    case 'tambah-isian':
      return addField(def, part, (text(body, 'kunci') ?? '').trim(), text(body, 'label') ?? '', (text(body, 'jenis') ?? '') as FieldKind, body.wajib === 'ya');
    case 'ubah-hitungan': {
      const mode = text(body, 'syarat') ?? 'tetap';
      const flags = body.ya_isian === undefined ? [] : (Array.isArray(body.ya_isian) ? body.ya_isian : [body.ya_isian]).filter((x): x is string => typeof x === 'string');
      const where = mode === 'semua' ? null : mode === 'ya' ? { anyTrue: flags }
        : mode === 'banding' ? { field: text(body, 'syarat_isian') ?? '', operator: (text(body, 'syarat_pembanding') ?? '') as RuleOperator, value: text(body, 'syarat_nilai') ?? '' } : undefined;
      const from = rollupRows(def).find((r) => r.part === part && r.key === key)?.from;
      return setRollup(def, part, key, { kind: (text(body, 'cara') ?? '') as RollupKind, source: text(body, 'asal') || undefined, where }, from ? forms.get(from) : undefined);
    }
    case 'ganti-kunci':
      return renameField(def, part, key, text(body, 'kunci_baru') ?? '');
    case 'naik':
    case 'turun':
      return moveField(def, part, key, action === 'naik' ? -1 : 1);
    case 'tambah-pilihan':
      return setOption(def, part, key, text(body, 'kode') ?? '', text(body, 'label_pilihan') ?? '');
    case 'hapus-pilihan':
      return removeOption(def, part, key, text(body, 'kode') ?? '');
    case 'tambah-aturan':
      return addRule(def, part, {
        field: text(body, 'aturan_isian') ?? '', operator: (text(body, 'pembanding') ?? '') as RuleOperator,
        value: text(body, 'nilai'), valueField: text(body, 'nilai_isian') || undefined,
        whenField: text(body, 'bila_isian') || undefined, whenValue: text(body, 'bila_nilai'),
        message: text(body, 'pesan') ?? '', severity: text(body, 'tingkat') === 'peringatan' ? 'peringatan' : 'galat',
      });
    case 'ubah-aturan':
      return editRule(def, part, Number(text(body, 'nomor')), { message: text(body, 'pesan'), severity: text(body, 'tingkat') === 'peringatan' ? 'peringatan' : 'galat' });
    case 'hapus-aturan':
      return removeRule(def, part, Number(text(body, 'nomor')));
    case 'json': {
      try {
        const parsed = JSON.parse(text(body, 'definisi') ?? '') as unknown;
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('bukan objek');
        return parsed as Json;
      } catch (e) {
        throw new EditRefused('', `JSON tidak sah: ${(e as Error).message}`);
      }
    }
    default:
      throw new EditRefused('', 'Aksi tidak dikenal.');
  }
}

export function studioPages(deps: AppDeps): Hono {
  const app = new Hono();
  const canPublish = (c: Context) => ROLE_INFO[viewerOf(c).account.role].studio === 'terbit';

  async function editor(c: Context, id: string, message?: { text: string; error?: boolean }, status: 200 | 409 | 422 = 200) {
    const state = await draftState(deps, await draftOr404(deps, id));
    return c.html(page(`Studio: draf ${state.draft.formId}`, render('studio-draft', editorView(state, deps, canPublish(c), message)), shell(c)), status);
  }

  app.get('/studio', async (c) => {
    const drafts = await listDrafts(deps.store);
    const publications = await listPublications(deps.store);
    const registry = registryOf(deps.forms);
    const forms = [...deps.forms.values()].map((m) => ({
      id: m.id, code: m.code, title: m.title, report: m.formKind === 'report', version: m.version,
      versions: (registry?.versionsOf(m.id) ?? []).map((v) => {
        const p = publications.find((x) => x.formId === m.id && x.version === v.model.version);
        return { version: v.model.version, from: v.from ? `${MONTHS[v.from.bulan - 1]} ${v.from.tahun}` : 'awal', note: p?.note, by: p?.by, inForce: v.model === m, latest: v.model === registry?.latest(m.id) };
      }),
      drafts: drafts.filter((d) => d.formId === m.id).map((d) => ({ id: d.id, by: d.by, updatedAt: d.updatedAt.slice(0, 16).replace('T', ' ') })),
    }));
    const now = currentPeriod();
    const next = now.bulan === 12 ? { tahun: now.tahun + 1, bulan: 1 } : { tahun: now.tahun, bulan: now.bulan + 1 };
    return c.html(page('Studio definisi', render('studio', { forms, canPublish: canPublish(c), nextPeriod: `${next.tahun}-${String(next.bulan).padStart(2, '0')}` }), shell(c)));
  });

  app.post('/studio/forms/:id/draf', async (c) => {
    const model = registryOf(deps.forms)?.latest(c.req.param('id')) ?? formOr404(deps, c.req.param('id'));
    const draft = await createDraft(deps.store, model.id, structuredClone(model.schema) as Json, actor(c), model.version);
    return c.redirect(`/studio/drafts/${draft.id}`, 303);
  });

  app.post('/studio/impor', async (c) => {
    const body = await formBody(c);
    const formId = text(body, 'formulir') ?? '';
    formOr404(deps, formId);
    const file = body.berkas;
    const raw = file instanceof File ? await file.text() : text(body, 'definisi') ?? '';
    let definition: unknown;
    try { definition = JSON.parse(raw); } catch { throw new HTTPException(422, { message: 'Berkas bukan JSON yang sah.' }); }
    if (!definition || typeof definition !== 'object' || Array.isArray(definition)) throw new HTTPException(422, { message: 'Definisi harus berupa objek JSON.' });
    const draft = await createDraft(deps.store, formId, definition as Json, actor(c), deps.forms.get(formId)?.version);
    return c.redirect(`/studio/drafts/${draft.id}`, 303);
  });

  app.get('/studio/drafts/:id', (c) => editor(c, c.req.param('id')));

  app.post('/studio/drafts/:id', async (c) => {
    const draft = await draftOr404(deps, c.req.param('id'));
    const body = await formBody(c);
    try {
      const next = applyAction(draft.definition, body, deps.forms);
      await updateDraft(deps.store, draft.id, next);
    } catch (e) {
      if (!(e instanceof EditRefused)) throw e;
      return editor(c, draft.id, { text: e.message, error: true }, 422);
    }
    const anchor = text(body, 'bagian') ? `#bagian-${text(body, 'bagian')}` : '';
    return c.redirect(`/studio/drafts/${draft.id}?tersimpan=1${anchor}`, 303);
  });

  // The entry page as a cadre sees it, from the draft, checked with the draft's validator.
  async function preview(c: Context, id: string, values?: Json, issues?: ReturnType<ReturnType<typeof validatorFor>['validate']>, note?: string) {
    const state = await draftState(deps, await draftOr404(deps, id));
    if (!state.model) return c.html(page('Pratinjau', render('error', { message: 'Draf masih bermasalah; perbaiki dulu masalahnya di editor.' }), shell(c)), 422);
    return c.html(await entryPage(c, deps, state.model, { submissionId: randomUUID(), values: values ?? {}, issues }, {
      action: `/studio/drafts/${state.draft.id}/pratinjau`, preview: true, validator: `/studio/drafts/${state.draft.id}/validasi.js?v=${state.model.hash}`, note,
    }));
  }

  app.get('/studio/drafts/:id/pratinjau', (c) => preview(c, c.req.param('id')));

  app.post('/studio/drafts/:id/pratinjau', async (c) => {
    const state = await draftState(deps, await draftOr404(deps, c.req.param('id')));
    if (!state.model) return preview(c, state.draft.id);
    const body = await formBody(c);
    const values = formDataToSubmission(state.model, body);
    const checked = validatorFor(state.model).check(values);
    if (text(body, '_aksi') === 'kasus') {
      try {
        await updateDraft(deps.store, state.draft.id, addTestCase(state.draft.definition, text(body, '_kasus') ?? '', values, checked.errors, checked.warnings));
      } catch (e) {
        if (!(e instanceof EditRefused)) throw e;
        return preview(c, state.draft.id, values, checked.errors, e.message);
      }
      return preview(c, state.draft.id, values, checked.errors, `Kasus uji "${(text(body, '_kasus') ?? '').trim()}" disimpan di draf (${checked.errors.length} galat diharapkan).`);
    }
    if (text(body, '_tambah')) {
      const repeat = text(body, '_tambah')!;
      if (Array.isArray(values[repeat])) (values[repeat] as Json[]).push({});
      return preview(c, state.draft.id, values);
    }
    return preview(c, state.draft.id, values, checked.errors, checked.errors.length ? undefined : 'Isian sah menurut draf ini (tidak disimpan).');
  });

  app.get('/studio/drafts/:id/validasi.js', async (c) => {
    const state = await draftState(deps, await draftOr404(deps, c.req.param('id')));
    if (!state.model) throw new HTTPException(422, { message: 'Draf masih bermasalah.' });
    return c.body(await validatorBundle(state.model), 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
  });

  app.get('/studio/drafts/:id/definisi.json', async (c) => {
    const draft = await draftOr404(deps, c.req.param('id'));
    return c.body(`${JSON.stringify(draft.definition, null, 2)}\n`, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="${draft.formId}.json"` });
  });

  app.get('/studio/drafts/:id/dampak', async (c) => {
    const state = await draftState(deps, await draftOr404(deps, c.req.param('id')));
    if (!state.model) throw new HTTPException(422, { message: 'Draf masih bermasalah; dampaknya belum dapat dihitung.' });
    const impact = await draftImpact(deps.store, registryOf(deps.forms)?.latest(state.draft.formId) ?? deps.forms.get(state.draft.formId), state.model);
    return c.html(page('Dampak draf', render('studio-impact', { draft: state.draft, impact }), shell(c)));
  });

  app.post('/studio/drafts/:id/terbitkan', async (c) => {
    const draft = await draftOr404(deps, c.req.param('id'));
    const body = await formBody(c);
    const from = yearMonth({ tahun: text(body, 'tahun'), bulan: text(body, 'bulan') });
    if (!from) return editor(c, draft.id, { text: 'Berlaku mulai: pilih bulan dan isi tahun.', error: true }, 422);
    const outcome = await publishFromStudio(c, deps, draft.formId, draft.definition, from, text(body, 'catatan') ?? '', draft);
    if (outcome.status === 'invalid') {
      const lines = [...outcome.problems.map((p) => p.message), ...outcome.failures.map((f) => `Kasus uji "${f.name}": ${f.message}`)];
      return editor(c, draft.id, { text: `Belum dapat diterbitkan: ${lines.join(' ')}`, error: true }, 422);
    }
    if (outcome.status === 'refused') return editor(c, draft.id, { text: `Ditolak: ${outcome.reasons.join(' ')}`, error: true }, 409);
    return c.redirect(`/studio?terbit=${encodeURIComponent(`${draft.formId} v${outcome.publication.version}`)}`, 303);
  });

  // Roll back: publish an earlier version's definition again, as a new version.
  app.post('/studio/forms/:id/versions/:versi/pulihkan', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    const wanted = registryOf(deps.forms)?.versionsOf(model.id).find((v) => String(v.model.version) === c.req.param('versi'))?.model;
    if (!wanted) throw new HTTPException(404, { message: 'Versi itu tidak ada.' });
    const body = await formBody(c);
    const period = /^(\d{4})-(\d{2})$/.exec(text(body, 'periode') ?? '');
    const from = period ? { tahun: Number(period[1]), bulan: Number(period[2]) } : yearMonth({ tahun: text(body, 'tahun'), bulan: text(body, 'bulan') }) ?? currentPeriod();
    const outcome = await publishFromStudio(c, deps, model.id, wanted.schema, from, text(body, 'catatan') || `Kembali ke versi ${wanted.version}`);
    if (outcome.status !== 'published') throw new HTTPException(outcome.status === 'refused' ? 409 : 422, { message: outcome.status === 'refused' ? outcome.reasons.join(' ') : outcome.problems.map((p) => p.message).join(' ') });
    return c.redirect('/studio', 303);
  });

  return app;
}
