/**
 * Login, logout and changing a one-time password: plain HTML forms that work without JavaScript
 * on a 360 px phone. Failed logins are counted per account and per address (429 past the limit).
 */
import { Hono, type Context } from 'hono';
import { page, render } from '../../generators/html/render.js';
import { audit } from '../audit.js';
import type { AppDeps } from '../context.js';
import { shell } from '../http.js';
import { addressOf } from '../audit.js';
import { viewerOf } from '../access.js';
import { changeOwnPassword } from './auth.js';
import { loginSucceeded, reserveLoginAttempt } from './rate-limit.js';
import { forgetSessions } from './session-cache.js';

/** Only a path of this site may follow a login (never another site: an open redirect). */
export function safeNext(v: unknown): string {
  return typeof v === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(v) && !v.startsWith('/masuk') ? v : '/';
}

const loginPage = (c: Context, ctx: { next: string; username?: string; message?: string; notice?: string }) => page('Masuk', render('login', ctx), shell(c));

export function loginRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.get('/masuk', (c) => {
    if (c.get('viewer')) return c.redirect(safeNext(c.req.query('lanjut')), 303);
    const expired = c.req.query('berakhir') === '1';
    return c.html(loginPage(c, { next: safeNext(c.req.query('lanjut')), notice: expired ? 'Sesi Anda sudah berakhir. Masuk lagi; isian yang belum terkirim masih tersimpan di ponsel ini.' : undefined }));
  });

  app.post('/masuk', async (c) => {
    const body = await c.req.parseBody();
    const username = typeof body.pengguna === 'string' ? body.pengguna.trim().toLowerCase().slice(0, 60) : '';
    const password = typeof body.sandi === 'string' ? body.sandi.slice(0, 200) : '';
    const next = safeNext(body.lanjut);
    const address = addressOf(c);
    const wait = await reserveLoginAttempt(deps.store, username, address);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.html(loginPage(c, { next, username, message: `Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam ${Math.ceil(wait / 60)} menit.` }), 429);
    }
    const res = username && password
      ? await deps.auth.api.signInUsername({ body: { username, password }, asResponse: true }).catch(() => undefined)
      : undefined;
    if (!res || !res.ok) {
      const banned = res?.status === 403;
      return c.html(loginPage(c, { next, username, message: banned ? 'Akun ini sudah dinonaktifkan. Hubungi admin wilayah Anda.' : 'Nama pengguna atau kata sandi salah.' }), 401);
    }
    await loginSucceeded(deps.store, username, address);
    for (const cookie of res.headers.getSetCookie()) c.header('Set-Cookie', cookie, { append: true });
    // API clients (integrations, the phone's outbox) send this back as `Authorization: Bearer`.
    const token = res.headers.get('set-auth-token');
    if (token) c.header('Set-Auth-Token', token);
    const user = ((await res.json()) as { user?: { id?: string } }).user;
    await audit(deps.store, c, { action: 'masuk', resource: 'akun', record: user?.id, detail: username });
    return c.redirect(next, 303);
  });

  app.post('/keluar', async (c) => {
    const res = await deps.auth.api.signOut({ headers: c.req.raw.headers, asResponse: true }).catch(() => undefined);
    forgetSessions();
    for (const cookie of res?.headers.getSetCookie() ?? []) c.header('Set-Cookie', cookie, { append: true });
    if (c.get('viewer')) await audit(deps.store, c, { action: 'keluar', resource: 'akun', record: c.get('viewer')!.account.id });
    return c.redirect('/masuk', 303);
  });

  const passwordPage = (c: Context, message?: string) => page('Ganti kata sandi', render('password', { forced: viewerOf(c).account.mustChangePassword, message }), shell(c));
  app.get('/sandi', (c) => c.html(passwordPage(c)));
  app.post('/sandi', async (c) => {
    const viewer = viewerOf(c);
    const body = await c.req.parseBody();
    const password = typeof body.sandi === 'string' ? body.sandi : '';
    const current = typeof body.lama === 'string' ? body.lama.slice(0, 200) : '';
    if (password.length < 10 || password.length > 128) return c.html(passwordPage(c, 'Kata sandi harus 10 sampai 128 karakter.'), 422);
    if (password !== body.ulang) return c.html(passwordPage(c, 'Kedua kata sandi tidak sama.'), 422);
    if (password === current) return c.html(passwordPage(c, 'Kata sandi baru harus berbeda dari yang lama.'), 422);
    const changed = await changeOwnPassword(deps.auth, c.req.raw.headers, viewer.account.id, current, password);
    if (!changed.ok) return c.html(passwordPage(c, 'Kata sandi saat ini salah.'), 422);
    for (const cookie of changed.cookies) c.header('Set-Cookie', cookie, { append: true });
    await audit(deps.store, c, { action: 'akun', resource: 'akun', record: viewer.account.id, detail: 'ganti kata sandi' });
    return c.redirect('/', 303);
  });

  return app;
}
