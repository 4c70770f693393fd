/**
 * Loading a whole folder of definitions the way the server and `npm run check` do: every good
 * definition is loaded, every bad one is reported with its file, pointer and sentence, and
 * nothing thrown for bad content (unreadable JSON included). A form that names a missing or
 * refused form (x-ref-form, a report's x-rollup) is refused too, transitively, so the set that
 * loads is always self-consistent. `loadForms` keeps the old all-or-nothing contract on top.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkAcrossForms } from './cross-form-checks.js';
import { DefinitionError } from './issues.js';
import { FORMS_DIR, SHARED_DIR_NAME, checkSharedDefs, definitionProblems, readJsonFile } from './load-definition.js';
import type { FormModel } from './model-types.js';

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
