/**
 * The tables a form needs, as plain data: one table per form, one child table per repeating
 * section. Pure (model in, spec out); `sql.ts` turns a spec into DDL through kysely and the
 * migrator diffs two specs. Keeping the spec as data is what lets a migration compare versions.
 */
import type { FieldNode, FormModel } from '../model-types.js';

export type ColumnType = 'text' | 'integer' | 'real';

export interface ColumnCheck {
  readonly in?: readonly (string | number)[];
  readonly min?: number;
  readonly max?: number;
}

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  readonly check?: ColumnCheck;
  /** `table(column)` this column references. */
  readonly references?: { readonly table: string; readonly column: string };
  /** The model field behind the column; absent for bookkeeping columns. */
  readonly field?: { readonly key: string; readonly section?: string; readonly fieldType: FieldNode['type']; readonly valueType: FieldNode['valueType'] };
}

export interface TableSpec {
  readonly name: string;
  /** For a child table: the repeat key and the parent table. */
  readonly repeat?: string;
  readonly parent?: string;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly { readonly name: string; readonly columns: readonly string[]; readonly unique?: boolean; readonly where?: string }[];
}

export interface FormTables {
  readonly formId: string;
  readonly version: number;
  readonly main: TableSpec;
  readonly children: readonly TableSpec[];
  /** Parts that may be absent: a presence column keeps `{}` or `[]` apart from "not given". */
  readonly optionalSections: readonly string[];
}

/** Field-derived names, or `_`-prefixed bookkeeping names: letters, digits and `_` only. */
const SAFE_IDENTIFIER = /^_?[a-z][a-z0-9_]{0,62}$/;

/** Table name of a form: its id with `-` as `_`, checked against the safe pattern. */
export function tableName(formId: string): string {
  const name = formId.replace(/-/g, '_');
  return assertSafe(name);
}

export function assertSafe(identifier: string): string {
  if (!SAFE_IDENTIFIER.test(identifier)) throw new Error(`Unsafe SQL identifier: ${JSON.stringify(identifier)}`);
  return identifier;
}

function sqlType(f: FieldNode): ColumnType {
  if (f.valueType === 'integer' || f.valueType === 'boolean') return 'integer';
  if (f.valueType === 'number') return 'real';
  return 'text';
}

function fieldCheck(f: FieldNode): ColumnCheck | undefined {
  if (f.valueType === 'boolean') return { in: [0, 1] };
  if (f.options) return { in: f.options.map((o) => o.value) };
  if (f.minimum !== undefined || f.maximum !== undefined) return { min: f.minimum, max: f.maximum };
  return undefined;
}

function fieldColumn(f: FieldNode, notNull: boolean, section: string | undefined, refTable: (form: string) => string): ColumnSpec {
  return {
    name: assertSafe(f.key),
    type: sqlType(f),
    notNull,
    check: fieldCheck(f),
    // Region codes and links to another form are foreign keys: the database itself refuses a
    // code that is not in the region master data or a group card that does not exist.
    references: f.refForm ? { table: refTable(f.refForm), column: '_id' } : f.region ? { table: 'wilayah', column: 'kode' } : undefined,
    field: { key: f.key, section, fieldType: f.type, valueType: f.valueType },
  };
}

/** Bookkeeping columns of every form table; they start with `_` so no field key can clash. */
export const MAIN_COLUMNS: readonly ColumnSpec[] = [
  { name: '_id', type: 'text', notNull: true },
  { name: '_version', type: 'integer', notNull: true },
  { name: '_revision', type: 'integer', notNull: true },
  { name: '_supersedes', type: 'text', notNull: false },
  { name: '_current', type: 'integer', notNull: true, check: { in: [0, 1] } },
  { name: '_status', type: 'text', notNull: true, check: { in: ['aktif', 'nonaktif'] } },
  { name: '_hash', type: 'text', notNull: true },
  { name: '_created_at', type: 'text', notNull: true },
  // Added later (nullable, so tables published before them gain them in place; see migrate.ts).
  /** The thing the submission describes across revisions (a group across its yearly cards). */
  { name: '_entity', type: 'text', notNull: false },
  /** Why and from which day a deactivated submission stopped (`nonaktif`). */
  { name: '_status_reason', type: 'text', notNull: false },
  { name: '_status_at', type: 'text', notNull: false },
  /** The warnings (`peringatan`) the submission was saved with, as JSON; null when none. */
  { name: '_warnings', type: 'text', notNull: false },
  /** Who confirmed having checked the warnings (the district), when, and their note. */
  { name: '_warnings_checked_by', type: 'text', notNull: false },
  { name: '_warnings_checked_at', type: 'text', notNull: false },
  { name: '_warnings_note', type: 'text', notNull: false },
];

/** The tables of a form. `x-unique` keys make at most one current submission per key. */
export function formTables(model: FormModel): FormTables {
  const main = tableName(model.id);
  const columns: ColumnSpec[] = [...MAIN_COLUMNS];
  const indexes: TableSpec['indexes'][number][] = [];
  const children: TableSpec[] = [];
  const optionalSections: string[] = [];

  for (const part of model.parts) {
    if (!part.required) {
      optionalSections.push(part.key);
      columns.push({ name: assertSafe(`_ada_${part.key}`), type: 'integer', notNull: true, check: { in: [0, 1] } });
    }
    if (part.kind === 'section') {
      for (const f of part.fields) {
        columns.push(fieldColumn(f, f.required && part.required, part.key, tableName));
        if (f.sql.index || f.region || f.refForm) indexes.push({ name: `${main}__${f.key}__idx`, columns: [f.key] });
      }
      continue;
    }
    const child = assertSafe(`${main}__${part.key}`);
    children.push({
      name: child,
      repeat: part.key,
      parent: main,
      columns: [
        { name: '_submission_id', type: 'text', notNull: true, references: { table: main, column: '_id' } },
        { name: '_row', type: 'integer', notNull: true, check: { min: 0 } },
        ...part.columns.map((c) => fieldColumn(c, c.required, undefined, tableName)),
      ],
      primaryKey: ['_submission_id', '_row'],
      indexes: part.columns.filter((c) => c.sql.index).map((c) => ({ name: `${child}__${c.key}__idx`, columns: [c.key] })),
    });
  }

  const unique = (model.schema['x-unique'] as string[] | undefined) ?? [];
  if (unique.length) {
    indexes.push({ name: `${main}__unik`, columns: unique.map(assertSafe), unique: true, where: '_current = 1' });
  }
  indexes.push({ name: `${main}___entity__idx`, columns: ['_entity'] });
  return {
    formId: model.id,
    version: model.version,
    main: { name: main, columns, primaryKey: ['_id'], indexes },
    children,
    optionalSections,
  };
}
