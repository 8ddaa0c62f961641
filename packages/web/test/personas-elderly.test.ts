/**
 * Persona journey (issue 10, item 10): the elderly principal. Veikko Lindholm (b. 1944, Sipoo) gives
 * his son Markku his housing matters, in Finnish, Swedish and English, at 1280 and 390 px: home → the
 * grant form, where he picks Markku from the people offered to him (no identity code typed) → housing
 * → an end date → the review → the confirmation (focus on it) → his home with the mandate → the mandate
 * page (its facts, the receipt PDF) → his log page, with his son's use of it in Sipoo's e-service.
 * Then Markku's home shows the mandate he received, titled by his father. Every step axe-clean, without sideways scroll, kept as a screenshot in
 * test-artifacts/journeys/elderly-principal/.
 *
 * Why Veikko and not Aino Mäkelä (b. 1937): the registers relate Aino to nobody (no guardianship,
 * co-owned property, organisation or mandate), so her form offers no one to pick and Kari would have
 * to be typed in by his identity code. Veikko's son Markku is offered to him (Markku has his
 * "caring for a relative" mandate, fixture `veikko-markku`).
 * Each run gives its own mandate (its own end date) and finds it by its id; nothing is revoked.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { client, P, person } from '../../server/test/helpers.js';
import { demoFixture } from '../../server/src/registers/fixture.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { formatDate } from '../src/dates.js';
import { ready, startHarness, type Harness } from './browser.js';
import { openAs } from './journeys.js';
import { DEMO_CLIENT_NAMES } from '../../server/src/registers/demo-client-names.js';
import { LANGS, recorder, WIDTHS } from './personas.js';

const DICTS = { fi, sv, en } as const;
const fill = (s: string, params: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => params[k] ?? `{{${k}}}`);
/** A personal identity code anywhere in a text. */
// An identity code standing alone: not a run of digits inside a UUID (a random `…e3353030-9660…` looks like one).
const IDENTITY_CODE = /(?<![0-9A-Za-z])\d{6}[-+A-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])/;
/** The matter's name in each language, as the catalogue names it. */
const HOUSING = demoFixture().issues.find((i) => i.code === 'housing')!.name;
/** Sipoo's e-service, as its name is shown in the log. */
const SIPOO_ESERVICE = DEMO_CLIENT_NAMES[demoFixture().apiClients.find((c) => c.municipality === '753')!.id]!;
const focused = (page: Page) => page.evaluate(() => ({ testId: document.activeElement?.getAttribute('data-testid') ?? '', text: document.activeElement?.querySelector('.success-note-title')?.textContent ?? '' }));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('persona: the elderly principal gives his son his housing matters', () => {
  let run = 0;
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      // Each run its own end date: its mandate is told apart from the other runs' by date and by id.
      run += 1;
      const until = `2028-${String(run).padStart(2, '0')}-${String(10 + run)}`;
      const errandRef = `SIP-2026-${String(run).padStart(4, '0')}`;
      it(`Veikko grants Markku housing; Markku sees it (${lang}, ${width.width} px)`, async () => {
        const d = DICTS[lang];
        const rec = recorder('elderly-principal', lang, width);
        const readme = lang === 'en' && width.name === 'laptop';
        const veikko = await openAs(h, lang, { person: P.veikko });
        const page = veikko.page;
        await page.setViewportSize(width);

        // ---- home ---------------------------------------------------------------------------------------
        await page.goto('/');
        await ready(page);
        expect(await page.locator('h1#page-title').textContent()).toBe(d.home.title);
        expect(await page.locator('main').textContent()).toContain(fill(d.home.intro, { name: 'Veikko' }));
        await rec.step(page, 'home');

        // ---- the grant form: his son from the people offered, housing, an end date ---------------------
        await page.getByTestId('go-grant').click();
        await page.waitForURL(/\/grant$/);
        await ready(page);
        const whom = page.getByTestId('whom');
        await whom.waitFor();
        expect((await whom.textContent())!).toContain('Markku Lindholm');
        expect((await whom.textContent())!).toContain(d.forms.rel['has-my-mandate']);
        expect(await whom.textContent()).not.toMatch(IDENTITY_CODE);
        // No identity code to type for one of his own people.
        expect(await page.locator('input#partyId').count()).toBe(0);
        await whom.getByRole('radio', { name: /Markku Lindholm/ }).check({ force: true });
        expect(await page.locator('input#partyId').count()).toBe(0);
        await page.locator('input#grant-issue-housing').check({ force: true });
        await page.locator('input#validUntil').fill(formatDate(until, 'fi'));
        await rec.step(page, 'grant-form', readme ? { readme: 'grant-form' } : {});

        // ---- the review: whom, whose, what, until when ---------------------------------------------------
        await page.getByTestId('continue').click();
        const review = page.getByTestId('confirm');
        await review.waitFor();
        expect(await page.getByTestId('looked-up-name').textContent()).toBe(`Markku Lindholm (${d.forms.rel['has-my-mandate']})`);
        const reviewText = (await review.textContent())!;
        expect(reviewText).toContain(fill(d.grant.confirmLead, { agent: 'Markku Lindholm', principal: 'Veikko Lindholm' }));
        expect(reviewText).toContain(HOUSING[lang]);
        expect(reviewText).toContain(fill(d.mandate.validFromToday, { until: formatDate(until, lang) }));
        expect(reviewText).not.toMatch(IDENTITY_CODE);
        await rec.step(page, 'review');

        // ---- the confirmation, with focus on it ------------------------------------------------------------
        const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/mandates');
        await page.getByTestId('confirm-submit').click();
        const response = await created;
        expect(response.status()).toBe(201);
        const id = ((await response.json()) as { id: string }).id;
        const done = page.getByTestId('done');
        await done.waitFor();
        expect(await done.textContent()).toContain(fill(d.grant.doneActive, { name: 'Markku Lindholm', until: formatDate(until, lang) }));
        await expect.poll(() => focused(page)).toEqual({ testId: 'done', text: d.grant.doneTitle });
        await rec.step(page, 'confirmation');
        // In force in the registry: his, to Markku, housing only, until the chosen date.
        const stored = await h.app.app.inject({ method: 'GET', url: `/api/v1/mandates/${id}`, headers: await h.app.as({ person: P.veikko }) });
        expect(stored.statusCode, stored.body).toBe(200);
        expect(stored.json()).toMatchObject({ status: 'active', principal: { id: P.veikko }, agent: { id: P.markku }, issues: ['housing'], validUntil: until });

        // His son uses it in Sipoo's e-service (an errand of this run's own reference).
        const use = await h.app.app.inject({ method: 'POST', url: `/api/v1/mandates/${id}/uses`, headers: { authorization: client('753') }, payload: { errandRef, actor: person(P.markku) } });
        expect(use.statusCode, use.body).toBe(201);

        // ---- his home: the mandate he gave, titled by his son ----------------------------------------------
        await page.getByTestId('back-home').click();
        await page.waitForURL((u) => u.pathname === '/');
        await ready(page);
        const given = page.locator(`[aria-labelledby="my-given"] [data-mandate-id="${id}"]`);
        await given.waitFor();
        expect(await given.getAttribute('data-status')).toBe('active');
        expect(await given.locator('h4').textContent()).toBe('Markku Lindholm');
        expect(await given.textContent()).toContain(formatDate(until, lang));
        await rec.step(page, 'home-granted', readme ? { readme: 'home' } : {});

        // ---- the mandate page: its facts and the receipt -----------------------------------------------------
        await given.getByTestId(`log-${id}`).click();
        await page.waitForURL((u) => u.pathname === `/mandates/${encodeURIComponent(id)}`);
        // The page's own heading (not the home page's, still there for a moment after the address changed).
        await page.locator('h1#page-title', { hasText: d.mandatePage.title }).waitFor();
        await ready(page);
        const facts = (await page.locator('dl.facts').textContent())!;
        for (const text of ['Veikko Lindholm', 'Markku Lindholm', formatDate(until, lang), d.status.active]) expect(facts).toContain(text);
        // The mandate's own log: its giving and the son's use.
        await page.locator('[data-testid="log-row"][data-event="used"]').waitFor();
        expect(await page.getByTestId('log-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-event')))).toEqual(['used', 'granted']);
        const receipt = page.getByTestId('mandate-receipt');
        expect(await receipt.textContent()).toBe(d.usageLog.downloadReceipt);
        const pdf = await page.request.get((await receipt.getAttribute('href'))!);
        expect(pdf.status()).toBe(200);
        expect(pdf.headers()['content-type']).toMatch(/^application\/pdf/);
        expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
        await rec.step(page, 'mandate', readme ? { readme: 'mandate' } : {});

        // ---- his log page: who used this mandate, where, for which errand ------------------------------------
        await page.goto(`/log?mandate=${encodeURIComponent(id)}`);
        await page.locator('h1#page-title', { hasText: d.usageLog.title }).waitFor();
        await ready(page);
        const rows = page.getByTestId('log-row');
        await rows.first().waitFor();
        expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-event')))).toEqual(['used']);
        const row = (await rows.first().textContent())!;
        for (const text of [d.events.used, fill(d.usageLog.mandateOption, { principal: 'Veikko Lindholm', agent: 'Markku Lindholm' }), 'Markku Lindholm', SIPOO_ESERVICE[lang]]) {
          expect(row).toContain(text);
        }
        expect(await page.getByTestId('usage-log-errand').allInnerTexts()).toEqual([errandRef]);
        expect(page.url()).not.toMatch(IDENTITY_CODE);
        await rec.step(page, 'log');
        await veikko.ctx.close();

        // ---- his son: the mandate he received, titled by his father --------------------------------------------
        const markku = await openAs(h, lang, { person: P.markku });
        await markku.page.setViewportSize(width);
        await markku.page.goto('/');
        await ready(markku.page);
        const received = markku.page.locator(`[aria-labelledby="my-received"] [data-mandate-id="${id}"]`);
        await received.waitFor();
        expect(await received.getAttribute('data-status')).toBe('active');
        expect(await received.locator('h4').textContent()).toBe('Veikko Lindholm');
        expect(await received.textContent()).toContain(formatDate(until, lang));
        await rec.step(markku.page, 'son-home');
        await markku.ctx.close();
      }, 90_000);
    }
  }
});
