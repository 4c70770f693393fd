/**
 * The district report for one group and month: identity and members copied from the group's
 * current card as the report definition's `x-rollup.copy` declares, activities from the saved
 * district entries when there are any.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { FormModel } from '../engine/model-types.js';
import { loadSubmission } from '../engine/storage/index.js';
import { requireAccess } from './access.js';
import type { AppDeps } from './context.js';
import { formOr404, periodParams, queryOf, UUID } from './http.js';

interface CopyDecl { readonly section: string; readonly from: string; readonly path: string }

export async function groupReport(c: Context, deps: AppDeps): Promise<{ report: FormModel; data: Record<string, unknown> }> {
  const report = formOr404(deps, 'laporan-kabupaten');
  const kelompok = c.req.query('kelompok') ?? '';
  const period = periodParams(queryOf(c));
  if (!UUID.test(kelompok)) throw new HTTPException(400, { message: 'Parameter "kelompok" harus kode kelompok (UUID) yang terdaftar.' });
  const copies = ((report.rollup?.copy as CopyDecl[] | undefined) ?? []);
  const data: Record<string, unknown> = { periode: { bulan: period.bulan, tahun: period.tahun } };
  for (const copy of copies) {
    const source = formOr404(deps, copy.from);
    const stored = await loadSubmission(deps.store, source, kelompok);
    if (!stored) throw new HTTPException(404, { message: 'Kelompok UPPKA tidak ditemukan.' });
    data[copy.section] = stored.data[copy.path];
  }
  const identitas = data.identitas_kelompok as { kabupaten_kota?: string } | undefined;
  requireAccess(c, { action: 'read', resource: report.id, region: identitas?.kabupaten_kota });
  return { report, data };
}
