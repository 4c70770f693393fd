/**
 * The one access check every read and write passes through. Today every request has the
 * national scope; region-scoped accounts (a district sees only its district) plug in here by
 * deriving a narrower scope from the request, without touching any route.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

export type RegionScope = { readonly kind: 'all' } | { readonly kind: 'region'; readonly kode: string };

export interface AccessRequest {
  readonly action: 'read' | 'write';
  /** Form or report id, or `regions`. */
  readonly resource: string;
  /** The region the data belongs to, when known (a province code, a district code…). */
  readonly region?: string;
}

/** The region scope of a request. Accounts are not built yet: everyone is national. */
export function scopeOf(_c: Context): RegionScope {
  return { kind: 'all' };
}

/** True when `scope` covers `region`: codes nest by prefix (33 ⊃ 33.74 ⊃ 33.74.01). */
export function covers(scope: RegionScope, region: string | undefined): boolean {
  if (scope.kind === 'all') return true;
  if (region === undefined) return false;
  return region === scope.kode || region.startsWith(`${scope.kode}.`);
}

/** Throws 403 when the request's scope does not allow the access. */
export function requireAccess(c: Context, request: AccessRequest): RegionScope {
  const scope = scopeOf(c);
  if (request.region !== undefined && !covers(scope, request.region)) {
    throw new HTTPException(403, { message: 'Anda tidak berwenang untuk wilayah ini.' });
  }
  if (scope.kind !== 'all' && request.region === undefined && request.action === 'write') {
    throw new HTTPException(403, { message: 'Anda tidak berwenang untuk tindakan ini.' });
  }
  return scope;
}
