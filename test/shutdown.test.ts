/** `npm start`'s process: keeps data across restarts and loses no acknowledged submission on SIGTERM. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bigK0 } from './support/submissions.js';

const dir = mkdtempSync(join(tmpdir(), 'lembar-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startProcess(demo: boolean): Promise<{ proc: ChildProcess; base: string; exited: Promise<number | null> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'lembar.sqlite'), LEMBAR_DEMO: demo ? '1' : '0', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = /(http:\/\/localhost:\d+)/.exec(line);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
  });
  return { proc, base, exited };
}

/** A bearer token of a demo account (the demo accounts exist in demo mode). */
async function token(base: string, pengguna: string, sandi: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/masuk`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ pengguna, sandi }) });
  return { Authorization: `Bearer ${res.headers.get('set-auth-token')}` };
}

describe('the server process', () => {
  it('loads the demo once, keeps data across restarts, and finishes acknowledged saves on SIGTERM', async () => {
    const first = await startProcess(true);
    const national = await token(first.base, 'demo.pusat', 'pusat-demo-2026');
    const pkb = await token(first.base, 'demo.pkb', 'pkb-demo-2026');
    const demoCount = (await (await fetch(`${first.base}/api/forms/k0-uppka/submissions`, { headers: national })).json()).total;
    expect(demoCount).toBe(6);

    const posts = Array.from({ length: 30 }, (_, i) => {
      const id = randomUUID();
      return fetch(`${first.base}/api/forms/k0-uppka/submissions`, {
        method: 'POST', headers: { ...pkb, 'Content-Type': 'application/json', 'Idempotency-Key': id }, body: JSON.stringify(bigK0(10, `UPPKA Henti ${i}`)),
      }).then((r) => ({ id, status: r.status }), () => ({ id, status: 0 }));
    });
    await new Promise((r) => setTimeout(r, 15));
    first.proc.kill('SIGTERM');
    const results = await Promise.all(posts);
    expect(await first.exited).toBe(0);
    const acknowledged = results.filter((r) => r.status === 201);
    expect(acknowledged.length).toBeGreaterThan(0);

    const second = await startProcess(true);
    // The session outlives the restart: it is in the database, as the secret is.
    const after = (await (await fetch(`${second.base}/api/forms/k0-uppka/submissions?per_page=200`, { headers: national })).json());
    const stored = new Set(after.items.map((i: { id: string }) => i.id));
    for (const r of acknowledged) expect(stored.has(r.id), r.id).toBe(true);
    expect(after.total).toBe(demoCount + results.filter((r) => stored.has(r.id)).length); // demo not loaded twice
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
