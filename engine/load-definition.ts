/**
 * The definition pipeline, one stage after another (json-schema-to-typescript's shape):
 * meta-schema check → resolve `$ref`s → close objects → meta-schema check of the resolved schema
 * → build the model → semantic checks → compile the validator. Every stage whose input is sound
 * runs and all problems are reported together; a definition with any problem is refused. Bad
 * content never throws here: only loadDefinition/loadForms throw, at the edges, by choice.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv.js';
import { authorProblems } from './author-messages.js';
import { buildModel } from './build-model.js';
import { checkDefinition } from './check-definition.js';
import { closeObjects } from './close-objects.js';
import { compileProblems } from './compile-check.js';
import { DefinitionError, type DefinitionProblem } from './issues.js';
import type { FormModel } from './model-types.js';
import { FORMS_BASE, resolveRefs, type JsonObject, type ResolveOptions, type SchemaRegistry } from './resolve-refs.js';
import definitionMeta from './definition.schema.json' with { type: 'json' };
import sharedMeta from './shared-defs.schema.json' with { type: 'json' };

export { loadForms, loadFormsChecked, type FileProblem, type FormsChecked } from './load-forms.js';

/** The repository's own forms folder. */
export const FORMS_DIR = fileURLToPath(new URL('../forms/', import.meta.url));
export const SHARED_DIR_NAME = 'defs';

const metaAjv = createAjv();
metaAjv.addSchema(definitionMeta);
const checkDefinitionShape = metaAjv.compile(definitionMeta);
const checkSharedShape = metaAjv.compile(sharedMeta);

function metaProblems(fn: ValidateFunction, doc: unknown): DefinitionProblem[] {
  if (fn(doc)) return [];
  return authorProblems(fn.errors ?? []);
}

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Every problem of a definition; empty means it compiles. Never throws for bad content. */
export function definitionProblems(id: string, definition: unknown, registry: SchemaRegistry, options: ResolveOptions = {}): { problems: DefinitionProblem[]; model?: FormModel } {
  const problems: DefinitionProblem[] = [];
  if (!ID_PATTERN.test(id)) problems.push({ pointer: '', message: `Nama berkas "${id}" tidak sah: pakai huruf kecil, angka dan tanda hubung.` });
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return { problems: [...problems, { pointer: '', message: 'Definisi harus berupa objek JSON.' }] };
  }
  const shape = metaProblems(checkDefinitionShape, definition);
  const { schema: resolved, problems: refProblems } = resolveRefs(definition as JsonObject, `${FORMS_BASE}${id}.json`, registry, options);
  const schema = closeObjects(resolved);
  // The resolved schema is checked again: a referenced node must obey the same vocabulary.
  const resolvedShape = refProblems.length === 0 ? metaProblems(checkDefinitionShape, schema) : [];
  const { model, problems: modelProblems } = buildModel(id, schema);
  const reported = [...shape, ...resolvedShape.filter((p) => !shape.some((s) => s.pointer === p.pointer)), ...refProblems];
  // Later stages read what earlier ones refused; their findings would only echo the first problem.
  const semantic = reported.length === 0 ? checkDefinition(model) : [];
  const extra = refProblems.length ? [] : [...modelProblems, ...semantic].filter((p) => !reported.some((s) => s.pointer !== '' && (p.pointer.startsWith(s.pointer) || s.pointer.startsWith(`${p.pointer}/`))));
  problems.push(...reported, ...extra);
  // Compiling is the last word: only a definition every other stage accepts gets this far.
  if (problems.length === 0) problems.push(...compileProblems(schema));
  return problems.length ? { problems } : { problems, model };
}

/** Load one definition (an object) into a model, or throw a DefinitionError listing every problem. */
export function loadDefinition(id: string, definition: unknown, registry: SchemaRegistry = loadSharedDefs()): FormModel {
  const { problems, model } = definitionProblems(id, definition, registry);
  if (!model) throw new DefinitionError(id, problems);
  return model;
}

/** Read and parse a JSON file; a problem (at the file's root) instead of an exception. */
export function readJsonFile(path: string): { value?: unknown; problem?: DefinitionProblem } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { problem: { pointer: '', message: `Berkas tidak dapat dibaca: ${(e as Error).message}` } };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { problem: { pointer: '', message: `Berkas bukan JSON yang sah: ${(e as Error).message}` } };
  }
}

/** Load one definition file; its id is the file name without `.json`. */
export function loadDefinitionFile(path: string, registry?: SchemaRegistry): FormModel {
  const id = basename(path).replace(/\.json$/, '');
  const { value, problem } = readJsonFile(path);
  if (problem) throw new DefinitionError(id, [problem]);
  return loadDefinition(id, value, registry ?? loadSharedDefs(join(path, '..')));
}

/** The shared files of a folder, checked: the good ones by URI, the refused ones' URIs, and why. */
export interface SharedDefsChecked {
  readonly registry: Map<string, JsonObject>;
  readonly broken: Set<string>;
  /** Problems by file name inside the shared folder (`kode.json`). */
  readonly problems: { readonly file: string; readonly problem: DefinitionProblem }[];
}

export function checkSharedDefs(formsDir: string = FORMS_DIR): SharedDefsChecked {
  const dir = join(formsDir, SHARED_DIR_NAME);
  const registry = new Map<string, JsonObject>();
  const broken = new Set<string>();
  const problems: { file: string; problem: DefinitionProblem }[] = [];
  if (!existsSync(dir)) return { registry, broken, problems };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const uri = `${FORMS_BASE}${SHARED_DIR_NAME}/${file}`;
    const { value, problem } = readJsonFile(join(dir, file));
    const found = problem ? [problem] : metaProblems(checkSharedShape, value);
    if (found.length) {
      broken.add(uri);
      problems.push(...found.map((p) => ({ file, problem: p })));
    } else registry.set(uri, value as JsonObject);
  }
  return { registry, broken, problems };
}

/** The shared `$defs` files (`forms/defs/*.json`) by URI, each checked against its meta-schema; throws if any is refused. */
export function loadSharedDefs(formsDir: string = FORMS_DIR): Map<string, JsonObject> {
  const { registry, problems } = checkSharedDefs(formsDir);
  if (problems.length) throw new DefinitionError(SHARED_DIR_NAME, problems.map(({ file, problem }) => ({ ...problem, pointer: `${SHARED_DIR_NAME}/${file}#${problem.pointer}` })));
  return registry;
}
