/**
 * Journey (admins), in a real Chromium against a real server: the catalogue administration in
 * sub-pages. A municipality's admin (Sipoo) and the umbrella admin, in Finnish, Swedish and English, at
 * 1280 and 390 px (a screenshot of each step kept under test-artifacts/journeys/):
 * the overview links only the sub-pages their permitted actions open, each sub-page has its own
 * address, is marked current in the sub-navigation, passes axe and fits 360 px. A service's
 * requirement offers only the common one or stricter; PTV suggestions survive a reload and can be
 * confirmed; the coverage counts add up as services are linked.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { PTV_PAGE, PTV_PERMIT, PTV_POOL, ready, startHarness, type Harness } from './browser.js';
import { axe, openAs } from './journeys.js';
import { recorder, WIDTHS } from './personas.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const DICTS = { fi, sv, en } as const;
const LANGS = ['fi', 'sv', 'en'] as const;

const overviewSections = (page: Page) => page.getByTestId('admin-overview-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));

/**
 * Every sub-page from the overview: its own address, marked current, axe-clean, at the journey's width
 * without sideways scroll, each step kept as a screenshot (test-artifacts/journeys/<persona>/).
 */
async function visitAll(page: Page, lang: (typeof LANGS)[number], rec: ReturnType<typeof recorder>, expected: string[], readme?: string) {
  const d = DICTS[lang];
  await page.goto('/admin');
  await ready(page);
  await page.getByTestId('admin-overview').waitFor();
  expect(await overviewSections(page)).toEqual(expected);
  expect(await page.getByTestId('admin-nav-overview').getAttribute('aria-current')).toBe('page');
  await rec.step(page, 'overview');
  for (const s of expected) {
    await page.getByTestId('admin-nav').getByTestId(`admin-nav-${s}`).click();
    await page.waitForURL(`**/admin/${s}`);
    await ready(page);
    const link = page.getByTestId(`admin-nav-${s}`);
    await expect.poll(() => link.getAttribute('aria-current'), { message: s }).toBe('page');
    expect(await link.textContent()).toBe((d.adminPages as Record<string, string>)[s]);
    expect(await page.locator('[data-testid="admin-nav"] [aria-current="page"]').count()).toBe(1);
    expect(await page.title()).toContain((d.adminPages as Record<string, string>)[s]);
    await rec.step(page, s, readme && s === 'policies' ? { readme } : {});
  }
  // A sub-page's address opens it directly (a bookmark, a reload).
  await page.goto(`/admin/${expected[expected.length - 1]}`);
  await ready(page);
  expect(await page.getByTestId(`admin-nav-${expected[expected.length - 1]}`).getAttribute('aria-current')).toBe('page');
}

describe('journey: the catalogue administration in sub-pages', () => {
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      it(`a municipality admin (Sipoo) and the umbrella admin find their own sub-pages (${lang}, ${width.width} px)`, async () => {
        const muni = await openAs(h, lang, { staff: 'admin-753' });
        await muni.page.setViewportSize(width);
        await visitAll(muni.page, lang, recorder('municipality-admin', lang, width), ['policies', 'local-services', 'ptv', 'coverage', 'versions', 'deliveries'],
          lang === 'en' && width.name === 'laptop' ? 'admin-policies' : undefined);
        // The umbrella's pages are not among a municipality's: an address of one leads back to the overview.
        await muni.page.goto('/admin/catalogue');
        await muni.page.waitForURL(/\/admin$/);
        await muni.ctx.close();

        const umbrella = await openAs(h, lang, { staff: 'umbrella-admin' });
        await umbrella.page.setViewportSize(width);
        await visitAll(umbrella.page, lang, recorder('umbrella-admin', lang, width), ['policies', 'catalogue', 'versions', 'deliveries']);
        await umbrella.page.goto('/admin/ptv');
        await umbrella.page.waitForURL(/\/admin$/);
        await umbrella.ctx.close();
      });
    }
  }

  it('offers a municipality only its service\'s common requirement or a stricter one (fi)', async () => {
    const { ctx, page } = await openAs(h, 'fi', { staff: 'admin-753' });
    await page.goto('/admin/policies');
    await ready(page);
    const ece = page.locator('[data-testid="admin-service"][data-code="ece-application"]');
    expect(await ece.getByTestId('common-policy').getAttribute('data-policy')).toBe('alone-notify');
    await ece.getByTestId('change-ece-application').click();
    const radios = ece.getByTestId('policy-form').locator('input[type="radio"]');
    expect(await radios.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['alone-notify', 'alone-confirm', 'mandate', 'multi-signature']);
    // A stricter one is saved, with the success note focused.
    await ece.getByRole('radio', { name: fi.policy.mandate }).check({ force: true });
    await ece.getByTestId('policy-save').click();
    await ece.getByTestId('policy-saved').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('policy-saved');
    expect(await ece.getByTestId('local-policy').getAttribute('data-policy')).toBe('mandate');
    // The strictest common requirement leaves one choice.
    const multi = page.locator('[data-testid="admin-service"]').filter({ has: page.locator('[data-testid="common-policy"][data-policy="multi-signature"]') }).first();
    if (await multi.count()) {
      await multi.locator('[data-testid^="change-"]').click();
      expect(await multi.getByTestId('policy-form').locator('input[type="radio"]').count()).toBe(1);
    }
    await axe(page, 'policy form (fi)');
    await ctx.close();
  });

  it('keeps PTV suggestions after a reload, confirms one, and the coverage counts add up (en)', async () => {
    const { ctx, page } = await openAs(h, 'en', { staff: 'admin-753' });
    const counts = async () => {
      await page.goto('/admin/coverage');
      await ready(page);
      const c = page.getByTestId('coverage-counts');
      await c.waitFor();
      const services = Number(await c.getAttribute('data-services'));
      const classified = Number(await c.getAttribute('data-classified'));
      // Every service is classified or listed as unclassified.
      expect(await page.getByTestId('coverage-unclassified-item').count()).toBe(services - classified);
      expect(await c.textContent()).toBe(en.ptv.coverageCounts.replace('{{services}}', String(services)).replace('{{classified}}', String(classified)));
      return { services, classified };
    };
    const offered = ((await (await fetch(`${h.app.url}/api/v1/municipalities/753/services`)).json()) as { services: { code: string }[] }).services.map((s) => s.code);
    const before = await counts();

    await page.goto('/admin/ptv');
    await ready(page);
    expect(await page.getByTestId('ptv-choose-file').textContent()).toBe(en.ptv.chooseFile);
    await page.locator('input#ptv-file').setInputFiles({ name: 'ptv.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(PTV_PAGE)) });
    await page.getByTestId('ptv-submit').click();
    await page.getByTestId('ptv-result').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('ptv-result');
    expect(await page.getByTestId('ptv-result').getAttribute('class')).toContain('success-note');
    await page.locator(`[data-testid="ptv-suggestion"][data-ptv="${PTV_PERMIT}"]`).waitFor();
    expect(await counts()).toEqual({ services: before.services + 2, classified: before.classified });

    // After a reload the suggestion is still there, named, and can be confirmed.
    await page.goto('/admin/ptv');
    await ready(page);
    await page.reload();
    await ready(page);
    const suggestion = page.locator(`[data-testid="ptv-suggestion"][data-ptv="${PTV_PERMIT}"]`);
    await suggestion.waitFor();
    expect(await suggestion.getAttribute('data-service')).toBe('building-permit');
    expect(await suggestion.textContent()).toContain('Rakennuslupa');
    await page.locator(`[data-testid="ptv-unclassified"][data-ptv="${PTV_POOL}"]`).waitFor();
    await axe(page, 'PTV pending after reload (en)');
    await page.getByTestId(`confirm-${PTV_PERMIT}`).click();
    await suggestion.getByTestId('ptv-linked').waitFor();

    const had = offered.includes('building-permit');
    expect(await counts()).toEqual({ services: before.services + 2 - (had ? 1 : 0), classified: before.classified + (had ? 0 : 1) });
    // Confirmed, it is no longer pending after a reload.
    await page.goto('/admin/ptv');
    await ready(page);
    await page.locator(`[data-testid="ptv-unclassified"][data-ptv="${PTV_POOL}"]`).waitFor();
    expect(await page.locator(`[data-testid="ptv-suggestion"][data-ptv="${PTV_PERMIT}"]`).count()).toBe(0);
    await ctx.close();
  });
});
