/**
 * Checking and publishing a draft. A draft is checked by the same checker as `npm run check`
 * (one definition, then against the other forms); publishing also needs every shipped test case
 * green, a note saying why, and a first period no earlier than this month or the version before;
 * then the tables are migrated (refused when data would be lost) and the publication recorded.
 * Publishing one form is serialised in this process, and the version numbers' primary keys keep
 * two processes from both publishing the same version.
 */
import type { DefinitionProblem } from '../issues.js';
import type { FormModel } from '../model-types.js';
import { checkAcrossForms } from '../cross-form-checks.js';
import { definitionProblems } from '../load-definition.js';
import type { SchemaRegistry } from '../resolve-refs.js';
import type { Store } from '../storage/database.js';
import { MigrationRefused, publishDefinition } from '../storage/migrate.js';
import { describeChanges, type Change } from './diff.js';
import { latestVersion, listPublications, recordPublication, type Publication, type YearMonth } from './store.js';
import { runTestCases, type CaseFailure } from './test-cases.js';

export interface StudioContext {
  readonly store: Store;
  readonly registry: SchemaRegistry;
  /** The forms in force now, by id (for references between forms and the diff's base). */
  readonly forms: ReadonlyMap<string, FormModel>;
  /** Target data ids (`forms/targets/`), which reports may name. */
  readonly targets?: ReadonlySet<string>;
  /**
   * Every installed version of a form (earlier ones stay in force for earlier months): a draft
   * must not break any of them. Defaults to the one in force now.
   */
  readonly versionsOf?: (id: string) => readonly FormModel[];
}

/** The draft as the model of the version it would become, or its problems (pointer and message). */
export function checkDraft(ctx: StudioContext, formId: string, definition: unknown, version?: number): { model?: FormModel; problems: DefinitionProblem[] } {
  const raw = definition && typeof definition === 'object' && !Array.isArray(definition) && version !== undefined
    ? { ...(definition as Record<string, unknown>), 'x-version': version } : definition;
  const { model, problems } = definitionProblems(formId, raw, ctx.registry);
  if (!model) return { problems };
  const others = new Map(ctx.forms);
  others.set(formId, model);
  const folder = { forms: others, refused: new Set<string>(), targets: ctx.targets ?? new Set<string>() };
  const across = checkAcrossForms(model, folder);
  if (across.length) return { problems: across };
  // The other way round: a report or register that reads this form (a roll-up, a copied field)
  // and that the draft would break, by removing or renaming a field it names.
  const dependents = [...ctx.forms.values()].filter((o) => o.id !== formId).flatMap((o) => ctx.versionsOf?.(o.id) ?? [o]);
  const broken = dependents.flatMap((o) => {
    const before = checkAcrossForms(o, { ...folder, forms: ctx.forms }).map((p) => p.message);
    return checkAcrossForms(o, folder).filter((p) => !before.includes(p.message)).map((p) => ({
      pointer: '', message: `Definisi lain "${o.title}" (${o.id} versi ${o.version}) memakai isian formulir ini dan akan rusak: ${p.message} Ubah definisi itu lebih dulu, atau pertahankan isian ini.`,
    }));
  });
  return broken.length ? { problems: broken } : { model, problems: [] };
}

export type PublishOutcome =
  | { readonly status: 'published'; readonly model: FormModel; readonly publication: Publication }
  /** 422: the draft's problems, failing test cases, or the request's (note, period). */
  | { readonly status: 'invalid'; readonly problems: readonly DefinitionProblem[]; readonly failures: readonly CaseFailure[] }
  /** 409: stored data stands in the way (counts), or another publisher was first. */
  | { readonly status: 'refused'; readonly reasons: readonly string[] };

export interface PublishRequest {
  readonly from: YearMonth;
  readonly note: string;
  readonly by: string;
  /** The period of "now" (WIB): a version cannot take effect in the past. */
  readonly today: YearMonth;
  /** The version the draft was made from: publishing over a later one would undo its changes. */
  readonly baseVersion?: number;
}

const order = (p: YearMonth) => p.tahun * 12 + p.bulan;
const locks = new WeakMap<Store, Map<string, Promise<unknown>>>();

/** Run `fn` after every earlier publish of the same form in this process has finished. */
function serialised<T>(store: Store, formId: string, fn: () => Promise<T>): Promise<T> {
  let perStore = locks.get(store);
  if (!perStore) locks.set(store, (perStore = new Map()));
  const before = perStore.get(formId) ?? Promise.resolve();
  const run = before.then(fn, fn);
  perStore.set(formId, run.catch(() => undefined));
  return run;
}

export function publishDraft(ctx: StudioContext, formId: string, definition: unknown, request: PublishRequest): Promise<PublishOutcome> {
  return serialised(ctx.store, formId, async () => {
    const requestProblems: DefinitionProblem[] = [];
    if (!request.note.trim()) requestProblems.push({ pointer: '/catatan', message: 'Tuliskan catatan mengapa versi ini diterbitkan.' });
    if (!Number.isInteger(request.from.tahun) || !Number.isInteger(request.from.bulan) || request.from.bulan < 1 || request.from.bulan > 12 || request.from.tahun < 2000 || request.from.tahun > 2100) {
      requestProblems.push({ pointer: '/berlaku_mulai', message: 'Berlaku mulai harus bulan (1–12) dan tahun yang sah.' });
    } else if (order(request.from) < order(request.today)) {
      requestProblems.push({ pointer: '/berlaku_mulai', message: 'Versi baru tidak dapat berlaku untuk bulan yang sudah lewat; pilih bulan ini atau sesudahnya.' });
    }
    const published = await listPublications(ctx.store, formId);
    const last = published[published.length - 1];
    if (last && requestProblems.every((p) => p.pointer !== '/berlaku_mulai') && order(request.from) < order(last.from)) {
      requestProblems.push({ pointer: '/berlaku_mulai', message: `Versi ${last.version} berlaku mulai ${last.from.bulan}/${last.from.tahun}; versi baru harus berlaku mulai bulan itu atau sesudahnya.` });
    }
    const latest = await latestVersion(ctx.store, formId);
    if (request.baseVersion !== undefined && request.baseVersion !== latest) {
      return { status: 'refused', reasons: [`Draf ini dibuat dari versi ${request.baseVersion}, padahal versi ${latest} sudah diterbitkan sesudahnya. Buat draf baru dari versi ${latest} agar perubahannya tidak hilang.`] };
    }
    const version = latest + 1;
    const { model, problems } = checkDraft(ctx, formId, definition, version);
    const failures = model ? runTestCases(model) : [];
    if (!model || problems.length || failures.length || requestProblems.length) return { status: 'invalid', problems: [...requestProblems, ...problems], failures };
    try {
      await publishDefinition(ctx.store, model);
    } catch (e) {
      if (e instanceof MigrationRefused) return { status: 'refused', reasons: e.reasons };
      throw e;
    }
    const before = ctx.forms.get(formId);
    const changes: Change[] = before ? describeChanges(before, model) : [];
    const publication: Publication = {
      formId, version, definition: model.schema as Record<string, unknown>, from: request.from, note: request.note.trim(), by: request.by, at: new Date().toISOString(), changes,
    };
    if (!(await recordPublication(ctx.store, publication))) return { status: 'refused', reasons: [`Versi ${version} baru saja diterbitkan oleh orang lain; muat ulang dan periksa lagi.`] };
    // The other server processes install it from the record just made (server/studio/follow-publications.ts).
    await ctx.store.changes.announce({ topic: 'definitions', detail: formId });
    return { status: 'published', model, publication };
  });
}
