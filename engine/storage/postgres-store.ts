/**
 * The PostgreSQL store: `pg` through kysely's PostgresDialect, a pool of connections, and real
 * transactions for writes (postgres-writes.ts). Durability is the server's (fsync and
 * synchronous_commit as the operator configured them); nothing here keeps state between requests
 * that another server process on the same database would not see.
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { PostgresWrites } from './postgres-writes.js';
import { StripNulPlugin } from './strip-nul.js';
import { CHANNEL, PostgresChangeFeed, changePayload } from './change-feed.js';
import type { PostgresStore, StoreOptions } from './store.js';

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Counts and the `bigint` columns (whole numbers, Rupiah amounts) come back as numbers, as they do
 * from SQLite; `pg` gives them as text because int8 may pass 2^53, which no count or amount here
 * comes near. A value that would lose digits stays text rather than be silently rounded.
 */
function toNumber(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) || (!Number.isInteger(n) && Number.isFinite(n)) ? n : text;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? toNumber : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function openPostgresStore(url: string, options: StoreOptions = {}): PostgresStore {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types });
  // An idle connection the server dropped must not end the process; the next query reconnects.
  const report = options.onBackgroundError ?? ((m: string) => console.error(`postgres: ${m}`));
  pool.on('error', (e) => report(e.message));
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), plugins: [new StripNulPlugin()] });
  const changes = new PostgresChangeFeed(url, async (payload) => { await pool.query('select pg_notify($1, $2)', [CHANNEL, payload]); }, report);
  // Every committed write tells the other processes, in its own transaction (see change-feed.ts).
  const writes = new PostgresWrites(db, changePayload(changes.origin, { topic: 'data' }));
  // Another process's save makes this process's cached artefacts stale as its own would.
  if (options.followChanges) changes.subscribe((c) => { if (c.topic === 'data' || c.topic === 'definitions') writes.bump(); });
  return {
    db,
    dialect: 'postgres',
    writes,
    changes,
    async close() {
      await changes.close();
      await db.destroy();
    },
  };
}
