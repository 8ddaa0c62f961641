/**
 * The grant and request forms as people use them (issue 10), part of the citizen personas' journeys
 * (item 10): in Finnish, Swedish and English at 1280 and 390 px, each step axe-checked, without
 * sideways scroll and kept as a screenshot (test-artifacts/journeys/<persona>/): people offered from
 * the registers (no identity code typed for one's own), refusals on the form beside their field in
 * the user's language before the review step, focus on the first field in error, the date picker in
 * the page's language and within 360 px when open; the grant made, its confirmation focused; an
 * organisation's form; the public catalogue's "ask for this mandate" kept through login. The decision
 * page's narrowing-only check is an error-text check and stays single (en, sv).
 * Needs the built UI (`npm run build:web`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { P } from '../../server/test/helpers.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { formatDate } from '../src/dates.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe, openAs } from './journeys.js';
import { LANGS, recorder, WIDTHS } from './personas.js';

const DICTS = { fi, sv, en };
type Lang = keyof typeof DICTS;
/** A refusal's text as the UI says it beside a field (`{{field}}` is "this"). */
const problem = (lang: Lang, code: keyof typeof fi.problems, params: Record<string, string> = {}) =>
  (DICTS[lang].problems[code] as string).replace(/\{\{(\w+)\}\}/g, (_, k: string) => (k === 'field' ? DICTS[lang].errors.thisField : params[k] ?? `{{${k}}}`));
/** What a Finnish or Swedish page must never show: ISO dates and the server's English refusals. */
const TECHNICAL = /\d{4}-\d{2}-\d{2}|validUntil|validFrom|is before|in the past/;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const errorBeside = (page: Page, id: string) => page.locator(`#${id}`).evaluate((el) => {
  const described = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).map((x) => document.getElementById(x)?.textContent ?? '').join(' ');
  return { invalid: el.getAttribute('aria-invalid'), text: described };
});
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('persona journey: a citizen grants a mandate on the form', () => {
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      it(`offers Petra's people, checks the dates on the form beside the field, then grants to Mikael without a typed code (${lang}, ${width.width} px)`, async () => {
        const d = DICTS[lang];
        const rec = recorder('citizen-grant-form', lang, width);
        const grants = async () => (await h.app.ctx.db.selectFrom('mandates').select('id').where('principal_id', '=', P.petra).where('agent_id', '=', P.mikael).execute()).length;
        const before = await grants();
        const { ctx, page } = await openAs(h, lang, { person: P.petra });
        await page.setViewportSize(width);
        await page.goto('/grant');
        await ready(page);
        await page.getByTestId('mandate-form').waitFor();

        // People from the registers and mandates, each with how they relate to her; no identity code field yet.
        const whom = page.getByTestId('whom');
        await whom.waitFor();
        const offered = (await whom.textContent())!;
        for (const name of ['Mikael Sjöberg', 'Alva Sjöberg', 'Leo Sjöberg', 'Kari Mäkelä']) expect(offered).toContain(name);
        expect(offered).toContain(d.forms.rel['co-guardian']);
        expect(offered).toContain(d.forms.rel['co-owner']);
        expect(offered).not.toMatch(/\d{6}[-+A-Y]\d{3}[0-9A-Y]/);
        expect(await page.locator('input#partyId').count()).toBe(0);
        await rec.step(page, 'form');

        // Nothing chosen: the form says what is missing, focus on the first of them (not the top of the page).
        await page.getByTestId('continue').click();
        await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? '')).toBe('whom');
        expect(await whom.textContent()).toContain(d.forms.chooseWhom);
        await rec.step(page, 'nothing-chosen');

        // Mikael, housing, and an end before the start: refused on the form, beside the end date, before any review step.
        await page.getByRole('radio', { name: 'Mikael Sjöberg' }).check({ force: true });
        await page.locator('input#grant-issue-housing').check({ force: true });
        await page.locator('input#validFrom').fill('1.3.2027');
        await page.locator('input#validUntil').fill('1.2.2027');
        await page.getByTestId('continue').click();
        await expect.poll(() => errorBeside(page, 'validUntil')).toMatchObject({ invalid: 'true' });
        expect((await errorBeside(page, 'validUntil')).text).toContain(problem(lang, 'mandate.ends-before-start'));
        expect(await focusedId(page)).toBe('validUntil');
        expect(await page.getByTestId('confirm').count()).toBe(0);
        if (lang !== 'en') expect(await page.getByTestId('mandate-form').textContent()).not.toMatch(TECHNICAL);
        await rec.step(page, 'ends-before-start');

        // A start in the past and an end beyond 25 years: both beside their own field, the date in the page's format.
        await page.locator('input#validFrom').fill('1.1.2020');
        await page.locator('input#validUntil').fill('1.1.2060');
        await page.getByTestId('continue').click();
        await expect.poll(async () => (await errorBeside(page, 'validFrom')).text).toContain(problem(lang, 'mandate.backdated', { today: formatDate('2026-12-01', lang) }));
        expect(await focusedId(page)).toBe('validFrom');
        expect((await errorBeside(page, 'validUntil')).text).toContain(problem(lang, 'mandate.too-long', { maxYears: '25', lastDay: formatDate('2045-01-01', lang) }));
        if (lang !== 'en') expect(await page.getByTestId('mandate-form').textContent()).not.toMatch(TECHNICAL);
        await rec.step(page, 'refusals');

        // The date picker speaks the page's language and keeps the page within 360 px (the narrowest phone we promise).
        await page.setViewportSize({ width: 360, height: 740 });
        // One calendar button per date field, named in the page's language (the end date's is the second).
        const pickers = page.getByRole('button', { name: new RegExp({ fi: 'Valitse päivämäärä', sv: 'Välj datum', en: 'Choose date' }[lang]) });
        expect(await pickers.count()).toBe(2);
        await pickers.nth(1).click();
        const picker = page.getByRole('dialog');
        await picker.waitFor();
        const pickerText = (await picker.textContent())!;
        expect(pickerText).toContain({ fi: 'Valitse vuosi', sv: 'Välj år', en: 'Select year' }[lang]);
        expect(pickerText).toContain({ fi: 'Valitse kuukausi', sv: 'Välj månad', en: 'Select month' }[lang]);
        await expect.poll(() => page.evaluate(() => document.scrollingElement!.scrollWidth), { message: 'the open date picker widens the page at 360 px' }).toBeLessThanOrEqual(360);
        await page.keyboard.press('Escape');
        await page.setViewportSize(width);

        // Put right: the review names Mikael by name and relation (no identity code), and the grant goes through.
        await page.locator('input#validFrom').fill('');
        await page.locator('input#validUntil').fill('31.12.2027');
        await page.getByTestId('continue').click();
        await page.getByTestId('confirm').waitFor();
        const looked = (await page.getByTestId('looked-up-name').textContent())!;
        expect(looked).toContain('Mikael Sjöberg');
        expect(looked).not.toContain(P.mikael);
        expect(await grants()).toBe(before);
        await rec.step(page, 'review');
        await page.getByTestId('confirm-submit').click();
        await page.getByTestId('done').waitFor();
        expect(await page.getByTestId('done').textContent()).toContain('Mikael Sjöberg');
        // The confirmation takes the focus, and the mandate is there.
        await expect.poll(() => page.evaluate(() => document.activeElement?.querySelector('.success-note-title')?.textContent ?? '')).toBe(d.grant.doneTitle);
        expect(await grants()).toBe(before + 1);
        expect(new URL(page.url()).search).toBe('');
        await rec.step(page, 'done');
        await ctx.close();
      });
    }
  }
});

describe('persona journey: a signatory\'s grant form for an organisation', () => {
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      it(`says on whose behalf and offers no child's matters (${lang}, ${width.width} px)`, async () => {
        const rec = recorder('organisation-grant-form', lang, width);
        const { ctx, page } = await openAs(h, lang, { person: P.markku });
        await page.setViewportSize(width);
        await page.goto('/grant');
        await ready(page);
        await page.getByTestId('mandate-form').waitFor();
        // His own matters first: the child's matters are there.
        expect(await page.locator('input#grant-issue-early-childhood-education').count()).toBe(1);
        await page.locator('input[name="onBehalfOf"][value="org:3456780-6"]').check({ force: true });
        await expect.poll(() => page.getByTestId('form-intro').textContent()).toContain(DICTS[lang].forms.grantIntroOrg.replace('{{name}}', 'Sipoon Kyläyhdistys ry'));
        expect(await page.locator('input#grant-issue-early-childhood-education').count()).toBe(0);
        expect(await page.locator('input#grant-issue-basic-education').count()).toBe(0);
        expect(await page.locator('input[value="my-childs-matters"]').count()).toBe(0);
        expect(await page.locator('input#grant-issue-building-control').count()).toBe(1);
        await rec.step(page, 'organisation-form');
        // Someone else than his people: the code field, and the name is looked up before confirming.
        await page.locator('input[name="whom"][value="other"]').check({ force: true });
        await page.locator('input#partyId').fill(P.kari);
        await page.locator('input#grant-issue-building-control').check({ force: true });
        await page.locator('input#validUntil').fill('31.12.2027');
        await page.getByTestId('continue').click();
        await page.getByTestId('confirm').waitFor();
        expect(await page.getByTestId('looked-up-name').textContent()).toContain('Kari Mäkelä');
        await rec.step(page, 'review');
        await ctx.close();
      });
    }
  }
});

describe('the decision page', () => {
  it.each(['en', 'sv'] as const)('in %s refuses a later end than asked on the page, beside the date, before sending', async (lang) => {
    const r = await h.app.app.inject({
      method: 'POST', url: '/api/v1/mandate-requests', headers: await h.app.as({ person: P.kari }),
      payload: { principal: { type: 'person', id: P.aino }, issues: ['housing', 'parking-and-streets'], validUntil: '2027-06-30' },
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json<{ id: string }>().id;
    const { ctx, page } = await openAs(h, lang, { person: P.aino });
    await page.goto(`/requests/${id}`);
    await ready(page);
    await page.getByTestId('decide-form').waitFor();
    await page.locator('input#validUntil').fill('31.12.2027');
    await page.getByTestId('approve').click();
    await expect.poll(async () => (await errorBeside(page, 'validUntil')).text).toContain(problem(lang, 'mandate.widened-end'));
    expect(await focusedId(page)).toBe('validUntil');
    await axe(page, `${lang} decision page, error state`);
    // Nothing was sent: the request still waits.
    const m = await h.app.app.inject({ method: 'GET', url: `/api/v1/mandates/${id}`, headers: await h.app.as({ person: P.aino }) });
    expect(m.json<{ status: string }>().status).toBe('requested');
    await ctx.close();
  });
});

describe('persona journey: ask for this mandate, logged out', () => {
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      it(`lands after login on the request form with the request prefilled (${lang}, ${width.width} px)`, async () => {
        const rec = recorder('visitor-asks-for-mandate', lang, width);
        const ctx = await h.context({ lang });
        const page = await ctx.newPage();
        page.setDefaultTimeout(15_000);
        await page.setViewportSize(width);
        await page.goto('/services');
        await ready(page);
        await page.getByTestId('request-ece-application').waitFor();
        await rec.step(page, 'catalogue');
        await page.getByTestId('request-ece-application').click();
        await page.getByTestId('persona-veikko').waitFor();
        await rec.step(page, 'login');
        await page.getByTestId('persona-veikko').click();
        await page.getByRole('heading', { level: 1, name: DICTS[lang].request.title }).waitFor();
        await page.getByTestId('mandate-form').waitFor();
        expect(new URL(page.url()).pathname).toBe('/request');
        expect(new URL(page.url()).searchParams.get('issues')).toBe('early-childhood-education');
        expect(await page.locator('input#request-issue-early-childhood-education').isChecked()).toBe(true);
        expect(await page.locator('input#request-issue-housing').isChecked()).toBe(false);
        await rec.step(page, 'request-form');
        await ctx.close();
      });
    }
  }
});
