/**
 * Accounts and sessions through better-auth (username + password, its admin and bearer plugins)
 * on the same database as the forms, through the same kysely instance. Villages have no e-mail:
 * accounts are made by an admin or the CLI, with a generated one-time password to change at the
 * first login. Sessions are HttpOnly, SameSite=Lax cookies (`Secure` behind HTTPS), expire after
 * an idle time, and are refused past an absolute age whatever their activity.
 */
import { randomInt, randomBytes } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { admin, bearer, username } from 'better-auth/plugins';
import { sql } from 'kysely';
import type { Store } from '../../engine/index.js';
import { isRole, type Role } from './roles.js';
import { forgetSessions } from './session-cache.js';

/** Idle expiry: a session unused this long ends (it is extended while in use). */
export const SESSION_IDLE_SECONDS = 8 * 60 * 60;
/** Absolute expiry: however active, a session this old must log in again. */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export interface AuthOptions {
  /** The server's public address (`https://…` turns on `Secure` cookies). */
  readonly baseURL: string;
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;

async function secretOf(store: Store): Promise<string> {
  if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
  // One random secret per database, kept beside the data, so sessions survive a restart.
  await sql`create table if not exists lembar_meta (kunci text primary key, nilai text not null)`.execute(store.db);
  const row = await store.db.selectFrom('lembar_meta').select('nilai').where('kunci', '=', 'auth_secret').executeTakeFirst();
  if (row) return String(row.nilai);
  const secret = randomBytes(32).toString('base64url');
  await store.db.insertInto('lembar_meta').values({ kunci: 'auth_secret', nilai: secret }).onConflict((oc) => oc.doNothing()).execute();
  return String((await store.db.selectFrom('lembar_meta').select('nilai').where('kunci', '=', 'auth_secret').executeTakeFirstOrThrow()).nilai);
}

/** The auth instance over the store, its tables created or migrated. */
export async function createAuth(store: Store, options: AuthOptions) {
  const auth = betterAuth({
    database: { db: store.db, type: store.dialect },
    secret: await secretOf(store),
    baseURL: options.baseURL,
    logger: { disabled: true },
    telemetry: { enabled: false },
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 128 },
    session: { expiresIn: SESSION_IDLE_SECONDS, updateAge: 15 * 60 },
    // The server counts failed logins per account and per address itself (rate-limit.ts).
    rateLimit: { enabled: false },
    advanced: { useSecureCookies: options.baseURL.startsWith('https://'), cookiePrefix: 'lembar' },
    user: {
      additionalFields: {
        peran: { type: 'string', required: false, input: false },
        /** Region codes the account is bound to, comma separated ('' = the whole country). */
        wilayah: { type: 'string', required: false, input: false },
        harusGantiSandi: { type: 'boolean', required: false, input: false, defaultValue: false },
      },
    },
    plugins: [username({ minUsernameLength: 3, maxUsernameLength: 40 }), admin({ defaultRole: 'user' }), bearer()],
  });
  await (await getMigrations(auth.options)).runMigrations();
  return auth;
}

/** A password people can read out over the phone: no 0/O, 1/l/I. */
export function generatePassword(length = 12): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

export interface Account {
  readonly id: string;
  readonly username: string;
  readonly name: string;
  readonly role: Role;
  /** Region codes the account is bound to; empty = the whole country. */
  readonly regions: readonly string[];
  readonly active: boolean;
  readonly mustChangePassword: boolean;
}

export function accountOf(user: Record<string, unknown>): Account | undefined {
  if (!isRole(user.peran)) return undefined;
  return {
    id: String(user.id), username: String(user.username ?? ''), name: String(user.name ?? ''), role: user.peran,
    regions: String(user.wilayah ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    active: user.banned !== true && user.banned !== 1,
    mustChangePassword: user.harusGantiSandi === true || user.harusGantiSandi === 1,
  };
}

/** `Sri Wahyuni` → `sri.wahyuni`; at least three characters, as logins require. */
export function usernameFrom(name: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '.').replace(/^\.+|\.+$/g, '').slice(0, 30);
  return base.length >= 3 ? base : `${base || 'akun'}.akun`.replace(/^\./, '');
}

/** Make an account; returns it with its one-time password (or the given one, for demo accounts). */
export async function createAccount(auth: Auth, input: { name: string; role: Role; regions: readonly string[]; username?: string; password?: string }): Promise<{ account: Account; password: string }> {
  const ctx = await auth.$context;
  let name = input.username ?? usernameFrom(input.name);
  if (!input.username) {
    for (let n = 2; await ctx.internalAdapter.findUserByEmail(`${name}@lembar.invalid`); n++) name = `${usernameFrom(input.name)}${n}`;
  }
  const password = input.password ?? generatePassword();
  const created = await auth.api.createUser({
    body: {
      email: `${name}@lembar.invalid`, password, name: input.name,
      data: { username: name, peran: input.role, wilayah: input.regions.join(','), harusGantiSandi: input.password === undefined },
    },
  });
  return { account: accountOf(created.user as unknown as Record<string, unknown>)!, password };
}

export async function findAccount(auth: Auth, id: string): Promise<Account | undefined> {
  const user = await (await auth.$context).internalAdapter.findUserById(id);
  return user ? accountOf(user as unknown as Record<string, unknown>) : undefined;
}

/** A new one-time password; every session of the account ends. */
export async function resetPassword(auth: Auth, id: string): Promise<string> {
  const ctx = await auth.$context;
  const password = generatePassword();
  await ctx.internalAdapter.updatePassword(id, await ctx.password.hash(password));
  await ctx.internalAdapter.updateUser(id, { harusGantiSandi: true });
  await ctx.internalAdapter.deleteUserSessions(id);
  forgetSessions();
  return password;
}

/**
 * The account's own new password, checked against the current (or one-time) one; every other
 * session of the account ends. False when the current password is wrong.
 */
export async function changeOwnPassword(auth: Auth, headers: Headers, id: string, current: string, next: string): Promise<{ ok: boolean; cookies: string[] }> {
  const res = await auth.api.changePassword({ body: { currentPassword: current, newPassword: next, revokeOtherSessions: true }, headers, asResponse: true }).catch(() => undefined);
  if (!res?.ok) return { ok: false, cookies: [] };
  await (await auth.$context).internalAdapter.updateUser(id, { harusGantiSandi: false });
  forgetSessions();
  // The session of this request is renewed; the new cookie goes back to the browser.
  return { ok: true, cookies: res.headers.getSetCookie() };
}

/** Deactivate (never delete: the audit trail names the account) and end its sessions. */
export async function setActive(auth: Auth, id: string, active: boolean): Promise<void> {
  const ctx = await auth.$context;
  await ctx.internalAdapter.updateUser(id, { banned: !active });
  if (!active) await ctx.internalAdapter.deleteUserSessions(id);
  forgetSessions();
}

export async function listAccounts(store: Store): Promise<Account[]> {
  const rows = await store.db.selectFrom('user').selectAll().orderBy('username').execute();
  return rows.map((r) => accountOf(r)).filter((a): a is Account => !!a);
}
