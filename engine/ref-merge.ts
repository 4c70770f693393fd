/**
 * What keywords beside a `$ref` mean, per JSON Schema 2020-12: the referring node must satisfy
 * both its own keywords and the target's. Inlining must therefore never let a local keyword
 * replace the target's constraint (a local `maximum: 500` over a shared `maximum: 100` would
 * otherwise widen the range). Where one value can say both, it is tightened in place (the larger
 * minimum, the smaller maximum, the common codes), because build-model reads bounds from the
 * node's top level; otherwise the local keyword joins an `allOf`. Annotations (labels, help,
 * messages, x- hints, examples) are the exception: the local one wins, which is how a field gets
 * its own label over a shared code list.
 */
import type { DefinitionProblem } from './issues.js';

type JsonObject = Record<string, unknown>;

const LOWER = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
const UPPER = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default', 'errorMessage']);
/** Content keywords: both sides would apply, so a local one would only refuse what the target declares. */
const STRUCTURE = new Set(['properties', 'items', 'prefixItems', '$defs', 'patternProperties', 'additionalProperties']);

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

const asTypes = (t: unknown): string[] => (Array.isArray(t) ? t.map(String) : [String(t)]);

/** Types both sides allow (`integer` is within `number`). */
function intersectTypes(a: unknown, b: unknown): string[] {
  const expand = (list: string[]) => (list.includes('number') ? [...list, 'integer'] : list);
  const right = expand(asTypes(b));
  const common = [...new Set(expand(asTypes(a)).filter((t) => right.includes(t)))];
  return common.includes('number') ? common.filter((t) => t !== 'integer') : common;
}

export interface MergeResult {
  readonly merged: JsonObject;
  readonly problems: DefinitionProblem[];
}

/**
 * The node `{ $ref: target, ...local }` as one schema. `target` is already inlined; `local` is
 * the referring node without its `$ref`; `pointer` is where it is written (for problems).
 */
export function mergeBesideRef(target: JsonObject, local: JsonObject, pointer: string): MergeResult {
  const merged: JsonObject = { ...target };
  const extra: JsonObject[] = [];
  const problems: DefinitionProblem[] = [];
  const localConditional: JsonObject = {};

  for (const [k, v] of Object.entries(local)) {
    const at = `${pointer}/${k}`;
    const theirs = target[k];
    if (ANNOTATIONS.has(k) || (k.startsWith('x-') && k !== 'x-rules')) merged[k] = v;
    else if (!(k in target) || deepEqual(theirs, v)) {
      if (k === 'if' || k === 'then' || k === 'else') localConditional[k] = v;
      else merged[k] = v;
    } else if (k === 'x-rules' && Array.isArray(theirs) && Array.isArray(v)) merged[k] = [...theirs, ...v];
    else if (LOWER.has(k) && typeof v === 'number' && typeof theirs === 'number') merged[k] = Math.max(v, theirs);
    else if (UPPER.has(k) && typeof v === 'number' && typeof theirs === 'number') merged[k] = Math.min(v, theirs);
    else if (k === 'required' && Array.isArray(v) && Array.isArray(theirs)) merged[k] = [...new Set([...theirs, ...v])];
    else if (k === 'allOf' && Array.isArray(v) && Array.isArray(theirs)) merged[k] = [...theirs, ...v];
    else if (k === 'type') {
      const common = intersectTypes(theirs, v);
      if (common.length === 0) problems.push({ pointer: at, message: `"type" ${JSON.stringify(v)} tidak cocok dengan "type" ${JSON.stringify(theirs)} pada rujukan: tidak ada nilai yang memenuhi keduanya.` });
      else merged[k] = common.length === 1 ? common[0] : common;
    } else if (k === 'enum' && Array.isArray(v) && Array.isArray(theirs)) {
      const common = theirs.filter((x) => v.some((y) => deepEqual(x, y)));
      if (common.length === 0) problems.push({ pointer: at, message: 'Daftar "enum" ini tidak punya satu nilai pun yang juga ada di daftar rujukan.' });
      else merged[k] = common;
    } else if (k === 'oneOf' && Array.isArray(v) && Array.isArray(theirs)) {
      // A code list narrowed beside its `$ref`: the common codes, labelled as the local list says.
      const common = v.filter((o) => isObject(o) && theirs.some((t) => isObject(t) && deepEqual(t.const, o.const)));
      if (common.length === 0) problems.push({ pointer: at, message: 'Daftar pilihan "oneOf" ini tidak punya satu kode pun yang juga ada di daftar rujukan.' });
      else merged[k] = common;
    } else if (k === 'multipleOf' && typeof v === 'number' && typeof theirs === 'number' && (Number.isInteger(v / theirs) || Number.isInteger(theirs / v))) {
      merged[k] = Math.max(v, theirs);
    } else if (STRUCTURE.has(k)) {
      problems.push({
        pointer: at,
        message: `"${k}" tidak boleh ditulis di samping "$ref" bila rujukannya sudah punya "${k}" lain: keduanya akan berlaku sekaligus. Tulis bagian ini lengkap tanpa "$ref", atau ubah definisi bersamanya.`,
      });
    } else if (k === 'if' || k === 'then' || k === 'else') localConditional[k] = v;
    else extra.push({ [k]: v });
  }

  if (Object.keys(localConditional).length) {
    if ('if' in target || 'then' in target || 'else' in target) extra.push(localConditional);
    else Object.assign(merged, localConditional);
  }
  if (extra.length) merged.allOf = [...(Array.isArray(merged.allOf) ? merged.allOf : []), ...extra];
  return { merged, problems };
}
