/**
 * The form model: what every generator reads instead of raw JSON Schema.
 * Nodes are readonly and tagged by `kind` (as kysely's operation nodes are), so a generator
 * switches on `kind` and the compiler proves every case is handled.
 */
import type { Condition, Operand, Rule } from './rule-types.js';

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
  /**
   * Text of more than one line (a remark, an address): newlines are allowed in its value and the
   * page gives it a text area. Decided here, once, so that validation and widgets agree.
   */
  readonly multiline: boolean;
  readonly region?: string;
  /** Text whose value is usually a name from this region level (Kampung KB of the chosen village). */
  readonly suggestRegion?: string;
  readonly refForm?: string;
  /** Filled by the server from the linked submission, never typed (`x-copy-from`). */
  readonly copyFrom?: CopyFrom;
  readonly derived?: { readonly count: string };
  readonly showWhen?: Condition;
  /** Why the field is an assumption of ours rather than the guide's (shown to staff). */
  readonly assumed?: string;
  readonly personal: boolean;
  /**
   * Keys this field had in earlier published versions, oldest first (`x-renamed-from`): the
   * migration renames the column, and data sent under a former key is carried to this one.
   */
  readonly formerKeys: readonly string[];
  readonly hidden: boolean;
  /** Entered by staff on a report rather than rolled up. */
  readonly input: boolean;
  /** How a report column is rolled up from stored forms (`x-rollup` on the column). */
  readonly rollup?: ColumnRollup;
  /** A field of another report the rolled-up value should agree with (`x-rollup.agreesWith`). */
  readonly agreesWith?: AgreesWith;
  readonly sql: { readonly index: boolean };
  readonly pdf: FieldPdfHints;
}

/** `x-pdf` on a report column: which page of a wide table it prints on, and whether it repeats there. */
export interface FieldPdfHints {
  readonly page: number;
  readonly repeat: boolean;
}

/** `x-pdf` on a repeating section: empty rows printed on a blank form. */
export interface RepeatPdfHints {
  readonly emptyRows: number;
}

export interface SignatureHint {
  readonly heading: string;
  readonly title: string;
  /** The field holding the signer's name. */
  readonly name: string;
  /** Printed instead of `heading` when none of the heading's placeholders has a value (`"….. {tahun}"`). */
  readonly unfilled?: string;
}

/** `x-pdf` on the form or report. */
export interface FormPdfHints {
  readonly orientation?: 'portrait' | 'landscape';
  /** Field keys printed in the title block. */
  readonly header: readonly string[];
  readonly totals: boolean;
  readonly signatures: readonly SignatureHint[];
}

/** One report column's roll-up: exactly one way of reading the source form. */
export type ColumnRollup =
  | { readonly kind: 'value'; readonly from: string; readonly field: string }
  | { readonly kind: 'count'; readonly from: string; readonly repeat: string; readonly where?: Condition }
  | { readonly kind: 'countGroup'; readonly from: string; readonly where?: Condition }
  | { readonly kind: 'flag'; readonly from: string; readonly field: string };

/** Parameters of a report: the fields of its header section, as the URL or JSON body names them. */
export interface ReportParamsDecl {
  /** The section whose fields are the parameters (`kop`, `periode`). */
  readonly section: string;
  /** Field key → name in a URL or request body, where it differs (`kelompok_id` → `kelompok`). */
  readonly names: Readonly<Record<string, string>>;
}

/** Roles that enter a report's staff entries (`x-rollup.enteredBy`): the province's, the district's. */
export type ReportRole = 'kader' | 'pkb' | 'kabupaten' | 'provinsi';

/** `x-rollup.agreesWith` on a report column: the other report's field that must say the same. */
export interface AgreesWith {
  /** The report (by id) whose saved entries are compared, one per row's submission and period. */
  readonly from: string;
  readonly field: string;
  /** Why the two are read as the same thing (the guide does not pair them). */
  readonly assumed?: string;
}

/** One item of a copied section as a report shows it: a field, or a titled group of fields. */
export interface CopyShowItem {
  readonly title?: string;
  readonly fields: readonly string[];
}

/** A report with one row per submission of another form (the province report). */
export interface TableRollup {
  readonly kind: 'province';
  readonly params: ReportParamsDecl;
  readonly enteredBy: readonly ReportRole[];
  /** Sections entered by other roles than `enteredBy` says for the whole report (`enteredBySection`). */
  readonly enteredBySection: Readonly<Record<string, readonly ReportRole[]>>;
  /** The repeat holding the rows. */
  readonly rows: string;
  /** The form with one row each (`k0-uppka`). */
  readonly rowPer: string;
  readonly filter?: { readonly field: string; readonly equals: Operand };
  readonly period?: { readonly year: string; readonly month: string };
  /** Fields of the row form the rows are ordered by. */
  readonly orderBy: readonly string[];
  /** Program target data (`forms/targets/<id>.json`) shown beside the report. */
  readonly target?: string;
}

/** A report about one submission of another form, parts copied from it (the district report). */
export interface CopyRollup {
  readonly kind: 'group';
  readonly params: ReportParamsDecl;
  readonly enteredBy: readonly ReportRole[];
  /** Sections entered by other roles than `enteredBy` says for the whole report (`enteredBySection`). */
  readonly enteredBySection: Readonly<Record<string, readonly ReportRole[]>>;
  /** Parameter fields naming the report's year and month: the copy is of the card in force then. */
  readonly period?: { readonly year: string; readonly month: string };
  /** `show`: the copied section's fields this report shows and prints, in order; absent = all. */
  readonly copy: readonly { readonly section: string; readonly from: string; readonly path: string; readonly show?: readonly CopyShowItem[] }[];
}

export type ReportRollup = TableRollup | CopyRollup;

/**
 * `x-deadline`: a submission for a period (the year and month in its fields or parameters) is due
 * on `day` of the month `monthsAfter` months after the period's first month, by the end of that
 * day in WIB. K/0: the card's year, day 3, 0 months after (3 January); R/1: day 3, 1 month after.
 */
export interface DeadlineDecl {
  /** Field key holding the period's year (a parameter field for a report). */
  readonly year: string;
  /** Field key holding the period's month; absent: the period is the year. */
  readonly month?: string;
  readonly monthsAfter: number;
  readonly day: number;
  /** Why this deadline, where the guide does not give it. */
  readonly assumed?: string;
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
  readonly pdf: RepeatPdfHints;
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
  readonly pdf: FormPdfHints;
  /** How a report is built (`x-rollup`); only reports have one. */
  readonly rollup?: ReportRollup;
  /** Field keys that identify one current submission (`x-unique`: a group and month). */
  readonly unique: readonly string[];
  /** When a submission for a period is due (`x-deadline`): R/1 by the 3rd of the next month. */
  readonly deadline?: DeadlineDecl;
  /** A thing that lives across revisions (`x-entity`: a group and its yearly cards). */
  readonly entity?: EntityHints;
  /** The field that names a submission in pickers and labels (`x-title-field`). */
  readonly titleField?: string;
  /** The definition with every `$ref` resolved, as ajv and json-schema-to-typescript read it. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** Content hash of the definition: the validator cache key together with id and version. */
  readonly hash: string;
  /**
   * The hash the version was published under, when the server holds it re-keyed (a later
   * version renamed a field: engine/rename-key.ts); its tables and pages still know it by that.
   */
  readonly publishedHash?: string;
}

/** `x-entity`: submissions of the form are revisions of one thing (a group's yearly K/0 cards). */
export interface EntityHints {
  /** The field holding the (budget) year a revision is for: reports use the card of their year. */
  readonly year?: string;
  /** The field with the year the thing began (tahun terbentuk): no card is in force before it. */
  readonly since?: string;
  /** Fields whose equal values on two current things make the second a possible duplicate (a warning). */
  readonly duplicate?: { readonly fields: readonly string[]; readonly message: string };
  /** Fields that say where the thing is and whom to call (Kampung KB, ketua, telepon): monitoring lists show them. */
  readonly contact: readonly string[];
}

/** `x-copy-from` on a field: its value is copied by the server from the linked submission. */
export interface CopyFrom {
  /** The field of this form that links (`x-ref-form`) the other submission. */
  readonly link: string;
  /** The root field of the linked form to copy. */
  readonly field: string;
  /** This form's year and month fields: the linked submission in force then is read (x-entity). */
  readonly year?: string;
  readonly month?: string;
}
