/**
 * The declarative rule vocabulary (`x-rules`) that program staff write in a definition.
 * Documented with examples in docs/definition-format.md.
 */

/** A value a condition compares against. */
export type Operand =
  | number
  | string
  | { readonly field: string }
  | { readonly count: string }
  | { readonly sum: readonly string[] }
  | { readonly today: 'year' | 'month' }
  | { readonly param: string };

export type Condition =
  | { readonly field: string; readonly equals: unknown }
  | { readonly field: string; readonly notEquals: unknown }
  | { readonly field: string; readonly in: readonly unknown[] }
  | { readonly field: string; readonly notIn: readonly unknown[] }
  | { readonly field: string; readonly filled: boolean }
  | { readonly field: string; readonly eq: Operand }
  | { readonly field: string; readonly lte: Operand }
  | { readonly field: string; readonly lt: Operand }
  | { readonly field: string; readonly gte: Operand }
  | { readonly field: string; readonly gt: Operand }
  | { readonly field: string; readonly inMonth: { readonly year: Operand; readonly month: Operand } }
  | { readonly atMostOne: readonly string[] }
  | { readonly anyTrue: readonly string[] }
  | { readonly noneTrue: readonly string[] }
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition };

export interface Rule {
  readonly id: string;
  /** Only checked when this holds. */
  readonly when?: Condition;
  readonly assert: Condition;
  /** The field the error is shown at; defaults to the first field the assertion names. */
  readonly at?: string;
  /** The Indonesian sentence the user reads. */
  readonly message: string;
  /**
   * `peringatan`: shown beside the field and in the summary but does not block the save; stored
   * with the submission. Default `galat` (an error, which blocks).
   */
  readonly severity?: 'galat' | 'peringatan';
  /** Why the rule exists when the guide does not say it (kept with the rule, shown to reviewers). */
  readonly 'x-assumed'?: string;
}
