/**
 * Journey (e), in a real Chromium against a real server: the association's grant needs two joint
 * signatories. Markku (in Finnish), the chair, applies for Sipoon Kyläyhdistys ry in Sipoo; the errand
 * waits for signatures; Sanna (in Swedish), the secretary who signs jointly with him, finds it waiting
 * for her signature and signs it; the errand goes to processing; Markku sees the association signed.
 * Elias, a board member without signing rights, sees nothing of it. axe on every page visited.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { ready, startHarness, type Harness } from './browser.js';
import { actionsOn, axe, openAs, saveExample, startedErrandId } from './journeys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("journey: the association's grant needs two joint signatories (Sipoo)", () => {
  it('Markku applies for the association; Sanna signs in Swedish; the errand goes to processing', async () => {
    // ---- Markku, in Finnish: for the association, on the basis of his role -------------------------------
    const markku = await openAs(h, 'fi', { person: P.markku });
    const page = markku.page;
    await page.goto('/services');
    await ready(page);
    await page.getByTestId('start-association-grant').click();
    await page.getByTestId('errand-start-form').waitFor();
    await ready(page);
    await axe(page, 'start page (fi)');
    await page.getByRole('radio', { name: 'Sipoon Kyläyhdistys ry' }).check({ force: true });
    await page.getByTestId('errand-start').click();
    const id = await startedErrandId(page);
    await page.getByTestId('errand-edit-form').waitFor();
    expect(await page.getByTestId('errand-subject').textContent()).toBe('Sipoon Kyläyhdistys ry');
    expect(await page.getByTestId('errand-basis').textContent()).toBe('Markku Lindholm, nimenkirjoittaja (Sipoon Kyläyhdistys ry)');
    // The association signs: with Markku, another joint signatory must sign.
    const assoc = page.getByTestId('party-0');
    expect(await assoc.textContent()).toContain('Sipoon Kyläyhdistys ry');
    expect(await assoc.textContent()).toContain(fi.errands.ask.sign);
    expect(await page.locator('[data-testid^="party-"]').count()).toBe(1);
    await axe(page, 'edit page (fi)');

    await saveExample(h, id, P.markku, 'association-grant');
    await page.reload();
    await page.getByTestId('errand-review-button').click();
    await page.getByTestId('errand-review').waitFor();
    await axe(page, 'review (fi)');
    await page.getByTestId('errand-send').click();
    const sent = page.getByTestId('errand-sent');
    await sent.waitFor();
    expect(await sent.getAttribute('data-status')).toBe('awaiting-signatures');
    expect(await page.locator('#errand-sent-title').textContent()).toBe(fi.errands.sent['title_awaiting-signatures']);
    await axe(page, 'sent (fi)');
    await page.getByTestId('to-errand').click();
    await page.getByTestId('errand-status').waitFor();
    expect(await page.getByTestId('errand-status').getAttribute('data-status')).toBe('awaiting-signatures');
    expect(await page.getByTestId('errand-status').textContent()).toContain(fi.errands.status['awaiting-signatures']);
    // Markku's signature came with sending: the association has signed in part, and waits for another signatory.
    expect(await page.getByTestId('party-0').getAttribute('data-response')).toBe('pending');
    expect(await page.getByTestId('party-0').getAttribute('data-partly')).toBe('true');
    expect(await page.getByTestId('party-0').textContent()).toContain(fi.errands.parties.partly_sign);
    expect(await page.getByTestId('party-0').textContent()).not.toContain(fi.errands.response.pending);
    // He is not asked to sign again.
    expect(await page.getByTestId('errand-action-sign').count()).toBe(0);
    await axe(page, 'errand page, waiting for signatures (fi)');

    // ---- Elias, a board member without signing rights: not a party, sees nothing ------------------------
    const elias = await openAs(h, 'fi', { person: P.elias });
    await elias.page.goto('/errands');
    await ready(elias.page);
    await elias.page.getByText(fi.errands.mine.empty).waitFor();
    expect(await elias.page.locator(`[data-testid="errand-card"][data-errand-id="${id}"]`).count()).toBe(0);
    await axe(elias.page, 'my errands, not a party (fi)');
    await elias.ctx.close();

    // ---- Sanna, in Swedish: the association's errand waits for her signature --------------------------
    const sanna = await openAs(h, 'sv', { person: P.sanna });
    const spage = sanna.page;
    await spage.goto('/');
    await ready(spage);
    await spage.getByTestId('nav-errands').click();
    const card = spage.locator(`[data-testid="errand-card"][data-errand-id="${id}"]`);
    await card.waitFor();
    await ready(spage);
    expect(await card.getAttribute('data-expected')).toBe('sign');
    expect(await card.getByTestId('errand-card-expected').textContent()).toContain(sv.errands.expected.sign);
    expect(await card.getByTestId('errand-card-response').textContent()).toContain('Sipoon Kyläyhdistys ry');
    await axe(spage, 'my errands (sv)');
    await card.getByRole('link').click();
    await spage.getByTestId('errand-status').waitFor();
    expect(await spage.getByTestId('errand-expected').textContent()).toContain(sv.errands.expected.sign);
    expect(await spage.getByTestId('errand-basis').textContent()).toContain('Markku Lindholm');
    expect(await spage.getByTestId('party-0').textContent()).toContain(sv.errands.parties.partly_sign);
    expect(await actionsOn(spage)).toEqual(['errand-action-sign', 'errand-action-decline', 'errand-action-download-summary']);
    await axe(spage, 'errand page, signature asked (sv)');

    await spage.getByTestId('errand-action-sign').click();
    const confirm = spage.getByTestId('answer-confirm');
    await confirm.waitFor();
    expect(await spage.evaluate(() => document.activeElement?.id)).toBe('answer-dialog-title');
    expect(await spage.locator('#answer-dialog-title').textContent()).toBe(sv.errands.answer.title_sign);
    expect(await confirm.textContent()).toBe(sv.errands.answer.confirm_sign);
    await axe(spage, 'sign dialog (sv)');
    await confirm.click();
    const done = spage.getByTestId('errand-done');
    await done.waitFor();
    expect(await done.getAttribute('data-done')).toBe('signed');
    expect(await done.textContent()).toBe(sv.errands.done.signed);
    expect(await spage.getByTestId('errand-status').getAttribute('data-status')).toBe('submitted');
    expect(await spage.getByTestId('errand-status').textContent()).toContain(sv.errands.status.submitted);
    expect(await spage.getByTestId('party-0').getAttribute('data-response')).toBe('signed');
    expect(await spage.getByTestId('party-0').getAttribute('data-partly')).toBeNull();
    expect(await spage.getByTestId('party-0').textContent()).toContain(sv.errands.response.signed);
    expect(await actionsOn(spage)).toEqual(['errand-action-download-summary']);
    await axe(spage, 'signed (sv)');
    await sanna.ctx.close();

    // ---- Markku: the association signed, the errand is being processed --------------------------------
    await page.reload();
    await page.getByTestId('errand-status').waitFor();
    expect(await page.getByTestId('errand-status').getAttribute('data-status')).toBe('submitted');
    expect(await page.getByTestId('party-0').getAttribute('data-response')).toBe('signed');
    expect(await page.getByTestId('party-0').textContent()).toContain(fi.errands.response.signed);
    expect(await page.getByTestId('errand-expected').textContent()).toContain(fi.errands.expected['wait-for-decision']);
    await axe(page, 'errand page, submitted (fi)');
    await markku.ctx.close();
  }, 180_000);
});
