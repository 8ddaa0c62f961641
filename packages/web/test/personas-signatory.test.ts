/**
 * Persona journey (issue 10, item 10): the signatory. Elias Korhonen signs alone for Eliaksen Puutyö Oy
 * (managing director and chair of the board), in Finnish, Swedish and English, at 1280 and 390 px:
 * the organisations page (the company once, with both his roles) → "give a mandate for the
 * organisation" → the grant form says on whose behalf and offers only an organisation's matters → he
 * gives Noora Korhonen, picked from his people, one matter → the review → the confirmation (focus on
 * it) → back on the organisations page the company's mandates list it, titled by the agent. Every step
 * axe-clean, without sideways scroll, kept as a screenshot in test-artifacts/journeys/signatory/.
 * Each run gives its own mandate (its own end date) and finds it by its id; nothing is revoked.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { O, P } from '../../server/test/helpers.js';
import { demoFixture } from '../../server/src/registers/fixture.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { formatDate } from '../src/dates.js';
import { ready, startHarness, type Harness } from './browser.js';
import { openAs } from './journeys.js';
import { LANGS, recorder, WIDTHS } from './personas.js';

const DICTS = { fi, sv, en } as const;
const fill = (s: string, params: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => params[k] ?? `{{${k}}}`);
const COMPANY = 'Eliaksen Puutyö Oy';
const ISSUES = demoFixture().issues;
const focused = (page: Page) => page.evaluate(() => ({ testId: document.activeElement?.getAttribute('data-testid') ?? '', text: document.activeElement?.querySelector('.success-note-title')?.textContent ?? '' }));

let h: Harness;
/** The matters a mandate may be given in for an organisation (the server's word, from the catalogue). */
let orgIssues: string[];
beforeAll(async () => {
  h = await startHarness();
  const r = await h.app.app.inject({ method: 'GET', url: '/api/v1/me/people', headers: await h.app.as({ person: P.elias }) });
  expect(r.statusCode, r.body).toBe(200);
  orgIssues = r.json<{ issuesFor: { organization: string[] } }>().issuesFor.organization;
});
afterAll(async () => {
  await h?.close();
});

describe('persona: the signatory gives a mandate on behalf of the company', () => {
  let run = 0;
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      // Each run its own end date: its mandate is told apart from the other runs' by date and by id.
      run += 1;
      const until = `2029-${String(run).padStart(2, '0')}-${String(10 + run)}`;
      it(`Elias gives Noora a mandate for ${COMPANY} (${lang}, ${width.width} px)`, async () => {
        const d = DICTS[lang];
        const rec = recorder('signatory', lang, width);
        const readme = lang === 'en' && width.name === 'laptop';
        const elias = await openAs(h, lang, { person: P.elias });
        const page = elias.page;
        await page.setViewportSize(width);

        // ---- the organisations page: the company once, with both his roles --------------------------------
        await page.goto('/organisations');
        await ready(page);
        expect(await page.locator('h1#page-title').textContent()).toBe(d.org.title);
        const company = page.getByTestId(`org-${O.puutyo}`);
        await company.waitFor();
        expect(await company.count()).toBe(1);
        expect(await company.locator('h2').textContent()).toBe(COMPANY);
        // Both roles, each once, in one line (in the order the registers give them), and that he signs alone.
        const roles = (await company.getByTestId('org-roles').textContent())!;
        expect([
          `${fill(d.views.rolesLabel, { roles: `${d.roles.ceo}, ${d.roles['board-chair']}` })} ${d.org.signing.alone}`,
          `${fill(d.views.rolesLabel, { roles: `${d.roles['board-chair']}, ${d.roles.ceo}` })} ${d.org.signing.alone}`,
        ]).toContain(roles);
        await company.locator('[data-testid="section-given"]').waitFor();
        await rec.step(page, 'organisations');

        // ---- the grant form: on whose behalf, an organisation's matters only --------------------------------
        await company.getByTestId(`grant-for-${O.puutyo}`).click();
        await page.waitForURL((u) => u.pathname === '/grant');
        await ready(page);
        await page.getByTestId('mandate-form').waitFor();
        expect(await page.getByTestId('form-intro').textContent()).toBe(fill(d.forms.grantIntroOrg, { name: COMPANY }));
        expect(await page.locator(`input[name="onBehalfOf"][value="org:${O.puutyo}"]`).isChecked()).toBe(true);
        const offered = await page.locator('input[id^="grant-issue-"]').evaluateAll((els) => els.map((e) => e.id.replace('grant-issue-', '')));
        expect(offered).toEqual(ISSUES.map((i) => i.code).filter((c) => orgIssues.includes(c)));
        // No child's matters for a company.
        expect(offered).not.toContain('early-childhood-education');
        expect(offered).not.toContain('basic-education');
        const matter = offered[0]!;
        const whom = page.getByTestId('whom');
        await whom.getByRole('radio', { name: /Noora Korhonen/ }).check({ force: true });
        expect(await page.locator('input#partyId').count()).toBe(0);
        await page.locator(`input#grant-issue-${matter}`).check({ force: true });
        await page.locator('input#validUntil').fill(formatDate(until, 'fi'));
        await rec.step(page, 'grant-form');

        // ---- the review: the agent, the company as principal --------------------------------------------------
        await page.getByTestId('continue').click();
        const review = page.getByTestId('confirm');
        await review.waitFor();
        expect(await review.textContent()).toContain(fill(d.grant.confirmLead, { agent: 'Noora Korhonen', principal: COMPANY }));
        expect(await review.textContent()).toContain(ISSUES.find((i) => i.code === matter)!.name[lang]);
        await rec.step(page, 'review');

        // ---- the confirmation, with focus on it ----------------------------------------------------------------
        const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/mandates');
        await page.getByTestId('confirm-submit').click();
        const response = await created;
        expect(response.status()).toBe(201);
        const id = ((await response.json()) as { id: string }).id;
        const done = page.getByTestId('done');
        await done.waitFor();
        expect(await done.textContent()).toContain(fill(d.grant.doneActive, { name: 'Noora Korhonen', until: formatDate(until, lang) }));
        await expect.poll(() => focused(page)).toEqual({ testId: 'done', text: d.grant.doneTitle });
        expect(await page.getByTestId('back-home').textContent()).toBe(d.common.backToOrganisations);
        await rec.step(page, 'confirmation');
        // In force in the registry: the company's (he signs alone), to Noora, the one matter, until the date.
        const stored = await h.app.app.inject({ method: 'GET', url: `/api/v1/mandates/${id}`, headers: await h.app.as({ person: P.elias }) });
        expect(stored.statusCode, stored.body).toBe(200);
        expect(stored.json()).toMatchObject({ status: 'active', principal: { type: 'organization', id: O.puutyo }, agent: { id: P.noora }, issues: [matter], validUntil: until });

        // ---- the company's mandates: the new one, titled by the agent ---------------------------------------------
        await page.getByTestId('back-home').click();
        await page.waitForURL((u) => u.pathname === '/organisations');
        await ready(page);
        const card = page.locator(`[data-testid="org-${O.puutyo}"] [data-testid="section-given"] [data-mandate-id="${id}"]`);
        await card.waitFor();
        expect(await card.getAttribute('data-status')).toBe('active');
        expect(await card.locator('h4').textContent()).toBe('Noora Korhonen');
        expect(await card.textContent()).toContain(formatDate(until, lang));
        expect(await page.getByTestId(`org-${O.puutyo}`).count()).toBe(1);
        await rec.step(page, 'organisation-granted', readme ? { readme: 'organisation' } : {});
        await elias.ctx.close();
      }, 90_000);
    }
  }
});
