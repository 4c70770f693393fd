/**
 * What every report kind shares: the sources a report reads, the report as built, the entries
 * staff save on it, and the registry entry (`ReportKind`) that `x-rollup.scope` selects.
 */
import type { WriteGuard } from '../storage/submissions.js';
import type { FieldNode, FormModel, RepeatNode } from '../model-types.js';
import type { Store } from '../storage/database.js';
import type { SaveOutcome } from '../storage/submissions.js';
import type { TargetData } from './targets.js';

export type Json = Record<string, unknown>;
/** A report's parameters, by field key of its parameter section, already typed and checked. */
export type ReportParams = Readonly<Record<string, string | number>>;

/** Everything a report reads. */
export interface ReportSources {
  readonly store: Store;
  readonly forms: ReadonlyMap<string, FormModel>;
  /** Program targets by id (`forms/targets/*.json`). */
  readonly targets?: ReadonlyMap<string, TargetData>;
}

/** A report's table: the repeat, how its rows are keyed and named, its rows and totals. */
export interface ReportTable {
  readonly repeat: RepeatNode;
  /** Column holding each row's source submission id (the key staff entries are saved under). */
  readonly rowKey: string;
  /** Column that names a row (the group's name), for labels of entry cells. */
  readonly rowLabel?: string;
  readonly rows: readonly Json[];
  readonly totals: Json;
  /** Per period form (the R/1): its code and how many rows' registers of the month have arrived. */
  readonly received: readonly { readonly form: string; readonly code: string; readonly count: number }[];
}

export interface BuiltReport {
  readonly model: FormModel;
  readonly params: ReportParams;
  /** A submission of the report definition: parameter section, rows or copied parts, entries. */
  readonly data: Json;
  /** The roll-up table, for kinds that have one. */
  readonly table?: ReportTable;
  /** The region the report is about (a province, a group's district): what access checks. */
  readonly region?: string;
  /** The program target for this report's region, when the report declares one. */
  readonly target?: { readonly title: string; readonly unit: string; readonly value: number | null };
  /** The saved entries this report merged, if any. */
  readonly savedId: string | null;
  /** The approval state of the report's month as printed ("Disetujui oleh … pada …"), set by the server. */
  readonly approval?: string;
  /**
   * Copied sections as this report shows and prints them (`x-rollup.copy[].show`), by section
   * key: numbered items, each a field or a titled group of fields. Absent: every field, in order.
   */
  readonly shown?: Readonly<Record<string, readonly ShownItem[]>>;
  /** Rows whose rolled-up value differs from the field it should agree with (`agreesWith`). */
  readonly disagreements?: readonly Disagreement[];
}

/** One numbered item of a copied section as shown: a field, or a title over several fields. */
export interface ShownItem {
  readonly title?: string;
  readonly fields: readonly FieldNode[];
}

/** A row whose column (from R/1) and another report's field (the district's section C) differ. */
export interface Disagreement {
  /** The row's key (the group) and its name. */
  readonly row: string;
  readonly rowLabel: string;
  /** The column, with its paper number: "(12) Orientasi …". */
  readonly column: string;
  readonly columnKey: string;
  /** The code of the form the column is rolled up from (R/1/UPPKA/20) and the row's value. */
  readonly sourceCode: string;
  readonly value: unknown;
  /** The other report's code, the field's label and its value there. */
  readonly otherCode: string;
  readonly otherField: string;
  readonly otherValue: unknown;
  readonly assumed?: string;
}

/** What staff enter on a report: cells of table rows (by row key) and fields of sections. */
export interface ReportEntries {
  readonly rows: Readonly<Record<string, Json>>;
  readonly sections: Readonly<Record<string, Json>>;
  /** The role of the account entering them: sections of other roles are refused (`entered-by`). */
  readonly by?: string;
  /** Checked again inside the save's transaction (see SaveInput.guard): an approval since the check. */
  readonly guard?: WriteGuard;
}

/** One kind of report, chosen by `x-rollup.scope`. */
export interface ReportKind {
  readonly name: string;
  build(sources: ReportSources, report: FormModel, params: ReportParams): Promise<BuiltReport>;
  /** Save the entries as a new revision of the report (validated like any submission). */
  saveEntries(sources: ReportSources, report: FormModel, params: ReportParams, id: string, entries: ReportEntries): Promise<SaveOutcome>;
}

/** The report's subject (a group card) does not exist or is no longer active. */
export class ReportSubjectNotFound extends Error {
  constructor(readonly formId: string, readonly id: string) {
    super(`No active ${formId} ${id}`);
    this.name = 'ReportSubjectNotFound';
  }
}
