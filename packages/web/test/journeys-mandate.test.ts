/**
 * Journey (d), in a real Chromium against a real server with the channels' simulators: Kari (in Finnish)
 * acts for his mother Aino with no mandate — resident parking in Kerava. The edit page says which
 * mandate is needed; sending asks Aino for it and the errand waits; Aino (in Swedish) approves the
 * request among her requests; Kari's errand goes to processing by itself; the caseworker of Kerava
 * (in English) decides; Aino, who prefers paper, gets a letter that an errand done on her behalf was
 * processed. axe on every page visited.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { ready, startHarness, type Harness } from './browser.js';
import { actionsOn, axe, openAs, saveExample, startedErrandId } from './journeys.js';

let h: Harness;
beforeAll(async () => {
  // The simulators receive what the outbox delivers; the worker is drained by the test.
  h = await startHarness({ simulators: true });
});
afterAll(async () => {
  await h?.close();
});

describe('journey: acting for someone with no mandate yet (situation A, Kerava)', () => {
  it('Kari applies for resident parking for Aino; Aino approves the mandate; the errand goes on by itself; the caseworker decides; Aino gets a letter', async () => {
    // ---- Kari, in Finnish: no right yet, the page says which mandate is needed ---------------------------
    const kari = await openAs(h, 'fi', { person: P.kari });
    const page = kari.page;
    await page.goto('/errands/new?municipality=245&service=resident-parking');
    await ready(page);
    await page.getByTestId('errand-start-form').waitFor();
    await page.locator('#subject-other').check({ force: true });
    await page.locator('#otherId').fill(P.aino);
    await axe(page, 'start page, someone else (fi)');
    await page.getByTestId('errand-start').click();
    const id = await startedErrandId(page);
    const needed = page.getByTestId('mandate-needed');
    await needed.waitFor();
    expect(await page.getByTestId('errand-basis').textContent()).toBe('Kari Mäkelä – ei vielä oikeutta toimia puolesta (Aino Mäkelä)');
    expect(await needed.textContent()).toContain(fi.errands.mandateNeeded.title);
    expect(await needed.textContent()).toContain('Aino Mäkelä');
    expect(await needed.textContent()).toContain(fi.errands.mandateNeeded.longTerm);
    expect(await needed.textContent()).toContain(fi.errands.mandateNeeded.whenSent);
    // The matter the mandate covers, in words.
    expect(await needed.textContent()).toMatch(/Valtuus koskee näitä asioita: .+\./);
    // Her identity code is in no address the browser went to.
    expect(page.url()).not.toContain(P.aino);
    await axe(page, 'edit page, mandate needed (fi)');

    await saveExample(h, id, P.kari, 'resident-parking');
    await page.reload();
    await page.getByTestId('errand-review-button').click();
    await page.getByTestId('errand-review').waitFor();
    await axe(page, 'review, mandate needed (fi)');
    await page.getByTestId('errand-send').click();
    const sent = page.getByTestId('errand-sent');
    await sent.waitFor();
    expect(await sent.getAttribute('data-status')).toBe('awaiting-mandate');
    expect(await sent.textContent()).toContain('Aino Mäkelä');
    await axe(page, 'sent, mandate asked (fi)');
    await page.getByTestId('to-errand').click();
    await page.getByTestId('errand-status').waitFor();
    expect(await page.getByTestId('errand-status').getAttribute('data-status')).toBe('awaiting-mandate');
    expect(await page.getByTestId('errand-status').textContent()).toContain(fi.errands.status['awaiting-mandate']);
    expect(await page.getByTestId('errand-expected').textContent()).toContain(fi.errands.expected['wait-for-mandate']);
    expect(await page.getByTestId('mandate-needed').textContent()).toContain(fi.errands.mandateNeeded.asked);
    await axe(page, 'errand page, waiting for the mandate (fi)');

    // ---- Aino, in Swedish: the request waits for her answer; she approves it ------------------------------
    const aino = await openAs(h, 'sv', { person: P.aino });
    const apage = aino.page;
    await apage.goto('/');
    await ready(apage);
    const request = apage.locator('[data-testid="section-requestsIn"] [data-testid="mandate"]').filter({ hasText: 'Kari Mäkelä' });
    await request.waitFor();
    expect(await request.count()).toBe(1);
    expect(await request.getAttribute('data-status')).toBe('requested');
    await axe(apage, 'home with a request (sv)');
    await request.locator('[data-testid^="decide-"]').click();
    await apage.getByTestId('decide-form').waitFor();
    await ready(apage);
    expect(await apage.locator('main').textContent()).toContain('Kari Mäkelä');
    // Aino reads which errand the request is for, in Swedish, with a way to it.
    const forErrand = apage.getByTestId('request-for-errand');
    expect(await forErrand.textContent()).toMatch(/Begäran kom från ärendet PA-[A-Z0-9]{8}: .+ \(Kervo\)/);
    expect(await forErrand.getByRole('link').getAttribute('href')).toMatch(/^\/errands\//);
    // The date asked for is there from the start; the calendar button names it in Swedish too.
    expect(await apage.locator('#validUntil').inputValue()).toBe('1.12.2027');
    expect(await apage.locator('main').textContent()).not.toMatch(/Valitse päivämäärä|Valittu päivä/);
    await apage.getByRole('button', { name: /^Välj datum, Valt datum 1 / }).waitFor();
    await axe(apage, 'decision page for the mandate (sv)');
    await apage.getByTestId('approve').click();
    const granted = apage.getByTestId('done');
    await granted.waitFor();
    expect(await granted.textContent()).toContain(sv.decide.doneActive.replace('{{name}}', 'Kari Mäkelä'));
    await axe(apage, 'mandate granted (sv)');

    // ---- Kari: the errand went to processing by itself ---------------------------------------------------
    await page.reload();
    await page.getByTestId('errand-status').waitFor();
    expect(await page.getByTestId('errand-status').getAttribute('data-status')).toBe('submitted');
    expect(await page.getByTestId('errand-status').textContent()).toContain(fi.errands.status.submitted);
    expect(await page.getByTestId('errand-basis').textContent()).toBe('Kari Mäkelä, valtuutettu (valtuuttaja Aino Mäkelä)');
    expect(await page.getByTestId('mandate-needed').count()).toBe(0);
    expect(await page.getByTestId('errand-events').textContent()).toContain(fi.errands.events.submitted);
    await axe(page, 'errand page, submitted (fi)');
    await kari.ctx.close();

    // ---- the caseworker of Kerava, in English: the decision ----------------------------------------------
    const staff = await openAs(h, 'en', { staff: 'caseworker-245' });
    const spage = staff.page;
    await spage.goto('/staff/errands');
    await ready(spage);
    const row = spage.locator(`[data-testid="queue-item"][data-errand-id="${id}"]`);
    await row.waitFor();
    await axe(spage, 'queue (en)');
    await row.getByTestId('queue-open').click();
    await spage.getByTestId('errand-action-decide').click();
    await spage.locator('#decide-approved').check({ force: true });
    await spage.locator('#decide-text').fill('A resident parking permit for zone A, valid until 31 December 2027.');
    await axe(spage, 'decision form (en)');
    await spage.getByTestId('decide-continue').click();
    await spage.getByTestId('decide-review').waitFor();
    expect(await spage.getByTestId('decide-review-outcome').textContent()).toBe(en.errands.decision.approved);
    await spage.getByTestId('decide-confirm').click();
    await spage.getByTestId('errand-done').waitFor();
    expect(await spage.getByTestId('errand-status').getAttribute('data-status')).toBe('decided');
    await axe(spage, 'decided, staff (en)');
    await staff.ctx.close();

    // ---- Aino: the errand that concerns her, decided; and a letter on paper --------------------------------
    await apage.goto('/errands');
    await ready(apage);
    const card = apage.locator(`[data-testid="errand-card"][data-errand-id="${id}"]`);
    await card.waitFor();
    expect(await card.getByTestId('errand-card-decision').getAttribute('data-outcome')).toBe('approved');
    expect(await card.getByTestId('errand-card-decision').textContent()).toContain(sv.errands.decision.approved);
    await axe(apage, 'my errands, decided (sv)');
    await card.getByRole('link').click();
    const decision = apage.getByTestId('errand-decision');
    await decision.waitFor();
    expect(await decision.textContent()).toContain('A resident parking permit for zone A');
    expect(await actionsOn(apage)).toEqual(['errand-action-download-summary']);
    await axe(apage, 'errand page, decided (sv)');
    await aino.ctx.close();

    await h.app.worker.drain();
    const letters = h.app.simulators!.print.jobs().filter((j) => j.recipientName === 'Aino Mäkelä' && /^Puolestasi hoidettu/.test(j.subject));
    expect(letters.map((j) => j.subject)).toEqual([expect.stringMatching(/^Puolestasi hoidettu asia hyväksyttiin: /)]);
    expect(letters[0]!.municipality).toBe('245');
    expect(letters[0]!.pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }, 180_000);
});
