/** The frame every page shares: the Suomi.fi typeface is loaded (bundled, nothing fetched elsewhere) and the navigation says which page is current. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMS } from '../../server/src/forms/forms.js';
import { P, person } from '../../server/test/helpers.js';
import type { Page } from 'playwright-core';
import { ready, startHarness, type Harness } from './browser.js';
import { axe, fits360 } from './journeys.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';

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

/** A change through the API as someone else makes it (another person's browser, in effect). */
async function call(method: 'POST' | 'GET', url: string, who: string, payload?: object) {
  const r = await h.app.app.inject({ method, url, headers: await h.app.as({ person: who }), ...(payload ? { payload } : {}) });
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r.json() as Record<string, any>;
}

describe('the header on a phone (issue 10)', () => {
  it('at 360 px the header is one short line; the menu button opens and closes the navigation with the keyboard; axe clean, no sideways scroll', async () => {
    const ctx = await h.context({ lang: 'fi', who: { person: P.veikko } });
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/');
    await ready(page);
    const header = page.locator('header.site-header');
    const toggle = page.getByTestId('menu-toggle');
    // Today it took a third of the screen: now at most a fifth.
    expect((await header.boundingBox())!.height).toBeLessThanOrEqual(740 * 0.2);
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.textContent()).toContain(fi.chrome.menu);
    expect(await page.locator('nav.main-nav').isVisible()).toBe(false);
    expect(await page.getByTestId('logout').isVisible()).toBe(false);
    await fits360(page, 'home, menu closed (fi)');
    await page.setViewportSize({ width: 360, height: 740 });

    // Keyboard: Enter opens, the menu is next in the tab order, Escape closes and gives focus back.
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#' + (await toggle.getAttribute('aria-controls'))).isVisible()).toBe(true);
    expect(await page.locator('nav.main-nav').isVisible()).toBe(true);
    expect(await page.getByTestId('logout').isVisible()).toBe(true);
    expect(await page.getByTestId('who').textContent()).toBe('Veikko Lindholm');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('#site-menu'))).toBe(true);
    await expect.poll(() => page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(360);
    await axe(page, 'menu open at 360 px (fi)');
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('menu-toggle');
    expect(await page.locator('nav.main-nav').isVisible()).toBe(false);

    // Space opens it again; choosing a page goes there and closes the menu.
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('nav-settings').click();
    await page.waitForURL((u) => u.pathname === '/settings');
    await ready(page);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('nav.main-nav').isVisible()).toBe(false);

    // At 1280 px nothing is hidden behind a button: the navigation and the tools show as before.
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await toggle.isVisible()).toBe(false);
    expect(await page.locator('nav.main-nav').isVisible()).toBe(true);
    expect(await page.getByTestId('logout').isVisible()).toBe(true);
    const nav = (await page.locator('nav.main-nav').boundingBox())!;
    const logout = (await page.getByTestId('logout').boundingBox())!;
    expect(logout.y + logout.height).toBeLessThanOrEqual(nav.y + 1);
    expect((await header.boundingBox())!.height).toBeLessThanOrEqual(160);
    await axe(page, 'settings at 1280 px (fi)');
    await ctx.close();
  });

  it('logged out, the login page shows the language switch itself (no menu to open) and fits 360 px', async () => {
    const ctx = await h.context({ lang: 'sv' });
    const page = await ctx.newPage();
    await page.goto('/login');
    await ready(page);
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.getByTestId('menu-toggle').count()).toBe(0);
    expect(await page.getByTestId('language-menu').isVisible()).toBe(true);
    await fits360(page, 'login (sv)');
    await ctx.close();
  });
});

/** The count a badge shows now ('0' when there is none), read without waiting for the badge to appear. */
const countOf = (page: Page, testId: string) => page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-count') ?? '0', testId);

describe('what waits for me, counted in the navigation (issue 10)', () => {
  it('a co-owner sees one errand waiting; after she signs, the count goes without a reload; the menu button carries the total', async () => {
    // Elias sends a building permit for the house he owns with Noora: it waits for her signature.
    const created = await call('POST', '/api/v1/errands', P.elias, { municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data: structuredClone((FORMS['building-permit'] as unknown as { examples: unknown[] }).examples[0]) });
    const id = created.id as string;
    const ctx = await h.context({ lang: 'en', who: { person: P.noora } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(8_000);
    await page.goto('/errands');
    await ready(page);
    const badge = page.getByTestId('pending-errands');
    const before = Number(await countOf(page, 'pending-errands'));
    expect((await call('POST', `/api/v1/errands/${id}/submit`, P.elias)).status).toBe('awaiting-signatures');

    await page.goto(`/errands/${id}`);
    await ready(page);
    await expect.poll(() => countOf(page, 'pending-errands')).toBe(String(before + 1));
    expect(await badge.locator('.visually-hidden').textContent()).toBe(`(${en.chrome.waiting_other.replace('{{count}}', String(before + 1))})`);
    expect(await page.getByTestId('pending-mandates').count()).toBe(0);
    // On a phone the closed menu's button says it too.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.getByTestId('menu-pending').getAttribute('data-count')).toBe(String(before + 1));
    await axe(page, 'errand waiting for a signature, 360 px (en)');
    await page.setViewportSize({ width: 1100, height: 900 });

    await page.getByTestId('errand-action-sign').click();
    await page.getByTestId('answer-confirm').click();
    await page.getByTestId('errand-done').waitFor();
    // The success style, focused.
    expect(await page.getByTestId('errand-done').getAttribute('class')).toContain('success-note');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('errand-done');
    await expect.poll(() => countOf(page, 'pending-errands'), { timeout: 5000 }).toBe(String(before));
    await ctx.close();
  });

  it("a request to Veikko shows on his 'My mandates' in Swedish; the one who asked has no count for it", async () => {
    const vctx = await h.context({ lang: 'sv', who: { person: P.veikko } });
    const vpage = await vctx.newPage();
    await vpage.goto('/');
    await ready(vpage);
    const badge = vpage.getByTestId('pending-mandates');
    const before = Number(await countOf(vpage, 'pending-mandates'));
    await call('POST', '/api/v1/mandate-requests', P.mikael, { principal: person(P.veikko), issues: ['housing'], validUntil: '2027-12-31' });
    await vpage.reload();
    await ready(vpage);
    await expect.poll(() => countOf(vpage, 'pending-mandates')).toBe(String(before + 1));
    expect(await badge.locator('.visually-hidden').textContent()).toBe(`(${sv.chrome.waiting_other.replace('{{count}}', String(before + 1))})`);
    await vctx.close();

    const mctx = await h.context({ lang: 'sv', who: { person: P.mikael } });
    const mpage = await mctx.newPage();
    await mpage.goto('/');
    await ready(mpage);
    const mine = (await call('GET', '/api/v1/me', P.mikael)).pending.mandates as number;
    // Mikael's own count is what waits for him, not his request to Veikko.
    expect(await countOf(mpage, 'pending-mandates')).toBe(String(mine));
    await mctx.close();
  });
});

describe('a property by its address (issue 10)', () => {
  it("a mandate limited to Veikko's house shows the house's street address, its id as small print", async () => {
    const m = await call('POST', '/api/v1/mandates', P.veikko, { agent: person(P.markku), issues: ['property-matters'], validUntil: '2027-12-31', target: { type: 'property', id: '753-416-2-33' } });
    const ctx = await h.context({ lang: 'fi', who: { person: P.markku } });
    const page = await ctx.newPage();
    await page.goto(`/mandates/${m.id}`);
    await ready(page);
    const target = page.getByTestId('mandate-target');
    await target.waitFor();
    expect(await target.textContent()).toBe(`Myllytie 8, 04130 Sipoo${fi.chrome.propertyId.replace('{{id}}', '753-416-2-33')}`);
    expect(await target.locator('.property-id').textContent()).toBe('Kiinteistötunnus 753-416-2-33');
    await fits360(page, 'mandate limited to a property (fi)');
    await ctx.close();
  });
});

describe('every page of the frame at 360 px (issue 10)', () => {
  it('home, services, errands, messages and settings fit a phone without sideways scroll, axe clean, in Swedish', async () => {
    const ctx = await h.context({ lang: 'sv', who: { person: P.sanna } });
    const page = await ctx.newPage();
    for (const path of ['/', '/services', '/errands', '/messages', '/settings']) {
      await page.goto(path);
      await ready(page);
      await fits360(page, `${path} (sv)`);
    }
    await ctx.close();
  });
});
