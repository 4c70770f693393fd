/** Small HTTP helpers shared by the API and the pages. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { FormModel } from '../engine/model-types.js';
import type { AppDeps } from './context.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The form named in the URL, or 404. */
export function formOr404(deps: AppDeps, id: string | undefined): FormModel {
  const model = id ? deps.forms.get(id) : undefined;
  if (!model) throw new HTTPException(404, { message: `Formulir "${id ?? ''}" tidak ada.` });
  return model;
}

export interface PeriodParams {
  readonly tahun: number;
  readonly bulan: number;
}

/** Reads one parameter: a query string's `c.req.query`, or a JSON body's field. */
export type ParamSource = (name: string) => string | undefined;
export const queryOf = (c: Context): ParamSource => (name) => c.req.query(name);

/** tahun and bulan, or a 400 with an Indonesian message. */
export function periodParams(param: ParamSource): PeriodParams {
  const tahun = Number(param('tahun'));
  const bulan = Number(param('bulan'));
  if (!Number.isInteger(tahun) || tahun < 2020 || tahun > 2100) throw new HTTPException(400, { message: 'Parameter "tahun" harus tahun antara 2020 dan 2100.' });
  if (!Number.isInteger(bulan) || bulan < 1 || bulan > 12) throw new HTTPException(400, { message: 'Parameter "bulan" harus angka 1 sampai 12.' });
  return { tahun, bulan };
}

/** A province code that exists in the region data, or 400. */
export async function provinceParam(param: ParamSource, deps: AppDeps): Promise<string> {
  const provinsi = param('provinsi') ?? '';
  const row = /^[0-9]{2}$/.test(provinsi)
    ? await deps.store.db.selectFrom('wilayah').select('kode').where('kode', '=', provinsi).where('tingkat', '=', 'provinsi').executeTakeFirst()
    : undefined;
  if (!row) throw new HTTPException(400, { message: 'Parameter "provinsi" harus kode provinsi yang terdaftar, misalnya 33.' });
  return provinsi;
}

export const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** `Content-Disposition` for a download with a safe file name. */
export function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
}
