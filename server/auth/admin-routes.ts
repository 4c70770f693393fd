/**
 * Account administration for admins of a level: make accounts below their node (with a one-time
 * password shown once: villages have no e-mail), reset passwords, deactivate and reactivate; and
 * the audit trail of their region.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { regionByCode } from '../../engine/index.js';
import { formatSavedAt } from '../../generators/format.js';
import { page, render } from '../../generators/html/render.js';
import { covers, viewerOf, type RegionScope } from '../access.js';
import { audit } from '../audit.js';
import type { AppDeps } from '../context.js';
import { shell } from '../http.js';
import { createAccount, findAccount, listAccounts, resetPassword, setActive, type Account } from './auth.js';
import { isRole, ROLE_INFO, ROLES, type Role } from './roles.js';

/**
 * An admin manages accounts below its node: inside its regions, and another admin only at a lower
 * node. A national admin manages every account but other national admins.
 */
function manages(scope: RegionScope, target: Account): boolean {
  if (scope.kind === 'all') return !(target.role === 'admin' && target.regions.length === 0);
  if (!target.regions.length) return false;
  return target.regions.every((r) => covers(scope, r) && !(target.role === 'admin' && scope.codes.includes(r)));
}

/** Check a new account's role and regions: each code of the role's level, inside the admin's scope. */
export async function checkAccountInput(deps: Pick<AppDeps, 'store'>, scope: RegionScope, role: Role, regions: readonly string[]): Promise<string | undefined> {
  const info = ROLE_INFO[role];
  if (!regions.length) return info.levels.includes('nasional') && scope.kind === 'all' ? undefined : `Peran ${info.title} harus terikat pada wilayah.`;
  if (regions.length > 1 && !info.many) return `Peran ${info.title} hanya untuk satu wilayah.`;
  for (const code of regions) {
    if (!/^[0-9]+(\.[0-9]+)*$/.test(code)) return `Kode wilayah "${code}" tidak sah.`;
    const region = await regionByCode(deps.store, code);
    if (!region) return `Kode wilayah "${code}" tidak terdaftar.`;
    if (!info.levels.includes(region.tingkat)) return `Peran ${info.title} terikat pada ${info.levels.join(' atau ')}, bukan ${region.tingkat} (${region.nama}).`;
    if (!covers(scope, code)) return `Wilayah ${region.nama} di luar wilayah Anda.`;
  }
  return undefined;
}

export function adminRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  const scopeName = async (scope: RegionScope) => scope.kind === 'all' ? 'nasional' : (await Promise.all(scope.codes.map(async (c) => (await regionByCode(deps.store, c))?.nama ?? c))).join(', ');

  async function accountsPage(c: Context, extra: { created?: { message: string; username: string; password: string }; message?: string } = {}) {
    const viewer = viewerOf(c);
    const all = await listAccounts(deps.store);
    const visible = all.filter((a) => a.id === viewer.account.id || manages(viewer.scope, a));
    return page('Akun', render('accounts', {
      ...extra, scopeName: await scopeName(viewer.scope),
      roles: ROLES.filter((r) => viewer.scope.kind === 'all' || r !== 'pusat').map((r) => ({ value: r, label: ROLE_INFO[r].title })),
      accounts: visible.map((a) => ({ ...a, roleTitle: ROLE_INFO[a.role].title, regions: a.regions.join(', ') || 'nasional', manageable: a.id !== viewer.account.id && manages(viewer.scope, a) })),
    }), shell(c));
  }

  app.get('/akun', async (c) => c.html(await accountsPage(c)));

  app.post('/akun', async (c) => {
    const viewer = viewerOf(c);
    const body = await c.req.parseBody();
    const name = typeof body.nama === 'string' ? body.nama.trim().slice(0, 120) : '';
    const role = body.peran;
    const regions = typeof body.wilayah === 'string' ? body.wilayah.split(',').map((s) => s.trim()).filter(Boolean) : [];
    if (!name) return c.html(await accountsPage(c, { message: 'Nama lengkap wajib diisi.' }), 422);
    if (!isRole(role)) return c.html(await accountsPage(c, { message: 'Peran tidak dikenal.' }), 422);
    const problem = await checkAccountInput(deps, viewer.scope, role, regions);
    if (problem) return c.html(await accountsPage(c, { message: problem }), 422);
    if (role === 'admin' && viewer.scope.kind === 'regions' && regions.some((r) => viewer.scope.kind === 'regions' && viewer.scope.codes.includes(r))) {
      return c.html(await accountsPage(c, { message: 'Admin hanya dapat membuat admin untuk wilayah di bawahnya.' }), 422);
    }
    // Another national admin is beside this one, not below: made only with `npm run user`.
    if (role === 'admin' && regions.length === 0) return c.html(await accountsPage(c, { message: 'Admin nasional hanya dibuat lewat perintah npm run user di server.' }), 422);
    const made = await createAccount(deps.auth, { name, role, regions }).catch((e: Error) => e);
    if (made instanceof Error) return c.html(await accountsPage(c, { message: `Akun tidak dapat dibuat: periksa nama lengkapnya (${made.message.slice(0, 80)}).` }), 422);
    const { account, password } = made;
    await audit(deps.store, c, { action: 'akun', resource: 'akun', record: account.id, region: regions[0], detail: `buat ${account.username} (${role})` });
    return c.html(await accountsPage(c, { created: { message: `Akun ${name} dibuat.`, username: account.username, password } }), 201);
  });

  app.post('/akun/:id', async (c) => {
    const viewer = viewerOf(c);
    const target = await findAccount(deps.auth, c.req.param('id'));
    // Accounts outside the admin's region do not exist for them.
    if (!target || target.id === viewer.account.id || !manages(viewer.scope, target)) throw new HTTPException(404, { message: 'Akun tidak ditemukan.' });
    const action = (await c.req.parseBody())._aksi;
    if (action === 'sandi') {
      const password = await resetPassword(deps.auth, target.id);
      await audit(deps.store, c, { action: 'akun', resource: 'akun', record: target.id, region: target.regions[0], detail: `atur ulang sandi ${target.username}` });
      return c.html(await accountsPage(c, { created: { message: `Kata sandi ${target.name} diatur ulang; sesi lamanya berakhir.`, username: target.username, password } }));
    }
    if (action === 'nonaktif' || action === 'aktif') {
      await setActive(deps.auth, target.id, action === 'aktif');
      await audit(deps.store, c, { action: 'akun', resource: 'akun', record: target.id, region: target.regions[0], detail: `${action} ${target.username}` });
      return c.redirect('/akun', 303);
    }
    return c.html(await accountsPage(c, { message: 'Tindakan tidak dikenal.' }), 422);
  });

  app.get('/jejak', async (c) => {
    const viewer = viewerOf(c);
    let q = deps.store.db.selectFrom('lembar_jejak').selectAll().orderBy('id', 'desc').limit(501);
    if (viewer.scope.kind === 'regions') {
      const codes = viewer.scope.codes;
      q = q.where((eb) => eb.or(codes.flatMap((code) => [eb('wilayah', '=', code), eb('wilayah', 'like', `${code}.%`)])));
    }
    const rows = await q.execute();
    return c.html(page('Jejak kegiatan', render('audit', {
      scopeName: await scopeName(viewer.scope), more: rows.length > 500, shown: 500,
      entries: rows.slice(0, 500).map((r) => ({ ...r, waktu: formatSavedAt(String(r.waktu), 'short') })),
    }), shell(c)));
  });

  return app;
}
