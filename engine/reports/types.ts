/**
 * What every report kind shares: the sources a report reads, the report as built, the entries
 * staff save on it, and the registry entry (`ReportKind`) that `x-rollup.scope` selects.
 */
import type { FormModel, RepeatNode } from '../model-types.js';
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
}

/** What staff enter on a report: cells of table rows (by row key) and fields of sections. */
export interface ReportEntries {
  readonly rows: Readonly<Record<string, Json>>;
  readonly sections: Readonly<Record<string, Json>>;
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
