/**
 * Several server processes on one PostgreSQL database usually start together (a deployment
 * restarts them all). Creating and migrating tables at the same moment would collide (two
 * `create table if not exists` of one table can both pass the check), so each process does its
 * start-up work holding a session lock of the database, one after the other; the later ones find
 * the work done. SQLite has one server process per file: nothing to wait for.
 */
import { sql } from 'kysely';
import type { Store } from '../engine/index.js';

const STARTUP_LOCK = 'lembar_mulai';

export async function oneAtATime<T>(store: Store, work: () => Promise<T>): Promise<T> {
  if (store.dialect !== 'postgres') return work();
  // The lock belongs to one pooled connection, held for the whole start-up; the work itself runs
  // on the pool's other connections.
  return store.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(${STARTUP_LOCK}))`.execute(conn);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${STARTUP_LOCK}))`.execute(conn);
    }
  });
}
