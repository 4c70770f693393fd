/**
 * Look-ups over a form model that several stages need: a field by key in a scope, a repeat by
 * key, and the label a person reads for a place in a submission ("Anggota no. 3 — Usia").
 */
import type { FieldNode, FormModel, PartNode, RepeatNode } from './model-types.js';

export interface ModelIndex {
  /** Fields of the non-repeating sections, by key (keys are unique across them). */
  readonly rootFields: ReadonlyMap<string, FieldNode>;
  readonly repeats: ReadonlyMap<string, RepeatNode>;
  /** Columns of each repeat by key. */
  readonly rowFields: ReadonlyMap<string, ReadonlyMap<string, FieldNode>>;
}

const cache = new WeakMap<FormModel, ModelIndex>();

export function indexModel(model: FormModel): ModelIndex {
  const hit = cache.get(model);
  if (hit) return hit;
  const rootFields = new Map<string, FieldNode>();
  const repeats = new Map<string, RepeatNode>();
  const rowFields = new Map<string, Map<string, FieldNode>>();
  for (const part of model.parts) {
    if (part.kind === 'section') {
      for (const f of part.fields) if (!rootFields.has(f.key)) rootFields.set(f.key, f);
    } else {
      repeats.set(part.key, part);
      rowFields.set(part.key, new Map(part.columns.map((c) => [c.key, c])));
    }
  }
  const index = { rootFields, repeats, rowFields };
  cache.set(model, index);
  return index;
}

const segmentsOf = new Map<string, string[]>();

/** Read a value at a JSON pointer; `undefined` when any step is missing. */
export function readPointer(data: unknown, pointer: string): unknown {
  // The same few pointers are read for every submission: split them once.
  let segments = segmentsOf.get(pointer);
  if (!segments) {
    segments = pointer.split('/').slice(1).map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (segmentsOf.size > 10_000) segmentsOf.clear();
    segmentsOf.set(pointer, segments);
  }
  let node: unknown = data;
  for (const seg of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

function partFor(model: FormModel, key: string | undefined): PartNode | undefined {
  return model.parts.find((p) => p.key === key);
}

/**
 * The Indonesian label of a place in a submission. Rows are numbered from 1 as on paper:
 * `/anggota/2/usia` reads "Anggota no. 3 — Usia".
 */
export function labelFor(model: FormModel, path: string): string {
  const [, partKey, second, third] = path.split('/');
  const part = partFor(model, partKey);
  if (!part) return partKey ?? 'Formulir';
  if (part.kind === 'section') {
    if (second === undefined) return part.title;
    return part.fields.find((f) => f.key === second)?.label ?? second;
  }
  if (second === undefined) return part.title;
  const row = `${part.rowLabel} no. ${Number(second) + 1}`;
  if (third === undefined) return row;
  const column = part.columns.find((c) => c.key === third);
  return `${row} — ${column?.label ?? third}`;
}

/** Pointer of a root field by key, e.g. `jumlah_anggota` → `/identitas_kelompok/jumlah_anggota`. */
export function rootPointer(model: FormModel, key: string): string | undefined {
  return indexModel(model).rootFields.get(key)?.pointer;
}
