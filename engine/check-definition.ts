/**
 * Semantic checks of a definition, as a table from a check's name to the function that finds its
 * violations. Every check runs; every violation is reported with its pointer, so a staff member who
 * edits a form sees all the problems at once.
 */
import type { DefinitionProblem } from './issues.js';
import type { FieldNode, FormModel, SectionNode } from './model-types.js';
import { indexModel } from './model-index.js';
import { inspectCondition } from './rules.js';

type Check = (model: FormModel) => DefinitionProblem[];

/** Where a field is declared in the definition file. */
export function fieldDefPointer(model: FormModel, field: FieldNode): string {
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

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The declarations as written (the resolved schema), not as the model types them: these checks
 * judge exactly what the author wrote, and the meta-schema has already fixed its shape.
 */
export const declared = {
  root: (model: FormModel): Json => model.schema as Json,
  reportRollup: (model: FormModel): Json | undefined => (model.schema['x-rollup'] === undefined ? undefined : asObject(model.schema['x-rollup'])),
  /** Every column with `x-rollup`, with its repeat and the pointer of its declaration. */
  columnRollups: (model: FormModel): { repeat: string | null; field: FieldNode; decl: Json; pointer: string }[] =>
    model.parts.flatMap((part) => {
      const props = asObject(part.kind === 'repeat' ? asObject(asObject(asObject(model.schema.properties)[part.key]).items).properties : asObject(asObject(model.schema.properties)[part.key]).properties);
      return (part.kind === 'section' ? part.fields : part.columns).flatMap((f) => {
        const decl = asObject(props[f.key])['x-rollup'];
        return decl === undefined ? [] : [{ repeat: part.kind === 'repeat' ? part.key : null, field: f, decl: asObject(decl), pointer: `${fieldDefPointer(model, f)}/x-rollup` }];
      });
    }),
};

/** The section a report reads its parameters from (`x-rollup.params`), when it is one. */
export function paramSection(model: FormModel): SectionNode | undefined {
  const name = declared.reportRollup(model)?.params;
  return model.parts.find((p): p is SectionNode => p.kind === 'section' && p.key === name);
}

const rootField = (model: FormModel, name: unknown): boolean => typeof name === 'string' && indexModel(model).rootFields.has(name);

/** `{param: "tahun"}` names a field of the report's parameter section. */
function paramProblems(model: FormModel, cond: unknown, pointer: string, asCondition: boolean): DefinitionProblem[] {
  const section = paramSection(model);
  if (!section) return [];
  const refs = asCondition
    ? inspectCondition(cond, pointer).refs.filter((r) => r.kind === 'param')
    : typeof asObject(cond).param === 'string' ? [{ name: asObject(cond).param as string, pointer: `${pointer}/param` }] : [];
  return refs
    .filter((r) => !section.fields.some((f) => f.key === r.name))
    .map((r) => ({ pointer: r.pointer, message: `Parameter "${r.name}" tidak ada di bagian parameter laporan "${section.key}"; pilihan: ${section.fields.map((f) => f.key).join(', ')}.` }));
}

/** A show-when waiting for a code its choice field does not have: the field would never show. */
function unreachableShowWhen(model: FormModel, f: FieldNode, repeat: string | null): DefinitionProblem[] {
  const cond = f.showWhen as { field?: unknown; equals?: unknown; in?: unknown };
  if (typeof cond.field !== 'string') return [];
  const idx = indexModel(model);
  const target = (repeat !== null ? idx.rowFields.get(repeat)?.get(cond.field) : undefined) ?? idx.rootFields.get(cond.field);
  if (!target?.options) return [];
  const codes = new Set(target.options.map((o) => o.value));
  const wanted = 'equals' in cond ? [cond.equals] : Array.isArray(cond.in) ? cond.in : [];
  const missing = wanted.filter((v) => !codes.has(v as string | number));
  return missing.length
    ? [{ pointer: `${fieldDefPointer(model, f)}/x-show-when`, message: `Isian "${f.label}" tampil bila "${target.label}" bernilai ${missing.map((v) => `"${String(v)}"`).join(', ')}, padahal "${target.label}" tidak punya pilihan itu (pilihan: ${[...codes].join(', ')}); isian ini tidak akan pernah tampil.` }]
    : [];
}

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

  'a former key (x-renamed-from) is no current key': (model) => {
    // Data sent under a former key is carried to the renamed field: the key must mean only that.
    const problems: DefinitionProblem[] = [];
    for (const part of model.parts) {
      const fields = part.kind === 'section' ? model.parts.flatMap((p) => (p.kind === 'section' ? p.fields : [])) : part.columns;
      for (const f of part.kind === 'section' ? part.fields : part.columns) {
        for (const former of f.formerKeys) {
          const now = fields.find((x) => x.key === former);
          if (now) problems.push({ pointer: `${fieldDefPointer(model, f)}/x-renamed-from`, message: `Kunci lama "${former}" dari isian "${f.label}" kini dipakai isian "${now.label}"; kunci lama tidak boleh dipakai lagi.` });
        }
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
        ...(f.showWhen ? unreachableShowWhen(model, f, repeat) : []),
        ...(f.derived && !indexModel(model).repeats.has(f.derived.count)
          ? [{ pointer: `${fieldDefPointer(model, f)}/x-derived/count`, message: `"x-derived" menghitung baris "${f.derived.count}", padahal tidak ada bagian berulang bernama itu.` }]
          : []),
      ]);
    }),
};

export const reportChecks: Record<string, Check> = {
  'x-title-field names a text field of a section': (model) => {
    const name = declared.root(model)['x-title-field'];
    if (name === undefined) return [];
    const field = typeof name === 'string' ? indexModel(model).rootFields.get(name) : undefined;
    if (!field) return [{ pointer: '/x-title-field', message: `"x-title-field" menyebut isian "${String(name)}" yang tidak ada di bagian mana pun formulir ini (isian tabel berulang tidak bisa menjadi nama).` }];
    if (field.type !== 'text') return [{ pointer: '/x-title-field', message: `"x-title-field" harus menyebut isian teks (nama kelompok, misalnya); "${field.key}" bukan teks.` }];
    return [];
  },

  'x-unique names fields of the sections': (model) =>
    asList(declared.root(model)['x-unique']).flatMap((name, i) =>
      rootField(model, name) ? [] : [{ pointer: `/x-unique/${i}`, message: `"x-unique" menyebut isian "${String(name)}" yang tidak ada di bagian mana pun formulir ini.` }]),

  'x-entity.contact names fields of the sections': (model) =>
    asList(asObject(declared.root(model)['x-entity']).contact).flatMap((name, i) =>
      rootField(model, name) ? [] : [{ pointer: `/x-entity/contact/${i}`, message: `"x-entity.contact" menyebut isian "${String(name)}" yang tidak ada di bagian mana pun formulir ini.` }]),

  'x-deadline names integer fields of the sections': (model) => {
    const decl = asObject(declared.root(model)['x-deadline']);
    return (['year', 'month'] as const).flatMap((key) => {
      const name = decl[key];
      if (name === undefined) return [];
      const field = typeof name === 'string' ? indexModel(model).rootFields.get(name) : undefined;
      if (!field) return [{ pointer: `/x-deadline/${key}`, message: `"x-deadline.${key}" menyebut isian "${String(name)}" yang tidak ada di bagian mana pun formulir ini.` }];
      if (field.valueType !== 'integer') return [{ pointer: `/x-deadline/${key}`, message: `"x-deadline.${key}" harus menyebut isian bilangan bulat (tahun atau bulan); "${field.key}" bukan.` }];
      return [];
    });
  },

  'x-pdf header and signatures name fields': (model) => {
    const pdf = asObject(declared.root(model)['x-pdf']);
    const problems: DefinitionProblem[] = [];
    asList(pdf.header).forEach((name, i) => {
      if (!rootField(model, name)) problems.push({ pointer: `/x-pdf/header/${i}`, message: `"x-pdf.header" menyebut isian "${String(name)}" yang tidak ada di bagian mana pun formulir ini.` });
    });
    asList(pdf.signatures).forEach((raw, i) => {
      const sig = asObject(raw);
      if (!rootField(model, sig.name)) problems.push({ pointer: `/x-pdf/signatures/${i}/name`, message: `Tanda tangan menyebut isian nama "${String(sig.name)}" yang tidak ada di bagian mana pun formulir ini.` });
      for (const key of ['heading', 'title'] as const) {
        for (const [, placeholder] of String(sig[key] ?? '').matchAll(/\{(\w+)\}/g)) {
          if (!rootField(model, placeholder)) problems.push({ pointer: `/x-pdf/signatures/${i}/${key}`, message: `Tempat isian "{${placeholder}}" menyebut isian yang tidak ada di bagian mana pun formulir ini.` });
        }
      }
    });
    return problems;
  },

  'x-rollup is declared on reports only': (model) => {
    if (model.formKind === 'report') return [];
    const problems = declared.reportRollup(model) ? [{ pointer: '/x-rollup', message: '"x-rollup" hanya untuk laporan ("x-kind": "report").' }] : [];
    return [...problems, ...declared.columnRollups(model).map((c) => ({ pointer: c.pointer, message: '"x-rollup" pada kolom hanya untuk laporan ("x-kind": "report").' }))];
  },

  'report x-rollup names its own parts and parameters': (model) => {
    const decl = declared.reportRollup(model);
    if (!decl) return [];
    const problems: DefinitionProblem[] = [];
    const part = (key: unknown) => model.parts.find((p) => p.key === key);
    const section = paramSection(model);
    if (!section) {
      problems.push({ pointer: '/x-rollup/params', message: `"params" harus menyebut bagian (bukan tabel berulang) formulir ini yang berisi parameter laporan; "${String(decl.params)}" ${part(decl.params) ? 'adalah tabel berulang' : 'tidak ada'}.` });
    } else {
      for (const key of Object.keys(asObject(decl.paramNames))) {
        if (!section.fields.some((f) => f.key === key)) problems.push({ pointer: `/x-rollup/paramNames/${key}`, message: `"paramNames" menyebut isian "${key}" yang tidak ada di bagian parameter "${section.key}".` });
      }
    }
    const period = asObject(decl.period);
    for (const key of ['year', 'month'] as const) {
      if (period[key] !== undefined && section && !section.fields.some((f) => f.key === period[key])) {
        problems.push({ pointer: `/x-rollup/period/${key}`, message: `"period.${key}" menyebut "${String(period[key])}", padahal bagian parameter "${section.key}" tidak punya isian itu.` });
      }
    }
    if (decl.scope === 'province') {
      const rows = part(decl.rows);
      if (rows?.kind !== 'repeat') problems.push({ pointer: '/x-rollup/rows', message: `"rows" harus menyebut tabel berulang formulir ini; "${String(decl.rows)}" ${rows ? 'bukan tabel berulang' : 'tidak ada'}.` });
      if (decl.filter !== undefined) problems.push(...paramProblems(model, asObject(decl.filter).equals, '/x-rollup/filter/equals', false));
    }
    if (decl.scope === 'group') {
      asList(decl.copy).forEach((raw, i) => {
        const c = asObject(raw);
        if (!part(c.section)) problems.push({ pointer: `/x-rollup/copy/${i}/section`, message: `"copy" menyebut bagian "${String(c.section)}" yang tidak ada di laporan ini.` });
      });
    }
    for (const col of declared.columnRollups(model)) {
      if (col.decl.where !== undefined) problems.push(...paramProblems(model, col.decl.where, `${col.pointer}/where`, true));
    }
    return problems;
  },
};

/** Run every check; an empty list means the definition is usable. */
export function checkDefinition(model: FormModel): DefinitionProblem[] {
  return [...Object.values(definitionChecks), ...Object.values(reportChecks)].flatMap((check) => check(model));
}
