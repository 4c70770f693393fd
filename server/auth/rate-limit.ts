/**
 * Failed logins counted per account and per address, in the database (a restart does not reset
 * a guessing run): past the limit within the window, logins for that account or from that address
 * are refused with 429 until the window has passed. A success clears the account's count.
 * Written here rather than with better-auth's limiter, which counts requests per address and path
 * only, not failures per account.
 */
import { sql } from 'kysely';
import type { Store } from '../../engine/index.js';

export const WINDOW_MS = 15 * 60 * 1000;
export const MAX_PER_ACCOUNT = 5;
export const MAX_PER_ADDRESS = 20;

async function ensure(store: Store): Promise<void> {
  await sql`create table if not exists lembar_gagal_masuk (kunci text primary key, jumlah integer not null, sejak integer not null)`.execute(store.db);
}

const keys = (username: string, address: string) => [`akun:${username.toLowerCase()}`, `alamat:${address}`];

/** Seconds to wait when this account or address has failed too often, else 0. */
export async function loginBlockedFor(store: Store, username: string, address: string, now = Date.now()): Promise<number> {
  await ensure(store);
  const [account, addr] = keys(username, address);
  const rows = await store.db.selectFrom('lembar_gagal_masuk').selectAll().where('kunci', 'in', [account!, addr!]).execute();
  let wait = 0;
  for (const r of rows) {
    const limit = String(r.kunci).startsWith('akun:') ? MAX_PER_ACCOUNT : MAX_PER_ADDRESS;
    const left = Number(r.sejak) + WINDOW_MS - now;
    if (Number(r.jumlah) >= limit && left > 0) wait = Math.max(wait, Math.ceil(left / 1000));
  }
  return wait;
}

export async function recordFailedLogin(store: Store, username: string, address: string, now = Date.now()): Promise<void> {
  await ensure(store);
  for (const key of keys(username, address)) {
    const row = await store.db.selectFrom('lembar_gagal_masuk').selectAll().where('kunci', '=', key).executeTakeFirst();
    if (!row || Number(row.sejak) + WINDOW_MS <= now) {
      await store.db.insertInto('lembar_gagal_masuk').values({ kunci: key, jumlah: 1, sejak: now })
        .onConflict((oc) => oc.column('kunci').doUpdateSet({ jumlah: 1, sejak: now })).execute();
    } else {
      await store.db.updateTable('lembar_gagal_masuk').set({ jumlah: Number(row.jumlah) + 1 }).where('kunci', '=', key).execute();
    }
  }
}

export async function clearFailedLogins(store: Store, username: string): Promise<void> {
  await ensure(store);
  await store.db.deleteFrom('lembar_gagal_masuk').where('kunci', '=', keys(username, '')[0]!).execute();
}
