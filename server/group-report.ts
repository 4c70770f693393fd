/**
 * The district report for one group and month (`laporan-kabupaten`): identity and members from the
 * group's current card, activities from the district's saved entries, as the report definition
 * declares. Shared by the JSON, PDF and HTML routes.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { FormModel } from '../engine/model-types.js';
import { buildGroupReport, GroupNotFound, type BuiltReport } from '../engine/reports.js';
import { requireAccess } from './access.js';
import type { AppDeps } from './context.js';
import { formOr404, periodParams, UUID, type ParamSource } from './http.js';

export const GROUP_REPORT = 'laporan-kabupaten';

export interface GroupReportParams { readonly kelompok_id: string; readonly tahun: number; readonly bulan: number }

/** kelompok (a group card's id), tahun and bulan, or a 400 in Indonesian. */
export function groupReportParams(param: ParamSource): GroupReportParams {
  const kelompok = param('kelompok') ?? param('kelompok_id') ?? '';
  if (!UUID.test(kelompok)) throw new HTTPException(400, { message: 'Parameter "kelompok" harus kode kelompok (UUID) yang terdaftar.' });
  return { kelompok_id: kelompok.toLowerCase(), ...periodParams(param) };
}

export async function groupReport(c: Context, deps: AppDeps, param: ParamSource): Promise<{ report: FormModel; params: GroupReportParams; built: BuiltReport }> {
  const report = formOr404(deps, GROUP_REPORT);
  const params = groupReportParams(param);
  let built: BuiltReport;
  try {
    built = await buildGroupReport(deps, report, { ...params });
  } catch (e) {
    if (e instanceof GroupNotFound) throw new HTTPException(404, { message: 'Kelompok UPPKA tidak ditemukan atau sudah nonaktif.' });
    throw e;
  }
  const identitas = built.data.identitas_kelompok as { kabupaten_kota?: string } | undefined;
  requireAccess(c, { action: 'read', resource: report.id, region: identitas?.kabupaten_kota });
  return { report, params, built };
}
