/**
 * The real server on 127.0.0.1 with a free port and a temporary SQLite file, and real accounts:
 * one per role (made through the same code as `npm run user -- add`), logged in over HTTP on first
 * use. `srv.fetch` sends as the suite's default account; `srv.fetchAs(role, …)` as another.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccount } from '../../server/auth/auth.js';
import type { Role } from '../../server/auth/roles.js';
import { start } from '../../server/main.js';
import { startPostgres, type PostgresServer } from './postgres.js';

const VILLAGES = (JSON.parse(readFileSync(new URL('../../forms/regions/wilayah.json', import.meta.url), 'utf8')) as { wilayah: { kode: string; tingkat: string }[] }).wilayah
  .filter((r) => r.tingkat === 'desa_kelurahan').map((r) => r.kode);

/** The test accounts: each role bound as the issue describes; the PKB to every village of the region data. */
export const TEST_ACCOUNTS: Readonly<Record<Role, { regions: string[]; username: string }>> = {
  kader: { regions: ['33.74.01.1001'], username: 'uji.kader' },
  pkb: { regions: VILLAGES, username: 'uji.pkb' },
  kabupaten: { regions: ['33.74'], username: 'uji.kabupaten' },
  provinsi: { regions: ['33'], username: 'uji.provinsi' },
  pusat: { regions: [], username: 'uji.pusat' },
  admin: { regions: [], username: 'uji.admin' },
};
export const TEST_PASSWORD = 'sandi-uji-panjang-2026';

/**
 * `LEMBAR_TEST_DIALECT=postgres`: every server of the run gets a fresh database on one throwaway
 * PostgreSQL server (per test file), to run the server suites on PostgreSQL by hand:
 * `LEMBAR_TEST_DIALECT=postgres npx vitest run test/server.test.ts`.
 */
let postgres: Promise<PostgresServer> | undefined;
let databases = 0;
let open = 0;
async function databaseFor(dir: string): Promise<{ url: string; release: () => Promise<void> }> {
  if (process.env.LEMBAR_TEST_DIALECT !== 'postgres') return { url: join(dir, 'lembar.sqlite'), release: async () => {} };
  postgres ??= startPostgres();
  const server = await postgres;
  open++;
  return {
    url: await server.createDatabase(`lembar_uji_${process.pid}_${++databases}`),
    // The PostgreSQL server stops with the last server of the file that used it.
    async release() {
      if (--open > 0) return;
      postgres = undefined;
      await server.stop();
    },
  };
}

export async function startServer(options: { demo?: boolean; formsDir?: string; as?: Role } = {}) {
  process.env.LOG_LEVEL = 'silent';
  const dir = mkdtempSync(join(tmpdir(), 'lembar-server-'));
  const database = await databaseFor(dir);
  const databaseUrl = database.url;
  const running = await start({ port: 0, hostname: '127.0.0.1', databaseUrl, demo: options.demo ?? true, formsDir: options.formsDir });
  const base = `http://127.0.0.1:${running.port}`;
  for (const [role, a] of Object.entries(TEST_ACCOUNTS) as [Role, (typeof TEST_ACCOUNTS)[Role]][]) {
    await createAccount(running.auth, { name: `Uji ${role}`, role, regions: a.regions, username: a.username, password: TEST_PASSWORD });
  }
  const cookies = new Map<Role, string>();
  const url = (path: string) => (path.startsWith('http') ? path : `${base}${path}`);

  /** Log in over HTTP as a test account; the session cookie, cached per role. */
  async function login(role: Role): Promise<string> {
    const hit = cookies.get(role);
    if (hit) return hit;
    const res = await fetch(url('/masuk'), { method: 'POST', redirect: 'manual', headers: { Origin: base }, body: new URLSearchParams({ pengguna: TEST_ACCOUNTS[role].username, sandi: TEST_PASSWORD }) });
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    if (res.status !== 303 || !cookie) throw new Error(`login as ${role} failed: ${res.status}`);
    cookies.set(role, cookie);
    return cookie;
  }

  /** `fetch` as a role: its session cookie, and this site's Origin on anything that is not a GET. */
  async function fetchAs(role: Role, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Cookie', await login(role));
    if (init.method && init.method !== 'GET' && !headers.has('Origin')) headers.set('Origin', base);
    return fetch(url(path), { ...init, headers });
  }

  return {
    ...running,
    base,
    databaseUrl,
    url,
    login,
    fetchAs,
    /** As the suite's default account (a PKB over every village unless `as` says otherwise). */
    fetch: (path: string, init?: RequestInit) => fetchAs(options.as ?? 'pkb', path, init),
    async close() {
      await running.stop();
      await database.release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
