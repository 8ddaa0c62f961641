/**
 * Journeys of a caseworker at a service point (issue 10, item 6), in a real Chromium against a real
 * server: the customer service page lists the tasks; a paper power of attorney goes form → review
 * (names from the registers) → printable receipt with a reference (Finnish); a person's mandates
 * after a logged look-up, and a paper mandate revoked on the principal's written request (Swedish);
 * the check on a page of its own (English). axe and 360 px on every page; identity codes never in
 * an address. Needs the built UI (`npm run build:web`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { P, person } from '../../server/test/helpers.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe, fits360, openAs } from './journeys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function nameOf(id: string): Promise<string> {
  const p = await h.app.ctx.db.selectFrom('persons').select(['first_name', 'last_name']).where('id', '=', id).executeTakeFirstOrThrow();
  return `${p.first_name} ${p.last_name}`;
}

/** Every address the page asked for, to show no identity code went into one. */
function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('framenavigated', (f) => urls.push(f.url()));
  return urls;
}

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

describe('journey: a caseworker at the service point', () => {
  it('(fi) registers a paper power of attorney: form → review naming both people → receipt with a reference, printable', async () => {
    const { ctx, page } = await openAs(h, 'fi', { staff: 'caseworker-245' });
    const urls = recordUrls(page);
    try {
      await page.goto('/staff');
      await ready(page);
      await page.getByTestId('staff-tasks').waitFor();
      // The tasks the caseworker's permittedActions allow, one link each.
      expect(await page.getByTestId('staff-task-check').textContent()).toBe(fi.caseworker.tasks.check);
      expect(await page.getByTestId('staff-task-people').textContent()).toBe(fi.caseworker.tasks.people);
      await axe(page, 'customer service (fi)');
      await fits360(page, 'customer service (fi)');

      await page.getByTestId('staff-task-paper').click();
      await page.waitForURL((u) => u.pathname === '/staff/paper-mandates/new');
      await page.getByTestId('paper-form').waitFor();
      await axe(page, 'paper form (fi)');
      await fits360(page, 'paper form (fi)');
      await page.locator('input#paperPrincipalId').fill(P.pentti);
      await page.locator('input#paperAgentId').fill(P.laura);
      await page.getByRole('radio', { name: fi.issues.oneByOne }).check({ force: true });
      await page.locator('#paper-issue-housing').check({ force: true });
      await page.locator('input#paperValidUntil').fill('30.6.2027');
      await page.locator('input#reference').fill('KERAVA/2026/77');
      await page.locator('input#signedOn').fill('20.11.2026');
      await page.getByTestId('paper-continue').click();

      // The review names both from the registers before anything is registered.
      await page.getByTestId('paper-review').waitFor();
      const [pentti, laura] = [await nameOf(P.pentti), await nameOf(P.laura)];
      expect(await page.getByTestId('review-principal').textContent()).toContain(pentti);
      expect(await page.getByTestId('review-agent').textContent()).toContain(laura);
      expect(await page.getByTestId('review-signers').textContent()).toContain(pentti);
      expect(await h.app.ctx.db.selectFrom('mandates').select('id').where('principal_id', '=', P.pentti).where('agent_id', '=', P.laura).where('source', '=', 'paper').execute()).toEqual([]);
      await axe(page, 'paper review (fi)');
      await fits360(page, 'paper review (fi)');

      await page.getByTestId('paper-submit').click();
      await page.getByTestId('receipt').waitFor();
      await expect.poll(() => focusedTestId(page)).toBe('paper-success');
      const row = await h.app.ctx.db.selectFrom('mandates').select(['id', 'source', 'municipality']).where('principal_id', '=', P.pentti).where('agent_id', '=', P.laura).where('source', '=', 'paper').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ source: 'paper', municipality: '245' });
      expect(await page.getByTestId('receipt-reference').textContent()).toBe(row.id);
      expect(await page.getByTestId('receipt-principal').textContent()).toBe(pentti);
      expect(await page.getByTestId('receipt-agent').textContent()).toBe(laura);
      expect(await page.getByTestId('receipt-valid').textContent()).toContain('30.6.2027');
      expect(await page.getByTestId('receipt-written').textContent()).toBe('Allekirjoitettu 20.11.2026, arkistotunnus KERAVA/2026/77');
      expect(await page.getByTestId('receipt').textContent()).toContain('Rekisteröity1.12.2026');
      expect(await page.getByTestId('receipt').textContent()).toContain('AsiatAsumisasiat');
      expect(await page.getByTestId('receipt-pdf').getAttribute('href')).toBe(`/api/v1/mandates/${row.id}/receipt.pdf?lang=fi`);
      await axe(page, 'receipt (fi)');
      await fits360(page, 'receipt (fi)');

      // Printed, the receipt stands alone: no header, navigation, buttons or form.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      expect(await page.getByTestId('receipt-print').isVisible()).toBe(false);
      expect(await page.getByTestId('receipt').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'screen' });

      // The old address still leads to customer service.
      await page.goto('/staff');
      await ready(page);
      await page.getByTestId('staff-tasks').waitFor();
      for (const code of [P.pentti, P.laura]) expect(urls.filter((u) => u.includes(code))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it("(sv) looks up a person's mandates with a reason and revokes a paper mandate on the principal's written request", async () => {
    // The data: a paper mandate Ritva gave Tuomas, registered in Kerava, and an electronic one Ritva gave Emily.
    const headers = await h.app.as({ staff: 'caseworker-245' });
    const paper = await h.app.app.inject({ method: 'POST', url: '/api/v1/staff/paper-mandates', headers, payload: {
      principal: person(P.ritva), agent: person(P.tuomas), issues: ['housing'], validUntil: '2027-06-30', document: { reference: 'KERAVA/2026/80', signedOn: '2026-11-25' },
    } });
    expect(paper.statusCode, paper.body).toBe(201);
    const paperId = paper.json().id as string;
    const electronic = await h.app.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: await h.app.as({ person: P.ritva }), payload: { agent: person(P.emily), issues: ['housing'], validUntil: '2027-03-31' } });
    expect(electronic.statusCode, electronic.body).toBe(201);

    const { ctx, page } = await openAs(h, 'sv', { staff: 'caseworker-245' });
    const urls = recordUrls(page);
    try {
      await page.goto('/staff');
      await ready(page);
      await page.getByTestId('staff-task-people').click();
      await page.waitForURL((u) => u.pathname === '/staff/people');
      await page.getByTestId('people-form').waitFor();
      await axe(page, 'people look-up (sv)');
      await fits360(page, 'people look-up (sv)');

      // Without a reason there is no look-up.
      await page.locator('input#lookupPartyId').fill(P.ritva);
      await page.getByTestId('people-submit').click();
      await page.getByText(sv.caseworker.people.reasonRequired).waitFor();
      await page.locator('textarea#lookupReason').fill('Ritva lämnade in en skriftlig begäran vid servicepunkten');
      await page.getByTestId('people-submit').click();
      await page.getByTestId('people-result').waitFor();
      expect(await page.getByTestId('people-name').textContent()).toContain(await nameOf(P.ritva));
      const audit = await h.app.ctx.db.selectFrom('audit_log').select(['actor', 'data']).where('event', '=', 'staff.person-mandates-viewed').execute();
      expect(audit.some((a) => (a.actor as { key?: string }).key === 'caseworker-245' && (a.data as { reason?: string }).reason === 'Ritva lämnade in en skriftlig begäran vid servicepunkten')).toBe(true);

      const given = page.getByTestId('people-given');
      const paperItem = given.locator('[data-testid="staff-mandate"][data-source="paper"]', { hasText: await nameOf(P.tuomas) });
      const electronicItem = given.locator('[data-testid="staff-mandate"][data-source="electronic"]', { hasText: await nameOf(P.emily) });
      await paperItem.waitFor();
      await electronicItem.waitFor();
      // Only the paper mandate offers a revoke here (from permittedActions).
      expect(await electronicItem.getByTestId('revoke-paper').count()).toBe(0);
      await axe(page, 'person mandates (sv)');
      await fits360(page, 'person mandates (sv)');

      await paperItem.getByTestId('revoke-paper').click();
      await paperItem.getByTestId('revoke-form').waitFor();
      await page.locator(`[id="receivedOn-${paperId}"]`).fill('30.11.2026');
      await page.locator(`[id="requestReference-${paperId}"]`).fill('KERAVA/2026/91');
      await axe(page, 'revoke form (sv)');
      await paperItem.getByTestId('revoke-confirm').click();
      await page.getByTestId('revoke-done').waitFor();
      await expect.poll(() => focusedTestId(page)).toBe('revoke-done');
      expect(await page.getByTestId('revoke-done').textContent()).toContain(sv.caseworker.people.revokedTitle);
      expect(await paperItem.getByTestId('staff-mandate-status').textContent()).toBe(sv.status.revoked);
      expect(await paperItem.getByTestId('revoke-paper').count()).toBe(0);
      const row = await h.app.ctx.db.selectFrom('mandates').select('status').where('id', '=', paperId).executeTakeFirstOrThrow();
      expect(row.status).toBe('revoked');
      const entry = await h.app.ctx.db.selectFrom('audit_log').select(['data', 'actor']).where('mandate_id', '=', paperId).where('event', '=', 'revoked').executeTakeFirstOrThrow();
      expect(entry.data).toMatchObject({ writtenRequest: { receivedOn: '2026-11-30', reference: 'KERAVA/2026/91' } });
      await axe(page, 'revoked (sv)');
      await fits360(page, 'revoked (sv)');

      for (const code of [P.ritva, P.tuomas, P.emily]) expect(urls.filter((u) => u.includes(code))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('(en) checks a visitor on a page of its own', async () => {
    const { ctx, page } = await openAs(h, 'en', { staff: 'caseworker-753' });
    try {
      await page.goto('/staff');
      await ready(page);
      await page.getByTestId('staff-task-check').click();
      await page.waitForURL((u) => u.pathname === '/staff/check');
      await page.getByRole('heading', { level: 1, name: en.staff.checkHeading }).waitFor();
      await page.getByTestId('check-form').waitFor();
      await axe(page, 'check (en)');
      await page.locator('input#actorId').fill(P.markku);
      await page.locator('input#principalId').fill(P.veikko);
      await page.locator('button#issue_button').click();
      await page.getByRole('option', { name: 'Housing' }).click();
      await page.getByTestId('check-submit').click();
      await page.getByTestId('check-result').waitFor();
      expect(await page.getByTestId('check-result').getAttribute('data-allowed')).toBe('true');
      expect(await page.getByTestId('check-result').textContent()).toContain(en.staff.allowed);
      await axe(page, 'check result (en)');
      await fits360(page, 'check result (en)');
      await page.getByTestId('staff-back').click();
      await page.waitForURL((u) => u.pathname === '/staff');
    } finally {
      await ctx.close();
    }
  });
});
