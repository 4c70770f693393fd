/**
 * Failed logins counted per account and per address, in the database (a restart does not reset
 * a guessing run): past the limit within the window, logins for that account or from that address
 * are refused with 429 until the window has passed. Each attempt reserves its place in both counts
 * atomically before the password is checked, so a burst of parallel guesses cannot all slip past
 * the check; a success gives the places back (the account's count is cleared).
 * Written here rather than with better-auth's limiter, which counts requests per address and path
 * only, not failures per account.
 */
import { sql } from 'kysely';
import type { Store } from '../../engine/index.js';

export const WINDOW_MS = 15 * 60 * 1000;
export const MAX_PER_ACCOUNT = 5;
export const MAX_PER_ADDRESS = 20;

/** The table, made at start-up (with the other tables, one process at a time) and on first use. */
export async function ensureLoginLimitTable(store: Store): Promise<void> {
  await sql`create table if not exists lembar_gagal_masuk (kunci text primary key, jumlah integer not null, sejak bigint not null)`.execute(store.db);
}

const keys = (username: string, address: string) => ({ account: `akun:${username.toLowerCase()}`, address: `alamat:${address}` });

/** Count one attempt under `key` (a fresh window when the old one has passed); the count and window start. */
async function count(store: Store, key: string, now: number): Promise<{ n: number; since: number }> {
  const row = await store.db.insertInto('lembar_gagal_masuk').values({ kunci: key, jumlah: 1, sejak: now })
    .onConflict((oc) => oc.column('kunci').doUpdateSet({
      // Qualified: PostgreSQL would read a bare `sejak` here as ambiguous with the proposed row's.
      jumlah: sql`case when lembar_gagal_masuk.sejak + ${WINDOW_MS} <= ${now} then 1 else lembar_gagal_masuk.jumlah + 1 end`,
      sejak: sql`case when lembar_gagal_masuk.sejak + ${WINDOW_MS} <= ${now} then ${now} else lembar_gagal_masuk.sejak end`,
    }))
    .returning(['jumlah', 'sejak']).executeTakeFirstOrThrow();
  return { n: Number(row.jumlah), since: Number(row.sejak) };
}

/**
 * Reserve an attempt for this account and address. Returns the seconds to wait when either is
 * past its limit (the attempt must then be refused without checking the password), else 0.
 */
export async function reserveLoginAttempt(store: Store, username: string, address: string, now = Date.now()): Promise<number> {
  await ensureLoginLimitTable(store);
  const k = keys(username, address);
  const account = await count(store, k.account, now);
  const addr = await count(store, k.address, now);
  const over = [account.n > MAX_PER_ACCOUNT ? account.since : undefined, addr.n > MAX_PER_ADDRESS ? addr.since : undefined].filter((x): x is number => x !== undefined);
  return over.length ? Math.max(...over.map((since) => Math.ceil((since + WINDOW_MS - now) / 1000))) : 0;
}

/** A login that succeeded: its account's count is cleared and its place at the address given back. */
export async function loginSucceeded(store: Store, username: string, address: string): Promise<void> {
  const k = keys(username, address);
  await store.db.deleteFrom('lembar_gagal_masuk').where('kunci', '=', k.account).execute();
  await store.db.updateTable('lembar_gagal_masuk').set({ jumlah: sql`case when jumlah > 0 then jumlah - 1 else 0 end` }).where('kunci', '=', k.address).execute();
}
