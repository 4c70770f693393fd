/**
 * Approval up the chain: a district submits its month, the province approves or returns it, and so
 * on; approved periods are locked.
 *
 * - `/pantau/persetujuan` (page) and `/api/pantau/persetujuan` (JSON): the months of the viewer's
 *   scope with their state, and the steps the viewer may take (POST).
 * - The lock: a handler in front of every route that saves data (forms, status changes, report
 *   entries) that answers 423 when the save would change an approved month, and otherwise passes
 *   the request on. It reads the body through hono's cached readers (`c.req.json()`,
 *   `c.req.parseBody()` keep what they read on the request), so the route's own handler reads the
 *   same body again; the body limit has run before (app.ts), and a retry of a stored id is left to
 *   the handler's Idempotency-Key answer (nothing is changed by it).
 *
 * This module must be mounted before the routes it guards (see server/app.ts).
 */
import { Hono, type Context, type Next } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { approvalMonthName, approvalPeriod, readReportParams, tablesFor, type FormModel } from '../../engine/index.js';
import { formDataToSubmission, formPostProblems } from '../../generators/html/form-data.js';
import { page, render } from '../../generators/html/render.js';
import { viewerOf } from '../access.js';
import { ROLE_INFO } from '../auth/roles.js';
import type { AppDeps } from '../context.js';
import type { FormBody } from '../form-body.js';
import { shell, UUID } from '../http.js';
import { statusChange } from '../record-access.js';
import { actOnApproval, ApprovalInputRejected, approvalRequest } from './approval-actions.js';
import { requireUnlocked } from './approval-lock.js';
import { approvalListing } from './approval-view.js';

type Json = Record<string, unknown>;

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON body, read through hono's cache; undefined when it is not JSON (the handler says so). */
async function jsonOf(c: Context): Promise<unknown> {
  if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) return undefined;
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

/** A form post's body, read through hono's cache; undefined when it cannot be read (the handler's 400). */
async function formOf(c: Context): Promise<FormBody | undefined> {
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    return undefined;
  }
}

const first = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

/** A submission of `model` is stored under `id` already: a retry, which the handler answers without change. */
async function storedAlready(deps: AppDeps, model: FormModel, id: string | undefined): Promise<boolean> {
  if (!id || !UUID.test(id)) return false;
  const tables = await tablesFor(deps.store, model);
  return !!(await deps.store.db.selectFrom(tables.main.name).select('_id').where('_id', '=', id.toLowerCase()).executeTakeFirst());
}

/** An API save without a valid Idempotency-Key is the handler's 400; one with a stored key, its retry answer. */
const storedOrUnkeyed = async (deps: AppDeps, model: FormModel, key: string | undefined) => !key || !UUID.test(key) || storedAlready(deps, model, key);

const entryForm = (deps: AppDeps, id: string | undefined) => {
  const model = id ? deps.forms.get(id) : undefined;
  return model?.formKind === 'form' ? model : undefined;
};
const report = (deps: AppDeps, id: string | undefined) => {
  const model = id ? deps.forms.get(id) : undefined;
  return model?.formKind === 'report' && model.rollup ? model : undefined;
};

/** The month asked for, or last month (WIB) when none is: a month that cannot be is a 422 naming the field. */
function askedPeriod(c: Context): { year: number; month: number } {
  const tahun = c.req.query('tahun');
  const bulan = c.req.query('bulan');
  if (!tahun && !bulan) {
    const now = new Date(Date.now() + 7 * 3600 * 1000);
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    return { year: last.getUTCFullYear(), month: last.getUTCMonth() + 1 };
  }
  const period = approvalPeriod(tahun ?? '', bulan ?? '');
  if ('issues' in period) throw new ApprovalInputRejected(period.issues);
  return period;
}

export function approvalRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  // ---- The lock, in front of the routes that save data. Each passes the request on (`next`).
  const guard = (check: (c: Context) => Promise<void>) => async (c: Context, next: Next) => {
    await check(c);
    await next();
  };

  app.post('/api/forms/:id/submissions', guard(async (c) => {
    const model = entryForm(deps, c.req.param('id'));
    if (!model || (await storedOrUnkeyed(deps, model, c.req.header('Idempotency-Key')))) return;
    const data = await jsonOf(c);
    if (data !== undefined) await requireUnlocked(c, deps, { kind: 'save', model, data, revises: c.req.query('revises') || undefined });
  }));

  app.post('/forms/:id', guard(async (c) => {
    const model = entryForm(deps, c.req.param('id'));
    const body = model && (await formOf(c));
    // A post the page refuses, or one that only re-renders (a row added, a region picked), saves nothing.
    if (!model || !body || formPostProblems(model, body).length || first(body._tambah) !== undefined || first(body._aksi) === 'wilayah') return;
    if (await storedAlready(deps, model, first(body._id))) return;
    const revises = first(body._revises);
    await requireUnlocked(c, deps, { kind: 'save', model, data: formDataToSubmission(model, body), revises: revises && UUID.test(revises) ? revises : undefined });
  }));

  const statusLock = (read: (c: Context) => Promise<unknown>) => guard(async (c) => {
    if (!ROLE_INFO[viewerOf(c).account.role].writesForms) return;
    const body = await read(c);
    const change = isObject(body) ? statusChange(body) : undefined;
    if (!change || 'errors' in change) return;
    await requireUnlocked(c, deps, { kind: 'status', id: c.req.param('id') ?? '', status: change.status, at: change.at });
  });
  app.post('/api/submissions/:id/status', statusLock(jsonOf));
  app.post('/submissions/:id/status', statusLock(formOf));

  app.post('/api/reports/:id/entries', guard(async (c) => {
    const model = report(deps, c.req.param('id'));
    if (!model || (await storedOrUnkeyed(deps, model, c.req.header('Idempotency-Key')))) return;
    const body = await jsonOf(c);
    if (!isObject(body)) return;
    // The parameters as the entries route reads them from the body.
    const fromBody = (k: string) => (body[k] === undefined || body[k] === null || typeof body[k] === 'object' ? undefined : String(body[k]));
    const { params, issues } = await readReportParams(deps.store, model, fromBody);
    if (!issues.length) await requireUnlocked(c, deps, { kind: 'entries', model, params });
  }));

  app.post('/reports/:id', guard(async (c) => {
    const model = report(deps, c.req.param('id'));
    if (!model) return;
    const { params, issues } = await readReportParams(deps.store, model, (k) => c.req.query(k));
    if (issues.length) return;
    const body = await formOf(c);
    if (body && (await storedAlready(deps, model, first(body._id)))) return;
    await requireUnlocked(c, deps, { kind: 'entries', model, params });
  }));

  // ---- The approval pages and API.
  app.get('/pantau/persetujuan', async (c) => {
    const { year, month } = askedPeriod(c);
    const listing = await approvalListing(deps, viewerOf(c), year, month);
    const done = c.req.query('selesai');
    return c.html(page(`Persetujuan laporan ${listing.period}`, render('approval', {
      ...listing,
      done: done && ['ajukan', 'setujui', 'kembalikan', 'buka'].includes(done) ? { ajukan: 'Laporan diajukan.', setujui: 'Laporan disetujui.', kembalikan: 'Laporan dikembalikan dengan catatan.', buka: 'Laporan dibuka kembali.' }[done] : undefined,
      months: Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: approvalMonthName(year, i + 1).split(' ')[0], selected: i + 1 === month })),
    }), shell(c)));
  });

  app.post('/pantau/persetujuan', async (c) => {
    const body = await formOf(c);
    if (!body) throw new HTTPException(400, { message: 'Isi formulir tidak dapat dibaca. Muat ulang halaman lalu kirim lagi.' });
    const request = await approvalRequest(deps, Object.fromEntries(Object.entries(body).map(([k, v]) => [k, first(v)])));
    await actOnApproval(c, deps, request);
    return c.redirect(`/pantau/persetujuan?tahun=${request.year}&bulan=${request.month}&selesai=${request.action}`, 303);
  });

  app.get('/api/pantau/persetujuan', async (c) => {
    try {
      const { year, month } = askedPeriod(c);
      return c.json(await approvalListing(deps, viewerOf(c), year, month));
    } catch (e) {
      if (e instanceof ApprovalInputRejected) return c.json({ errors: e.issues }, 422);
      throw e;
    }
  });

  app.post('/api/pantau/persetujuan', async (c) => {
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new HTTPException(415, { message: 'Isi permintaan harus JSON dengan header "Content-Type: application/json".' });
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new HTTPException(400, { message: 'Isi permintaan bukan JSON yang sah.' });
    }
    if (!isObject(body)) return c.json({ errors: [{ path: '', label: 'Kiriman', message: 'Isi permintaan harus berupa objek JSON.' }] }, 422);
    try {
      const request = await approvalRequest(deps, body);
      const record = await actOnApproval(c, deps, request);
      return c.json({
        tingkat: record.level, wilayah: record.region, tahun: record.year, bulan: record.month, status: record.status,
        oleh: record.by?.name ?? null, waktu: record.at ?? null, catatan: record.note ?? null,
      });
    } catch (e) {
      if (e instanceof ApprovalInputRejected) return c.json({ errors: e.issues }, 422);
      throw e;
    }
  });

  return app;
}
