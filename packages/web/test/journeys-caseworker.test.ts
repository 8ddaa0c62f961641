/**
 * Persona journey "caseworker" (issue 10, items 6 and 10): a caseworker at a service point, in a real
 * Chromium against a real server, in Finnish, Swedish and English at 1280 and 390 px, each step
 * axe-checked, without sideways scroll and kept as a screenshot (test-artifacts/journeys/caseworker/).
 * Every run does the whole task set on its own data: the customer service page lists the tasks; a
 * paper power of attorney goes form → review (names from the registers) → printable receipt with a
 * reference; the check on a page of its own finds the visitor may act with it; the principal's
 * mandates after a logged look-up (paper and electronic), and the paper one revoked on the principal's
 * written request. Identity codes never in an address. Needs the built UI (`npm run build:web`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { P, person } from '../../server/test/helpers.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { formatDate } from '../src/dates.js';
import { ready, startHarness, type Harness } from './browser.js';
import { openAs } from './journeys.js';
import { LANGS, recorder, WIDTHS } from './personas.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const DICTS = { fi, sv, en } as const;
/** The fixture clock's day (REFERENCE_NOW), the day a registration is made. */
const TODAY = '2026-12-01';
/** i18next's {{name}} filled in, as the page shows it. */
const fill = (s: string, v: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => v[k] ?? '');

async function nameOf(id: string): Promise<string> {
  const p = await h.app.ctx.db.selectFrom('persons').select(['first_name', 'last_name']).where('id', '=', id).executeTakeFirstOrThrow();
  return `${p.first_name} ${p.last_name}`;
}

/** A matter's name in a language, from the catalogue the UI reads. */
async function issueName(code: string, lang: keyof typeof DICTS): Promise<string> {
  const r = await h.app.app.inject({ method: 'GET', url: '/api/v1/catalogue/issues' });
  return r.json<{ issues: { code: string; name: Record<string, string> }[] }>().issues.find((i) => i.code === code)!.name[lang]!;
}

/** Every address the page asked for, to show no identity code went into one. */
function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('framenavigated', (f) => urls.push(f.url()));
  return urls;
}

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
const paperMandates = () => h.app.ctx.db.selectFrom('mandates').select('id').where('principal_id', '=', P.pentti).where('agent_id', '=', P.laura).where('source', '=', 'paper').execute();
const lookups = async (reason: string) => (await h.app.ctx.db.selectFrom('audit_log').select(['actor', 'data']).where('event', '=', 'staff.person-mandates-viewed').execute())
  .filter((a) => (a.actor as { key?: string }).key === 'caseworker-245' && (a.data as { reason?: string }).reason === reason).length;

const REASON = {
  fi: 'Pentti jätti palvelupisteessä kirjallisen pyynnön',
  sv: 'Pentti lämnade in en skriftlig begäran vid servicepunkten',
  en: 'Pentti handed in a written request at the service point',
} as const;

describe('persona journey: a caseworker at the service point', () => {
  LANGS.forEach((lang, li) => {
    WIDTHS.forEach((width, wi) => {
      it(`registers a paper power of attorney (form → review → receipt), checks the visitor, looks up the principal's mandates and revokes the paper one (${lang}, ${width.width} px)`, async () => {
        const d = DICTS[lang];
        const rec = recorder('caseworker', lang, width);
        // This run's own data: the paper's archive reference and an electronic mandate ending on a day of its own.
        const reference = `KERAVA/2026/${lang.toUpperCase()}-${width.width}`;
        const electronicUntil = `2027-03-${String(10 + li * 2 + wi).padStart(2, '0')}`;
        const electronic = await h.app.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: await h.app.as({ person: P.pentti }), payload: { agent: person(P.emily), issues: ['housing'], validUntil: electronicUntil } });
        expect(electronic.statusCode, electronic.body).toBe(201);
        const [pentti, laura, emily, housing] = [await nameOf(P.pentti), await nameOf(P.laura), await nameOf(P.emily), await issueName('housing', lang)];

        const { ctx, page } = await openAs(h, lang, { staff: 'caseworker-245' });
        await page.setViewportSize(width);
        const urls = recordUrls(page);
        try {
          // ---- Customer service: the tasks the caseworker's permittedActions allow, one link each.
          await page.goto('/staff');
          await ready(page);
          await page.getByTestId('staff-tasks').waitFor();
          expect(await page.getByTestId('staff-task-check').textContent()).toBe(d.caseworker.tasks.check);
          expect(await page.getByTestId('staff-task-people').textContent()).toBe(d.caseworker.tasks.people);
          expect(await page.getByTestId('staff-task-paper').textContent()).toBe(d.caseworker.tasks.paper);
          await rec.step(page, 'tasks');

          // ---- The paper power of attorney: form
          await page.getByTestId('staff-task-paper').click();
          await page.waitForURL((u) => u.pathname === '/staff/paper-mandates/new');
          await page.getByTestId('paper-form').waitFor();
          await page.locator('input#paperPrincipalId').fill(P.pentti);
          await page.locator('input#paperAgentId').fill(P.laura);
          await page.getByRole('radio', { name: d.issues.oneByOne }).check({ force: true });
          await page.locator('#paper-issue-housing').check({ force: true });
          await page.locator('input#paperValidUntil').fill('30.6.2027');
          await page.locator('input#reference').fill(reference);
          await page.locator('input#signedOn').fill('20.11.2026');
          await rec.step(page, 'paper-form');
          const before = (await paperMandates()).length;
          await page.getByTestId('paper-continue').click();

          // The review names both from the registers before anything is registered.
          await page.getByTestId('paper-review').waitFor();
          expect(await page.getByTestId('review-principal').textContent()).toContain(pentti);
          expect(await page.getByTestId('review-agent').textContent()).toContain(laura);
          expect(await page.getByTestId('review-signers').textContent()).toContain(pentti);
          expect((await paperMandates()).length).toBe(before);
          await rec.step(page, 'paper-review');

          // ---- The receipt: focus on the success note, the reference is the registered mandate's.
          await page.getByTestId('paper-submit').click();
          await page.getByTestId('receipt').waitFor();
          await expect.poll(() => focusedTestId(page)).toBe('paper-success');
          const paperId = (await page.getByTestId('receipt-reference').textContent())!;
          const row = await h.app.ctx.db.selectFrom('mandates').select(['principal_id', 'agent_id', 'source', 'municipality', 'status']).where('id', '=', paperId).executeTakeFirstOrThrow();
          expect(row).toEqual({ principal_id: P.pentti, agent_id: P.laura, source: 'paper', municipality: '245', status: 'active' });
          expect((await paperMandates()).length).toBe(before + 1);
          expect(await page.getByTestId('receipt-principal').textContent()).toBe(pentti);
          expect(await page.getByTestId('receipt-agent').textContent()).toBe(laura);
          expect(await page.getByTestId('receipt-valid').textContent()).toContain(formatDate('2027-06-30', lang));
          expect(await page.getByTestId('receipt-written').textContent()).toBe(fill(d.caseworker.receipt.writtenText, { date: formatDate('2026-11-20', lang), reference }));
          const receipt = (await page.getByTestId('receipt').textContent())!;
          expect(receipt).toContain(`${d.caseworker.receipt.registeredOn}${formatDate(TODAY, lang)}`);
          expect(receipt).toContain(`${d.mandate.matters}${housing}`);
          expect(await page.getByTestId('receipt-pdf').getAttribute('href')).toBe(`/api/v1/mandates/${paperId}/receipt.pdf?lang=${lang}`);
          await rec.step(page, 'receipt', lang === 'en' && width.name === 'laptop' ? { readme: 'caseworker-receipt' } : {});

          // Printed, the receipt stands alone: no header, navigation, buttons or form.
          await page.emulateMedia({ media: 'print' });
          expect(await page.locator('.site-header').isVisible()).toBe(false);
          expect(await page.getByTestId('receipt-print').isVisible()).toBe(false);
          expect(await page.getByTestId('receipt').isVisible()).toBe(true);
          await page.emulateMedia({ media: 'screen' });

          // ---- The check, on a page of its own: Laura may act for Pentti in housing with the paper just registered.
          await page.goto('/staff');
          await ready(page);
          await page.getByTestId('staff-task-check').click();
          await page.waitForURL((u) => u.pathname === '/staff/check');
          await page.getByRole('heading', { level: 1, name: d.staff.checkHeading }).waitFor();
          await page.getByTestId('check-form').waitFor();
          await page.locator('input#actorId').fill(P.laura);
          await page.locator('input#principalId').fill(P.pentti);
          await page.locator('button#issue_button').click();
          await page.getByRole('option', { name: housing, exact: true }).click();
          // axe reads the page once the matter list has closed (a list caught closing has no name yet).
          await page.locator('#issue-popover').waitFor({ state: 'hidden', timeout: 5000 });
          await rec.step(page, 'check');
          await page.getByTestId('check-submit').click();
          await page.getByTestId('check-result').waitFor();
          expect(await page.getByTestId('check-result').getAttribute('data-allowed')).toBe('true');
          expect(await page.getByTestId('check-result').textContent()).toContain(d.staff.allowed);
          await rec.step(page, 'check-result');
          await page.getByTestId('staff-back').click();
          await page.waitForURL((u) => u.pathname === '/staff');

          // ---- The principal's mandates, after a look-up with a reason (logged).
          await page.getByTestId('staff-task-people').click();
          await page.waitForURL((u) => u.pathname === '/staff/people');
          await page.getByTestId('people-form').waitFor();
          // Without a reason there is no look-up.
          await page.locator('input#lookupPartyId').fill(P.pentti);
          await page.getByTestId('people-submit').click();
          await page.getByText(d.caseworker.people.reasonRequired).waitFor();
          await rec.step(page, 'people-no-reason');
          const logged = await lookups(REASON[lang]);
          await page.locator('textarea#lookupReason').fill(REASON[lang]);
          await page.getByTestId('people-submit').click();
          await page.getByTestId('people-result').waitFor();
          expect(await page.getByTestId('people-name').textContent()).toBe(fill(d.caseworker.people.resultTitle, { name: pentti }));
          expect(await lookups(REASON[lang])).toBe(logged + 1);

          const given = page.getByTestId('people-given');
          const paperItem = given.locator('[data-testid="staff-mandate"][data-source="paper"]', { hasText: reference });
          const electronicItem = given.locator('[data-testid="staff-mandate"][data-source="electronic"]', { hasText: formatDate(electronicUntil, lang) });
          await paperItem.waitFor();
          await electronicItem.waitFor();
          expect(await paperItem.locator('h4').textContent()).toBe(fill(d.caseworker.people.between, { principal: pentti, agent: laura }));
          expect(await electronicItem.locator('h4').textContent()).toBe(fill(d.caseworker.people.between, { principal: pentti, agent: emily }));
          // Only a paper mandate offers a revoke here (from permittedActions).
          expect(await electronicItem.getByTestId('revoke-paper').count()).toBe(0);
          expect(await given.locator('[data-source="electronic"] [data-testid="revoke-paper"]').count()).toBe(0);
          await rec.step(page, 'person-mandates');

          // ---- The paper one revoked on the principal's written request; the confirmation takes the focus.
          await paperItem.getByTestId('revoke-paper').click();
          await paperItem.getByTestId('revoke-form').waitFor();
          await page.locator(`[id="receivedOn-${paperId}"]`).fill('30.11.2026');
          await page.locator(`[id="requestReference-${paperId}"]`).fill(`${reference}/R`);
          await rec.step(page, 'revoke-form');
          await paperItem.getByTestId('revoke-confirm').click();
          await page.getByTestId('revoke-done').waitFor();
          await expect.poll(() => focusedTestId(page)).toBe('revoke-done');
          expect(await page.getByTestId('revoke-done').textContent()).toContain(d.caseworker.people.revokedTitle);
          expect(await paperItem.getByTestId('staff-mandate-status').textContent()).toBe(d.status.revoked);
          expect(await paperItem.getByTestId('revoke-paper').count()).toBe(0);
          expect((await h.app.ctx.db.selectFrom('mandates').select('status').where('id', '=', paperId).executeTakeFirstOrThrow()).status).toBe('revoked');
          const entry = await h.app.ctx.db.selectFrom('audit_log').select(['data', 'actor']).where('mandate_id', '=', paperId).where('event', '=', 'revoked').executeTakeFirstOrThrow();
          expect(entry.data).toMatchObject({ writtenRequest: { receivedOn: '2026-11-30', reference: `${reference}/R` } });
          await rec.step(page, 'revoked');

          // The old address still leads to customer service.
          await page.goto('/staff');
          await ready(page);
          await page.getByTestId('staff-tasks').waitFor();
          for (const code of [P.pentti, P.laura, P.emily]) expect(urls.filter((u) => u.includes(code))).toEqual([]);
        } finally {
          await ctx.close();
        }
      });
    });
  });
});
