/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import { chromium, type Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    // Playwright gives each launch a fresh, empty profile; these flags keep Chromium off the network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A browser context signed in as a test account (its session cookie set for the server). */
export async function signedIn<C extends import('playwright-core').BrowserContext>(srv: { base: string; login(role: import('../../server/auth/roles.js').Role): Promise<string> }, context: Promise<C>, role: import('../../server/auth/roles.js').Role = 'pkb'): Promise<C> {
  const ctx = await context;
  const cookies = (await srv.login(role)).split('; ').map((pair) => {
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: srv.base };
  });
  await ctx.addCookies(cookies);
  return ctx;
}

type Served = Awaited<ReturnType<typeof import('./server.js').startServer>>;

/** A real server with demo data and one Chromium, shared by a browser suite's tests. */
export async function startServerAndBrowser(): Promise<{ srv: Served; browser: Browser }> {
  const { startServer } = await import('./server.js');
  return { srv: await startServer(), browser: await launchChromium() };
}

export async function stopServerAndBrowser(running: { srv?: Served; browser?: Browser }): Promise<void> {
  await running.browser?.close();
  await running.srv?.close();
}
