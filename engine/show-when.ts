/**
 * `x-show-when`: which fields of a submission are hidden because their condition does not hold.
 * One implementation for the server (a hidden field's value is dropped from a post) and the
 * browser (the validator bundle tells lembar.js which boxes to hide).
 */
import type { FormModel } from './model-types.js';
import { indexModel } from './model-index.js';
import { evaluate } from './rules.js';

type Json = Record<string, unknown>;

/** Pointers (`/section/field`) of the section fields whose `x-show-when` does not hold for `data`. */
export function hiddenFields(model: FormModel, data: Json, today: Date = new Date()): string[] {
  const idx = indexModel(model);
  const value = (name: string) => {
    const f = idx.rootFields.get(name);
    if (!f) return undefined;
    return (data[f.pointer.split('/')[1]!] as Json | undefined)?.[name];
  };
  const env = { value, count: (r: string) => (Array.isArray(data[r]) ? (data[r] as unknown[]).length : 0), param: () => undefined, today };
  const hidden: string[] = [];
  for (const part of model.parts) {
    if (part.kind !== 'section') continue;
    for (const f of part.fields) if (f.showWhen && evaluate(f.showWhen, env) !== true) hidden.push(f.pointer);
  }
  return hidden;
}
