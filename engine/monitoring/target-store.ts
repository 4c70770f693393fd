/**
 * Targets and target groups in the database. The target files seed a year's values the first time
 * the year is used (recorded, so a value national staff later cleared is not seeded again); after
 * that the database is the truth, edited by national staff. Every edit keeps who and when on the
 * row and a line in the history. Tables are made here, idempotently, on first use per store.
 */
import type { Store } from '../storage/database.js';
import { autoIdColumn } from '../storage/ddl.js';
import type { TargetPlan } from './target-plan.js';

/** A region's target for a year: `value` null = "tanpa target". */
export interface TargetValue {
  readonly region: string;
  readonly value: number | null;
  readonly by: string;
  readonly at: string;
}

const ready = new WeakMap<Store, Promise<void>>();

/** The area's tables (once per store; concurrent first uses share the same promise). */
export function ensureTargetTables(store: Store): Promise<void> {
  let p = ready.get(store);
  if (!p) {
    p = createTables(store);
    ready.set(store, p);
    p.catch(() => ready.delete(store));
  }
  return p;
}

async function createTables(store: Store): Promise<void> {
  const { schema } = store.db;
  await schema.createTable('lembar_target').ifNotExists()
    .addColumn('tahun', 'integer', (c) => c.notNull())
    .addColumn('wilayah', 'text', (c) => c.notNull())
    .addColumn('nilai', 'integer')
    .addColumn('diubah_oleh', 'text', (c) => c.notNull())
    .addColumn('diubah_pada', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lembar_target__pk', ['tahun', 'wilayah'])
    .execute();
  await schema.createTable('lembar_target_riwayat').ifNotExists()
    .addColumn('id', ...autoIdColumn(store.dialect))
    .addColumn('tahun', 'integer', (c) => c.notNull())
    .addColumn('wilayah', 'text', (c) => c.notNull())
    .addColumn('lama', 'integer')
    .addColumn('baru', 'integer')
    .addColumn('oleh', 'text', (c) => c.notNull())
    .addColumn('pada', 'text', (c) => c.notNull())
    .execute();
  // Years whose file values were loaded, so seeding happens once per year.
  await schema.createTable('lembar_target_muat').ifNotExists()
    .addColumn('tahun', 'integer', (c) => c.primaryKey())
    .addColumn('berkas', 'text', (c) => c.notNull())
    .addColumn('dimuat_pada', 'text', (c) => c.notNull())
    .execute();
  await schema.createTable('lembar_sasaran').ifNotExists()
    .addColumn('tahun', 'integer', (c) => c.notNull())
    .addColumn('kelompok', 'text', (c) => c.notNull())
    .addColumn('sasaran', 'integer', (c) => c.notNull())
    .addColumn('wilayah', 'text')
    .addColumn('diubah_oleh', 'text', (c) => c.notNull())
    .addColumn('diubah_pada', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lembar_sasaran__pk', ['tahun', 'kelompok'])
    .execute();
}

/** Years known to be loaded, per store: a page view then costs no write. */
const seeded = new WeakMap<Store, Set<number>>();

/** Load a plan's file values for its year, unless that year was loaded before (one transaction). */
export async function seedTargets(store: Store, plan: TargetPlan): Promise<boolean> {
  let years = seeded.get(store);
  if (!years) seeded.set(store, (years = new Set()));
  if (years.has(plan.year)) return false;
  await ensureTargetTables(store);
  const at = new Date().toISOString();
  const by = `berkas targets/${plan.id}.json`;
  const loaded = await store.writes.run({
    work: async (w) => {
      // Checked inside the write: jobs run one at a time, so two first uses cannot both seed.
      if ((await w.query(w.db.selectFrom('lembar_target_muat').select('tahun').where('tahun', '=', plan.year))).length) return false;
      await w.query(w.db.insertInto('lembar_target_muat').values({ tahun: plan.year, berkas: plan.id, dimuat_pada: at }));
      for (const [wilayah, nilai] of Object.entries(plan.values)) {
        await w.query(w.db.insertInto('lembar_target').values({ tahun: plan.year, wilayah, nilai, diubah_oleh: by, diubah_pada: at })
          .onConflict((oc) => oc.columns(['tahun', 'wilayah']).doNothing()));
      }
      return true;
    },
  });
  years.add(plan.year);
  return loaded;
}

/** A year's targets by region code (regions with a row; a null value is "tanpa target"). */
export async function readTargets(store: Store, year: number): Promise<Map<string, TargetValue>> {
  await ensureTargetTables(store);
  const rows = await store.db.selectFrom('lembar_target').select(['wilayah', 'nilai', 'diubah_oleh', 'diubah_pada']).where('tahun', '=', year).orderBy('wilayah').execute();
  return new Map(rows.map((r) => [String(r.wilayah), {
    region: String(r.wilayah), value: r.nilai === null ? null : Number(r.nilai), by: String(r.diubah_oleh), at: String(r.diubah_pada),
  }]));
}

export interface TargetChange {
  readonly region: string;
  readonly before: number | null;
  readonly after: number | null;
}

/**
 * Set a year's targets (region code → whole number, or null for none), all in one transaction;
 * regions not named keep theirs. Only real changes are written and kept in the history.
 */
export async function saveTargets(store: Store, year: number, values: ReadonlyMap<string, number | null>, by: string): Promise<TargetChange[]> {
  await ensureTargetTables(store);
  const at = new Date().toISOString();
  return store.writes.run({
    work: async (w) => {
      const changes: TargetChange[] = [];
      const old = new Map((await w.query(w.db.selectFrom('lembar_target').select(['wilayah', 'nilai']).where('tahun', '=', year)))
        .map((r) => [String(r.wilayah), r.nilai === null ? null : Number(r.nilai)]));
      for (const [region, after] of values) {
        const before = old.has(region) ? old.get(region)! : null;
        if (old.has(region) && before === after) continue;
        if (!old.has(region) && after === null) continue;
        await w.query(w.db.insertInto('lembar_target').values({ tahun: year, wilayah: region, nilai: after, diubah_oleh: by, diubah_pada: at })
          .onConflict((oc) => oc.columns(['tahun', 'wilayah']).doUpdateSet({ nilai: after, diubah_oleh: by, diubah_pada: at })));
        await w.query(w.db.insertInto('lembar_target_riwayat').values({ tahun: year, wilayah: region, lama: before, baru: after, oleh: by, pada: at }));
        changes.push({ region, before, after });
      }
      return changes;
    },
  });
}

/** The history of a year's target edits, newest first. */
export async function targetHistory(store: Store, year: number): Promise<{ region: string; before: number | null; after: number | null; by: string; at: string }[]> {
  await ensureTargetTables(store);
  const rows = await store.db.selectFrom('lembar_target_riwayat').selectAll().where('tahun', '=', year).orderBy('id', 'desc').execute();
  return rows.map((r) => ({ region: String(r.wilayah), before: r.lama === null ? null : Number(r.lama), after: r.baru === null ? null : Number(r.baru), by: String(r.oleh), at: String(r.pada) }));
}

/** Flag (or unflag) a group as one of a year's target groups ("kelompok sasaran"). */
export async function saveTargetGroup(store: Store, flag: { year: number; group: string; flagged: boolean; region?: string; by: string }): Promise<void> {
  await ensureTargetTables(store);
  const at = new Date().toISOString();
  const row = { tahun: flag.year, kelompok: flag.group, sasaran: flag.flagged ? 1 : 0, wilayah: flag.region ?? null, diubah_oleh: flag.by, diubah_pada: at };
  await store.writes.run({
    work: async (w) => {
      await w.query(w.db.insertInto('lembar_sasaran').values(row)
        .onConflict((oc) => oc.columns(['tahun', 'kelompok']).doUpdateSet({ sasaran: row.sasaran, wilayah: row.wilayah, diubah_oleh: row.diubah_oleh, diubah_pada: at })));
    },
  });
}

/** The groups flagged as a year's target groups (their entity ids). */
export async function targetGroups(store: Store, year: number): Promise<Set<string>> {
  await ensureTargetTables(store);
  const rows = await store.db.selectFrom('lembar_sasaran').select('kelompok').where('tahun', '=', year).where('sasaran', '=', 1).execute();
  return new Set(rows.map((r) => String(r.kelompok)));
}

/** Whether one group is flagged for a year, and by whom. */
export async function targetGroupFlag(store: Store, year: number, group: string): Promise<{ flagged: boolean; by: string; at: string } | undefined> {
  await ensureTargetTables(store);
  const r = await store.db.selectFrom('lembar_sasaran').selectAll().where('tahun', '=', year).where('kelompok', '=', group).executeTakeFirst();
  return r ? { flagged: Number(r.sasaran) === 1, by: String(r.diubah_oleh), at: String(r.diubah_pada) } : undefined;
}
