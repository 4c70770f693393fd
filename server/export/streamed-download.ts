/** A download written while it is read (byte-stream.ts), with the headers of every download. */
import type { Context } from 'hono';
import type { AppDeps } from '../context.js';
import { attachment } from '../http.js';
import { producedStream, type ByteSink } from './byte-stream.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The body of a download that is written while it is read, and its headers. */
export function streamed(c: Context, deps: Pick<AppDeps, 'log'>, mediaType: string, name: string, write: (sink: ByteSink) => Promise<void>) {
  const headers = { 'Content-Type': mediaType, 'Content-Disposition': attachment(name), 'Cache-Control': 'no-store' };
  // A stream starts its producer as soon as it exists; a HEAD would drop it unread and leave it waiting.
  if (c.req.method === 'HEAD') return c.body(null, 200, headers);
  const body = producedStream(write, (error) => {
    // The status line is long gone: the client sees a cut download, the log says why.
    if (error) deps.log.error('export failed', { id: c.get('requestId'), path: c.req.path, error: error instanceof Error ? error.stack : String(error) });
  });
  return c.body(body, 200, headers);
}

