/** Small HTTP helpers shared by the API and the pages. */
import type { Context } from 'hono';
import type { PageOptions } from '../generators/html/render.js';
import { ROLE_INFO } from './auth/roles.js';
import { HTTPException } from 'hono/http-exception';
import type { FormModel } from '../engine/index.js';
import type { AppDeps } from './context.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The form named in the URL, or 404. */
export function formOr404(deps: AppDeps, id: string | undefined): FormModel {
  const model = id ? deps.forms.get(id) : undefined;
  if (!model) throw new HTTPException(404, { message: `Formulir "${id ?? ''}" tidak ada.` });
  return model;
}

/** The report named in the URL, or 404. */
export function reportOr404(deps: AppDeps, id: string | undefined): FormModel {
  const model = id ? deps.forms.get(id) : undefined;
  if (!model || model.formKind !== 'report' || !model.rollup) throw new HTTPException(404, { message: `Laporan "${id ?? ''}" tidak ada.` });
  return model;
}

/** Reads one parameter: a query string's `c.req.query`, or a JSON body's field. */
export type ParamSource = (name: string) => string | undefined;
export const queryOf = (c: Context): ParamSource => (name) => c.req.query(name);

/** `Content-Disposition` for a download with a safe file name. */
export function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
}

/** Page options with the signed-in account for the header (name, role, logout). */
export function shell(c: Context, options: PageOptions = {}): PageOptions {
  const v = c.get('viewer');
  return v ? { ...options, viewer: { name: v.account.name, roleTitle: ROLE_INFO[v.account.role].title } } : options;
}
