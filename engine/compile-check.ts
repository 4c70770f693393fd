/**
 * The last stage of loading: the resolved schema is compiled exactly as the validators will be
 * (ajv in strict mode, and ajv's standalone code that the browser bundle is built from). Whatever
 * the meta-schema could not foresee and ajv would throw at the first submission (a keyword strict
 * mode ignores, a pattern that is invalid under the `u` flag, a format ajv does not know) becomes a
 * DefinitionProblem here instead, with the pointer of the offending node, found by compiling its
 * subschemas one by one (only when something failed, so a good definition pays one compile).
 */
import standaloneModule from 'ajv/dist/standalone/index.js';
import { createAjv, type AjvInstance } from './ajv.js';
import type { DefinitionProblem } from './issues.js';
import { escapePointer } from './messages.js';
import type { JsonObject } from './resolve-refs.js';

const standaloneCode = standaloneModule.default;

/** Configured as generators/client/validator-bundle.ts configures the browser's compiler (its loopRequired changes only the code made, not what compiles). */
const bundleLike = (): AjvInstance => createAjv({ messages: false, code: { source: true, esm: true } });

let shared: AjvInstance | undefined;

function compileBoth(ajv: AjvInstance, schema: object): void {
  const fn = ajv.compile(schema);
  try {
    standaloneCode(ajv, fn);
  } finally {
    ajv.removeSchema(schema);
  }
}

/** Whether the subschema compiles on its own (placed under a property, where it sits in a form). */
function compiles(node: unknown): boolean {
  try {
    compileBoth(bundleLike(), { properties: { x: node } });
    return true;
  } catch {
    return false;
  }
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function children(node: JsonObject, pointer: string): [unknown, string][] {
  const out: [unknown, string][] = [];
  for (const [k, v] of Object.entries(node)) {
    const at = `${pointer}/${escapePointer(k)}`;
    if (['properties', '$defs', 'patternProperties', 'dependentSchemas'].includes(k) && isObject(v)) {
      for (const [name, s] of Object.entries(v)) out.push([s, `${at}/${escapePointer(name)}`]);
    } else if (['allOf', 'anyOf', 'oneOf', 'prefixItems'].includes(k) && Array.isArray(v)) v.forEach((s, i) => out.push([s, `${at}/${i}`]));
    else if (['items', 'not', 'if', 'then', 'else', 'contains', 'additionalProperties', 'propertyNames'].includes(k) && isObject(v)) out.push([v, at]);
  }
  return out;
}

/** The deepest node that fails to compile while all its subschemas compile. */
function culprit(node: JsonObject, pointer: string): { node: JsonObject; pointer: string } {
  for (const [child, at] of children(node, pointer)) {
    if (isObject(child) && !compiles(child)) return culprit(child, at);
  }
  return { node, pointer };
}

function describe(error: unknown, node: JsonObject, pointer: string): DefinitionProblem {
  const text = error instanceof Error ? error.message : String(error);
  let m: RegExpExecArray | null;
  if ((m = /unknown keyword: "([^"]+)"/.exec(text))) {
    return { pointer: `${pointer}/${escapePointer(m[1]!)}`, message: `Kata kunci \`${m[1]}\` tidak dikenal oleh pemeriksa isian; hapus atau perbaiki ejaannya.` };
  }
  if (/"if" without "then" and "else"/.test(text)) {
    return { pointer: `${pointer}/if`, message: '"if" harus disertai "then" atau "else"; tanpa keduanya kondisi itu tidak memeriksa apa pun.' };
  }
  if ((m = /unknown format "([^"]+)"/.exec(text))) {
    return { pointer: `${pointer}/format`, message: `Format \`${m[1]}\` tidak dikenal. Pilihan: \`date\`, \`uuid\`, \`email\`.` };
  }
  if (/regular expression/i.test(text)) {
    return { pointer: 'pattern' in node ? `${pointer}/pattern` : pointer, message: `Pola (regex) ${JSON.stringify(node.pattern ?? '')} tidak sah untuk pemeriksa isian, yang membacanya sebagai Unicode (tanda "u"): periksa garis miring terbalik dan kurungnya.` };
  }
  if (/^strict mode: /.test(text)) {
    return { pointer, message: `Bagian ini ditolak pemeriksa isian (mode ketat): ${text.replace(/^strict mode: /, '')}. Perbaiki atau hapus kata kunci yang disebut.` };
  }
  return { pointer, message: `Definisi tidak dapat diubah menjadi pemeriksa isian: ${text}.` };
}

/** Problems compiling `schema` (a resolved definition); empty when both compilers accept it. */
export function compileProblems(schema: JsonObject): DefinitionProblem[] {
  const { $schema: _ignored, ...body } = schema;
  try {
    shared ??= bundleLike();
    compileBoth(shared, body);
    return [];
  } catch (error) {
    // A failed compile may leave ajv holding parts of the schema: start the next one afresh.
    shared = undefined;
    const { node, pointer } = culprit(body, '');
    let detail: unknown = error;
    try {
      compileBoth(bundleLike(), pointer === '' ? body : { properties: { x: node } });
    } catch (e) {
      detail = e;
    }
    return [describe(detail, node, pointer)];
  }
}
