/**
 * Two server processes on one PostgreSQL database, as behind a load balancer (issue 19): real
 * `server/main.ts` processes started together on a fresh database, talked to over HTTP on
 * 127.0.0.1. What one process does, the other sees: a session made on one is valid on the other
 * and a logout on one ends it on both; the same Idempotency-Key posted to both at once is stored
 * once; a save through one makes the other's cached report stale; an approval on one locks on the
 * other; a publish on one is served by the other, and two publishes at once cannot interleave.
 *
 * Announcements between processes travel by LISTEN/NOTIFY and arrive a moment after the commit:
 * where a test looks for another process's change it asks again for up to a few seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startPostgres, type PostgresServer } from './support/postgres.js';
import { bigK0 } from './support/submissions.js';

interface Proc { readonly base: string; readonly child: ChildProcess; readonly output: () => string }

/** A server process on `url`; resolves once it listens (its port is read from what it prints). */
function startProcess(url: string): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.MP_LOG ?? 'silent', LEMBAR_DEMO: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /berjalan di http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ base: `http://127.0.0.1:${m[1]}`, child, output: () => out });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${out}`)); });
  });
}

const wib = new Date(Date.now() + 7 * 3600 * 1000);
const Y = wib.getUTCFullYear();
const M = wib.getUTCMonth() + 1;
const NEXT = M === 12 ? { tahun: Y + 1, bulan: 1 } : { tahun: Y, bulan: M + 1 };
const PASSWORDS = { kader: 'kader-demo-2026', kabupaten: 'kabupaten-demo-2026', provinsi: 'provinsi-demo-2026', pusat: 'pusat-demo-2026' } as const;
type Who = keyof typeof PASSWORDS;

async function login(p: Proc, who: Who): Promise<string> {
  const res = await fetch(`${p.base}/masuk`, { method: 'POST', redirect: 'manual', headers: { Origin: p.base }, body: new URLSearchParams({ pengguna: `demo.${who}`, sandi: PASSWORDS[who] }) });
  expect(res.status).toBe(303);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

const send = (p: Proc, cookie: string, path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('Cookie', cookie);
  if (init.method && init.method !== 'GET') headers.set('Origin', p.base);
  return fetch(`${p.base}${path}`, { ...init, redirect: 'manual', headers });
};
const postJson = (p: Proc, cookie: string, path: string, body: unknown, key: string = randomUUID()) =>
  send(p, cookie, path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key }, body: JSON.stringify(body) });

/** Ask until `check` holds (another process's change arrives a moment after its commit). */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function card(name: string) {
  const d = bigK0(3, name);
  d.kartu = { tahun: Y };
  d.identitas_kelompok.tahun_terbentuk = Y - 1;
  return d;
}

describe('two server processes on one PostgreSQL', () => {
  let server: PostgresServer;
  let url: string;
  let a: Proc;
  let b: Proc;
  let db: pg.Client;

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase('lembar_dua_proses');
    // Started together on an empty database: they take turns creating the tables.
    [a, b] = await Promise.all([startProcess(url), startProcess(url)]);
    db = new pg.Client({ connectionString: url });
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    for (const p of [a, b]) {
      if (!p || p.child.exitCode !== null) continue;
      const exited = new Promise((r) => p.child.once('exit', r));
      p.child.kill('SIGTERM');
      await exited;
    }
    await server?.stop();
  }, 60_000);

  const mainTable = async (form: string) => {
    const row = (await db.query('select tabel from lembar_definisi where form_id = $1 order by versi desc limit 1', [form])).rows[0];
    return (JSON.parse(row.tabel) as { main: { name: string } }).main.name;
  };

  it('starts both on a fresh database, with one copy of every table and demo account', async () => {
    const accounts = await db.query(`select username, count(*)::int as n from "user" group by username`);
    expect(accounts.rows.map((r) => r.n)).toEqual(accounts.rows.map(() => 1));
    expect(accounts.rows.map((r) => r.username)).toContain('demo.kader');
    const versions = await db.query('select form_id, count(*)::int as n from lembar_definisi group by form_id order by form_id');
    expect(versions.rows).toEqual(versions.rows.map((r) => ({ form_id: r.form_id, n: 1 })));
    expect(versions.rows.length).toBeGreaterThanOrEqual(4);
  });

  it('accepts a session made on one on the other, and a logout on one ends it on both', async () => {
    const cookie = await login(a, 'kader');
    expect((await send(b, cookie, '/')).status).toBe(200);
    // Both remember the session now (the session cache); the logout goes through A only.
    expect((await send(a, cookie, '/')).status).toBe(200);
    expect((await send(a, cookie, '/keluar', { method: 'POST' })).status).toBe(303);
    expect((await send(a, cookie, '/')).status).toBe(303);
    expect(await eventually(async () => (await send(b, cookie, '/')).status === 303)).toBe(true);
  });

  it('stores the same Idempotency-Key posted to both at once exactly once', async () => {
    const kader = await login(a, 'kader');
    for (let round = 0; round < Number(process.env.MP_ROUNDS ?? 10); round++) {
      const key = randomUUID();
      const body = card(`UPPKA Dua Proses ${round}`);
      const [ra, rb] = await Promise.all([postJson(a, kader, '/api/forms/k0-uppka/submissions', body, key), postJson(b, kader, '/api/forms/k0-uppka/submissions', body, key)]);
      const answers = [await ra.json(), await rb.json()] as { id: string; revision: number }[];
      expect([ra.status, rb.status].every((s) => s === 200 || s === 201), `${JSON.stringify(answers)}\n${[a, b].map((p) => p.output().split('\n').filter((l) => l.includes('"level":"error"')).join('\n')).join('\n')}`).toBe(true);
      expect(answers.map((x) => x.id)).toEqual([key, key]);
      const table = await mainTable('k0-uppka');
      expect((await db.query(`select count(*)::int as n from ${table} where _id = $1`, [key])).rows[0].n).toBe(1);
      expect((await db.query(`select count(*)::int as n from ${table} where nama_kelompok = $1`, [body.identitas_kelompok.nama_kelompok])).rows[0].n).toBe(1);
    }
  });

  it('makes the other process\'s cached report stale when one stores a group', async () => {
    const province = await login(b, 'provinsi');
    const path = `/api/reports/laporan-provinsi.csv?provinsi=33&tahun=${Y}&bulan=${M}`;
    const before = await (await send(b, province, path)).text();
    // Asked twice: the second answer comes from B's cache of rendered reports.
    expect(await (await send(b, province, path)).text()).toBe(before);
    const kader = await login(a, 'kader');
    expect((await postJson(a, kader, '/api/forms/k0-uppka/submissions', card('UPPKA Baru Lewat A'))).status).toBe(201);
    expect(before).not.toContain('UPPKA Baru Lewat A');
    expect(await eventually(async () => (await (await send(b, province, path)).text()).includes('UPPKA Baru Lewat A'))).toBe(true);
  });

  it('sees an approval made on one in the other, which then refuses a register for the approved month', async () => {
    const kader = await login(a, 'kader');
    const group = randomUUID();
    expect((await postJson(a, kader, '/api/forms/k0-uppka/submissions', card('UPPKA Persetujuan Dua Proses'), group)).status).toBe(201);
    const district = await login(a, 'kabupaten');
    const act = (p: Proc, cookie: string, aksi: string) => postJson(p, cookie, '/api/pantau/persetujuan', { tingkat: 'kabupaten', wilayah: '33.74', tahun: Y, bulan: M, aksi, catatan: '' });
    expect((await act(a, district, 'ajukan')).status).toBe(200);
    const province = await login(b, 'provinsi');
    const listed = await (await send(b, province, `/api/pantau/persetujuan?tahun=${Y}&bulan=${M}`)).json() as { rows: { region: string; status: string }[] };
    expect(listed.rows.find((r) => r.region === '33.74')?.status).toBe('diajukan');
    expect((await act(b, province, 'setujui')).status).toBe(200);
    const register = {
      identitas: { kelompok_id: group, bulan: M, tahun: Y, jumlah_anggota: 3 },
      pertemuan: [{ tanggal: `${Y}-${String(M).padStart(2, '0')}-01`, materi: 'Pembukuan', jumlah_hadir: 2 }],
      kegiatan_pro_pn: { sosialisasi_kebijakan: true, orientasi_pek: false, pengembangan_model: false, monitoring_evaluasi: false },
      usaha: { modal: 0, omzet: 0 },
    };
    const locked = await postJson(a, kader, '/api/forms/r1-uppka/submissions', register);
    expect(locked.status).toBe(423);
  });

  it('serves a version published through one from the other, and refuses the second of two publishes at once', async () => {
    const pusatA = await login(a, 'pusat');
    const pusatB = await login(b, 'pusat');
    const draft = async (p: Proc, cookie: string, label: string) => {
      const made = await (await send(p, cookie, '/api/studio/forms/k0-uppka/drafts', { method: 'POST' })).json() as { id: string };
      const got = await (await send(p, cookie, `/api/studio/drafts/${made.id}`)).json() as { definition: any };
      got.definition.properties.identitas_kelompok.properties.nama_kampung_kb.title = label;
      const put = await send(p, cookie, `/api/studio/drafts/${made.id}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(got.definition) });
      expect(put.status).toBe(200);
      return made.id;
    };
    const publish = (p: Proc, cookie: string, id: string, catatan: string) =>
      send(p, cookie, `/api/studio/drafts/${id}/publish`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ berlaku_mulai: NEXT, catatan }) });

    const first = await draft(a, pusatA, 'Nama Kampung KB (Dua Proses)');
    const published = await publish(a, pusatA, first, 'Label baru');
    expect(published.status, await published.clone().text()).toBe(200);
    const kaderB = await login(b, 'kader');
    const nextPage = `/forms/k0-uppka?periode=${NEXT.tahun}-${String(NEXT.bulan).padStart(2, '0')}`;
    expect(await eventually(async () => (await (await send(b, kaderB, nextPage)).text()).includes('Nama Kampung KB (Dua Proses)'))).toBe(true);
    // This month keeps the version in force now, on both.
    expect(await (await send(b, kaderB, '/forms/k0-uppka')).text()).not.toContain('Nama Kampung KB (Dua Proses)');

    // Two drafts of the same version, published at the same moment through different processes.
    const [da, db2] = [await draft(a, pusatA, 'Kampung KB versi A'), await draft(b, pusatB, 'Kampung KB versi B')];
    const [ra, rb] = await Promise.all([publish(a, pusatA, da, 'Dari A'), publish(b, pusatB, db2, 'Dari B')]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const versions = await db.query(`select versi from lembar_definisi where form_id = 'k0-uppka' order by versi`);
    const numbers = versions.rows.map((r) => Number(r.versi));
    expect(new Set(numbers).size).toBe(numbers.length);
    const winner = ra.status === 200 ? 'Kampung KB versi A' : 'Kampung KB versi B';
    for (const p of [a, b]) {
      const cookie = p === a ? await login(a, 'kader') : kaderB;
      expect(await eventually(async () => (await (await send(p, cookie, nextPage)).text()).includes(winner))).toBe(true);
    }
  });
});
