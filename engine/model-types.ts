/**
 * The form model: what every generator reads instead of raw JSON Schema.
 * Nodes are readonly and tagged by `kind` (as kysely's operation nodes are), so a generator
 * switches on `kind` and the compiler proves every case is handled.
 */
import type { Condition, Rule } from './rule-types.js';

export type FieldType = 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'choice';

export interface ChoiceOption {
  readonly value: string | number;
  readonly label: string;
}

/** One input: a cell of a section or a column of a repeating section. */
export interface FieldNode {
  readonly kind: 'field';
  readonly key: string;
  /** JSON pointer with `*` for the row index, e.g. `/anggota/*\/usia`. */
  readonly pointer: string;
  readonly label: string;
  readonly help?: string;
  readonly type: FieldType;
  /** Value type of a choice: codes are strings or integers (months). */
  readonly valueType: 'string' | 'integer' | 'number' | 'boolean';
  readonly required: boolean;
  readonly options?: readonly ChoiceOption[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  /** Paper column number(s): one number, or one per option code (PUS (4) / Non-PUS (5)). */
  readonly column?: number | Readonly<Record<string, number>>;
  readonly headerGroup?: readonly string[];
  readonly widget?: string;
  readonly region?: string;
  /** Text whose value is usually a name from this region level (Kampung KB of the chosen village). */
  readonly suggestRegion?: string;
  readonly refForm?: string;
  readonly derived?: { readonly count: string };
  readonly showWhen?: Condition;
  /** Why the field is an assumption of ours rather than the guide's (shown to staff). */
  readonly assumed?: string;
  readonly personal: boolean;
  readonly hidden: boolean;
  /** Entered by staff on a report rather than rolled up. */
  readonly input: boolean;
  readonly rollup?: Readonly<Record<string, unknown>>;
  readonly sql: { readonly index: boolean };
  readonly pdf: Readonly<Record<string, unknown>>;
}

/** A non-repeating group of fields: "A. Identitas Kelompok". */
export interface SectionNode {
  readonly kind: 'section';
  readonly key: string;
  readonly pointer: string;
  readonly title: string;
  readonly required: boolean;
  readonly fields: readonly FieldNode[];
}

/** A repeating section: one row per member, meeting or report line. */
export interface RepeatNode {
  readonly kind: 'repeat';
  readonly key: string;
  readonly pointer: string;
  readonly title: string;
  readonly rowLabel: string;
  readonly rowNumberColumn?: number;
  readonly required: boolean;
  readonly minItems: number;
  readonly maxItems?: number;
  readonly columns: readonly FieldNode[];
  readonly pdf: Readonly<Record<string, unknown>>;
}

export type PartNode = SectionNode | RepeatNode;

/** A cross-field rule with the place it was declared: the whole form or each row of a repeat. */
export interface ScopedRule {
  readonly rule: Rule;
  /** `null` for the whole submission, else the repeat key whose rows it checks. */
  readonly repeat: string | null;
  /** Pointer of the definition node that declared the rule (for definition errors). */
  readonly declaredAt: string;
}

export interface FormModel {
  readonly kind: 'form-model';
  readonly id: string;
  readonly version: number;
  readonly code: string;
  readonly title: string;
  readonly description?: string;
  readonly formKind: 'form' | 'report';
  readonly assumed?: string;
  readonly parts: readonly PartNode[];
  readonly rules: readonly ScopedRule[];
  readonly pdf: Readonly<Record<string, unknown>>;
  readonly rollup?: Readonly<Record<string, unknown>>;
  /** The definition with every `$ref` resolved, as ajv and json-schema-to-typescript read it. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** Content hash of the definition: the validator cache key together with id and version. */
  readonly hash: string;
}
