/**
 * The one access layer. Every route is declared here with what it reads or writes; a request
 * whose route has no declaration is not served (deny by default), and a test checks that every
 * route of the app is declared. The guard finds who is asking (session cookie or bearer token),
 * applies the route's declaration to the account's role, and leaves the account's region scope
 * on the context: lists and reports apply it in their queries, reads by id check the record's
 * region (404 outside it), writes check the region they write (403 outside it).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { TrieRouter } from 'hono/router/trie-router';
import type { FormModel } from '../engine/index.js';
import { accountOf, SESSION_MAX_AGE_SECONDS, type Account, type Auth } from './auth/auth.js';
import { entersReport, ROLE_INFO } from './auth/roles.js';
import { cachedSession, rememberSession } from './auth/session-cache.js';
import type { AppDeps } from './context.js';
import type { Need } from './route-need.js';
import { APPROVAL_ACCESS } from './monitoring/approval-access.js';
import { TARGET_ACCESS } from './monitoring/target-access.js';
import { TIMELINESS_ACCESS } from './monitoring/timeliness-access.js';
import { STUDIO_ACCESS } from './studio/studio-access.js';
import { OFFLINE_ACCESS } from './offline/offline-access.js';
import { EXPORT_ACCESS } from './export/export-access.js';

export type RegionScope = { readonly kind: 'all' } | { readonly kind: 'regions'; readonly codes: readonly string[] };

export type { Need };

const PUBLIC: Need = { kind: 'public' };
const SIGNED_IN: Need = { kind: 'signed-in' };
const READ_FORM: Need = { kind: 'form', action: 'read' };
const WRITE_FORM: Need = { kind: 'form', action: 'write' };
const READ_REPORT: Need = { kind: 'report', action: 'read' };
const WRITE_REPORT: Need = { kind: 'report', action: 'write' };
const SUBMISSION: Need = { kind: 'submission' };
const ADMIN: Need = { kind: 'admin' };

/** Every route the app serves, with what it needs. */
export const ROUTE_ACCESS: readonly (readonly [method: string, path: string, need: Need])[] = [
  ['GET', '/static/:file', PUBLIC],
  ['GET', '/masuk', PUBLIC],
  ['POST', '/masuk', PUBLIC],
  ['POST', '/keluar', PUBLIC],
  ['GET', '/sandi', SIGNED_IN],
  ['POST', '/sandi', SIGNED_IN],
  ['GET', '/', SIGNED_IN],
  ['GET', '/api/forms', SIGNED_IN],
  ['GET', '/api/regions', SIGNED_IN],
  ['GET', '/api/forms/:id', SIGNED_IN],
  ['GET', '/forms/:id/validasi.js', SIGNED_IN],
  ['GET', '/forms/:id/:file', READ_FORM],
  ['GET', '/forms/:id', WRITE_FORM],
  ['POST', '/forms/:id', WRITE_FORM],
  ['GET', '/forms/:id/submissions', READ_FORM],
  ['POST', '/api/forms/:id/submissions', WRITE_FORM],
  ['GET', '/api/forms/:id/submissions', READ_FORM],
  ['GET', '/api/forms/:id/:file', READ_FORM],
  ['GET', '/submissions/:id', SUBMISSION],
  ['GET', '/api/submissions/:id', SUBMISSION],
  ['POST', '/submissions/:id/status', SUBMISSION],
  ['POST', '/api/submissions/:id/status', SUBMISSION],
  ['POST', '/submissions/:id/peringatan', SUBMISSION],
  ['POST', '/api/submissions/:id/peringatan', SUBMISSION],
  ['GET', '/reports/:id', READ_REPORT],
  ['GET', '/reports/:id/rincian', READ_REPORT],
  ['GET', '/reports/:id/nasional', READ_REPORT],
  ['POST', '/reports/:id', WRITE_REPORT],
  ['GET', '/api/reports/:file', READ_REPORT],
  ['POST', '/api/reports/:id/entries', WRITE_REPORT],
  ['GET', '/akun', ADMIN],
  ['POST', '/akun', ADMIN],
  ['POST', '/akun/:id', ADMIN],
  ['GET', '/jejak', ADMIN],
  // Monitoring up the chain (issue 17): each area declares its routes beside its handlers.
  ...TIMELINESS_ACCESS,
  ...TARGET_ACCESS,
  ...APPROVAL_ACCESS,
  ...STUDIO_ACCESS,
  ...OFFLINE_ACCESS,
  ...EXPORT_ACCESS,
];

interface Declared { readonly need: Need; readonly literals: number }
const router = new TrieRouter<Declared>();
for (const [method, path, need] of ROUTE_ACCESS) router.add(method, path, { need, literals: path.split('/').filter((s) => s && !s.startsWith(':')).length });

/** The declaration of a request: the most specific match (more literal segments) wins. */
export function needOf(method: string, path: string): { need: Need; params: Record<string, string> } | undefined {
  const found = router.match(method === 'HEAD' ? 'GET' : method, path)[0] as [Declared, Record<string, string>][];
  let best: [Declared, Record<string, string>] | undefined;
  for (const m of found) if (!best || m[0].literals > best[0].literals) best = m;
  return best ? { need: best[0].need, params: best[1] } : undefined;
}

/** Who is asking and where they may look. */
export interface Viewer {
  readonly account: Account;
  readonly scope: RegionScope;
}

declare module 'hono' {
  interface ContextVariableMap {
    viewer: Viewer | undefined;
  }
}

/**
 * An account's scope. A Kampung KB lies inside one village, and group cards name the village (the
 * Kampung KB is a name on the card, not a code): a kader bound to a Kampung KB sees its village.
 */
export function scopeOfAccount(account: Account): RegionScope {
  const codes = account.regions.map((code) => code.split('.').slice(0, 4).join('.'));
  return codes.length ? { kind: 'regions', codes: [...new Set(codes)] } : { kind: 'all' };
}

/** True when `scope` covers `region`: codes nest by prefix (33 ⊃ 33.74 ⊃ 33.74.01). */
export function covers(scope: RegionScope, region: string | undefined): boolean {
  if (scope.kind === 'all') return true;
  if (region === undefined || region === '') return false;
  return scope.codes.some((code) => region === code || region.startsWith(`${code}.`));
}

/** The viewer of a request (the guard ran before every handler that needs one). */
export function viewerOf(c: Context): Viewer {
  const viewer = c.get('viewer');
  if (!viewer) throw new HTTPException(401, { message: 'Silakan masuk terlebih dahulu.' });
  return viewer;
}

/** A read by id: outside the viewer's region the record does not exist for them (404). */
export function requireReadable(c: Context, region: string | undefined, notFound = 'Kiriman tidak ditemukan.'): void {
  if (!covers(viewerOf(c).scope, region)) throw new HTTPException(404, { message: notFound });
}

/** A write: only inside the viewer's region (403). */
export function requireWritable(c: Context, region: string | undefined): void {
  if (!covers(viewerOf(c).scope, region)) throw new HTTPException(403, { message: 'Anda tidak berwenang mengisi data untuk wilayah ini.' });
}

/** Whether the viewer may read stored submissions of this model (a form, or a report's entries). */
export function readsModel(c: Context, model: FormModel): boolean {
  const v = c.get('viewer');
  if (!v) return false;
  const role = ROLE_INFO[v.account.role];
  return model.formKind === 'report' ? role.readsReports || entersReport(v.account.role, model) : role.readsForms;
}

/** Whether the viewer sees `x-personal` fields (NIK, telepon) in full. */
export const seesPersonal = (c: Context): boolean => {
  const v = c.get('viewer');
  return !!v && ROLE_INFO[v.account.role].seesPersonal;
};

function allowed(need: Need, account: Account, model: FormModel | undefined): boolean {
  const role = ROLE_INFO[account.role];
  switch (need.kind) {
    case 'public':
    case 'signed-in':
      return true;
    case 'admin':
      return role.administers;
    case 'monitor':
      return role.readsReports;
    case 'studio':
      return need.action === 'read' ? role.studio !== undefined : role.studio === 'terbit';
    case 'submission':
      return role.readsForms;
    // An unknown id is the handler's 404 (nothing to protect); a known one follows the role.
    case 'form':
      if (!model) return true;
      // A report's stored entries listed or downloaded through the form routes are a report read.
      if (model.formKind === 'report') return need.action === 'read' && (role.readsReports || entersReport(account.role, model));
      return need.action === 'read' ? role.readsForms : role.writesForms;
    case 'report':
      if (!model) return true;
      return need.action === 'write' ? entersReport(account.role, model) : role.readsReports || entersReport(account.role, model);
  }
}

/** The signed-in account of a request, if its session (cookie or bearer) is valid and young enough. */
async function sessionAccount(auth: Auth, headers: Headers): Promise<Account | undefined> {
  const key = `${headers.get('authorization') ?? ''}|${headers.get('cookie') ?? ''}`;
  if (key === '|') return undefined;
  const young = (createdAt: number) => (Date.now() - createdAt) / 1000 <= SESSION_MAX_AGE_SECONDS;
  const hit = cachedSession(key);
  if (hit) return young(hit.createdAt) ? (hit.account as Account) : undefined;
  const session = await auth.api.getSession({ headers }).catch(() => null);
  if (!session) return undefined;
  const account = accountOf(session.user as unknown as Record<string, unknown>);
  const createdAt = new Date(session.session.createdAt).getTime();
  if (!account?.active || !young(createdAt)) return undefined;
  rememberSession(key, account, createdAt);
  return account;
}

const wantsJson = (c: Context) => c.req.path.startsWith('/api/');

/** The guard every request passes before any handler. */
export function accessGuard(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    const found = needOf(c.req.method, c.req.path);
    // Deny by default: a route nobody declared is not served.
    if (!found) throw new HTTPException(404, { message: 'Alamat tidak ditemukan.' });
    const account = await sessionAccount(deps.auth, c.req.raw.headers);
    c.set('viewer', account ? { account, scope: scopeOfAccount(account) } : undefined);
    const { need, params } = found;
    if (need.kind === 'public') return next();
    if (!account) {
      if (wantsJson(c)) return c.json({ errors: [{ path: '', label: 'Akun', message: 'Silakan masuk terlebih dahulu.' }] }, 401);
      if (c.req.method === 'GET') return c.redirect(`/masuk?lanjut=${encodeURIComponent(c.req.path + (new URL(c.req.url).search))}`, 303);
      throw new HTTPException(401, { message: 'Sesi Anda sudah berakhir. Silakan masuk lagi.' });
    }
    if (account.mustChangePassword && c.req.path !== '/sandi') {
      if (wantsJson(c)) return c.json({ errors: [{ path: '', label: 'Akun', message: 'Ganti kata sandi sementara Anda lebih dahulu.' }] }, 403);
      return c.redirect('/sandi', 303);
    }
    const id = params.id ?? params.file?.split('.')[0];
    if (!allowed(need, account, id ? deps.forms.get(id) : undefined)) {
      throw new HTTPException(403, { message: 'Peran Anda tidak berwenang untuk ini.' });
    }
    return next();
  };
}

/**
 * Cross-site request check for every state-changing request, HTML forms included: a browser
 * names the page's origin (Origin, or Sec-Fetch-Site), which must be this server. Clients that are
 * not browsers send neither and authenticate with a bearer token, which no other site can send.
 */
export function sameOrigin(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const url = new URL(c.req.url);
    const own = [url.origin, `${url.protocol}//${c.req.header('host') ?? ''}`];
    // A foreign Origin is refused outright; else the browser's own word (Sec-Fetch-Site) decides.
    // "null" (a page whose referrer policy hides its origin) cannot be told from another site's,
    // so it counts as foreign unless Sec-Fetch-Site says same-origin.
    const foreignOrigin = origin !== undefined && origin !== 'null' && !own.includes(origin);
    const foreign = foreignOrigin || (site !== undefined ? site !== 'same-origin' && site !== 'none' : origin === 'null');
    if (foreign) throw new HTTPException(403, { message: 'Permintaan dari situs lain ditolak.' });
    return next();
  };
}
