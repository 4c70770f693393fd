/**
 * Turns a resolved definition into the typed form model. Structural problems (a part that is
 * neither a section nor a repeat, a field without a label, a nested object where a simple field is
 * expected) are collected, not thrown, each with its pointer into the definition.
 */
import { createHash } from 'node:crypto';
import type { DefinitionProblem } from './issues.js';
import type {
  CopyFrom, DeadlineDecl, EntityHints, AgreesWith, CopyShowItem,
  ChoiceOption, ColumnRollup, FieldNode, FieldPdfHints, FieldType, FormModel, FormPdfHints, PartNode, RepeatNode,
  ReportParamsDecl, ReportRole, ReportRollup, ScopedRule, SectionNode, SignatureHint,
} from './model-types.js';
import type { Condition, Operand, Rule } from './rule-types.js';
import type { JsonObject } from './resolve-refs.js';

const asObject = (v: unknown): JsonObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : {});
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

// The meta-schema has checked every hint's shape before a model is built; these readers only
// turn the checked JSON into typed nodes, so no generator reads or casts a raw hint.

function fieldPdf(v: unknown): FieldPdfHints {
  const o = asObject(v);
  return { page: asNumber(o.page) ?? 1, repeat: o.repeat === true };
}

function formPdf(v: unknown): FormPdfHints {
  const o = asObject(v);
  const orientation = o.orientation === 'portrait' || o.orientation === 'landscape' ? o.orientation : undefined;
  const signatures: SignatureHint[] = (Array.isArray(o.signatures) ? o.signatures : []).map((x) => {
    const sig = asObject(x);
    const unfilled = asString(sig.unfilled);
    return { heading: asString(sig.heading) ?? '', title: asString(sig.title) ?? '', name: asString(sig.name) ?? '', ...(unfilled ? { unfilled } : {}) };
  });
  return { ...(orientation ? { orientation } : {}), header: asStrings(o.header), totals: o.totals === true, signatures };
}

function columnRollup(v: unknown): ColumnRollup | undefined {
  if (v === undefined) return undefined;
  const o = asObject(v);
  const from = asString(o.from) ?? '';
  const where = o.where === undefined ? undefined : (o.where as Condition);
  if (typeof o.value === 'string') return { kind: 'value', from, field: o.value };
  if (typeof o.count === 'string') return { kind: 'count', from, repeat: o.count, ...(where ? { where } : {}) };
  if (o.countGroup === true) return { kind: 'countGroup', from, ...(where ? { where } : {}) };
  if (typeof o.flag === 'string') return { kind: 'flag', from, field: o.flag };
  return undefined;
}

function reportRollup(v: unknown): ReportRollup | undefined {
  if (v === undefined) return undefined;
  const o = asObject(v);
  const names = Object.fromEntries(Object.entries(asObject(o.paramNames)).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const params: ReportParamsDecl = { section: asString(o.params) ?? '', names };
  const roles = (v: unknown) => asStrings(v).filter((r): r is ReportRole => ['kader', 'pkb', 'kabupaten', 'provinsi'].includes(r));
  const enteredBy = roles(o.enteredBy);
  const enteredBySection = Object.fromEntries(Object.entries(asObject(o.enteredBySection)).map(([k, v]) => [k, roles(v)]));
  if (o.scope === 'group') {
    const copy = (Array.isArray(o.copy) ? o.copy : []).map((x) => {
      const c = asObject(x);
      const show = Array.isArray(c.show)
        ? c.show.map((item): CopyShowItem => (typeof item === 'string' ? { fields: [item] } : { ...(asString(asObject(item).title) ? { title: asString(asObject(item).title) } : {}), fields: asStrings(asObject(item).fields) }))
        : undefined;
      return { section: asString(c.section) ?? '', from: asString(c.from) ?? '', path: asString(c.path) ?? '', ...(show ? { show } : {}) };
    });
    const period = asObject(o.period);
    return {
      kind: 'group', params, enteredBy, enteredBySection, copy,
      ...(typeof period.year === 'string' && typeof period.month === 'string' ? { period: { year: period.year, month: period.month } } : {}),
    };
  }
  if (o.scope === 'province') {
    const filter = asObject(o.filter);
    const period = asObject(o.period);
    return {
      kind: 'province', params, enteredBy, enteredBySection, rows: asString(o.rows) ?? '', rowPer: asString(o.rowPer) ?? '',
      ...(typeof filter.field === 'string' ? { filter: { field: filter.field, equals: filter.equals as Operand } } : {}),
      ...(typeof period.year === 'string' && typeof period.month === 'string' ? { period: { year: period.year, month: period.month } } : {}),
      orderBy: asStrings(o.orderBy),
      ...(typeof o.target === 'string' ? { target: o.target } : {}),
    };
  }
  return undefined;
}

function headerGroup(v: unknown): readonly string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === 'string');
  return undefined;
}

function fieldType(schema: JsonObject): { type: FieldType; valueType: FieldNode['valueType'] } | undefined {
  const t = schema.type;
  if (Array.isArray(schema.oneOf)) {
    return { type: 'choice', valueType: t === 'integer' ? 'integer' : 'string' };
  }
  if (t === 'string') return { type: schema.format === 'date' ? 'date' : 'text', valueType: 'string' };
  if (t === 'integer') return { type: 'integer', valueType: 'integer' };
  if (t === 'number') return { type: 'number', valueType: 'number' };
  if (t === 'boolean') return { type: 'boolean', valueType: 'boolean' };
  return undefined;
}

/** A text field allowing more characters than this is a remark of several lines (a text area). */
export const MULTILINE_AFTER = 300;

function buildField(key: string, schema: JsonObject, pointer: string, defPointer: string, required: boolean, problems: DefinitionProblem[]): FieldNode | undefined {
  const typed = fieldType(schema);
  if (!typed) {
    const t = schema.type;
    problems.push({
      pointer: defPointer,
      message:
        t === 'object' || t === 'array'
          ? `Isian "${key}" tidak boleh bertingkat: bagian hanya berisi isian sederhana (teks, angka, tanggal, pilihan, Ya/Tidak).`
          : `Isian "${key}" harus punya "type" (string, integer, number atau boolean).`,
    });
    return undefined;
  }
  const label = asString(schema.title);
  if (!label) problems.push({ pointer: `${defPointer}/title`, message: `Isian "${key}" belum punya label ("title").` });
  const options: ChoiceOption[] | undefined = Array.isArray(schema.oneOf)
    ? schema.oneOf.map((o) => {
        const opt = asObject(o);
        return { value: opt.const as string | number, label: asString(opt.title) ?? String(opt.const) };
      })
    : undefined;
  const derived = asObject(schema['x-derived']);
  const sql = asObject(schema['x-sql']);
  const column = schema['x-column'];
  return {
    kind: 'field',
    key,
    pointer,
    label: label ?? key,
    help: asString(schema.description),
    ...typed,
    required,
    options,
    minimum: asNumber(schema.minimum),
    maximum: asNumber(schema.maximum),
    minLength: asNumber(schema.minLength),
    maxLength: asNumber(schema.maxLength),
    pattern: asString(schema.pattern),
    format: asString(schema.format),
    column: typeof column === 'number' || (typeof column === 'object' && column !== null) ? (column as FieldNode['column']) : undefined,
    headerGroup: headerGroup(schema['x-header-group']),
    widget: asString(schema['x-widget']),
    multiline: typed.type === 'text' && (schema['x-widget'] === 'textarea' || (asNumber(schema.maxLength) ?? 0) > MULTILINE_AFTER),
    region: asString(schema['x-region']),
    suggestRegion: asString(schema['x-suggest-region']),
    refForm: asString(schema['x-ref-form']),
    copyFrom: copyFrom(schema['x-copy-from']),
    derived: typeof derived.count === 'string' ? { count: derived.count } : undefined,
    showWhen: schema['x-show-when'] as Condition | undefined,
    assumed: asString(schema['x-assumed']),
    personal: schema['x-personal'] === true,
    formerKeys: asStrings(schema['x-renamed-from']),
    hidden: schema['x-hidden'] === true,
    input: schema['x-input'] === true,
    rollup: columnRollup(schema['x-rollup']),
    agreesWith: agreesWith(schema['x-rollup']),
    sql: { index: sql.index === true },
    pdf: fieldPdf(schema['x-pdf']),
  };
}

function buildFields(obj: JsonObject, pointer: string, defPointer: string, problems: DefinitionProblem[]): FieldNode[] {
  const required = new Set(Array.isArray(obj.required) ? (obj.required as string[]) : []);
  const props = asObject(obj.properties);
  for (const name of required) {
    if (!(name in props)) problems.push({ pointer: `${defPointer}/required`, message: `"required" menyebut isian "${name}" yang tidak ada.` });
  }
  const fields: FieldNode[] = [];
  for (const [key, schema] of Object.entries(props)) {
    const f = buildField(key, asObject(schema), `${pointer}/${key}`, `${defPointer}/properties/${key}`, required.has(key), problems);
    if (f) fields.push(f);
  }
  return fields;
}

function collectRules(node: JsonObject, repeat: string | null, declaredAt: string, into: ScopedRule[]): void {
  const rules = node['x-rules'];
  if (!Array.isArray(rules)) return;
  rules.forEach((rule, i) => into.push({ rule: rule as Rule, repeat, declaredAt: `${declaredAt}/x-rules/${i}` }));
}

/** Build the model; `problems` lists what keeps the definition from being usable. */
export function buildModel(id: string, schema: JsonObject, hash?: string): { model: FormModel; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const parts: PartNode[] = [];
  const rules: ScopedRule[] = [];
  collectRules(schema, null, '', rules);

  for (const [key, raw] of Object.entries(asObject(schema.properties))) {
    const part = asObject(raw);
    const defPointer = `/properties/${key}`;
    const title = asString(part.title);
    if (!title) problems.push({ pointer: `${defPointer}/title`, message: `Bagian "${key}" belum punya judul ("title").` });
    if (part.type === 'object') {
      const section: SectionNode = {
        kind: 'section', key, pointer: `/${key}`, title: title ?? key, required: required.has(key),
        fields: buildFields(part, `/${key}`, defPointer, problems),
      };
      parts.push(section);
      collectRules(part, null, defPointer, rules);
    } else if (part.type === 'array' && asObject(part.items).type === 'object') {
      const items = asObject(part.items);
      const repeat: RepeatNode = {
        kind: 'repeat', key, pointer: `/${key}`, title: title ?? key,
        rowLabel: asString(part['x-row-label']) ?? 'Baris',
        rowNumberColumn: asNumber(part['x-row-number-column']),
        required: required.has(key),
        minItems: asNumber(part.minItems) ?? 0,
        maxItems: asNumber(part.maxItems),
        columns: buildFields(items, `/${key}/*`, `${defPointer}/items`, problems),
        pdf: { emptyRows: asNumber(asObject(part['x-pdf']).emptyRows) ?? 10 },
      };
      parts.push(repeat);
      collectRules(items, key, `${defPointer}/items`, rules);
    } else {
      problems.push({
        pointer: `${defPointer}/type`,
        message: `Bagian "${key}" harus bertipe "object" (bagian berisi isian) atau "array" dengan items bertipe "object" (baris berulang).`,
      });
    }
  }

  problems.push(...entryDeclProblems(schema, parts));
  const model: FormModel = {
    kind: 'form-model',
    id,
    version: asNumber(schema['x-version']) ?? 0,
    code: asString(schema['x-code']) ?? id,
    title: asString(schema.title) ?? id,
    description: asString(schema.description),
    formKind: schema['x-kind'] === 'report' ? 'report' : 'form',
    assumed: asString(schema['x-assumed']),
    parts,
    rules,
    pdf: formPdf(schema['x-pdf']),
    rollup: reportRollup(schema['x-rollup']),
    unique: asStrings(schema['x-unique']),
    titleField: asString(schema['x-title-field']),
    entity: entityHints(schema['x-entity']),
    deadline: deadlineDecl(schema['x-deadline']),
    schema,
    hash: hash ?? createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16),
  };
  return { model, problems };
}

function copyFrom(raw: unknown): CopyFrom | undefined {
  const o = raw as { link?: unknown; field?: unknown; year?: unknown; month?: unknown } | undefined;
  return typeof o?.link === 'string' && typeof o.field === 'string' ? { link: o.link, field: o.field, year: asString(o.year), month: asString(o.month) } : undefined;
}

function deadlineDecl(raw: unknown): DeadlineDecl | undefined {
  const o = asObject(raw);
  const year = asString(o.year);
  const day = asNumber(o.day);
  if (!year || day === undefined) return undefined;
  const month = asString(o.month);
  const assumed = asString(o['x-assumed']);
  return { year, ...(month ? { month } : {}), monthsAfter: asNumber(o.monthsAfter) ?? 0, day, ...(assumed ? { assumed } : {}) };
}

function entityHints(raw: unknown): EntityHints | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as { year?: unknown; since?: unknown; duplicate?: { fields?: unknown; message?: unknown }; contact?: unknown };
  const fields = asStrings(o.duplicate?.fields);
  return {
    year: asString(o.year),
    since: asString(o.since),
    contact: asStrings(o.contact),
    duplicate: fields.length && typeof o.duplicate?.message === 'string' ? { fields, message: o.duplicate.message } : undefined,
  };
}

function agreesWith(raw: unknown): AgreesWith | undefined {
  const a = asObject(asObject(raw).agreesWith);
  if (typeof a.from !== 'string' || typeof a.field !== 'string') return undefined;
  const assumed = asString(a['x-assumed']);
  return { from: a.from, field: a.field, ...(assumed ? { assumed } : {}) };
}

/**
 * `x-rollup.enteredBySection` names sections of this report, each entered by roles of
 * `enteredBy` (the roles the server lets write the report at all); `copy[].show` names fields of
 * the copied section, each once.
 */
function entryDeclProblems(schema: JsonObject, parts: readonly PartNode[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const decl = asObject(schema['x-rollup']);
  const all = asStrings(decl.enteredBy);
  for (const [key, roles] of Object.entries(asObject(decl.enteredBySection))) {
    const at = `/x-rollup/enteredBySection/${key}`;
    if (!parts.some((p) => p.kind === 'section' && p.key === key)) problems.push({ pointer: at, message: `"enteredBySection" menyebut bagian "${key}" yang tidak ada di laporan ini.` });
    for (const r of asStrings(roles)) if (!all.includes(r)) problems.push({ pointer: at, message: `Peran "${r}" harus juga tercantum di "enteredBy": hanya peran itu yang boleh mengisi laporan ini.` });
  }
  (Array.isArray(decl.copy) ? decl.copy : []).forEach((raw, i) => {
    const c = asObject(raw);
    if (!Array.isArray(c.show)) return;
    const part = parts.find((p) => p.key === c.section);
    const seen = new Set<string>();
    const keys = c.show.flatMap((item) => (typeof item === 'string' ? [item] : asStrings(asObject(item).fields)));
    for (const k of keys) {
      if (seen.has(k)) problems.push({ pointer: `/x-rollup/copy/${i}/show`, message: `"show" menyebut isian "${k}" lebih dari sekali.` });
      seen.add(k);
      if (part?.kind === 'section' && !part.fields.some((f) => f.key === k)) problems.push({ pointer: `/x-rollup/copy/${i}/show`, message: `"show" menyebut isian "${k}" yang tidak ada di bagian "${part.key}".` });
    }
    if (part && part.kind !== 'section') problems.push({ pointer: `/x-rollup/copy/${i}/show`, message: `"show" hanya berlaku untuk bagian biasa; "${part.key}" adalah tabel berulang.` });
  });
  return problems;
}
