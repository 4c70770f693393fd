/**
 * Approval states in the database: one row per level, region and month with its state and the
 * last action on it (who, when, note), and every action in a history table (the primary record of
 * who submitted, approved, returned or reopened what). An action is one transaction that reads the
 * state it starts from and updates only if the state is still that one, so two approvals of the
 * same month at once cannot both succeed.
 */
import type { Kysely } from 'kysely';
import { regionChildren, regionNames } from '../regions.js';
import type { Store } from '../storage/database.js';
import { autoIdColumn } from '../storage/ddl.js';
import {
  APPROVAL_BLOCKING, APPROVAL_STATUS_LABELS, approvalMonthName, approvalRegionAt, approvalTransition,
  type ApprovalAction, type ApprovalLevel, type ApprovalStatus,
} from './approval-rules.js';

const STATE = 'lembar_persetujuan';
const HISTORY = 'lembar_persetujuan_riwayat';

export interface ApprovalActor {
  readonly id: string;
  /** As staff know the account ("Perwakilan BKKBN Jawa Tengah"). */
  readonly name: string;
  readonly role: string;
}

export interface ApprovalRecord {
  readonly level: ApprovalLevel;
  readonly region: string;
  readonly year: number;
  readonly month: number;
  readonly status: ApprovalStatus;
  /** The last action on this month: who took it, when (ISO), with what note; absent while `belum`. */
  readonly by?: ApprovalActor;
  readonly at?: string;
  readonly note?: string;
}

export interface ApprovalHistoryEntry {
  readonly action: ApprovalAction;
  readonly from: ApprovalStatus;
  readonly to: ApprovalStatus;
  readonly by: ApprovalActor;
  readonly at: string;
  readonly note?: string;
}

/** Why an action was not taken: out of order (409), or a lower or upper month in the way (409). */
export class ApprovalRefused extends Error {
  constructor(readonly reason: 'order' | 'lower-open' | 'upper-closed' | 'concurrent', message: string) {
    super(message);
  }
}

const ensured = new WeakMap<Store, Promise<void>>();

/** The two tables, made on first use per store (idempotent). */
export function ensureApprovalTables(store: Store): Promise<void> {
  let done = ensured.get(store);
  if (!done) {
    done = (async () => {
      await store.db.schema.createTable(STATE).ifNotExists()
        .addColumn('tingkat', 'text', (c) => c.notNull())
        .addColumn('wilayah', 'text', (c) => c.notNull())
        .addColumn('tahun', 'integer', (c) => c.notNull())
        .addColumn('bulan', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('akun', 'text')
        .addColumn('nama', 'text')
        .addColumn('peran', 'text')
        .addColumn('waktu', 'text')
        .addColumn('catatan', 'text')
        .addPrimaryKeyConstraint(`${STATE}__pk`, ['tingkat', 'wilayah', 'tahun', 'bulan'])
        .execute();
      await store.db.schema.createIndex(`${STATE}__status__idx`).ifNotExists().on(STATE).columns(['tingkat', 'status']).execute();
      await store.db.schema.createTable(HISTORY).ifNotExists()
        .addColumn('id', ...autoIdColumn(store.dialect))
        .addColumn('tingkat', 'text', (c) => c.notNull())
        .addColumn('wilayah', 'text', (c) => c.notNull())
        .addColumn('tahun', 'integer', (c) => c.notNull())
        .addColumn('bulan', 'integer', (c) => c.notNull())
        .addColumn('aksi', 'text', (c) => c.notNull())
        .addColumn('dari', 'text', (c) => c.notNull())
        .addColumn('menjadi', 'text', (c) => c.notNull())
        .addColumn('akun', 'text', (c) => c.notNull())
        .addColumn('nama', 'text', (c) => c.notNull())
        .addColumn('peran', 'text', (c) => c.notNull())
        .addColumn('waktu', 'text', (c) => c.notNull())
        .addColumn('catatan', 'text')
        .execute();
      await store.db.schema.createIndex(`${HISTORY}__bulan__idx`).ifNotExists().on(HISTORY).columns(['tingkat', 'wilayah', 'tahun', 'bulan']).execute();
    })();
    done.catch(() => ensured.delete(store));
    ensured.set(store, done);
  }
  return done;
}

type Row = Record<string, unknown>;

function recordOf(level: ApprovalLevel, region: string, year: number, month: number, row: Row | undefined): ApprovalRecord {
  if (!row) return { level, region, year, month, status: 'belum' };
  return {
    level, region, year, month, status: String(row.status) as ApprovalStatus,
    ...(row.akun ? { by: { id: String(row.akun), name: String(row.nama ?? ''), role: String(row.peran ?? '') } } : {}),
    ...(row.waktu ? { at: String(row.waktu) } : {}),
    ...(row.catatan ? { note: String(row.catatan) } : {}),
  };
}

/** The approval state of one level's month for one region (`belum` when nothing was done yet). */
export async function approvalState(store: Store, level: ApprovalLevel, region: string, year: number, month: number): Promise<ApprovalRecord> {
  await ensureApprovalTables(store);
  const row = await store.db.selectFrom(STATE).selectAll().where('tingkat', '=', level).where('wilayah', '=', region)
    .where('tahun', '=', year).where('bulan', '=', month).executeTakeFirst();
  return recordOf(level, region, year, month, row as Row | undefined);
}

/** The states of one level's month for several regions, by region. */
export async function approvalStates(store: Store, level: ApprovalLevel, regions: readonly string[], year: number, month: number): Promise<Map<string, ApprovalRecord>> {
  await ensureApprovalTables(store);
  const out = new Map(regions.map((r) => [r, recordOf(level, r, year, month, undefined)]));
  for (let i = 0; i < regions.length; i += 500) {
    const rows = (await store.db.selectFrom(STATE).selectAll().where('tingkat', '=', level).where('wilayah', 'in', regions.slice(i, i + 500))
      .where('tahun', '=', year).where('bulan', '=', month).execute()) as Row[];
    for (const r of rows) out.set(String(r.wilayah), recordOf(level, String(r.wilayah), year, month, r));
  }
  return out;
}

/** Every approved month of one region at one level (what locks its data). */
export async function approvedMonths(store: Store, level: ApprovalLevel, region: string): Promise<ApprovalRecord[]> {
  await ensureApprovalTables(store);
  const rows = (await store.db.selectFrom(STATE).selectAll().where('tingkat', '=', level).where('wilayah', '=', region)
    .where('status', '=', 'disetujui').orderBy('tahun').orderBy('bulan').execute()) as Row[];
  return rows.map((r) => recordOf(level, region, Number(r.tahun), Number(r.bulan), r));
}

/** Months whose approval locks a write: one region's month at a level, or all its months. */
export interface ApprovalWatch {
  readonly level: ApprovalLevel;
  readonly region: string;
  readonly year?: number;
  readonly month?: number;
}

/**
 * How many of the watched months are approved, as a statement a write job runs in its own
 * transaction (`await w.query(…)`): a write checked against the approvals before it started
 * compares this with what it saw, so an approval committed in between cannot slip past.
 */
export function approvedCountQuery(db: Kysely<any>, watched: readonly ApprovalWatch[]) {
  return db.selectFrom(STATE).select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'disetujui')
    .where((eb) => eb.or(watched.map((x) => eb.and([
      eb('tingkat', '=', x.level), eb('wilayah', '=', x.region),
      ...(x.year !== undefined && x.month !== undefined ? [eb('tahun', '=', x.year), eb('bulan', '=', x.month)] : []),
    ]))));
}

/** Every action on one level's month, oldest first. */
export async function approvalHistory(store: Store, level: ApprovalLevel, region: string, year: number, month: number): Promise<ApprovalHistoryEntry[]> {
  await ensureApprovalTables(store);
  const rows = (await store.db.selectFrom(HISTORY).selectAll().where('tingkat', '=', level).where('wilayah', '=', region)
    .where('tahun', '=', year).where('bulan', '=', month).orderBy('id').execute()) as Row[];
  return rows.map((r) => ({
    action: String(r.aksi) as ApprovalAction, from: String(r.dari) as ApprovalStatus, to: String(r.menjadi) as ApprovalStatus,
    by: { id: String(r.akun), name: String(r.nama), role: String(r.peran) }, at: String(r.waktu), ...(r.catatan ? { note: String(r.catatan) } : {}),
  }));
}

/** One step asked for: which month of which region, what to do, and the note. */
export interface ApprovalStep {
  readonly level: ApprovalLevel;
  readonly region: string;
  readonly year: number;
  readonly month: number;
  readonly action: ApprovalAction;
  readonly note: string;
}

/** A step as it is recorded: by whom, and when. */
export interface ApprovalChange extends ApprovalStep {
  readonly actor: ApprovalActor;
  readonly at?: Date;
}

/** "Laporan Kota Semarang Desember 2026", "Laporan provinsi Jawa Tengah Desember 2026". */
function subject(level: ApprovalLevel, name: string, year: number, month: number): string {
  return `Laporan ${level === 'provinsi' ? 'provinsi ' : ''}${name} ${approvalMonthName(year, month)}`;
}

/**
 * Take an action on a month: checked against the state it starts from and the months around it
 * (a province submits only when none of its districts' months is pending, returned or reopened; a
 * district month is reopened only while the province month above is neither submitted nor
 * approved), all in one transaction with the update conditional on the state read. Who may act is
 * the caller's check (roles are the server's). Refusals are `ApprovalRefused` with the reason.
 */
export async function applyApproval(store: Store, change: ApprovalChange): Promise<ApprovalRecord> {
  await ensureApprovalTables(store);
  const { level, region, year, month, action, actor } = change;
  const note = change.note.trim();
  const at = (change.at ?? new Date()).toISOString();
  const parent = level === 'kabupaten' ? approvalRegionAt('provinsi', region) : undefined;
  const children = level === 'provinsi' ? (await regionChildren(store, region)).map((r) => r.kode) : [];
  const name = await regionNames(store, [region, ...(parent ? [parent] : []), ...children]);
  const named = (code: string) => name(code) ?? code;
  const key = { tingkat: level, wilayah: region, tahun: year, bulan: month };
  const onKey = (q: any) => q.where('tingkat', '=', level).where('wilayah', '=', region).where('tahun', '=', year).where('bulan', '=', month);

  return store.writes.run<ApprovalRecord>({
    async work(w) {
      const row = (await w.query(onKey(w.db.selectFrom(STATE).selectAll())))[0];
      const current = (row ? String(row.status) : 'belum') as ApprovalStatus;
      const step = approvalTransition(current, action);
      if ('refusal' in step) throw new ApprovalRefused('order', `${subject(level, named(region), year, month)} ${step.refusal}`);
      if (level === 'provinsi' && action === 'ajukan') {
        const open = (await w.query(w.db.selectFrom(STATE).select(['wilayah', 'status']).where('tingkat', '=', 'kabupaten').where('wilayah', 'like', `${region}.%`)
          .where('tahun', '=', year).where('bulan', '=', month).where('status', 'in', [...APPROVAL_BLOCKING]).orderBy('wilayah')));
        if (open.length) {
          const list = open.map((r) => `${named(String(r.wilayah))} (${APPROVAL_STATUS_LABELS[String(r.status) as ApprovalStatus]})`).join(', ');
          throw new ApprovalRefused('lower-open', `${subject(level, named(region), year, month)} belum dapat diajukan: laporan kabupaten/kota berikut belum disetujui: ${list}. Setujui laporan itu, atau tunggu diajukan lagi, lebih dahulu.`);
        }
      }
      if (level === 'kabupaten' && action === 'buka' && parent) {
        const above = (await w.query(w.db.selectFrom(STATE).select('status').where('tingkat', '=', 'provinsi').where('wilayah', '=', parent).where('tahun', '=', year).where('bulan', '=', month)))[0];
        const status = above?.status as ApprovalStatus | undefined;
        if (status === 'disetujui' || status === 'diajukan') {
          const what = status === 'disetujui'
            ? 'sudah disetujui pusat. Minta pusat membuka kembali laporan provinsi lebih dahulu'
            : 'sudah diajukan ke pusat. Minta pusat mengembalikan laporan provinsi lebih dahulu';
          throw new ApprovalRefused('upper-closed', `${subject(level, named(region), year, month)} tidak dapat dibuka kembali: ${subject('provinsi', named(parent), year, month)} ${what}.`);
        }
      }
      const values = { status: step.status, akun: actor.id, nama: actor.name, peran: actor.role, waktu: at, catatan: note || null };
      // The update holds only if the state is still the one read: a second approval of the same
      // month, committed first, leaves this one nothing to update.
      const changed = row
        ? (await w.query(onKey(w.db.updateTable(STATE).set(values)).where('status', '=', current).returning('status')))
        : (await w.query(w.db.insertInto(STATE).values({ ...key, ...values }).onConflict((oc) => oc.doNothing()).returning('status')));
      if (!changed.length) throw new ApprovalRefused('concurrent', `${subject(level, named(region), year, month)} baru saja diubah orang lain; muat ulang halaman lalu ulangi.`);
      await w.query(w.db.insertInto(HISTORY).values({ ...key, aksi: action, dari: current, menjadi: step.status, akun: actor.id, nama: actor.name, peran: actor.role, waktu: at, catatan: note || null }));
      return recordOf(level, region, year, month, { ...key, ...values });
    },
  });
}
