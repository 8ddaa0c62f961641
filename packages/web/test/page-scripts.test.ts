/**
 * A page's own script that will not load — a tab kept open across a release asks for the old file, which
 * the server no longer has — makes the portal load the document again once, and the page then opens.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe, fits360 } from './journeys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

it('opens a page whose script first answered 404, by loading the document again once', async () => {
  const ctx = await h.context({ lang: 'en', who: { person: P.veikko } });
  const page = await ctx.newPage();
  await page.goto('/');
  await ready(page);
  // The usage log page's script is missing once, as after a release.
  let refused = 0;
  await page.route(/\/assets\/LogPage-[^/]+\.js$/, (route) => (refused++ === 0 ? route.fulfill({ status: 404, body: '' }) : route.continue()));
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));
  await page.getByTestId('nav-log').first().click();
  await ready(page);
  expect(new URL(page.url()).pathname).toBe('/log');
  expect(refused).toBe(2);
  expect(loads.length).toBe(1);
  // Loaded, the mark is gone: a later missing script may reload again.
  expect(await page.evaluate(() => sessionStorage.getItem('puolesta.reloaded-for-page-script'))).toBeNull();
  await ctx.close();
});

it('says in the reader’s language that a page could not be opened when its script fails again after the reload, and opens it on “try again”', async () => {
  const ctx = await h.context({ lang: 'fi', who: { person: P.veikko } });
  const page = await ctx.newPage();
  await page.goto('/');
  await ready(page);
  // The network fails for the usage log's script every time (not only once, as after a release).
  const missing = /\/assets\/LogPage-[^/]+\.js$/;
  await page.route(missing, (route) => route.abort('internetdisconnected'));
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));
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
  await page.unroute(missing);
  await page.getByTestId('page-failed-retry').click();
  await ready(page);
  expect(new URL(page.url()).pathname).toBe('/log');
  expect(await page.getByTestId('page-failed').count()).toBe(0);
  expect(await page.evaluate(() => sessionStorage.getItem('puolesta.reloaded-for-page-script'))).toBeNull();
  await ctx.close();
});
