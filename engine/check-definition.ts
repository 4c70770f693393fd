/**
 * Semantic checks of a definition, as a table from a check's name to the function that finds its
 * violations. Every check runs; every violation is reported with its pointer, so a staff member who
 * edits a form sees all the problems at once.
 */
import type { DefinitionProblem } from './issues.js';
import type { FieldNode, FormModel } from './model-types.js';
import { indexModel } from './model-index.js';
import { inspectCondition } from './rules.js';

type Check = (model: FormModel) => DefinitionProblem[];

function fieldDefPointer(model: FormModel, field: FieldNode): string {
  const [, part] = field.pointer.split('/');
  const p = model.parts.find((x) => x.key === part);
  return p?.kind === 'repeat' ? `/properties/${part}/items/properties/${field.key}` : `/properties/${part}/properties/${field.key}`;
}

/** Resolve a field name the way rules do: the row's own columns first, then the form's fields. */
function fieldExists(model: FormModel, name: string, repeat: string | null): boolean {
  const idx = indexModel(model);
  return (repeat !== null && idx.rowFields.get(repeat)?.has(name) === true) || idx.rootFields.has(name);
}

function checkReferences(model: FormModel, cond: unknown, pointer: string, repeat: string | null, allowParams: boolean): DefinitionProblem[] {
  const { refs, problems } = inspectCondition(cond, pointer);
  const idx = indexModel(model);
  for (const ref of refs) {
    if (ref.kind === 'field' && !fieldExists(model, ref.name, repeat)) {
      problems.push({ pointer: ref.pointer, message: `Aturan menyebut isian "${ref.name}" yang tidak ada${repeat ? ` di baris "${repeat}" maupun di bagian lain formulir` : ' di formulir ini'}.` });
    }
    if (ref.kind === 'repeat' && !idx.repeats.has(ref.name)) {
      problems.push({ pointer: ref.pointer, message: `Aturan menghitung baris "${ref.name}", padahal tidak ada bagian berulang bernama itu.` });
    }
    if (ref.kind === 'param' && !allowParams) {
      problems.push({ pointer: ref.pointer, message: `"param" hanya boleh dipakai dalam x-rollup laporan, bukan dalam aturan isian.` });
    }
  }
  return problems;
}

const allFields = (model: FormModel): FieldNode[] =>
  model.parts.flatMap((p) => (p.kind === 'section' ? p.fields : p.columns));

export const definitionChecks: Record<string, Check> = {
  'field keys are unique across the sections': (model) => {
    const seen = new Map<string, string>();
    const problems: DefinitionProblem[] = [];
    for (const part of model.parts) {
      if (part.kind !== 'section') continue;
      for (const f of part.fields) {
        const other = seen.get(f.key);
        if (other) problems.push({ pointer: fieldDefPointer(model, f), message: `Nama isian "${f.key}" sudah dipakai di bagian "${other}"; nama isian harus unik dalam satu formulir.` });
        else seen.set(f.key, part.key);
      }
    }
    return problems;
  },

  'column numbers are unique within a table': (model) => {
    const problems: DefinitionProblem[] = [];
    for (const part of model.parts) {
      if (part.kind !== 'repeat') continue;
      const owner = new Map<number, string>();
      if (part.rowNumberColumn !== undefined) owner.set(part.rowNumberColumn, 'No');
      for (const c of part.columns) {
        const numbers = typeof c.column === 'number' ? [c.column] : Object.values(c.column ?? {});
        for (const n of numbers) {
          const prev = owner.get(n);
          if (prev !== undefined) {
            problems.push({ pointer: `${fieldDefPointer(model, c)}/x-column`, message: `Nomor kolom (${n}) dipakai dua kali di tabel "${part.title}": oleh "${prev}" dan "${c.key}".` });
          } else owner.set(n, c.key);
        }
      }
    }
    return problems;
  },

  'per-option column numbers name existing codes': (model) =>
    allFields(model).flatMap((f) => {
      if (typeof f.column !== 'object' || f.column === undefined) return [];
      const codes = new Set((f.options ?? []).map((o) => String(o.value)));
      return Object.keys(f.column)
        .filter((code) => !codes.has(code))
        .map((code) => ({ pointer: `${fieldDefPointer(model, f)}/x-column/${code}`, message: `Kode "${code}" tidak ada dalam daftar pilihan isian "${f.key}".` }));
    }),

  'rules name existing fields and well-formed conditions': (model) =>
    model.rules.flatMap(({ rule, repeat, declaredAt }) => {
      const problems = [
        ...(rule.when === undefined ? [] : checkReferences(model, rule.when, `${declaredAt}/when`, repeat, false)),
        ...checkReferences(model, rule.assert, `${declaredAt}/assert`, repeat, false),
      ];
      if (rule.at !== undefined && !fieldExists(model, rule.at, repeat)) {
        problems.push({ pointer: `${declaredAt}/at`, message: `"at" menyebut isian "${rule.at}" yang tidak ada.` });
      }
      return problems;
    }),

  'rule ids are unique in their scope': (model) => {
    const seen = new Set<string>();
    return model.rules.flatMap(({ rule, repeat, declaredAt }) => {
      const key = `${repeat ?? ''}:${rule.id}`;
      if (seen.has(key)) return [{ pointer: `${declaredAt}/id`, message: `Kode aturan "${rule.id}" dipakai dua kali.` }];
      seen.add(key);
      return [];
    });
  },

  'shown-when and derived fields name existing fields': (model) =>
    model.parts.flatMap((part) => {
      const repeat = part.kind === 'repeat' ? part.key : null;
      const fields = part.kind === 'section' ? part.fields : part.columns;
      return fields.flatMap((f) => [
        ...(f.showWhen ? checkReferences(model, f.showWhen, `${fieldDefPointer(model, f)}/x-show-when`, repeat, false) : []),
        ...(f.derived && !indexModel(model).repeats.has(f.derived.count)
          ? [{ pointer: `${fieldDefPointer(model, f)}/x-derived/count`, message: `"x-derived" menghitung baris "${f.derived.count}", padahal tidak ada bagian berulang bernama itu.` }]
          : []),
      ]);
    }),
};

/** Run every check; an empty list means the definition is usable. */
export function checkDefinition(model: FormModel): DefinitionProblem[] {
  return Object.values(definitionChecks).flatMap((check) => check(model));
}
