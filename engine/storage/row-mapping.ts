/**
 * Between a submission (nested JSON) and its rows (one main row, one row per repeat entry).
 * The two functions are exact inverses for every valid submission: the property test in
 * test/storage.test.ts holds them to it.
 */
import type { FormModel } from '../model-types.js';
import type { ColumnSpec, FormTables } from './table-spec.js';

type Json = Record<string, unknown>;
export type Row = Record<string, unknown>;

function toCell(c: ColumnSpec, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (c.field?.valueType === 'boolean') return value ? 1 : 0;
  return value;
}

function fromCell(c: ColumnSpec, cell: unknown): unknown {
  if (cell === null || cell === undefined) return undefined;
  switch (c.field?.valueType) {
    case 'boolean': return Number(cell) === 1;
    case 'integer':
    case 'number': return Number(cell);
    default: return String(cell);
  }
}

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** The main row's field columns and the child rows of a submission. */
export function submissionToRows(tables: FormTables, data: Json, submissionId: string): { main: Row; children: Map<string, Row[]> } {
  const main: Row = {};
  for (const key of tables.optionalSections) main[`_ada_${key}`] = data[key] === undefined ? 0 : 1;
  for (const c of tables.main.columns) {
    if (!c.field?.section) continue;
    main[c.name] = toCell(c, obj(data[c.field.section])[c.field.key]);
  }
  const children = new Map<string, Row[]>();
  for (const child of tables.children) {
    const rows = Array.isArray(data[child.repeat!]) ? (data[child.repeat!] as unknown[]) : [];
    children.set(child.name, rows.map((r, i) => {
      const row: Row = { _submission_id: submissionId, _row: i };
      for (const c of child.columns) if (c.field) row[c.name] = toCell(c, obj(r)[c.field.key]);
      return row;
    }));
  }
  return { main, children };
}

/** Rebuild the submission from its rows; absent values stay absent. */
export function rowsToSubmission(model: FormModel, tables: FormTables, main: Row, children: ReadonlyMap<string, readonly Row[]>): Json {
  const data: Json = {};
  const optional = new Set(tables.optionalSections);
  for (const part of model.parts) {
    if (optional.has(part.key) && Number(main[`_ada_${part.key}`]) !== 1) continue;
    if (part.kind === 'section') {
      const section: Json = {};
      for (const c of tables.main.columns) {
        if (c.field?.section !== part.key) continue;
        const v = fromCell(c, main[c.name]);
        if (v !== undefined) section[c.field.key] = v;
      }
      data[part.key] = section;
    } else {
      const spec = tables.children.find((t) => t.repeat === part.key);
      const rows = spec ? [...(children.get(spec.name) ?? [])].sort((a, b) => Number(a._row) - Number(b._row)) : [];
      data[part.key] = rows.map((r) => {
        const out: Json = {};
        for (const c of spec!.columns) {
          if (!c.field) continue;
          const v = fromCell(c, r[c.name]);
          if (v !== undefined) out[c.field.key] = v;
        }
        return out;
      });
    }
  }
  return data;
}
