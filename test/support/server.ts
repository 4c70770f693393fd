/** The real server on 127.0.0.1 with a free port and a temporary SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start } from '../../server/main.js';

export async function startServer(options: { demo?: boolean; formsDir?: string } = {}) {
  process.env.LOG_LEVEL = 'silent';
  const dir = mkdtempSync(join(tmpdir(), 'lembar-server-'));
  const databaseUrl = join(dir, 'lembar.sqlite');
  const running = await start({ port: 0, hostname: '127.0.0.1', databaseUrl, demo: options.demo ?? true, formsDir: options.formsDir });
  const base = `http://127.0.0.1:${running.port}`;
  return {
    ...running,
    base,
    databaseUrl,
    url: (path: string) => `${base}${path}`,
    async close() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
