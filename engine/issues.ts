/**
 * Errors as data (ajv's lesson): validation and definition checks return lists of these
 * instead of throwing, so every problem is reported at once.
 */

/** One problem with a submission, shown to the person filling the form. */
export interface ValidationIssue {
  /** JSON pointer into the submission, e.g. `/anggota/2/usia`. */
  readonly path: string;
  /** The field's Indonesian label with its row, e.g. `Anggota no. 3 — Usia`. */
  readonly label: string;
  /** A Bahasa Indonesia sentence. */
  readonly message: string;
  /** Which check failed: a JSON Schema keyword or `rule:<id>`. */
  readonly keyword: string;
  /** Set on a warning (`peringatan`): shown and stored, never blocking. Absent on an error. */
  readonly severity?: 'peringatan';
}

/** The issues that block a save (everything but warnings). */
export const errorsOf = (issues: readonly ValidationIssue[]): ValidationIssue[] => issues.filter((i) => i.severity !== 'peringatan');
/** The warnings among issues. */
export const warningsOf = (issues: readonly ValidationIssue[]): ValidationIssue[] => issues.filter((i) => i.severity === 'peringatan');

/** One problem with a form definition, shown to the staff member who edits it. */
export interface DefinitionProblem {
  /** JSON pointer into the definition file. */
  readonly pointer: string;
  readonly message: string;
}

/** Thrown only at the edges (loading a file, the CLI, the server) when a definition is refused. */
export class DefinitionError extends Error {
  constructor(
    readonly formId: string,
    readonly problems: readonly DefinitionProblem[],
  ) {
    super(
      `Definisi formulir "${formId}" ditolak:\n` +
        problems.map((p) => `- ${p.pointer || '/'}: ${p.message}`).join('\n'),
    );
    this.name = 'DefinitionError';
  }
}
