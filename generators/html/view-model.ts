/**
 * From a form model (and, when re-rendering, the values typed and the issues found) to the plain
 * view model the handlebars templates render. Pure: no I/O. Region options come in from outside.
 */
import { REGION_LEVELS, type FieldNode, type FormModel, type PartNode, type RegionLevel } from '../../engine/index.js';
import type { ValidationIssue } from '../../engine/issues.js';
import { widgetFor, type Widget } from './widgets.js';

export interface OptionView { readonly value: string; readonly label: string; readonly selected: boolean }

export interface FieldView {
  readonly name: string;
  readonly id: string;
  readonly label: string;
  readonly help?: string;
  readonly required: boolean;
  readonly widget: Widget;
  readonly partial: string;
  readonly value: string;
  readonly options: readonly OptionView[];
  readonly error?: string;
  readonly inputmode?: string;
  readonly min?: number;
  readonly max?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly region?: string;
  /** The region level below this one, which the page reloads when this one changes. */
  readonly regionNext?: string;
  readonly suggest?: string;
  readonly suggestions: readonly string[];
  readonly derived?: string;
  /** Filled by the server from a linked submission (x-copy-from): shown, never typed. */
  readonly copied?: boolean;
  readonly showWhen?: string;
  readonly column?: string;
  readonly assumed?: string;
  /** A reference with too many targets to list: the search box's name, term and what it found. */
  readonly search?: { readonly name: string; readonly term: string; readonly hint: string };
}

export interface RowView { readonly index: string; readonly number: string; readonly legend: string; readonly fields: readonly FieldView[] }

export type PartView =
  | { readonly isSection: true; readonly key: string; readonly title: string; readonly fields: readonly FieldView[] }
  | { readonly isSection: false; readonly key: string; readonly title: string; readonly rowLabel: string; readonly rows: readonly RowView[]; readonly template: RowView; readonly minItems: number; readonly maxItems?: number };

export interface FormView {
  readonly id: string;
  readonly code: string;
  readonly title: string;
  readonly description?: string;
  readonly version: number;
  readonly submissionId: string;
  /** The submission this entry revises (an updated group card), posted back as `_revises`. */
  readonly revises?: string;
  readonly parts: readonly PartView[];
  readonly errors: readonly { readonly href: string; readonly label: string; readonly message: string }[];
}

export interface RenderInput {
  /** Values as typed (strings) or as stored (typed JSON). */
  readonly values?: Record<string, unknown>;
  readonly issues?: readonly ValidationIssue[];
  readonly submissionId: string;
  readonly revises?: string;
  /** Options of each region level, already narrowed by the chosen parent. */
  readonly regionOptions?: Readonly<Record<string, readonly { kode: string; nama: string }[]>>;
  /** Submissions a reference field may point to, by form id (an R/1's group cards). */
  readonly referenceOptions?: Readonly<Record<string, readonly { id: string; label: string }[]>>;
  /**
   * Reference fields whose targets are too many for one list, by field name: the options above are
   * then only what the search found, and the page shows the search box with this hint.
   */
  readonly referenceSearch?: Readonly<Record<string, { readonly term: string; readonly hint: string }>>;
}

const fieldName = (pointer: string): string => pointer.slice(1).split('/').join('.');
const fieldId = (pointer: string): string => `f-${pointer.slice(1).replace(/[/]/g, '-')}`;

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (v === true) return 'ya';
  if (v === false) return 'tidak';
  return String(v);
}

function fieldView(f: FieldNode, pointer: string, value: unknown, errors: ReadonlyMap<string, string>, input: RenderInput): FieldView {
  const widget = widgetFor(f);
  const text = asText(value);
  let options: OptionView[] = [];
  if (widget === 'ya-tidak') options = [{ value: 'ya', label: 'Ya', selected: text === 'ya' }, { value: 'tidak', label: 'Tidak', selected: text === 'tidak' }];
  else if (widget === 'region') options = (input.regionOptions?.[f.region!] ?? []).map((r) => ({ value: r.kode, label: r.nama, selected: r.kode === text }));
  else if (widget === 'reference') options = (input.referenceOptions?.[f.refForm!] ?? []).map((r) => ({ value: r.id, label: r.label, selected: r.id === text }));
  else if (f.options) options = f.options.map((o) => ({ value: String(o.value), label: o.label, selected: String(o.value) === text }));
  const column = typeof f.column === 'number' ? `(${f.column})` : undefined;
  return {
    name: fieldName(pointer),
    id: fieldId(pointer),
    label: f.label,
    help: f.help,
    required: f.required,
    widget,
    partial: `widget-${widget}`,
    value: text,
    options,
    error: errors.get(pointer),
    inputmode: f.type === 'integer' || widget === 'rupiah' ? 'numeric' : f.type === 'number' ? 'decimal' : widget === 'tel' ? 'tel' : undefined,
    min: f.minimum,
    max: f.maximum,
    maxLength: f.maxLength,
    pattern: f.pattern,
    region: f.region,
    regionNext: f.region ? REGION_LEVELS[REGION_LEVELS.indexOf(f.region as RegionLevel) + 1] : undefined,
    suggest: f.suggestRegion,
    suggestions: f.suggestRegion ? (input.regionOptions?.[f.suggestRegion] ?? []).map((r) => r.nama) : [],
    derived: f.derived?.count,
    copied: f.copyFrom ? true : undefined,
    showWhen: f.showWhen ? 'ya' : undefined,
    column,
    assumed: f.assumed,
    search: widget === 'reference' && input.referenceSearch?.[fieldName(pointer)]
      ? { name: `_cari.${fieldName(pointer)}`, ...input.referenceSearch[fieldName(pointer)]! }
      : undefined,
  };
}

function partView(part: PartNode, values: Record<string, unknown>, errors: ReadonlyMap<string, string>, input: RenderInput): PartView {
  if (part.kind === 'section') {
    const section = (values[part.key] ?? {}) as Record<string, unknown>;
    return { isSection: true, key: part.key, title: part.title, fields: part.fields.filter((f) => !f.hidden).map((f) => fieldView(f, `/${part.key}/${f.key}`, section[f.key], errors, input)) };
  }
  const rows = Array.isArray(values[part.key]) ? (values[part.key] as Record<string, unknown>[]) : [];
  const shown = rows.length ? rows : Array.from({ length: Math.max(part.minItems, 1) }, () => ({}));
  const rowView = (row: Record<string, unknown>, index: string, number: string): RowView => ({
    index, number, legend: `${part.rowLabel} no. ${number}`,
    fields: part.columns.map((c) => fieldView(c, `/${part.key}/${index}/${c.key}`, row?.[c.key], errors, input)),
  });
  return {
    isSection: false, key: part.key, title: part.title, rowLabel: part.rowLabel,
    rows: shown.map((r, i) => rowView(r, String(i), String(i + 1))),
    template: rowView({}, '__i__', '__n__'),
    minItems: part.minItems, maxItems: part.maxItems,
  };
}

/** The view of an entry page. */
export function formView(model: FormModel, input: RenderInput): FormView {
  const issues = input.issues ?? [];
  const errors = new Map<string, string>();
  for (const i of issues) if (!errors.has(i.path)) errors.set(i.path, i.message);
  return {
    id: model.id, code: model.code, title: model.title, description: model.description, version: model.version,
    submissionId: input.submissionId,
    revises: input.revises,
    parts: model.parts.map((p) => partView(p, input.values ?? {}, errors, input)),
    errors: issues.map((i) => ({ href: `#${i.path ? fieldId(i.path) : 'ringkasan-galat'}`, label: i.label, message: i.message })),
  };
}
