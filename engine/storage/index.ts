/** Storage: the database, region data, publishing definitions, and submissions. */
export { openStore, isPostgresUrl, type Store, type SqliteStore, type PostgresStore, type StoreOptions, type Writes, type WriteJob, type WriteContext } from './database.js';
export { ensureCoreTables, loadRegions } from './core-tables.js';
export { followChanges } from './follow-changes.js';
export { publishDefinition, publishedTables, refusals as migrationRefusals, effectiveTables, MigrationRefused, type PublishResult } from './migrate.js';
export { saveSubmission, loadSubmission, loadCurrent, revisionHistory, setSubmissionStatus, confirmWarnings, parseWarnings, tablesFor, contentHash, canonicalJson, SubmissionRejected, type SaveOutcome, type WriteGuard, type StoredSubmission, type WarningsChecked } from './submissions.js';
export { idsInForce, inForce, type Period } from './entities.js';
export { rowsToSubmission, type Row } from './row-mapping.js';
export { formDdl, compilerFor, autoIdColumn, type DialectName } from './ddl.js';
export { formTables, type FormTables, type TableSpec, type ColumnSpec } from './table-spec.js';
export { importRegions, regionImportProblems, type RegionRow, type ImportProblem } from './region-import.js';
