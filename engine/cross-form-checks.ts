/**
 * Checks across the definitions of one folder, as a table from a check's name to what it finds:
 * a form may name another (`x-ref-form`, a report's `x-rollup`), and what it names must exist,
 * load, and have the fields and tables the declaration reads (as engine/reports/ reads them).
 * Run by loadFormsChecked once every single definition has been judged on its own.
 */
import { declared, fieldDefPointer, paramSection } from './check-definition.js';
import type { DefinitionProblem } from './issues.js';
import { indexModel } from './model-index.js';
import type { FormModel } from './model-types.js';
import { inspectCondition } from './rules.js';

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface FolderContext {
  /** The definitions that loaded on their own, by id. */
  readonly forms: ReadonlyMap<string, FormModel>;
  /** Ids of definition files that exist but were refused. */
  readonly refused: ReadonlySet<string>;
  /** Ids of the target data files (`forms/targets/*.json`). */
  readonly targets: ReadonlySet<string>;
}

type CrossCheck = (model: FormModel, folder: FolderContext) => DefinitionProblem[];

/** A problem when `id` names no loaded form; undefined when it names one. */
function missingForm(id: unknown, what: string, pointer: string, folder: FolderContext): DefinitionProblem | undefined {
  if (typeof id !== 'string' || folder.forms.has(id)) return undefined;
  return folder.refused.has(id)
    ? { pointer, message: `${what} merujuk formulir "${id}" yang ditolak; perbaiki dulu masalah definisi itu.` }
    : { pointer, message: `${what} merujuk formulir "${id}" yang tidak ada.` };
}

/** Every form another one names, with where and how it is named. */
function namedForms(model: FormModel): { id: unknown; what: string; pointer: string }[] {
  const out: { id: unknown; what: string; pointer: string }[] = [];
  for (const part of model.parts) {
    for (const f of part.kind === 'section' ? part.fields : part.columns) {
      if (f.refForm !== undefined) out.push({ id: f.refForm, what: '"x-ref-form"', pointer: `${fieldDefPointer(model, f)}/x-ref-form` });
    }
  }
  const decl = declared.reportRollup(model);
  if (decl?.scope === 'province') out.push({ id: decl.rowPer, what: '"x-rollup.rowPer"', pointer: '/x-rollup/rowPer' });
  if (decl?.scope === 'group') asList(decl.copy).forEach((c, i) => out.push({ id: asObject(c).from, what: '"x-rollup.copy"', pointer: `/x-rollup/copy/${i}/from` }));
  for (const col of declared.columnRollups(model)) out.push({ id: col.decl.from, what: '"x-rollup.from"', pointer: `${col.pointer}/from` });
  return out;
}

/** Fields a condition evaluated against `source` may read: the row's columns (when counting a table) and the root fields. */
function conditionProblems(source: FormModel, cond: unknown, pointer: string, repeat: string | undefined): DefinitionProblem[] {
  const idx = indexModel(source);
  return inspectCondition(cond, pointer).refs.flatMap((ref) => {
    if (ref.kind === 'field' && !(repeat !== undefined && idx.rowFields.get(repeat)?.has(ref.name)) && !idx.rootFields.has(ref.name)) {
      return [{ pointer: ref.pointer, message: `Kondisi menyebut isian "${ref.name}" yang tidak ada di ${repeat ? `tabel "${repeat}" maupun bagian lain ` : ''}formulir "${source.id}".` }];
    }
    if (ref.kind === 'repeat' && !idx.repeats.has(ref.name)) {
      return [{ pointer: ref.pointer, message: `Kondisi menghitung baris "${ref.name}", padahal formulir "${source.id}" tidak punya tabel berulang itu.` }];
    }
    return [];
  });
}

export const crossFormChecks: Record<string, CrossCheck> = {
  'named forms exist and load': (model, folder) =>
    namedForms(model).flatMap(({ id, what, pointer }) => missingForm(id, what, pointer, folder) ?? []),

  'table report names fields of the form it has a row per': (model, folder) => {
    const decl = declared.reportRollup(model);
    const source = decl?.scope === 'province' && typeof decl.rowPer === 'string' ? folder.forms.get(decl.rowPer) : undefined;
    if (!decl || !source) return [];
    const fields = indexModel(source).rootFields;
    const problems: DefinitionProblem[] = [];
    const filter = asObject(decl.filter);
    if (typeof filter.field === 'string' && !fields.has(filter.field)) {
      problems.push({ pointer: '/x-rollup/filter/field', message: `"filter.field" menyebut isian "${filter.field}" yang tidak ada di bagian mana pun formulir "${source.id}".` });
    }
    asList(decl.orderBy).forEach((name, i) => {
      if (typeof name === 'string' && !fields.has(name)) problems.push({ pointer: `/x-rollup/orderBy/${i}`, message: `"orderBy" menyebut isian "${name}" yang tidak ada di bagian mana pun formulir "${source.id}".` });
    });
    if (typeof decl.target === 'string' && !folder.targets.has(decl.target)) {
      problems.push({ pointer: '/x-rollup/target', message: `"target" menyebut data target "${decl.target}", padahal berkas targets/${decl.target}.json tidak ada.` });
    }
    return problems;
  },

  'report columns read what their source form has': (model, folder) => {
    const decl = declared.reportRollup(model);
    const rowPer = decl?.scope === 'province' ? decl.rowPer : undefined;
    const period = asObject(decl?.period);
    return declared.columnRollups(model).flatMap(({ decl: col, pointer }) => {
      const source = typeof col.from === 'string' ? folder.forms.get(col.from) : undefined;
      if (!source) return [];
      const idx = indexModel(source);
      const problems: DefinitionProblem[] = [];
      if (typeof col.value === 'string' && col.value !== 'id' && !idx.rootFields.has(col.value)) {
        problems.push({ pointer: `${pointer}/value`, message: `"value" menyebut isian "${col.value}" yang tidak ada di bagian mana pun formulir "${source.id}" (atau tulis "id" untuk kode kirimannya).` });
      }
      if (typeof col.count === 'string' && !idx.repeats.has(col.count)) {
        problems.push({ pointer: `${pointer}/count`, message: `"count" menyebut tabel "${col.count}", padahal formulir "${source.id}" tidak punya tabel berulang itu.` });
      }
      if (typeof col.flag === 'string') {
        const flag = idx.rootFields.get(col.flag);
        if (!flag) problems.push({ pointer: `${pointer}/flag`, message: `"flag" menyebut isian "${col.flag}" yang tidak ada di bagian mana pun formulir "${source.id}".` });
        else if (flag.valueType !== 'boolean') problems.push({ pointer: `${pointer}/flag`, message: `"flag" harus menyebut isian Ya/Tidak; "${col.flag}" di formulir "${source.id}" bukan Ya/Tidak.` });
        // A flag is read from the source's submission that names the row's group (its x-ref-form) for the report's month.
        if (typeof rowPer === 'string' && source.id !== rowPer) {
          if (![...idx.rootFields.values()].some((f) => f.refForm === rowPer)) {
            problems.push({ pointer: `${pointer}/from`, message: `Formulir "${source.id}" tidak punya isian yang merujuk "${rowPer}" ("x-ref-form"), jadi "flag" tidak dapat dibaca per baris laporan.` });
          }
          for (const key of ['year', 'month'] as const) {
            const name = period[key];
            if (typeof name === 'string' && !idx.rootFields.has(name)) problems.push({ pointer: `/x-rollup/period/${key}`, message: `"period.${key}" menyebut "${name}", padahal formulir "${source.id}" (sumber "flag") tidak punya isian itu.` });
          }
        }
      }
      // A `where` over a table that is not there would only echo the `count` problem.
      const countOk = typeof col.count !== 'string' || idx.repeats.has(col.count);
      if (col.where !== undefined && countOk) problems.push(...conditionProblems(source, col.where, `${pointer}/where`, typeof col.count === 'string' ? col.count : undefined));
      return problems;
    }).filter((p, i, all) => all.findIndex((q) => q.pointer === p.pointer && q.message === p.message) === i);
  },

  'group report copies parts that match': (model, folder) => {
    const decl = declared.reportRollup(model);
    if (decl?.scope !== 'group') return [];
    const params = paramSection(model);
    return asList(decl.copy).flatMap((raw, i) => {
      const c = asObject(raw);
      const source = typeof c.from === 'string' ? folder.forms.get(c.from) : undefined;
      if (!source) return [];
      const problems: DefinitionProblem[] = [];
      const from = source.parts.find((p) => p.key === c.path);
      const to = model.parts.find((p) => p.key === c.section);
      if (!from) problems.push({ pointer: `/x-rollup/copy/${i}/path`, message: `"path" menyebut bagian "${String(c.path)}" yang tidak ada di formulir "${source.id}".` });
      else if (to && to.kind !== from.kind) {
        problems.push({ pointer: `/x-rollup/copy/${i}/section`, message: `Bagian "${to.key}" adalah ${to.kind === 'repeat' ? 'tabel berulang' : 'bagian biasa'}, sedangkan "${from.key}" di formulir "${source.id}" ${from.kind === 'repeat' ? 'tabel berulang' : 'bagian biasa'}; keduanya harus sejenis.` });
      }
      // The submission to copy is the one the parameter section's link field names.
      if (params && !params.fields.some((f) => f.refForm === source.id)) {
        problems.push({ pointer: `/x-rollup/copy/${i}/from`, message: `Bagian parameter "${params.key}" tidak punya isian yang merujuk "${source.id}" ("x-ref-form"), jadi laporan tidak tahu kiriman mana yang disalin.` });
      }
      return problems;
    }).filter((p, i, all) => all.findIndex((q) => q.pointer === p.pointer && q.message === p.message) === i);
  },
};

/** Every cross-form problem of `model` within its folder. */
export function checkAcrossForms(model: FormModel, folder: FolderContext): DefinitionProblem[] {
  return Object.values(crossFormChecks).flatMap((check) => check(model, folder));
}
