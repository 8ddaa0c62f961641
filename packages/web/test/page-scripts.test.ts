/**
 * A page's own script that will not load — a tab kept open across a release asks for the old file, which
 * the server no longer has — makes the portal load the document again once, and the page then opens; if it
 * fails again (the network is down), the reader is told so in their language and may try again.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { P } from '../../server/test/helpers.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe, fits360, openAs } from './journeys.js';

/** The usage log's own script (a page loaded when first opened). */
const LOG_PAGE_SCRIPT = /\/assets\/LogPage-[^/]+\.js$/;
const RELOAD_MARK = 'puolesta.reloaded-for-page-script';

/** Veikko's home in `lang`, and the document loads counted from now on. */
async function home(lang: 'fi' | 'en') {
  const { ctx, page } = await openAs(h, lang, { person: P.veikko });
  await page.goto('/');
  await ready(page);
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));
  return { ctx, page, loads };
}

const reloadMark = (page: Page) => page.evaluate((k) => sessionStorage.getItem(k), RELOAD_MARK);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

it('opens a page whose script first answered 404, by loading the document again once', async () => {
  const { ctx, page, loads } = await home('en');
  // The usage log page's script is missing once, as after a release.
  let refused = 0;
  await page.route(LOG_PAGE_SCRIPT, (route) => (refused++ === 0 ? route.fulfill({ status: 404, body: '' }) : route.continue()));
  await page.getByTestId('nav-log').first().click();
  await ready(page);
  expect(new URL(page.url()).pathname).toBe('/log');
  expect(refused).toBe(2);
  expect(loads.length).toBe(1);
  // Loaded, the mark is gone: a later missing script may reload again.
  expect(await reloadMark(page)).toBeNull();
  await ctx.close();
});

it('says in the reader’s language that a page could not be opened when its script fails again after the reload, and opens it on “try again”', async () => {
  const { ctx, page, loads } = await home('fi');
  // The network fails for the usage log's script every time (not only once, as after a release).
  await page.route(LOG_PAGE_SCRIPT, (route) => route.abort('internetdisconnected'));
  await page.getByTestId('nav-log').first().click();
  const failed = page.getByTestId('page-failed');
  await failed.waitFor();
  expect(loads.length).toBe(1); // loaded again once, not in a loop
  expect(await failed.innerText()).toContain('Sivua ei voitu avata');
  expect(await failed.innerText()).toContain('Tarkista internetyhteys');
  // The header stays: the reader can go elsewhere.
  expect(await page.getByTestId('nav-log').first().isVisible()).toBe(true);
  await axe(page, 'a page that could not be opened (fi)');
  await fits360(page, 'a page that could not be opened (fi)');
  // The connection is back: “try again” opens the page.
  await page.unroute(LOG_PAGE_SCRIPT);
  await page.getByTestId('page-failed-retry').click();
  await ready(page);
  expect(new URL(page.url()).pathname).toBe('/log');
  expect(await page.getByTestId('page-failed').count()).toBe(0);
  expect(await reloadMark(page)).toBeNull();
  await ctx.close();
});
