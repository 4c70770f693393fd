/**
 * `kill -9` under load (issue 14): the server process is killed while 50 phones post, some of
 * them the same submission twice at once; every submission it acknowledged is in the database
 * afterwards, the idempotent duplicates are stored once, and SQLite's integrity check is ok.
 * Bounded: loopback, one account, a few seconds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createAccount } from '../server/auth/auth.js';
import { start } from '../server/main.js';
import { bigK0 } from './support/submissions.js';
import { TEST_ACCOUNTS, TEST_PASSWORD } from './support/server.js';

const dir = mkdtempSync(join(tmpdir(), 'lembar-crash-'));
const databaseUrl = join(dir, 'lembar.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function spawnServer() {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LEMBAR_DEMO: '0', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));
  const base = await new Promise<string>((resolve) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = /(http:\/\/localhost:\d+)/.exec(line);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
  });
  return { proc, base, exited };
}

describe('kill -9 under load', () => {
  it('loses no acknowledged submission and leaves an intact database', async () => {
    // The database with an account, made in-process before the server process starts on it.
    const setup = await start({ port: 0, hostname: '127.0.0.1', databaseUrl, demo: false });
    const a = TEST_ACCOUNTS.pkb;
    await createAccount(setup.auth, { name: 'Uji pkb', role: 'pkb', regions: a.regions, username: a.username, password: TEST_PASSWORD });
    await setup.stop();

    const server = await spawnServer();
    const login = await fetch(`${server.base}/masuk`, { method: 'POST', redirect: 'manual', headers: { Origin: server.base }, body: new URLSearchParams({ pengguna: a.username, sandi: TEST_PASSWORD }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(login.status).toBe(303);

    const post = (id: string, i: number) => fetch(`${server.base}/api/forms/k0-uppka/submissions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': id, Cookie: cookie, Origin: server.base },
      body: JSON.stringify(bigK0(20, `UPPKA Mati ${i}`)),
    }).then((r) => ({ id, status: r.status }), () => ({ id, status: 0 }));

    // 50 phones, each posting one after another until the process dies; every fifth sends its
    // submission twice at once (a retry racing the first answer).
    const results: { id: string; status: number }[] = [];
    let dead = false;
    const phone = async (p: number) => {
      for (let i = 0; !dead && i < 200; i++) {
        const id = randomUUID();
        const sends = p % 5 === 0 ? [post(id, i), post(id, i)] : [post(id, i)];
        results.push(...(await Promise.all(sends)));
      }
    };
    const phones = Array.from({ length: 50 }, (_, p) => phone(p));
    await new Promise((r) => setTimeout(r, 1500));
    server.proc.kill('SIGKILL');
    dead = true;
    expect(await server.exited).toBe('SIGKILL');
    await Promise.all(phones);

    const acknowledged = new Set(results.filter((r) => r.status === 201 || r.status === 200).map((r) => r.id));
    expect(acknowledged.size).toBeGreaterThan(20);
    expect(results.every((r) => r.status === 0 || r.status < 500)).toBe(true);

    const db = new Database(databaseUrl);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Map((db.prepare('select _id, count(*) as n from k0_uppka group by _id').all() as { _id: string; n: number }[]).map((r) => [r._id, r.n]));
      const lost = [...acknowledged].filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      expect([...stored.values()].every((n) => n === 1)).toBe(true);
      // Rows of a stored submission are all there (a save is one transaction).
      const rows = db.prepare('select _submission_id as id, count(*) as n from k0_uppka__anggota group by _submission_id').all() as { id: string; n: number }[];
      expect(rows.length).toBe(stored.size);
      expect(rows.every((r) => r.n === 20)).toBe(true);
    } finally {
      db.close();
    }
  }, 60_000);
});
