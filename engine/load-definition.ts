/**
 * The definition pipeline, one stage after another (json-schema-to-typescript's shape):
 * meta-schema check → resolve `$ref`s → close objects → meta-schema check of the resolved schema
 * → build the model → semantic checks → compile the validator. Every stage whose input is sound
 * runs and all problems are reported together; a definition with any problem is refused. Bad
 * content never throws here: only loadDefinition/loadForms throw, at the edges, by choice.
 *
 * A whole folder loads the way the server and `npm run check` load it (loadFormsChecked): every
 * good definition is loaded, every bad one is reported with its file, pointer and sentence. A form
 * that names a missing or refused form (x-ref-form, a report's x-rollup) is refused too,
 * transitively, so the set that loads is always self-consistent. `loadForms` keeps the old
 * all-or-nothing contract on top.
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
import { checkAcrossForms } from './cross-form-checks.js';
import { compileProblems } from './compile-check.js';
import { DefinitionError, type DefinitionProblem } from './issues.js';
import type { FormModel } from './model-types.js';
import { FORMS_BASE, resolveRefs, type JsonObject, type ResolveOptions, type SchemaRegistry } from './resolve-refs.js';
import definitionMeta from './definition.schema.json' with { type: 'json' };
import sharedMeta from './shared-defs.schema.json' with { type: 'json' };

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

/** One problem of a folder: the file (relative to the folder, e.g. `defs/kode.json`), where in it, and why. */
export interface FileProblem {
  readonly file: string;
  readonly pointer: string;
  readonly message: string;
}

export interface FormsChecked {
  /** Every definition that loads, with everything it names, by id. */
  readonly forms: Map<string, FormModel>;
  readonly problems: FileProblem[];
}

const TARGETS_DIR_NAME = 'targets';

/** Load every definition of `formsDir`; never throws for what the files contain. */
export function loadFormsChecked(formsDir: string = FORMS_DIR): FormsChecked {
  const problems: FileProblem[] = [];
  const shared = checkSharedDefs(formsDir);
  for (const { file, problem } of shared.problems) problems.push({ file: `${SHARED_DIR_NAME}/${file}`, ...problem });

  const files = existsSync(formsDir) ? readdirSync(formsDir).filter((f) => f.endsWith('.json')).sort() : [];
  if (!existsSync(formsDir)) problems.push({ file: formsDir, pointer: '', message: 'Folder definisi tidak ada.' });
  const loaded = new Map<string, FormModel>();
  const refused = new Set<string>();
  const fileOf = new Map<string, string>();
  for (const file of files) {
    const id = file.replace(/\.json$/, '');
    fileOf.set(id, file);
    const { value, problem } = readJsonFile(join(formsDir, file));
    const found = problem ? { problems: [problem] } : definitionProblems(id, value, shared.registry, { broken: shared.broken });
    if (found.model) loaded.set(id, found.model);
    else {
      refused.add(id);
      problems.push(...found.problems.map((p) => ({ file, ...p })));
    }
  }

  const targetsDir = join(formsDir, TARGETS_DIR_NAME);
  const targets = new Set(existsSync(targetsDir) ? readdirSync(targetsDir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')) : []);
  // Refusing one form can break another that names it: repeat until nothing more is refused.
  for (let changed = true; changed;) {
    changed = false;
    for (const [id, model] of loaded) {
      const found = checkAcrossForms(model, { forms: loaded, refused, targets });
      if (found.length === 0) continue;
      loaded.delete(id);
      refused.add(id);
      problems.push(...found.map((p) => ({ file: fileOf.get(id) ?? `${id}.json`, ...p })));
      changed = true;
    }
  }
  return { forms: loaded, problems };
}

/** Every form of a folder, by id. Any problem refuses the whole set, listing all (a DefinitionError). */
export function loadForms(formsDir: string = FORMS_DIR): Map<string, FormModel> {
  const { forms, problems } = loadFormsChecked(formsDir);
  if (problems.length === 0) return forms;
  const files = [...new Set(problems.map((p) => p.file))];
  if (files.length === 1 && !files[0]!.includes('/')) throw new DefinitionError(files[0]!.replace(/\.json$/, ''), problems);
  throw new DefinitionError(files.map((f) => f.replace(/\.json$/, '')).join(', '), problems.map((p) => ({ pointer: `${p.file.replace(/\.json$/, '')}#${p.pointer}`, message: p.message })));
}
