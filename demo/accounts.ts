/**
 * Demo accounts, one per role over the demo regions, with known passwords (listed in the README).
 * Only in demo mode: a real install makes its accounts with `npm run user -- add`.
 */
import type { Auth } from '../server/auth/auth.js';
import { createAccount } from '../server/auth/auth.js';
import type { Role } from '../server/auth/roles.js';
import type { Store } from '../engine/index.js';

export interface DemoAccount { readonly username: string; readonly password: string; readonly role: Role; readonly regions: readonly string[]; readonly name: string }

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'demo.kader', password: 'kader-demo-2026', role: 'kader', regions: ['33.74.01.1001'], name: 'Sri Wahyuni (kader, Kel. Pekunden)' },
  { username: 'demo.pkb', password: 'pkb-demo-2026', role: 'pkb', regions: ['33.74.01'], name: 'Budi Santoso (PLKB Kec. Semarang Tengah)' },
  { username: 'demo.kabupaten', password: 'kabupaten-demo-2026', role: 'kabupaten', regions: ['33.74'], name: 'OPD KB Kota Semarang' },
  { username: 'demo.provinsi', password: 'provinsi-demo-2026', role: 'provinsi', regions: ['33'], name: 'Perwakilan BKKBN Jawa Tengah' },
  { username: 'demo.pusat', password: 'pusat-demo-2026', role: 'pusat', regions: [], name: 'Direktorat PEK (pusat)' },
  { username: 'demo.admin', password: 'admin-demo-2026', role: 'admin', regions: [], name: 'Admin nasional (demo)' },
];

/** Create the demo accounts that are missing; returns those created. */
export async function seedDemoAccounts(store: Store, auth: Auth): Promise<DemoAccount[]> {
  const existing = new Set((await store.db.selectFrom('user').select('username').execute()).map((r) => String(r.username)));
  const made: DemoAccount[] = [];
  for (const a of DEMO_ACCOUNTS) {
    if (existing.has(a.username)) continue;
    await createAccount(auth, { name: a.name, role: a.role, regions: a.regions, username: a.username, password: a.password });
    made.push(a);
  }
  return made;
}
