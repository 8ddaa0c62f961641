/** The frame every page shares: the Suomi.fi typeface is loaded (bundled, nothing fetched elsewhere) and the navigation says which page is current. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { ready, startHarness, type Harness } from './browser.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe('the frame of every page', () => {
  it('uses Source Sans Pro from the app itself, and marks the current page in the navigation', async () => {
    const ctx = await h.context({ lang: 'sv', who: { person: P.sanna } });
    const page = await ctx.newPage();
    const fonts: string[] = [];
    page.on('request', (r) => { if (/\.woff2?$/.test(r.url())) fonts.push(r.url()); });
    await page.goto('/errands');
    await ready(page);
    await page.evaluate(() => document.fonts.ready);
    expect(await page.evaluate(() => document.fonts.check('16px "Source Sans Pro"'))).toBe(true);
    expect(await page.evaluate(() => [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Source Sans Pro' && f.status === 'loaded'))).toBe(true);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((u) => u.startsWith(h.app.url))).toBe(true);

    const current = page.locator('nav.main-nav [aria-current="page"]');
    expect(await current.count()).toBe(1);
    expect(await current.getAttribute('data-testid')).toBe('nav-errands');
    await page.getByTestId('nav-messages').click();
    await ready(page);
    expect(await page.locator('nav.main-nav [aria-current="page"]').getAttribute('data-testid')).toBe('nav-messages');
    await ctx.close();
  });

  it('a deep link survives login: a caseworker asked to log in on the queue comes back to it, with its filters', async () => {
    const ctx = await h.context({ lang: 'en' });
    const page = await ctx.newPage();
    await page.goto('/staff/errands?status=submitted');
    await ready(page);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByTestId('staff-caseworker-753').click();
    await page.waitForURL((u) => u.pathname === '/staff/errands');
    expect(new URL(page.url()).search).toBe('?status=submitted');
    await ctx.close();
  });
});
