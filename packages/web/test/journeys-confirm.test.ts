/**
 * Journey (b), in a real Chromium against a real server: in Espoo the other guardian must confirm
 * (early childhood education, policy alone+confirm). Linnea (in Finnish) applies for Saga through the
 * form; the errand waits for confirmations; Niko (in Swedish) finds it among his errands as waiting for
 * his confirmation, reads it and confirms it in the dialog; the errand goes to processing; Linnea sees
 * that Niko confirmed. axe on every page visited.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { ready, startHarness, type Harness } from './browser.js';
import { actionsOn, axe, openAs, startedErrandId } from './journeys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('journey: the other guardian must confirm (Espoo)', () => {
  it('Linnea applies for Saga; Niko confirms in Swedish; the errand goes to processing and Linnea sees it confirmed', async () => {
    // ---- Linnea, in Finnish: from the services of Espoo to the errand waiting for confirmations --------
    const linnea = await openAs(h, 'fi', { person: P.linnea });
    const page = linnea.page;
    await page.goto('/errands/new?municipality=049&service=ece-application');
    await ready(page);
    await page.getByTestId('errand-start-form').waitFor();
    await axe(page, 'start page (fi)');
    await page.getByRole('radio', { name: 'Saga Uusitalo' }).check({ force: true });
    await page.getByTestId('errand-start').click();
    const id = await startedErrandId(page);
    await page.getByTestId('errand-edit-form').waitFor();
    expect(await page.getByTestId('errand-basis').textContent()).toBe('Linnea Uusitalo, huoltaja (lapsi Saga Uusitalo)');
    // Niko, the other guardian, will be asked to confirm; nothing is asked of him before sending.
    const nikoRow = page.getByTestId('party-0');
    expect(await nikoRow.textContent()).toContain('Niko Uusitalo');
    expect(await nikoRow.textContent()).toContain(fi.errands.ask.confirm);
    expect(await nikoRow.textContent()).toContain(fi.errands.parties.notYetAsked);
    await axe(page, 'edit page (fi)');

    // The form, filled in as a guardian does.
    await page.locator('#errand-startDate-input').fill('1.8.2027');
    await page.locator('#errand-careForm-opt-0').check({ force: true });
    await page.locator('#errand-dailyHours-input').fill('7');
    await page.locator('#errand-daysPerWeek-input').fill('5');
    await page.locator('#errand-languageOfCare-opt-0').check({ force: true });
    await page.locator('#errand-preferredUnits-add').click();
    await page.locator('#errand-preferredUnits-0-input').fill('Päiväkoti Tapiola');
    await page.locator('#errand-specialNeeds-no').check({ force: true });
    await expect.poll(() => page.getByTestId('autosave').getAttribute('data-state'), { timeout: 5000 }).toBe('saved');

    await page.getByTestId('errand-review-button').click();
    await page.getByTestId('errand-review').waitFor();
    expect(await page.getByTestId('errand-form-readonly').textContent()).toContain('Päiväkoti Tapiola');
    await axe(page, 'review (fi)');
    await page.getByTestId('errand-send').click();
    const sent = page.getByTestId('errand-sent');
    await sent.waitFor();
    expect(await sent.getAttribute('data-status')).toBe('awaiting-confirmations');
    expect(await page.locator('#errand-sent-title').textContent()).toBe(fi.errands.sent['title_awaiting-confirmations']);
    await axe(page, 'sent (fi)');

    await page.getByTestId('to-errand').click();
    const status = page.getByTestId('errand-status');
    await status.waitFor();
    expect(await status.getAttribute('data-status')).toBe('awaiting-confirmations');
    expect(await status.textContent()).toContain(fi.errands.status['awaiting-confirmations']);
    expect(await page.getByTestId('errand-expected').textContent()).toContain(fi.errands.expected['wait-for-parties']);
    expect(await page.getByTestId('party-0').getAttribute('data-response')).toBe('pending');
    // The applicant does not confirm her own errand.
    expect(await page.getByTestId('errand-action-confirm').count()).toBe(0);
    await axe(page, 'errand page, waiting (fi)');

    // ---- Niko, in Swedish: waiting for his confirmation --------------------------------------------------
    const niko = await openAs(h, 'sv', { person: P.niko });
    const npage = niko.page;
    await npage.goto('/');
    await ready(npage);
    await npage.getByTestId('nav-errands').click();
    const card = npage.locator(`[data-testid="errand-card"][data-errand-id="${id}"]`);
    await card.waitFor();
    await ready(npage);
    expect(await card.getAttribute('data-expected')).toBe('confirm');
    expect(await card.getByTestId('errand-card-expected').textContent()).toContain(sv.errands.expected.confirm);
    expect(await card.getByTestId('errand-card-response').textContent()).toContain(sv.errands.response.pending);
    expect(await npage.getByTestId('errands-count').textContent()).toBe(sv.errands.mine.count_one.replace('{{count}}', '1').replace('{{waiting}}', '1'));
    await axe(npage, 'my errands (sv)');
    await card.getByRole('link').click();
    await npage.getByTestId('errand-status').waitFor();
    expect(await npage.getByTestId('errand-expected').textContent()).toContain(sv.errands.expected.confirm);
    expect(await npage.getByTestId('errand-basis').textContent()).toContain('Linnea Uusitalo');
    // Confirm or decline: he is asked to confirm, not to sign; the errand is not his to change.
    expect(await actionsOn(npage)).toEqual(['errand-action-confirm', 'errand-action-decline', 'errand-action-download-summary']);
    expect(await npage.getByTestId('errand-action-confirm').textContent()).toBe(sv.errands.actions.confirm);
    await axe(npage, 'errand page, confirm asked (sv)');

    await npage.getByTestId('errand-action-confirm').click();
    const confirm = npage.getByTestId('answer-confirm');
    await confirm.waitFor();
    expect(await npage.evaluate(() => document.activeElement?.id)).toBe('answer-dialog-title');
    expect(await npage.locator('#answer-dialog-title').textContent()).toBe(sv.errands.answer.title_confirm);
    expect(await confirm.textContent()).toBe(sv.errands.answer.confirm_confirm);
    expect(await npage.getByTestId('errand-form-readonly').last().textContent()).toContain('Päiväkoti Tapiola');
    await axe(npage, 'confirm dialog (sv)');
    await confirm.click();
    const done = npage.getByTestId('errand-done');
    await done.waitFor();
    expect(await done.getAttribute('data-done')).toBe('confirmed');
    expect(await done.textContent()).toBe(sv.errands.done.confirmed);
    expect(await npage.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('errand-done');
    expect(await npage.getByTestId('errand-status').getAttribute('data-status')).toBe('submitted');
    expect(await npage.getByTestId('errand-status').textContent()).toContain(sv.errands.status.submitted);
    expect(await npage.getByTestId('party-0').getAttribute('data-response')).toBe('confirmed');
    expect(await npage.getByTestId('party-0').textContent()).toContain(sv.errands.response.confirmed);
    // Answered: nothing more to confirm or decline.
    expect(await actionsOn(npage)).toEqual(['errand-action-download-summary']);
    await axe(npage, 'confirmed (sv)');
    await niko.ctx.close();

    // ---- Linnea sees Niko's confirmation ---------------------------------------------------------------
    await page.reload();
    await page.getByTestId('errand-status').waitFor();
    expect(await page.getByTestId('errand-status').getAttribute('data-status')).toBe('submitted');
    expect(await page.getByTestId('errand-status').textContent()).toContain(fi.errands.status.submitted);
    const row = page.getByTestId('party-0');
    expect(await row.getAttribute('data-response')).toBe('confirmed');
    expect(await row.textContent()).toContain(fi.errands.response.confirmed);
    expect(await page.getByTestId('errand-events').textContent()).toContain(fi.errands.events.submitted);
    await axe(page, 'errand page, confirmed (fi)');
    await page.goto('/errands');
    const mine = page.locator(`[data-testid="errand-card"][data-errand-id="${id}"]`);
    await mine.waitFor();
    expect(await mine.getAttribute('data-status')).toBe('submitted');
    expect(await mine.getByTestId('errand-card-expected').textContent()).toContain(fi.errands.expected['wait-for-decision']);
    await axe(page, 'my errands (fi)');
    await linnea.ctx.close();
  }, 180_000);
});
