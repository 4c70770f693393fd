/**
 * Reading an HTML form post: the body parsed (a malformed multipart or urlencoded body is a 400,
 * not a 500), and the definition's checks on its names and row counts answered at once as a
 * short page, before anything is built or rendered from the post.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { FormModel } from '../engine/index.js';
import { formPostProblems } from '../generators/html/form-data.js';
import { page, render } from '../generators/html/render.js';

export type FormBody = Record<string, string | File | (string | File)[]>;

export async function formBody(c: Context): Promise<FormBody> {
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    throw new HTTPException(400, { message: 'Isi formulir tidak dapat dibaca: bentuk kirimannya rusak. Muat ulang halaman lalu kirim lagi.' });
  }
}

/** A refused post as a short page (413 too many rows, 422 unknown names), or undefined when it may be read. */
export function refusedPost(c: Context, model: FormModel, body: FormBody): Response | undefined {
  const problems = formPostProblems(model, body);
  if (!problems.length) return undefined;
  const message = problems.map((p) => p.message).join(' ');
  return c.html(page('Kesalahan', render('error', { message })), problems[0]!.status);
}
