/**
 * The definition pipeline, one stage after another (json-schema-to-typescript's shape):
 * meta-schema check → resolve `$ref`s → build the model → semantic checks. Every stage runs and
 * all problems are reported together; a definition with any problem is refused.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAjv } from './ajv.js';
import { buildModel } from './build-model.js';
import { checkDefinition } from './check-definition.js';
import { DefinitionError, type DefinitionProblem } from './issues.js';
import { collapseErrors, errorPointer, indonesianMessage } from './messages.js';
import type { FormModel } from './model-types.js';
import { FORMS_BASE, resolveRefs, type JsonObject, type SchemaRegistry } from './resolve-refs.js';
import definitionMeta from './definition.schema.json' with { type: 'json' };
import sharedMeta from './shared-defs.schema.json' with { type: 'json' };

/** The repository's own forms folder. */
export const FORMS_DIR = fileURLToPath(new URL('../forms/', import.meta.url));
export const SHARED_DIR_NAME = 'defs';

const metaAjv = createAjv();
metaAjv.addSchema(definitionMeta);
const checkDefinitionShape = metaAjv.compile(definitionMeta);
const checkSharedShape = metaAjv.compile(sharedMeta);

function metaProblems(fn: typeof checkDefinitionShape, doc: unknown): DefinitionProblem[] {
  if (fn(doc)) return [];
  return collapseErrors(fn.errors ?? []).map((e) => ({ pointer: errorPointer(e), message: indonesianMessage(e) }));
}

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Every problem of a definition; empty means it compiles. */
export function definitionProblems(id: string, definition: unknown, registry: SchemaRegistry): { problems: DefinitionProblem[]; model?: FormModel } {
  const problems: DefinitionProblem[] = [];
  if (!ID_PATTERN.test(id)) problems.push({ pointer: '', message: `Nama berkas "${id}" tidak sah: pakai huruf kecil, angka dan tanda hubung.` });
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return { problems: [...problems, { pointer: '', message: 'Definisi harus berupa objek JSON.' }] };
  }
  const shape = metaProblems(checkDefinitionShape, definition);
  const { schema, problems: refProblems } = resolveRefs(definition as JsonObject, `${FORMS_BASE}${id}.json`, registry);
  // The resolved schema is checked again: a referenced node must obey the same vocabulary.
  const resolvedShape = refProblems.length === 0 ? metaProblems(checkDefinitionShape, schema) : [];
  const { model, problems: modelProblems } = buildModel(id, schema);
  const reported = [...shape, ...resolvedShape.filter((p) => !shape.some((s) => s.pointer === p.pointer)), ...refProblems];
  // Later stages read what earlier ones refused; their findings would only echo the first problem.
  const semantic = reported.length === 0 ? checkDefinition(model) : [];
  const extra = refProblems.length ? [] : [...modelProblems, ...semantic].filter((p) => !reported.some((s) => p.pointer.startsWith(s.pointer) && s.pointer !== ''));
  problems.push(...reported, ...extra);
  return problems.length ? { problems } : { problems, model };
}

/** Load one definition (an object) into a model, or throw a DefinitionError listing every problem. */
export function loadDefinition(id: string, definition: unknown, registry: SchemaRegistry = loadSharedDefs()): FormModel {
  const { problems, model } = definitionProblems(id, definition, registry);
  if (!model) throw new DefinitionError(id, problems);
  return model;
}

/** Load one definition file; its id is the file name without `.json`. */
export function loadDefinitionFile(path: string, registry?: SchemaRegistry): FormModel {
  const id = basename(path).replace(/\.json$/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DefinitionError(id, [{ pointer: '', message: `Berkas bukan JSON yang sah: ${(e as Error).message}` }]);
  }
  return loadDefinition(id, raw, registry ?? loadSharedDefs(join(path, '..')));
}

/** The shared `$defs` files (`forms/defs/*.json`) by URI, each checked against its meta-schema. */
export function loadSharedDefs(formsDir: string = FORMS_DIR): Map<string, JsonObject> {
  const dir = join(formsDir, SHARED_DIR_NAME);
  const registry = new Map<string, JsonObject>();
  if (!existsSync(dir)) return registry;
  const problems: DefinitionProblem[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as JsonObject;
    problems.push(...metaProblems(checkSharedShape, doc).map((p) => ({ ...p, pointer: `${SHARED_DIR_NAME}/${file}#${p.pointer}` })));
    registry.set(`${FORMS_BASE}${SHARED_DIR_NAME}/${file}`, doc);
  }
  if (problems.length) throw new DefinitionError(SHARED_DIR_NAME, problems);
  return registry;
}

/** Every form of a folder, by id. Any broken definition refuses the whole set, listing all. */
export function loadForms(formsDir: string = FORMS_DIR): Map<string, FormModel> {
  const registry = loadSharedDefs(formsDir);
  const forms = new Map<string, FormModel>();
  const errors: DefinitionError[] = [];
  for (const file of readdirSync(formsDir).filter((f) => f.endsWith('.json')).sort()) {
    try {
      const model = loadDefinitionFile(join(formsDir, file), registry);
      forms.set(model.id, model);
    } catch (e) {
      if (e instanceof DefinitionError) errors.push(e);
      else throw e;
    }
  }
  const crossProblems = [...forms.values()].flatMap((m) =>
    m.parts.flatMap((p) => (p.kind === 'section' ? p.fields : p.columns))
      .filter((f) => f.refForm !== undefined && !forms.has(f.refForm))
      .map((f) => new DefinitionError(m.id, [{ pointer: f.pointer, message: `"x-ref-form" merujuk formulir "${f.refForm}" yang tidak ada.` }])),
  );
  errors.push(...crossProblems);
  if (errors.length === 1) throw errors[0];
  if (errors.length) throw new DefinitionError(errors.map((e) => e.formId).join(', '), errors.flatMap((e) => e.problems.map((p) => ({ ...p, pointer: `${e.formId}#${p.pointer}` }))));
  return forms;
}
