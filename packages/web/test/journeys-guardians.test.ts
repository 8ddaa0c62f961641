/**
 * Journey: two guardians and a grandparent, in a real Chromium against a real server. Sanna (in
 * Swedish) gives her father Veikko a mandate in Ella's early childhood education; it waits for Jari.
 * Sanna reads that it waits for Jari and may only withdraw it; Jari (in Finnish) reads that Sanna gave
 * it to Veikko and that it waits for his approval, approves it, and a confirmation takes the focus.
 * Once in force, both guardians see it in Ella's section, open it with its log and may revoke it; Jari
 * does. Veikko's own request for Ella is one he may cancel (not "give up"), and to Sanna it is a
 * request to answer (not to revoke). axe and a 360 px check on the pages visited.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
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

/** i18next's {{name}} filled in, as the page shows it. */
const fill = (s: string, v: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => v[k] ?? '');
const post = async (who: string, url: string, payload: object) => {
  const r = await h.app.app.inject({ method: 'POST', url, headers: await h.app.as({ person: who }), payload });
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r.json<{ id: string; status: string }>();
};
const cardIn = (page: Page, scope: string, section: string, id: string) =>
  page.locator(`${scope} [data-testid="section-${section}"] [data-testid="mandate"][data-mandate-id="${id}"]`);
/** The actions a card offers, by their test ids without the mandate's id. */
const buttonsOf = async (card: ReturnType<Page['locator']>) => {
  const id = (await card.getAttribute('data-mandate-id'))!;
  return (await card.locator('.actions button').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''))).map((x) => x.replace(`-${id}`, ''));
};
const ELLA = `[data-testid="party-${P.ella}"]`;

describe('journey: two guardians and a grandparent', () => {
  it("a grant in Ella's matters: Sanna (sv) reads that it waits for Jari; Jari (fi) approves it; both then see it, its log, and may revoke it", async () => {
    const { id } = await post(P.sanna, '/api/v1/mandates', { onBehalfOf: person(P.ella), agent: person(P.veikko), issues: ['early-childhood-education'], validUntil: '2027-12-31' });

    // ---- Sanna, in Swedish: pending in Ella's section, titled with the grandparent, waiting for Jari by name
    const sanna = await openAs(h, 'sv', { person: P.sanna });
    const spage = sanna.page;
    await spage.goto('/');
    await ready(spage);
    const pending = cardIn(spage, ELLA, 'requestsOut', id);
    await pending.waitFor();
    expect(await pending.locator('h5').textContent()).toBe('Veikko Lindholm');
    const story = (await pending.getByTestId('story').textContent())!;
    expect(story).toContain(fill(sv.views.story.waitsFor, { names: 'Jari Nyström' }));
    expect(story).toContain(fill(sv.views.story.startedGrant, { startedBy: 'Sanna Lindholm', principal: 'Ella Nyström' }));
    expect(await pending.textContent()).not.toContain(sv.status.active);
    expect(await buttonsOf(pending)).toEqual(['log', 'withdraw']);
    expect(await spage.getByTestId(`party-${P.ella}`).locator('h3').first().textContent()).toBe('Ella Nyström');
    // Nothing of Ella's shows among Sanna's own mandates, nor among what waits for her answer.
    for (const own of ['my-requestsIn', 'my-given', 'my-received', 'my-requestsOut']) expect(await spage.locator(`[aria-labelledby="${own}"] [data-mandate-id="${id}"]`).count()).toBe(0);
    await axe(spage, 'home, a pending grant for the child (sv)');
    await fits360(spage, 'home, a pending grant for the child (sv)');

    // ---- Jari, in Finnish: waits for his answer; Sanna gave it to Veikko; approve or refuse, never revoke
    const jari = await openAs(h, 'fi', { person: P.jari });
    const jpage = jari.page;
    await jpage.goto('/');
    await ready(jpage);
    const toMe = jpage.locator(`[data-testid="section-requestsIn"] [data-mandate-id="${id}"]`);
    await toMe.waitFor();
    expect(await toMe.count()).toBe(1);
    expect(await toMe.locator('h3').textContent()).toBe('Veikko Lindholm');
    expect(await toMe.getByTestId('for-party').textContent()).toBe(fill(fi.views.forParty, { name: 'Ella Nyström' }));
    expect(await toMe.getByTestId('story').textContent()).toBe(fill(fi.views.story.approveGrant, { startedBy: 'Sanna Lindholm', principal: 'Ella Nyström', agent: 'Veikko Lindholm' }));
    expect(await toMe.textContent()).not.toContain('pyytää');
    expect(await buttonsOf(toMe)).toEqual(['approve', 'refuse', 'log']);
    await axe(jpage, 'home, a grant waiting for my approval (fi)');
    await fits360(jpage, 'home, a grant waiting for my approval (fi)');
    await jpage.getByTestId(`approve-${id}`).click();
    await jpage.getByTestId(`yes-approve-${id}`).click();
    const note = jpage.getByTestId('action-done');
    await note.waitFor();
    expect(await note.textContent()).toContain(fi.views.done.approve);
    expect(await note.textContent()).toContain(fi.views.done.approveActive);
    await expect.poll(() => jpage.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('action-done');
    await axe(jpage, 'home, approved (fi)');

    // In force: in Ella's section for Jari, with its details and log and revoke.
    const given = cardIn(jpage, ELLA, 'given', id);
    await given.waitFor();
    expect(await given.getAttribute('data-status')).toBe('active');
    expect(await buttonsOf(given)).toEqual(['log', 'revoke']);

    // ---- Sanna sees it in force too, opens it: its log and revoke are there
    await spage.reload();
    await ready(spage);
    const hers = cardIn(spage, ELLA, 'given', id);
    await hers.waitFor();
    expect(await hers.getByTestId('status').textContent()).toBe(sv.status.active);
    expect(await buttonsOf(hers)).toEqual(['log', 'revoke']);
    await hers.getByTestId(`log-${id}`).click();
    await spage.getByTestId('log-table').waitFor();
    expect(await spage.getByTestId(`revoke-${id}`).count()).toBe(1);
    await axe(spage, 'the child’s mandate, its log (sv)');
    await fits360(spage, 'the child’s mandate, its log (sv)');

    // ---- Jari revokes it from its page; the confirmation takes the focus
    await jpage.goto(`/mandates/${id}`);
    await ready(jpage);
    await jpage.getByTestId(`revoke-${id}`).click();
    expect(await jpage.getByTestId('confirm-revoke').textContent()).toContain(fill(fi.views.confirm.revokeTextFor, { name: 'Veikko Lindholm', principal: 'Ella Nyström' }));
    await jpage.getByTestId(`yes-revoke-${id}`).click();
    await jpage.getByTestId('action-done').waitFor();
    expect(await jpage.getByTestId('action-done').textContent()).toContain(fill(fi.views.done.revoke, { name: 'Veikko Lindholm' }));
    await expect.poll(() => jpage.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('action-done');
    await expect.poll(() => jpage.getByTestId('status').first().textContent()).toBe(fi.status.revoked);
    await axe(jpage, 'mandate page, revoked (fi)');
    await Promise.all([sanna.ctx.close(), jari.ctx.close()]);
  });

  it("the grandparent's request: he may cancel it, not give it up; to Sanna it is a request to answer, not to revoke", async () => {
    const { id } = await post(P.veikko, '/api/v1/mandate-requests', { principal: person(P.ella), issues: ['culture-and-leisure'], validUntil: '2027-06-30' });

    const sanna = await openAs(h, 'sv', { person: P.sanna });
    const spage = sanna.page;
    await spage.goto('/');
    await ready(spage);
    const toMe = spage.locator(`[data-testid="section-requestsIn"] [data-mandate-id="${id}"]`);
    await toMe.waitFor();
    expect(await toMe.locator('h3').textContent()).toBe('Veikko Lindholm');
    expect(await toMe.getByTestId('story').textContent()).toBe(fill(sv.views.story.request, { agent: 'Veikko Lindholm', principal: 'Ella Nyström' }));
    expect(await buttonsOf(toMe)).toEqual(['decide', 'log']);
    await axe(spage, 'home, a request for the child (sv)');

    const veikko = await openAs(h, 'fi', { person: P.veikko });
    const vpage = veikko.page;
    await vpage.goto('/');
    await ready(vpage);
    const mine = vpage.locator(`[data-testid="section-requestsOut"] [data-mandate-id="${id}"]`);
    await mine.waitFor();
    expect(await mine.locator('h4').textContent()).toBe('Ella Nyström');
    expect(await mine.getByTestId('story').textContent()).toContain(fill(fi.views.story.waitsFor, { names: 'Sanna Lindholm, Jari Nyström' }));
    expect(await buttonsOf(mine)).toEqual(['log', 'cancel']);
    expect(await mine.textContent()).not.toContain(fi.actions.renounce);
    await fits360(vpage, 'home, my request (fi)');
    await vpage.getByTestId(`cancel-${id}`).click();
    await vpage.getByTestId(`yes-cancel-${id}`).click();
    await vpage.getByTestId('action-done').waitFor();
    expect(await vpage.getByTestId('action-done').textContent()).toContain(fi.views.done.cancel);
    await expect.poll(() => vpage.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('action-done');
    await axe(vpage, 'home, request cancelled (fi)');
    await Promise.all([sanna.ctx.close(), veikko.ctx.close()]);
  });

  it('a signatory with two roles in a company finds it once with both roles, and its mandates titled by the agent (en)', async () => {
    const elias = await openAs(h, 'en', { person: P.elias });
    const page = elias.page;
    await page.goto('/');
    await ready(page);
    await page.getByTestId('on-behalf').waitFor();
    await page.getByRole('link', { name: fill(en.views.organisationLink, { name: 'Eliaksen Puutyö Oy' }) }).click();
    await page.waitForURL(/\/organisations/);
    const puutyo = page.locator('[data-testid="org-4567891-5"]');
    await puutyo.waitFor();
    expect(await puutyo.count()).toBe(1);
    const roles = (await puutyo.getByTestId('org-roles').textContent())!;
    expect(roles).toContain(en.roles.ceo);
    expect(roles).toContain(en.roles['board-chair']);
    const card = puutyo.locator('[data-testid="section-given"] [data-mandate-id="puutyo-noora"]');
    await card.waitFor();
    expect(await card.locator('h4').textContent()).toBe('Noora Korhonen');
    expect(await buttonsOf(card)).toEqual(['log', 'revoke']);
    // The association where he has no signing right: once, his role, no mandates and no grant button.
    const assoc = page.locator('[data-testid="org-3456780-6"]');
    expect(await assoc.count()).toBe(1);
    expect(await assoc.getByTestId('org-roles').textContent()).toContain(en.org.signing.none);
    expect(await assoc.locator('[data-testid^="section-"]').count()).toBe(0);
    expect(await assoc.locator('[data-testid^="grant-for-"]').count()).toBe(0);
    await axe(page, 'organisations (en)');
    await fits360(page, 'organisations (en)');
    await elias.ctx.close();
  });
});
