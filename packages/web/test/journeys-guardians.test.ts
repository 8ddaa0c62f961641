/**
 * Persona journey "guardians" (issue 10, item 10): two guardians and a grandparent, in a real
 * Chromium against a real server, in Finnish, Swedish and English at 1280 and 390 px, each step
 * axe-checked, without sideways scroll and kept as a screenshot (test-artifacts/journeys/guardians/).
 * Sanna gives her father Veikko a mandate in Ella's early childhood education; it waits for Jari.
 * Sanna reads that it waits for Jari and may only withdraw it; Jari reads that Sanna gave it to
 * Veikko and that it waits for his approval, approves it, and a confirmation takes the focus. Once in
 * force, both guardians see it in Ella's section, open it with its log and may revoke it; Jari does.
 * Veikko's own request for Ella is one he may cancel (not "give up"), and to Sanna it is a request to
 * answer (not to revoke). Each run makes its own mandates and finds them by id.
 * A signatory with two roles in a company finds it once (en, both widths).
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { P, person } from '../../server/test/helpers.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { ready, startHarness, type Harness } from './browser.js';
import { openAs } from './journeys.js';
import { LANGS, recorder, WIDTHS, type Width } from './personas.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const DICTS = { fi, sv, en } as const;
type Lang = keyof typeof DICTS;
/** i18next's {{name}} filled in, as the page shows it. */
const fill = (s: string, v: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => v[k] ?? '');
const post = async (who: string, url: string, payload: object) => {
  const r = await h.app.app.inject({ method: 'POST', url, headers: await h.app.as({ person: who }), payload });
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r.json<{ id: string; status: string }>();
};
const statusOf = async (id: string) => (await h.app.ctx.db.selectFrom('mandates').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const cardIn = (page: Page, scope: string, section: string, id: string) =>
  page.locator(`${scope} [data-testid="section-${section}"] [data-testid="mandate"][data-mandate-id="${id}"]`);
/** The actions a card offers, by their test ids without the mandate's id. */
const buttonsOf = async (card: ReturnType<Page['locator']>) => {
  const id = (await card.getAttribute('data-mandate-id'))!;
  return (await card.locator('.actions button').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''))).map((x) => x.replace(`-${id}`, ''));
};
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
// A child's section is found by the child's name: the page carries no identity code (decision 0017).
const ELLA = '[data-testid^="party-"]:has(h3:text-is("Ella Nyström"))';

/** A person's home page in the run's language at the run's width. */
async function homeOf(lang: Lang, width: Width, who: string) {
  const s = await openAs(h, lang, { person: who });
  await s.page.setViewportSize(width);
  await s.page.goto('/');
  await ready(s.page);
  return s;
}

describe('persona journey: two guardians and a grandparent', () => {
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      it(`Sanna's grant in Ella's matters waits for Jari, who approves; both see it in force and Jari revokes it; Veikko's own request is his to cancel (${lang}, ${width.width} px)`, async () => {
        const d = DICTS[lang];
        const rec = recorder('guardians', lang, width);
        /** The verb of a request's story ("pyytää", "ber", "asks"): never in a grant's story. */
        const asks = d.views.story.request.replace('{{agent}} ', '').split(' ')[0]!;
        const words = (text: string | null) => (text ?? '').split(/[\s.,:;]+/);
        const { id } = await post(P.sanna, '/api/v1/mandates', { onBehalfOf: person(P.ella), agent: person(P.veikko), issues: ['early-childhood-education'], validUntil: '2027-12-31' });

        // ---- Sanna: pending in Ella's section, titled with the grandparent, waiting for Jari by name
        const sanna = await homeOf(lang, width, P.sanna);
        const spage = sanna.page;
        const pending = cardIn(spage, ELLA, 'requestsOut', id);
        await pending.waitFor();
        expect(await pending.locator('h5').textContent()).toBe('Veikko Lindholm');
        const story = (await pending.getByTestId('story').textContent())!;
        expect(story).toContain(fill(d.views.story.waitsFor, { names: 'Jari Nyström' }));
        expect(story).toContain(fill(d.views.story.startedGrant, { startedBy: 'Sanna Lindholm', principal: 'Ella Nyström' }));
        expect(await pending.textContent()).not.toContain(d.status.active);
        expect(await buttonsOf(pending)).toEqual(['log', 'withdraw']);
        expect(await spage.locator(ELLA).locator('h3').first().textContent()).toBe('Ella Nyström');
        expect(await spage.content()).not.toContain(P.ella);
        // Nothing of Ella's shows among Sanna's own mandates, nor among what waits for her answer.
        for (const own of ['my-requestsIn', 'my-given', 'my-received', 'my-requestsOut']) expect(await spage.locator(`[aria-labelledby="${own}"] [data-mandate-id="${id}"]`).count()).toBe(0);
        await rec.step(spage, 'sanna-home-pending');

        // ---- Jari: waits for his answer; Sanna gave it to Veikko; approve or refuse, never revoke
        const jari = await homeOf(lang, width, P.jari);
        const jpage = jari.page;
        const toMe = jpage.locator(`[data-testid="section-requestsIn"] [data-mandate-id="${id}"]`);
        await toMe.waitFor();
        expect(await toMe.count()).toBe(1);
        expect(await toMe.locator('h3').textContent()).toBe('Veikko Lindholm');
        expect(await toMe.getByTestId('for-party').textContent()).toBe(fill(d.views.forParty, { name: 'Ella Nyström' }));
        expect(await toMe.getByTestId('story').textContent()).toBe(fill(d.views.story.approveGrant, { startedBy: 'Sanna Lindholm', principal: 'Ella Nyström', agent: 'Veikko Lindholm' }));
        expect(words(await toMe.textContent())).not.toContain(asks);
        expect(await buttonsOf(toMe)).toEqual(['approve', 'refuse', 'log']);
        await rec.step(jpage, 'jari-home-to-approve');
        await jpage.getByTestId(`approve-${id}`).click();
        await jpage.getByTestId(`yes-approve-${id}`).click();
        const note = jpage.getByTestId('action-done');
        await note.waitFor();
        expect(await note.textContent()).toContain(d.views.done.approve);
        expect(await note.textContent()).toContain(d.views.done.approveActive);
        await expect.poll(() => focusedTestId(jpage)).toBe('action-done');
        expect(await statusOf(id)).toBe('active');
        // In force: in Ella's section for Jari, with its details and log and revoke.
        const given = cardIn(jpage, ELLA, 'given', id);
        await given.waitFor();
        expect(await given.getAttribute('data-status')).toBe('active');
        expect(await buttonsOf(given)).toEqual(['log', 'revoke']);
        await rec.step(jpage, 'jari-approved');

        // ---- Sanna sees it in force too, opens it: its log and revoke are there
        await spage.reload();
        await ready(spage);
        const hers = cardIn(spage, ELLA, 'given', id);
        await hers.waitFor();
        expect(await hers.getByTestId('status').textContent()).toBe(d.status.active);
        expect(await buttonsOf(hers)).toEqual(['log', 'revoke']);
        await rec.step(spage, 'sanna-home-in-force', lang === 'en' && width.name === 'laptop' ? { readme: 'home-guardian' } : {});
        await hers.getByTestId(`log-${id}`).click();
        await spage.getByTestId('log-table').waitFor();
        expect(await spage.getByTestId(`revoke-${id}`).count()).toBe(1);
        await rec.step(spage, 'sanna-mandate-log');

        // ---- Jari revokes it from its page; the confirmation takes the focus
        await jpage.goto(`/mandates/${id}`);
        await ready(jpage);
        await jpage.getByTestId(`revoke-${id}`).click();
        expect(await jpage.getByTestId('confirm-revoke').textContent()).toContain(fill(d.views.confirm.revokeTextFor, { name: 'Veikko Lindholm', principal: 'Ella Nyström' }));
        await jpage.getByTestId(`yes-revoke-${id}`).click();
        await jpage.getByTestId('action-done').waitFor();
        expect(await jpage.getByTestId('action-done').textContent()).toContain(fill(d.views.done.revoke, { name: 'Veikko Lindholm' }));
        await expect.poll(() => focusedTestId(jpage)).toBe('action-done');
        await expect.poll(() => jpage.getByTestId('status').first().textContent()).toBe(d.status.revoked);
        expect(await statusOf(id)).toBe('revoked');
        await rec.step(jpage, 'jari-revoked');

        // ---- The grandparent's own request for Ella: to Sanna a request to answer, not to revoke
        const req = await post(P.veikko, '/api/v1/mandate-requests', { principal: person(P.ella), issues: ['culture-and-leisure'], validUntil: '2027-06-30' });
        await spage.goto('/');
        await ready(spage);
        const asked = spage.locator(`[data-testid="section-requestsIn"] [data-mandate-id="${req.id}"]`);
        await asked.waitFor();
        expect(await asked.locator('h3').textContent()).toBe('Veikko Lindholm');
        expect(await asked.getByTestId('story').textContent()).toBe(fill(d.views.story.request, { agent: 'Veikko Lindholm', principal: 'Ella Nyström' }));
        expect(await buttonsOf(asked)).toEqual(['decide', 'log']);
        await rec.step(spage, 'sanna-home-request');

        // ---- Veikko may cancel it (not give it up); the confirmation takes the focus
        const veikko = await homeOf(lang, width, P.veikko);
        const vpage = veikko.page;
        const mine = vpage.locator(`[data-testid="section-requestsOut"] [data-mandate-id="${req.id}"]`);
        await mine.waitFor();
        expect(await mine.locator('h4').textContent()).toBe('Ella Nyström');
        expect(await mine.getByTestId('story').textContent()).toContain(fill(d.views.story.waitsFor, { names: 'Sanna Lindholm, Jari Nyström' }));
        expect(await buttonsOf(mine)).toEqual(['log', 'cancel']);
        expect(await mine.textContent()).not.toContain(d.actions.renounce);
        await rec.step(vpage, 'veikko-home-request');
        await vpage.getByTestId(`cancel-${req.id}`).click();
        await vpage.getByTestId(`yes-cancel-${req.id}`).click();
        await vpage.getByTestId('action-done').waitFor();
        expect(await vpage.getByTestId('action-done').textContent()).toContain(d.views.done.cancel);
        await expect.poll(() => focusedTestId(vpage)).toBe('action-done');
        expect(await statusOf(req.id)).not.toBe('requested');
        // The ended request says it was cancelled — never "given up by the agent", which it never was.
        const ended = vpage.locator(`[data-testid="mandate"][data-mandate-id="${req.id}"] [data-testid="status"]`);
        await expect.poll(() => ended.textContent()).toBe(d.status.cancelledPending);
        await rec.step(vpage, 'veikko-cancelled');
        await Promise.all([sanna.ctx.close(), jari.ctx.close(), veikko.ctx.close()]);
      });
    }
  }
});

describe('a signatory with two roles in a company', () => {
  for (const width of WIDTHS) {
    it(`finds it once with both roles, and its mandates titled by the agent (en, ${width.width} px)`, async () => {
      const rec = recorder('signatory-two-roles', 'en', width);
      const elias = await homeOf('en', width, P.elias);
      const page = elias.page;
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
      await rec.step(page, 'organisations');
      await elias.ctx.close();
    });
  }
});
