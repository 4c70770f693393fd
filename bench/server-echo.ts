/** The load benchmark's baseline server: a bare Hono handler that only parses the JSON body. */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/echo', async (c) => {
  await c.req.json();
  return c.json({ ok: true }, 201);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
server.once('listening', () => {
  const a = server.address();
  console.log(JSON.stringify({ port: typeof a === 'object' && a ? a.port : 0 }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
