/**
 * The audit trail: every write and every export records who, when, what (form or report, record
 * id, revision) and from where. Admins read it for their region (`/jejak`).
 */
import type { Context } from 'hono';
import { autoIdColumn, type Store } from '../engine/index.js';
import type { Viewer } from './access.js';

export interface AuditEntry {
  readonly action: 'simpan' | 'unduh' | 'masuk' | 'keluar' | 'akun' | 'nonaktifkan' | 'aktifkan' | 'periksa' | 'terbitkan' | 'draf' | 'ajukan' | 'setujui' | 'kembalikan' | 'buka';
  /** Form or report id, or `akun`. */
  readonly resource: string;
  readonly record?: string;
  readonly revision?: number;
  /** The region the record belongs to, so admins see their region's entries. */
  readonly region?: string;
  readonly detail?: string;
}

export async function ensureAuditTable(store: Store): Promise<void> {
  await store.db.schema.createTable('lembar_jejak').ifNotExists()
    .addColumn('id', ...autoIdColumn(store.dialect))
    .addColumn('waktu', 'text', (c) => c.notNull())
    .addColumn('akun', 'text').addColumn('pengguna', 'text').addColumn('peran', 'text')
    .addColumn('aksi', 'text', (c) => c.notNull())
    .addColumn('sumber', 'text', (c) => c.notNull())
    .addColumn('rekaman', 'text').addColumn('revisi', 'integer').addColumn('wilayah', 'text').addColumn('alamat', 'text').addColumn('keterangan', 'text')
    .execute();
  await store.db.schema.createIndex('lembar_jejak__wilayah__idx').ifNotExists().on('lembar_jejak').column('wilayah').execute();
}

/** The client's address as the socket or a trusted proxy header gives it. */
export function addressOf(c: Context): string {
  const forwarded = process.env.LEMBAR_TRUST_PROXY === '1' ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return forwarded || env?.incoming?.socket?.remoteAddress || 'tidak diketahui';
}

export async function audit(store: Store, c: Context, entry: AuditEntry, viewer: Viewer | undefined = c.get('viewer')): Promise<void> {
  // Through the write queue: under load the entry shares the commit (and the fsync) of the saves
  // arriving with it, instead of paying a commit of its own per request.
  const row = {
    waktu: new Date().toISOString(), akun: viewer?.account.id ?? null, pengguna: viewer?.account.username ?? null, peran: viewer?.account.role ?? null,
    aksi: entry.action, sumber: entry.resource, rekaman: entry.record ?? null, revisi: entry.revision ?? null,
    wilayah: entry.region ?? null, alamat: addressOf(c), keterangan: entry.detail?.slice(0, 300) ?? null,
  };
  await store.writes.run({ bookkeeping: true, work: async (w) => { await w.query(w.db.insertInto('lembar_jejak').values(row)); } });
}
