/**
 * Downloads of forms and submissions, one route per shape for every output of the registry that
 * can render it: `/forms/:id/blank.<ext>` (the blank form), `/api/submissions/:id.<ext>` (a filled
 * form). Report downloads are in report-api.ts.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { formatSavedAt } from '../generators/format.js';
import { outputFor, type Artefact, type OutputOptions } from '../generators/outputs.js';
import { auditExport, readForViewer } from './record-access.js';
import type { AppDeps } from './context.js';
import { attachment, formOr404 } from './http.js';
import { regionCodesOf, regionNamer } from './page-data.js';
import { artefact, namesOf } from './heavy.js';
import { contentHash } from '../engine/index.js';

/** A download; through `c.body` so the middleware's headers (request id, security) stay. */
const send = (c: Context, body: Artefact, mediaType: string, name: string) =>
  c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, { 'Content-Type': mediaType, 'Content-Disposition': attachment(name) });

const paperOf = (q: string | undefined): OutputOptions['paper'] => (q?.toUpperCase() === 'F4' || q?.toUpperCase() === 'FOLIO' ? 'FOLIO' : 'A4');

export function downloadRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const names = regionNamer(deps);

  app.get('/forms/:id/:file{blank\\.[a-z0-9]+}', async (c) => {
    const model = formOr404(deps, c.req.param('id'));
    const output = outputFor(c.req.param('file').split('.')[1]!, 'form');
    if (!output) throw new HTTPException(404, { message: 'Formulir kosong tidak tersedia dalam bentuk itu.' });
    const paper = paperOf(c.req.query('kertas'));
    const body = await artefact(c, `blank|${model.id}@${model.hash}|${output.ext}|${paper}`, async () => ({ ext: output.ext, what: 'form', model, data: undefined, opts: { paper } }));
    return send(c, body, output.mediaType, `${model.id}-kosong.${output.ext}`);
  });

  app.get('/api/submissions/:file{[0-9a-fA-F-]+\\.[a-z0-9]+}', async (c) => {
    const [id, ext] = c.req.param('file').split('.') as [string, string];
    const output = outputFor(ext, 'form');
    if (!output) throw new HTTPException(404, { message: 'Kiriman tidak ditemukan.' });
    const { model, stored, data, region } = await readForViewer(c, deps, id);
    await auditExport(c, deps, model.id, output.ext, stored.id, region);
    const reference = `Nomor rujukan ${stored.id} · disimpan ${formatSavedAt(stored.createdAt)} · revisi ${stored.revision}`;
    // Cached by what the PDF prints: the shown data, its reference line and region names.
    const opts = { paper: paperOf(c.req.query('kertas')), reference, names: await namesOf(names, regionCodesOf(model, stored.data)) };
    const body = await artefact(c, `form|${model.id}@${model.hash}|${output.ext}|${contentHash({ opts, data: data })}`, async () => ({ ext: output.ext, what: 'form', model, data: data, opts }));
    return send(c, body, output.mediaType, `${model.id}-${stored.id}.${output.ext}`);
  });

  return app;
}
