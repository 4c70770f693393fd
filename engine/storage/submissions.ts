/**
 * Saving and loading submissions. A save validates first, then writes the main row and every
 * child row in one transaction: on any error nothing is stored. Each submission carries the
 * client's UUID, so a phone that retries after a lost answer never double-counts: the same UUID
 * with the same content is answered as already stored, with other content as a conflict.
 */
import { carryFormerKeys } from '../rename-key.js';
import { hash as digest } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import type { ValidationIssue } from '../issues.js';
import type { FormModel } from '../model-types.js';
import { indexModel, labelFor, readPointer } from '../model-index.js';
import { validatorFor } from '../validator.js';
import { regionNestingIssues } from '../region-nesting.js';
import { normalizeSubmission } from '../text-hygiene.js';
import { idSpace } from './id-space.js';
import { idsInForce, type Period } from './entities.js';
import type { FormTables } from './table-spec.js';
import type { Store } from './database.js';
import { publishedTables } from './migrate.js';
import { rowsToSubmission, submissionToRows, type Row } from './row-mapping.js';
import type { WriteContext } from './write-queue.js';

export class SubmissionRejected extends Error {
  constructor(
    readonly kind: 'invalid' | 'conflict' | 'not-found',
    readonly issues: readonly ValidationIssue[],
  ) {
    super(issues.map((i) => `${i.label}: ${i.message}`).join('; '));
    this.name = 'SubmissionRejected';
  }
}

export interface SaveInput {
  readonly id: string;
  readonly data: unknown;
  readonly today?: Date;
  /**
   * The submission this one revises (an updated or next year's group card): the new one takes its
   * entity and becomes current. It must be the current revision, or the save is a conflict (someone
   * else updated the card meanwhile).
   */
  readonly revises?: string;
  /** The other forms, for fields copied from a linked submission (`x-copy-from`). */
  readonly linked?: (formId: string) => FormModel | undefined;
  /**
   * Runs first inside the save's transaction and may refuse it by throwing: what was checked
   * before the save (an approved month that locks it) is checked again where no other write can
   * come between the check and the save.
   */
  readonly guard?: WriteGuard;
}

/** A check inside a write's transaction (see SaveInput.guard). */
export type WriteGuard = (w: WriteContext) => Promise<void>;

export interface SaveOutcome {
  readonly status: 'created' | 'duplicate';
  readonly id: string;
  readonly revision: number;
  /** The earlier submission this one corrects (same group and month on R/1). */
  readonly supersedes: string | null;
  /** The thing it is a revision of (the group); its own id for a first card. */
  readonly entity: string;
  /** Warnings (`peringatan`) it was saved with. */
  readonly warnings: readonly ValidationIssue[];
}

export interface StoredSubmission {
  readonly id: string;
  readonly formId: string;
  readonly version: number;
  readonly revision: number;
  readonly supersedes: string | null;
  readonly current: boolean;
  readonly status: 'aktif' | 'nonaktif';
  readonly statusReason: string | null;
  readonly statusAt: string | null;
  readonly entity: string;
  readonly warnings: readonly ValidationIssue[];
  /** Set once someone (the district) confirmed having checked the warnings; null until then. */
  readonly warningsChecked: WarningsChecked | null;
  readonly createdAt: string;
  readonly data: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rows per insert statement: well under SQLite's 32,766 bound variables for wide tables. */
const CHUNK = 500;

interface InsertStatement {
  readonly columns: readonly string[];
  readonly sql: string;
}
const insertStatements = new WeakMap<FormTables, Map<string, InsertStatement>>();

/**
 * Insert rows that all have the same columns (every row that `submissionToRows` makes for a table
 * of one layout has). kysely builds the statement once per layout, table and row count; later
 * saves reuse its SQL with new parameters, since building the query tree for 10–200 rows costs
 * more than SQLite takes to store them.
 */
async function insertRows(w: WriteContext, layout: FormTables, table: string, rows: readonly Row[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  let perLayout = insertStatements.get(layout);
  if (!perLayout) insertStatements.set(layout, (perLayout = new Map()));
  const key = `${table}|${rows.length}`;
  let statement = perLayout.get(key);
  if (!statement) {
    const columns = Object.keys(first);
    const sql = w.db.insertInto(table).values(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])))).compile().sql;
    statement = { columns, sql };
    if (perLayout.size > 2000) perLayout.clear();
    perLayout.set(key, statement);
  }
  const { columns } = statement;
  const params: unknown[] = new Array(columns.length * rows.length);
  let i = 0;
  for (const r of rows) for (const c of columns) params[i++] = r[c];
  await w.query(CompiledQuery.raw(statement.sql, params));
}

/** Key-sorted JSON: the same content always hashes the same, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// crypto.hash (Node ≥ 20.12): a one-shot digest, half the cost of createHash().update().digest().
export const contentHash = (data: unknown): string => digest('sha256', canonicalJson(data), 'hex');

type Writer = (data: Record<string, unknown>) => string;
const writers = new WeakMap<FormModel, Writer>();

/** A scalar as JSON: a validated submission holds only strings, numbers, booleans and null. */
const scalar = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' && v !== null ? canonicalJson(v) : String(v));

/**
 * `canonicalJson` for a submission that passed validation, without sorting at run time: such a
 * submission holds only the model's keys (additionalProperties is false), so the writer visits
 * each part's keys in an order sorted once per model, with the quoted keys prepared. Produces
 * exactly the same text as `canonicalJson` (property-tested), in a third of its time.
 */
export function canonicalSubmission(model: FormModel, data: Record<string, unknown>): string {
  let write = writers.get(model);
  if (!write) {
    write = submissionWriter(model);
    writers.set(model, write);
  }
  return write(data);
}

function objectWriter(keys: readonly string[]): Writer {
  const sorted = [...keys].sort().map((k) => ({ k, quoted: `${JSON.stringify(k)}:` }));
  return (o) => {
    let out = '';
    for (const { k, quoted } of sorted) {
      const v = o[k];
      if (v === undefined) continue;
      out += `${out ? ',' : ''}${quoted}${scalar(v)}`;
    }
    return `{${out}}`;
  };
}

function submissionWriter(model: FormModel): Writer {
  const parts = [...model.parts]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => {
      const object = objectWriter((p.kind === 'section' ? p.fields : p.columns).map((f) => f.key));
      const value: (v: unknown) => string = p.kind === 'repeat'
        ? (v) => (Array.isArray(v) ? `[${v.map((row) => object(row as Record<string, unknown>)).join(',')}]` : canonicalJson(v))
        : (v) => object(v as Record<string, unknown>);
      return { k: p.key, quoted: `${JSON.stringify(p.key)}:`, value };
    });
  return (data) => {
    let out = '';
    for (const { k, quoted, value } of parts) {
      const v = data[k];
      if (v === undefined) continue;
      out += `${out ? ',' : ''}${quoted}${value(v)}`;
    }
    return `{${out}}`;
  };
}

const tablesCache = new WeakMap<Store, WeakMap<FormModel, FormTables>>();

/** Another process published a definition: layouts are looked up again. */
export function forgetTables(store: Store): void {
  tablesCache.delete(store);
}

/** The layout already looked up for this store and model, without a turn of the event loop. */
function cachedTables(store: Store, model: FormModel): FormTables | undefined {
  return tablesCache.get(store)?.get(model);
}

/**
 * The table layout the database has for this model (published by publishDefinition): the latest
 * one. An earlier published version still in force for earlier periods (the studio publishes a
 * version from a later month) reads and writes the same tables, which a migration only widens.
 */
export async function tablesFor(store: Store, model: FormModel): Promise<FormTables> {
  const hit = cachedTables(store, model);
  if (hit) return hit;
  const published = await publishedTables(store, model.id);
  const own = published && published.version !== model.version
    ? await store.db.selectFrom('lembar_definisi').select('hash').where('form_id', '=', model.id).where('versi', '=', model.version).executeTakeFirst()
    : published;
  if (!published || !own || own.hash !== (model.publishedHash ?? model.hash)) {
    throw new Error(`Definition ${model.id} v${model.version} is not published; call publishDefinition first.`);
  }
  let perStore = tablesCache.get(store);
  if (!perStore) tablesCache.set(store, (perStore = new WeakMap()));
  perStore.set(model, published.tables);
  return published.tables;
}

function issue(model: FormModel, path: string, message: string, keyword: string): ValidationIssue {
  return { path, label: labelFor(model, path) || 'Kiriman', message, keyword };
}

/** Checks that need the database: linked group cards and region codes exist (one query each). */
async function referenceIssues(w: WriteContext, model: FormModel, data: unknown): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  const fields = [...indexModel(model).rootFields.values()];
  const regionFields = fields.filter((f) => f.region && typeof readPointer(data, f.pointer) === 'string');
  if (regionFields.length) {
    const codes = regionFields.map((f) => readPointer(data, f.pointer) as string);
    const found = await w.query(w.db.selectFrom('wilayah').select(['kode', 'tingkat']).where('kode', 'in', codes));
    const level = new Map(found.map((r) => [r.kode as string, r.tingkat as string]));
    for (const f of regionFields) {
      const value = readPointer(data, f.pointer) as string;
      if (level.get(value) !== f.region) issues.push(issue(model, f.pointer, `Kode wilayah "${value}" tidak ada dalam daftar ${f.label}.`, 'region'));
    }
  }
  for (const f of fields) {
    const value = readPointer(data, f.pointer);
    if (!f.refForm || typeof value !== 'string') continue;
    const row = (await w.query(w.db.selectFrom(f.refForm.replace(/-/g, '_')).select('_id').where('_id', '=', value)))[0];
    if (!row) issues.push(issue(model, f.pointer, `${f.label} tidak ditemukan: daftarkan dulu dengan formulir ${f.refForm}.`, 'ref-form'));
  }
  return issues;
}

/** Region codes of `data` that are not in the region data at their field's level. */
async function unknownRegionIssues(store: Store, model: FormModel, data: unknown): Promise<ValidationIssue[]> {
  const fields = [...indexModel(model).rootFields.values()].filter((f) => f.region && typeof readPointer(data, f.pointer) === 'string');
  if (!fields.length) return [];
  const codes = fields.map((f) => readPointer(data, f.pointer) as string);
  const found = await store.db.selectFrom('wilayah').select(['kode', 'tingkat']).where('kode', 'in', codes).execute();
  const level = new Map(found.map((r) => [String(r.kode), String(r.tingkat)]));
  return fields.filter((f) => level.get(readPointer(data, f.pointer) as string) !== f.region)
    .map((f) => issue(model, f.pointer, `Kode wilayah "${readPointer(data, f.pointer) as string}" tidak ada dalam daftar ${f.label}.`, 'region'));
}

/**
 * Whether the submission stored under `id` holds this content once read with `model`: a retry of
 * one stored before a field was renamed (its content hash was taken under the former key) is the
 * same submission. Only asked when the hashes differ and the model has renamed fields.
 */
async function sameAfterRenames(w: WriteContext, model: FormModel, tables: FormTables, id: string, hash: string): Promise<boolean> {
  if (!model.parts.some((p) => (p.kind === 'section' ? p.fields : p.columns).some((f) => f.formerKeys.length))) return false;
  const main = (await w.query(w.db.selectFrom(tables.main.name).selectAll().where('_id', '=', id)))[0] as Row | undefined;
  if (!main) return false;
  const children = new Map<string, Row[]>();
  for (const child of tables.children) {
    children.set(child.name, (await w.query(w.db.selectFrom(child.name).selectAll().where('_submission_id', '=', id).orderBy('_row'))) as Row[]);
  }
  return contentHash(rowsToSubmission(model, tables, main, children)) === hash;
}

/** Which constraint a database error broke, for SQLite (better-sqlite3) and PostgreSQL (pg). */
function brokenConstraint(e: unknown): 'primary-key' | 'foreign-key' | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') return 'primary-key';
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503') return 'foreign-key';
  return undefined;
}

/**
 * Validate and store a submission atomically (its own savepoint in a group commit, see
 * write-queue.ts). Throws SubmissionRejected for the user's errors. The happy path is just the
 * inserts: a retried UUID is caught by the primary key and an unknown region code or group card
 * by the foreign keys, and only then are they looked up to answer.
 */
export async function saveSubmission(store: Store, model: FormModel, input: SaveInput): Promise<SaveOutcome> {
  if (!UUID.test(input.id)) {
    throw new SubmissionRejected('invalid', [{ path: '', label: 'Kode kiriman', message: 'Kode kiriman (UUID) tidak sah.', keyword: 'uuid' }]);
  }
  // Ids are one space for all forms and compared lowercased; text is stored trimmed.
  const id = input.id.toLowerCase();
  // Data sent under a renamed field's former key (a page opened before the rename) is carried.
  const normalized = normalizeSubmission(model, carryFormerKeys(model, input.data));
  const copyIssues = await copyLinkedValues(store, model, normalized, input.linked);
  const checked = validatorFor(model).check(normalized, { today: input.today });
  const issues = [...copyIssues, ...checked.errors.filter((e) => !copyIssues.some((c) => c.path === e.path))];
  if (issues.length) throw new SubmissionRejected('invalid', issues);
  const data = normalized as Record<string, unknown>;
  const revises = input.revises?.toLowerCase();
  if (revises !== undefined && !UUID.test(revises)) {
    throw new SubmissionRejected('invalid', [{ path: '', label: 'Kiriman yang diperbarui', message: 'Kode kiriman yang diperbarui (UUID) tidak sah.', keyword: 'uuid' }]);
  }
  // The region codes must name one place (each level inside the one above). Checked without the
  // database; only when they do not nest are the codes looked up, so that an unknown code is named
  // as unknown rather than the levels below it as misfits.
  const misfits = regionNestingIssues(model, data, new Set());
  if (misfits.length) {
    const unknown = await unknownRegionIssues(store, model, data);
    throw new SubmissionRejected('invalid', [...unknown, ...regionNestingIssues(model, data, new Set(unknown.map((i) => i.path)))]);
  }
  const tables = cachedTables(store, model) ?? (await tablesFor(store, model));
  const others = (await idSpace(store)).filter((t) => t !== tables.main.name);
  const hash = digest('sha256', canonicalSubmission(model, data), 'hex');
  const main = tables.main.name;
  const { main: mainRow, children } = submissionToRows(tables, data, id);
  const unique = model.unique;
  const warnings = [...checked.warnings, ...(revises ? [] : await duplicateWarnings(store, model, tables, mainRow))];

  return store.writes.run<SaveOutcome>({
    async work(w) {
      await input.guard?.(w);
      // Another form's submission with this id: a phone reusing an id by mistake, or an attacker.
      // Refused in the same transaction as the insert, so two forms can never both take an id.
      for (const table of others) {
        if ((await w.query(w.db.selectFrom(table).select('_id').where('_id', '=', id))).length) {
          throw new SubmissionRejected('conflict', [{ path: '', label: 'Kode kiriman', message: 'Kode kiriman ini sudah dipakai oleh kiriman formulir lain.', keyword: 'conflict' }]);
        }
      }
      let revision = 1;
      let supersedes: string | null = null;
      let entity = id;
      if (revises) {
        const prior = (await w.query(w.db.selectFrom(main).select(['_id', '_entity', '_revision', '_current', '_status']).where('_id', '=', revises)))[0];
        if (!prior) throw new SubmissionRejected('not-found', [{ path: '', label: 'Kiriman yang diperbarui', message: 'Kiriman yang hendak diperbarui tidak ditemukan.', keyword: 'revises' }]);
        if (prior._id === id) throw new SubmissionRejected('conflict', [{ path: '', label: 'Kode kiriman', message: 'Perbaikan harus memakai kode kiriman baru.', keyword: 'conflict' }]);
        if (Number(prior._current) !== 1) {
          throw new SubmissionRejected('conflict', [{ path: '', label: 'Kiriman yang diperbarui', message: 'Kartu ini sudah diperbarui orang lain sejak Anda membukanya. Buka versi terbarunya, lalu ulangi perubahan Anda.', keyword: 'stale' }]);
        }
        if (prior._status !== 'aktif') throw new SubmissionRejected('conflict', [{ path: '', label: 'Kiriman yang diperbarui', message: 'Kiriman ini sudah dinonaktifkan; aktifkan dulu sebelum memperbaruinya.', keyword: 'inactive' }]);
        revision = Number(prior._revision) + 1;
        supersedes = String(prior._id);
        entity = String(prior._entity ?? prior._id);
        await w.query(w.db.updateTable(main).set({ _current: 0 }).where('_id', '=', supersedes));
      } else if (unique.length) {
        let q = w.db.selectFrom(main).select(['_id', '_revision']).where('_current', '=', 1);
        for (const key of unique) q = q.where(key, '=', mainRow[key] as never);
        const prior = (await w.query(q))[0];
        if (prior) {
          revision = Number(prior._revision) + 1;
          supersedes = String(prior._id);
          entity = String(prior._entity ?? prior._id);
          await w.query(w.db.updateTable(main).set({ _current: 0 }).where('_id', '=', supersedes));
        }
      }
      await insertRows(w, tables, main, [{
        _id: id, _version: model.version, _revision: revision, _supersedes: supersedes,
        _current: 1, _status: 'aktif', _hash: hash, _created_at: new Date().toISOString(),
        _entity: entity, _status_reason: null, _status_at: null,
        _warnings: warnings.length ? JSON.stringify(warnings) : null,
        ...mainRow,
      }]);
      for (const [table, rows] of children) {
        for (let i = 0; i < rows.length; i += CHUNK) await insertRows(w, tables, table, rows.length > CHUNK ? rows.slice(i, i + CHUNK) : rows);
      }
      return { status: 'created', id: id, revision, supersedes, entity, warnings };
    },
    async recover(e, w) {
      const broken = brokenConstraint(e);
      if (broken === 'primary-key') {
        const existing = (await w.query(w.db.selectFrom(main).select(['_hash', '_revision', '_supersedes', '_entity', '_warnings']).where('_id', '=', id)))[0];
        if (existing && (existing._hash === hash || (await sameAfterRenames(w, model, tables, id, hash)))) {
          return {
            status: 'duplicate', id: id, revision: Number(existing._revision), supersedes: (existing._supersedes as string | null) ?? null,
            entity: String(existing._entity ?? id), warnings: parseWarnings(existing._warnings),
          };
        }
        if (existing) {
          throw new SubmissionRejected('conflict', [{ path: '', label: 'Kode kiriman', message: 'Kode kiriman ini sudah dipakai untuk isi yang berbeda.', keyword: 'conflict' }]);
        }
      }
      if (broken === 'foreign-key') {
        const refIssues = await referenceIssues(w, model, data);
        if (refIssues.length) throw new SubmissionRejected('invalid', refIssues);
      }
      throw e;
    },
  });
}

/** A stored submission exactly as it was submitted, or undefined. */
export async function loadSubmission(store: Store, model: FormModel, anyCaseId: string): Promise<StoredSubmission | undefined> {
  const id = anyCaseId.toLowerCase();
  const tables = await tablesFor(store, model);
  const main = (await store.db.selectFrom(tables.main.name).selectAll().where('_id', '=', id).executeTakeFirst()) as Row | undefined;
  if (!main) return undefined;
  const children = new Map<string, Row[]>();
  for (const child of tables.children) {
    children.set(child.name, (await store.db.selectFrom(child.name).selectAll().where('_submission_id', '=', id).orderBy('_row').execute()) as Row[]);
  }
  return {
    id,
    formId: model.id,
    version: Number(main._version),
    revision: Number(main._revision),
    supersedes: (main._supersedes as string | null) ?? null,
    current: Number(main._current) === 1,
    status: main._status as 'aktif' | 'nonaktif',
    statusReason: (main._status_reason as string | null) ?? null,
    statusAt: (main._status_at as string | null) ?? null,
    entity: String(main._entity ?? id),
    warnings: parseWarnings(main._warnings),
    warningsChecked: main._warnings_checked_at
      ? { by: String(main._warnings_checked_by ?? ''), at: String(main._warnings_checked_at), note: (main._warnings_note as string | null) ?? null }
      : null,
    createdAt: String(main._created_at),
    data: rowsToSubmission(model, tables, main, children),
  };
}

export interface StatusChange {
  /** Why (required to deactivate: "kelompok bubar", "digabung dengan …"). */
  readonly reason?: string;
  /** The day it stopped (YYYY-MM-DD); reports of months after it leave it out. Defaults to today. */
  readonly at?: string;
  /** As SaveInput.guard: checked again inside the change's transaction. */
  readonly guard?: WriteGuard;
}

/**
 * Deactivate (never delete) a submission and every revision of its entity, e.g. the cards of a
 * group that stopped, with the reason and the day; or make it active again. Its history stays.
 */
export async function setSubmissionStatus(store: Store, model: FormModel, id: string, status: 'aktif' | 'nonaktif', change: StatusChange = {}): Promise<boolean> {
  const tables = await tablesFor(store, model);
  const main = tables.main.name;
  const row = await store.db.selectFrom(main).select(['_id', '_entity']).where('_id', '=', id.toLowerCase()).executeTakeFirst();
  if (!row) return false;
  const entity = String(row._entity ?? row._id);
  const set = status === 'nonaktif'
    ? { _status: status, _status_reason: change.reason ?? null, _status_at: change.at ?? new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10) }
    : { _status: status, _status_reason: null, _status_at: null };
  // Through the write queue, as a save: it commits with the others, makes cached artefacts stale
  // and, on PostgreSQL, tells the other server processes.
  await store.writes.run({
    async work(w) {
      await change.guard?.(w);
      await w.query(w.db.updateTable(main).set(set).where((eb) => eb.or([eb('_entity', '=', entity), eb('_id', '=', entity)])));
    },
  });
  return true;
}

export interface WarningsChecked {
  /** The account that checked (its name or email, as the audit trail names it). */
  readonly by: string;
  readonly at: string;
  readonly note: string | null;
}

/**
 * Confirm that a submission's warnings were checked (the district looked at the possible
 * duplicate group, the member aged 55, and found it right): recorded on that revision, which
 * stays as it was. A later revision has its own warnings, unconfirmed. Returns 'none' when the
 * submission has no warnings to confirm.
 */
export async function confirmWarnings(store: Store, model: FormModel, id: string, check: { by: string; note?: string; at?: Date }): Promise<'confirmed' | 'none' | 'not-found'> {
  const tables = await tablesFor(store, model);
  const main = tables.main.name;
  const row = await store.db.selectFrom(main).select(['_id', '_warnings']).where('_id', '=', id.toLowerCase()).executeTakeFirst();
  if (!row) return 'not-found';
  if (!parseWarnings(row._warnings).length) return 'none';
  await store.db.updateTable(main).set({
    _warnings_checked_by: check.by, _warnings_checked_at: (check.at ?? new Date()).toISOString(), _warnings_note: check.note?.trim() || null,
  }).where('_id', '=', String(row._id)).execute();
  store.writes.bump();
  return 'confirmed';
}

/** The warnings column as stored (JSON list, or null); unreadable content counts as none. */
export function parseWarnings(raw: unknown): ValidationIssue[] {
  if (typeof raw !== 'string' || !raw) return [];
  try {
    const list = JSON.parse(raw) as unknown;
    return Array.isArray(list) ? (list as ValidationIssue[]) : [];
  } catch {
    return [];
  }
}

/**
 * A new entity whose `x-entity.duplicate` fields equal those of a current active one (a second
 * card for the same group name in the same village): a warning, never a refusal — two groups may
 * share a name; the district sees the warning and checks.
 */
async function duplicateWarnings(store: Store, model: FormModel, tables: FormTables, mainRow: Row): Promise<ValidationIssue[]> {
  const decl = model.entity?.duplicate;
  const fields = indexModel(model).rootFields;
  if (!decl || !decl.fields.every((f) => fields.has(f) && mainRow[f] !== undefined && mainRow[f] !== null)) return [];
  let q = store.db.selectFrom(tables.main.name).select('_id').where('_current', '=', 1).where('_status', '=', 'aktif');
  for (const f of decl.fields) q = q.where(f, '=', mainRow[f] as never);
  if (!(await q.limit(1).executeTakeFirst())) return [];
  const path = fields.get(decl.fields[0]!)!.pointer;
  return [{ path, label: labelFor(model, path), message: decl.message, keyword: 'duplicate', severity: 'peringatan' }];
}

/**
 * Fill the fields copied from a linked submission (`x-copy-from`: an R/1's member count from the
 * group's K/0 in force in the register's month), overwriting whatever was sent. A link that names
 * no submission is left for the reference check; one with no card in force is an issue here.
 */
async function copyLinkedValues(store: Store, model: FormModel, data: unknown, linked: SaveInput['linked']): Promise<ValidationIssue[]> {
  const idx = indexModel(model);
  const issues: ValidationIssue[] = [];
  for (const f of idx.rootFields.values()) {
    const decl = f.copyFrom;
    const link = decl && idx.rootFields.get(decl.link);
    const target = link?.refForm ? linked?.(link.refForm) : undefined;
    if (!decl || !link || !target || !data || typeof data !== 'object') continue;
    const [, section, key] = f.pointer.split('/');
    const holder = (data as Record<string, unknown>)[section!];
    const entity = readPointer(data, link.pointer);
    if (!holder || typeof holder !== 'object' || typeof entity !== 'string' || !UUID.test(entity)) continue;
    const year = decl.year ? readPointer(data, idx.rootFields.get(decl.year)?.pointer ?? '') : undefined;
    const month = decl.month ? readPointer(data, idx.rootFields.get(decl.month)?.pointer ?? '') : undefined;
    const tables = await tablesFor(store, target);
    const period = typeof year === 'number' ? { year, month: typeof month === 'number' ? month : undefined } : undefined;
    const ids = await idsInForce(store.db, target, tables, period, (q) => q.where('_entity', '=', entity.toLowerCase()));
    const cardId = ids.get(entity.toLowerCase());
    if (!cardId) {
      const exists = await store.db.selectFrom(tables.main.name).select('_id').where('_entity', '=', entity.toLowerCase()).executeTakeFirst();
      // Refused (the issue below) or left to the reference check: the sent value is never stored.
      if (exists) issues.push(issue(model, link.pointer, `${link.label} belum punya kartu ${target.code} yang berlaku pada bulan ini (belum terbentuk atau sudah nonaktif).`, 'copy-from'));
      continue;
    }
    const row = await store.db.selectFrom(tables.main.name).select(decl.field).where('_id', '=', cardId).executeTakeFirst();
    const value = (row as Record<string, unknown> | undefined)?.[decl.field];
    if (value === null || value === undefined) delete (holder as Record<string, unknown>)[key!];
    else (holder as Record<string, unknown>)[key!] = value;
  }
  return issues;
}

/**
 * The current revision of an entity (a group's newest card), found by the entity id or by the id
 * of any of its revisions; undefined when there is none.
 */
export async function loadCurrent(store: Store, model: FormModel, anyCaseId: string): Promise<StoredSubmission | undefined> {
  const id = anyCaseId.toLowerCase();
  if (!UUID.test(id)) return undefined;
  const tables = await tablesFor(store, model);
  const main = tables.main.name;
  const own = await store.db.selectFrom(main).select(['_entity']).where('_id', '=', id).executeTakeFirst();
  const entity = String(own?._entity ?? id);
  const row = await store.db.selectFrom(main).select('_id').where('_entity', '=', entity).where('_current', '=', 1).executeTakeFirst();
  return row ? loadSubmission(store, model, String(row._id)) : own ? loadSubmission(store, model, id) : undefined;
}

/**
 * The revision of the entity of `anyCaseId` in force in `period` (a group's card of that year, as
 * corrected by the month's end), or undefined when the entity did not exist or had stopped then.
 * For a form without `x-entity`: its current revision, as `loadCurrent`.
 */
export async function loadInForce(store: Store, model: FormModel, anyCaseId: string, period: Period): Promise<StoredSubmission | undefined> {
  const id = anyCaseId.toLowerCase();
  if (!UUID.test(id)) return undefined;
  if (!model.entity) return loadCurrent(store, model, id);
  const tables = await tablesFor(store, model);
  const own = await store.db.selectFrom(tables.main.name).select(['_entity']).where('_id', '=', id).executeTakeFirst();
  if (!own) return undefined;
  const entity = String(own._entity ?? id);
  const chosen = (await idsInForce(store.db, model, tables, period, (q) => q.where('_entity', '=', entity))).get(entity);
  return chosen ? loadSubmission(store, model, chosen) : undefined;
}

/** Every revision of the entity of `anyCaseId`, oldest first (a group's card history). */
export async function revisionHistory(store: Store, model: FormModel, anyCaseId: string): Promise<{ id: string; revision: number; createdAt: string; current: boolean; year: unknown }[]> {
  const id = anyCaseId.toLowerCase();
  const tables = await tablesFor(store, model);
  const main = tables.main.name;
  const own = await store.db.selectFrom(main).select(['_entity']).where('_id', '=', id).executeTakeFirst();
  if (!own) return [];
  const yearField = model.entity?.year && indexModel(model).rootFields.has(model.entity.year) ? model.entity.year : undefined;
  const rows = (await store.db.selectFrom(main).select(['_id', '_revision', '_created_at', '_current', ...(yearField ? [yearField] : [])])
    .where('_entity', '=', String(own._entity ?? id)).orderBy('_created_at').orderBy('_revision').execute()) as Row[];
  return rows.map((r) => ({ id: String(r._id), revision: Number(r._revision), createdAt: String(r._created_at), current: Number(r._current) === 1, year: yearField ? r[yearField] : undefined }));
}
