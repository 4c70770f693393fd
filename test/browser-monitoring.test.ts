/**
 * Monitoring in a real Chromium (issue 17): a district officer on a 360 px phone sees which of
 * its groups have not reported (the page fits the screen; wide tables scroll in their own box),
 * follows a count to the groups behind it and submits the month; a province officer on a desktop
 * approves it, and the district's page then shows it approved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, signedIn, startServerAndBrowser, stopServerAndBrowser } from './support/browser.js';
import type { startServer } from './support/server.js';

let srv: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
beforeAll(async () => ({ srv, browser } = await startServerAndBrowser()), 60_000);
afterAll(() => stopServerAndBrowser({ srv, browser }));

const wib = new Date(Date.now() + 7 * 3600 * 1000);
const period = `tahun=${wib.getUTCFullYear()}&bulan=${wib.getUTCMonth() + 1}`;

describe('monitoring pages', () => {
  it('shows a district its pending groups at 360 px and lets the province approve its month', async () => {
    const district = await signedIn(srv, browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true }), 'kabupaten');
    const phone = await district.newPage();
    await phone.goto(srv.url(`/pantau/ketepatan?${period}`));
    const pending = phone.getByRole('heading', { name: /^Kelompok yang belum lengkap atau terlambat \((\d+)\)$/ });
    await pending.waitFor();
    const count = Number((await pending.textContent())!.match(/\((\d+)\)/)![1]);
    expect(count).toBeGreaterThan(0);
    const rows = phone.locator('#kelompok tbody tr');
    expect(await rows.count()).toBe(count);
    expect(await rows.first().textContent()).toContain('Kampung KB');
    // Nothing but the scroll boxes is wider than the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await phone.screenshot({ path: join(ARTIFACTS, 'ketepatan-360.png'), fullPage: true });

    // A count leads to exactly the groups it counts.
    const link = phone.locator('table.ketepatan tfoot a').nth(5);
    const shown = Number(await link.textContent());
    await link.click();
    await phone.getByRole('heading', { name: /^Kelompok: / }).waitFor();
    expect(await phone.locator('#kelompok tbody tr a[href^="/submissions/"]').count()).toBe(shown);

    // The district submits its month.
    await phone.goto(srv.url(`/pantau/persetujuan?${period}`));
    await phone.getByRole('button', { name: 'Ajukan' }).click();
    await phone.locator('[data-persetujuan="sendiri"] [data-status="diajukan"]').waitFor();

    const province = await signedIn(srv, browser.newContext({ viewport: { width: 1280, height: 900 } }), 'provinsi');
    const desk = await province.newPage();
    await desk.goto(srv.url(`/pantau/persetujuan?${period}`));
    const semarang = desk.locator('li[data-wilayah="33.74"]');
    expect(await semarang.getAttribute('data-status')).toBe('diajukan');
    await semarang.getByRole('button', { name: 'Setujui' }).click();
    await desk.locator('li[data-wilayah="33.74"][data-status="disetujui"]').waitFor();
    await desk.screenshot({ path: join(ARTIFACTS, 'persetujuan-provinsi.png'), fullPage: true });
    await province.close();

    await phone.reload();
    await phone.locator('[data-persetujuan="sendiri"] [data-status="disetujui"]').waitFor();
    await district.close();
  });
});
