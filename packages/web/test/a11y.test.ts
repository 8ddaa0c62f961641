/**
 * axe on every page of the UI in Finnish, Swedish and English: no serious or critical violations.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { P } from '../../server/test/helpers.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { PTV_PAGE, ready, startHarness, type Harness } from './browser.js';
import { axe } from './journeys.js';

const DICTS = { fi, sv, en };

let h: Harness;
let requestId = '';
beforeAll(async () => {
  h = await startHarness();
  // A request waiting for Markku's answer, for the decision page.
  const r = await h.app.app.inject({
    method: 'POST', url: '/api/v1/mandate-requests', headers: await h.app.as({ person: P.kari }),
    payload: { principal: { type: 'person', id: P.markku }, issues: ['housing', 'parking-and-streets'], validUntil: '2027-12-31' },
  });
  expect(r.statusCode).toBe(201);
  requestId = r.json<{ id: string }>().id;
});
afterAll(async () => {
  await h?.close();
});

/** Moves inside the single-page app (no reload) and waits for the page's heading. */
async function go(page: Page, path: string, title: string) {
  await page.evaluate((p) => {
    history.pushState({}, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.locator('h1#page-title', { hasText: title }).waitFor();
  await page.locator('text=/Ladataan|Laddar|Loading/').waitFor({ state: 'detached' });
}

describe.each(['fi', 'sv', 'en'] as const)('accessibility in %s', (lang) => {
  let citizen: BrowserContext;
  let staff: BrowserContext;
  let anonymous: BrowserContext;
  beforeAll(async () => {
    anonymous = await h.context({ lang });
    citizen = await h.context({ lang, who: { person: P.markku } });
    staff = await h.context({ lang, who: { staff: 'caseworker-753' } });
  });
  afterAll(async () => {
    await Promise.all([anonymous?.close(), citizen?.close(), staff?.close()]);
  });

  it('login page', async () => {
    const page = await anonymous.newPage();
    await page.goto('/login');
    await ready(page);
    await page.getByTestId('persona-aino').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    expect(await page.locator('h1').textContent()).toBe(DICTS[lang].login.title);
    await axe(page, `${lang} login`);
    await page.close();
  });

  it('citizen pages: home, grant (form and confirmation), request, decide, log, organisations, services, my errands, starting an errand', async () => {
    const d = DICTS[lang];
    const page = await citizen.newPage();
    await page.goto('/');
    await ready(page);
    await page.locator('[data-testid="mandate"]').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe(d.home.title);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    await axe(page, `${lang} home`);

    await go(page, '/grant', d.grant.title);
    await axe(page, `${lang} grant`);
    // Markku's own people come first; Kari by identity code ("someone else").
    await page.locator('input[name="whom"][value="other"]').check({ force: true });
    await page.locator('input#partyId').fill(P.kari);
    await page.locator('input#grant-issue-housing').check({ force: true });
    await page.locator('input#validUntil').fill('31.12.2027');
    await page.getByTestId('continue').click();
    await page.getByTestId('confirm').waitFor();
    await axe(page, `${lang} grant confirmation`);

    await go(page, '/request', d.request.title);
    await axe(page, `${lang} request`);

    await go(page, `/requests/${requestId}`, d.decide.title);
    await page.getByTestId('decide-form').waitFor();
    await axe(page, `${lang} decide`);

    await go(page, '/mandates/veikko-markku', d.mandatePage.title);
    await page.getByTestId('log-table').waitFor();
    await axe(page, `${lang} log`);

    await go(page, '/organisations', d.org.title);
    await page.locator('[data-testid^="section-"]').first().waitFor();
    await page.locator('text=/Ladataan|Laddar|Loading/').waitFor({ state: 'detached' });
    await axe(page, `${lang} organisations`);

    await go(page, '/services', d.services.title);
    await page.locator('[data-testid="service"]').first().waitFor();
    await axe(page, `${lang} services`);

    await go(page, '/errands', d.errands.mine.title);
    await axe(page, `${lang} my errands`);

    await page.getByTestId('start-new').click();
    await page.locator('[data-testid="service"]').first().waitFor();
    await page.getByTestId('start-ece-application').click();
    await page.getByTestId('errand-start-form').waitFor();
    await page.locator('text=/Ladataan|Laddar|Loading/').waitFor({ state: 'detached' });
    await axe(page, `${lang} start an errand`);
    await page.close();
  });

  it('admin sub-pages: municipal requirements (only stricter offered), PTV import result and coverage, adopting a service, common catalogue classes with a preview', async () => {
    const d = DICTS[lang];
    const [municipal, umbrella] = await Promise.all([
      h.context({ lang, who: { staff: 'admin-753' } }),
      h.context({ lang, who: { staff: 'umbrella-admin' } }),
    ]);
    try {
      const page = await municipal.newPage();
      await page.goto('/admin/policies');
      await ready(page);
      const ece = page.locator('[data-testid="admin-service"][data-code="ece-application"]');
      await ece.waitFor();
      await axe(page, `${lang} municipal admin`);
      await page.getByTestId('change-ece-application').click();
      await ece.getByTestId('policy-form').waitFor();
      expect(await ece.locator('input#policy-ece-application-alone-attest').count()).toBe(0);
      await axe(page, `${lang} municipal admin, policy form`);
      // PTV import with its result (a suggestion, an unclassified service) and the coverage report.
      await page.goto('/admin/ptv');
      await ready(page);
      await page.locator('input#ptv-file').setInputFiles({ name: 'ptv.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(PTV_PAGE)) });
      await page.getByTestId('ptv-submit').click();
      await page.getByTestId('ptv-result').waitFor();
      await page.locator('[data-testid="ptv-unclassified"]').first().waitFor();
      await axe(page, `${lang} municipal admin, PTV import result`);
      await page.getByTestId('admin-nav-coverage').click();
      await page.locator('[data-testid="coverage-unclassified-item"]').first().waitFor();
      await axe(page, `${lang} municipal admin, coverage`);
      await page.getByTestId('admin-nav-local-services').click();
      await page.getByTestId('adopt').waitFor();
      // Adopting a service: the form for local name, link and contact details.
      await page.locator('button#adopt-class_button').click();
      await page.getByRole('option').first().click();
      await page.getByTestId('adopt-form').waitFor();
      // The choice's list closes after the click; axe reads the page once it has (a list caught closing has no name yet).
      await page.locator('#adopt-class-popover').waitFor({ state: 'hidden', timeout: 5000 });
      await axe(page, `${lang} municipal admin, adopt a service`);

      const upage = await umbrella.newPage();
      await upage.goto('/admin/policies');
      await ready(upage);
      expect(await upage.locator('h1').textContent()).toBe(d.admin.umbrellaTitle);
      await upage.getByTestId('edit-school-transfer').click();
      await upage.locator('input#class-policy-mandate').check({ force: true });
      await upage.getByTestId('class-preview').click();
      await upage.getByTestId('impact').waitFor();
      await axe(upage, `${lang} umbrella admin, preview`);
    } finally {
      await Promise.all([municipal.close(), umbrella.close()]);
    }
  });

  it('umbrella admin: the forms for a mandate issue and a new bundle, the bundle refused without issues', async () => {
    const umbrella = await h.context({ lang, who: { staff: 'umbrella-admin' } });
    try {
      const page = await umbrella.newPage();
      await page.goto('/admin/catalogue');
      await ready(page);
      await page.getByTestId('edit-issue-housing').click();
      await page.getByTestId('issue-form').waitFor();
      await page.getByTestId('add-bundle').click();
      await page.getByTestId('bundle-form').waitFor();
      await page.locator('input#bundle-code').fill('a11y-bundle');
      for (const l of ['fi', 'sv', 'en']) await page.locator(`input#bundle-name-${l}`).fill(`a11y ${l}`);
      await page.getByTestId('bundle-save').click();
      await page.getByTestId('bundle-form').getByText(DICTS[lang].problems['catalogue.bundle-without-issues']).first().waitFor();
      await axe(page, `${lang} umbrella admin, issue and bundle forms`);
    } finally {
      await umbrella.close();
    }
  });

  it('notification pages: messages (one opened), settings (form and review), demo outbox; at 360 px nothing scrolls sideways', async () => {
    const d = DICTS[lang];
    const page = await citizen.newPage();
    const noSideScroll = async (what: string) => {
      await page.setViewportSize({ width: 360, height: 740 });
      // Components that measure themselves settle a moment after the resize.
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), { message: `${what} scrolls sideways at 360 px`, timeout: 3000 }).toBeLessThanOrEqual(0);
      await page.setViewportSize({ width: 1100, height: 900 });
    };
    await page.goto('/messages');
    await ready(page);
    expect(await page.locator('h1').textContent()).toBe(d.messages.title);
    const first = page.locator('[data-testid="message"]').first();
    await first.waitFor();
    await first.getByRole('button').first().click();
    await first.getByTestId('message-body').waitFor();
    await axe(page, `${lang} messages`);
    await noSideScroll(`${lang} messages`);

    await go(page, '/settings', d.settings.title);
    await page.getByTestId('settings-form').waitFor();
    await axe(page, `${lang} settings`);
    await noSideScroll(`${lang} settings`);
    await page.locator('input#channel-paper').check({ force: true });
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-review').waitFor();
    await axe(page, `${lang} settings review`);
    await page.getByTestId('settings-back').click();

    await go(page, '/demo/outbox', d.outbox.title);
    await page.getByTestId('outbox-empty').waitFor();
    await axe(page, `${lang} demo outbox`);
    await noSideScroll(`${lang} demo outbox`);
    await page.close();

    // The operators' deliveries (a request waits for Markku, of Sipoo), also at 360 px as cards.
    const admin = await h.context({ lang, who: { staff: 'admin-753' } });
    try {
      const apage = await admin.newPage();
      await apage.goto('/admin/deliveries');
      await ready(apage);
      await apage.locator('[data-testid="deliveries"] [data-testid="delivery"]').first().waitFor();
      await axe(apage, `${lang} deliveries`);
      await apage.setViewportSize({ width: 360, height: 740 });
      await expect.poll(() => apage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), { message: `${lang} deliveries scroll sideways at 360 px`, timeout: 3000 }).toBeLessThanOrEqual(0);
    } finally {
      await admin.close();
    }
  });

  it('caseworker pages: customer service with a check result, the errand queue', async () => {
    const page = await staff.newPage();
    await page.goto('/staff');
    await ready(page);
    await page.getByTestId('parity').waitFor();
    await page.getByTestId('staff-tasks').waitFor();
    await axe(page, `${lang} caseworker`);
    await page.getByTestId('staff-task-check').click();
    await page.getByTestId('check-form').waitFor();
    await page.locator('input#actorId').fill(P.markku);
    await page.locator('input#principalId').fill(P.veikko);
    await page.locator('button#issue_button').click();
    await page.getByRole('option').first().click();
    await page.getByTestId('check-submit').click();
    await page.getByTestId('check-result').waitFor();
    await axe(page, `${lang} caseworker result`);

    await go(page, '/staff/errands', DICTS[lang].errands.queue.title);
    await page.getByTestId('queue-filters').waitFor();
    await axe(page, `${lang} errand queue`);
    await page.close();
  });
});
