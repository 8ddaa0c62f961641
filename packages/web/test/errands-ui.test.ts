/**
 * Errands in the portal, in a real Chromium against a real server (situation C, notify, in Sipoo):
 * Sanna (in Swedish) starts an early childhood education application for Ella from the services page,
 * fills in the required fields through the form, sees it saved as she goes, reviews and sends it; Jari
 * (in Finnish) finds it among his errands, told of it; the caseworker of Sipoo (in English) finds it in
 * the queue and decides; Sanna reads the decision. axe on every page visited; the errand page and the
 * edit page at 360 px do not scroll sideways.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FORMS } from '../../server/src/forms/forms.js';
import { P } from '../../server/test/helpers.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe, fits360 } from './journeys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});


/** At 360 px nothing sticks out sideways; back to the wide view after. */

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.id ?? '');

describe('an errand from start to decision', () => {
  it('Sanna applies for Ella, Jari is told, the caseworker decides, Sanna reads the decision', async () => {
    // ---- Sanna, in Swedish: from the services page to the draft ----------------------------------
    const sanna = await h.context({ lang: 'sv', who: { person: P.sanna } });
    const page = await sanna.newPage();
    await page.goto('/services');
    await ready(page);
    await page.locator('[data-testid="service"][data-code="ece-application"]').waitFor();
    await page.getByTestId('start-ece-application').click();
    await page.getByTestId('errand-start-form').waitFor();
    await ready(page);
    await axe(page, 'start page (sv)');
    page.setDefaultTimeout(10_000);
    // Whom it concerns: Ella, Sanna's child, on the basis of guardianship.
    const ella = page.getByRole('radio', { name: 'Ella Nyström' });
    await ella.check({ force: true });
    // Nothing chosen would be refused in Swedish; Ella is chosen, so on.
    await page.getByTestId('errand-start').click();
    await page.waitForURL(/\/errands\/[^/]+\/edit$/);
    const id = /\/errands\/([^/]+)\/edit$/.exec(page.url())![1]!;
    await page.getByTestId('errand-edit-form').waitFor();

    // The basis and the parties, before anything is sent.
    expect(await page.getByTestId('errand-basis').textContent()).toBe('Sanna Lindholm, vårdnadshavare för Ella Nyström');
    const jari = page.getByTestId('party-0');
    expect(await jari.textContent()).toContain('Jari Nyström');
    expect(await jari.textContent()).toContain(sv.errands.ask.notify);
    expect(await page.getByTestId('mandate-needed').count()).toBe(0);
    await axe(page, 'edit page (sv)');

    // Review with nothing filled in: the required fields are listed and focus goes to the list.
    await page.getByTestId('errand-review-button').click();
    await page.getByTestId('errand-errors').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? '')).toBe('errand-errors-title');
    await axe(page, 'edit page with missing fields (sv)');

    // The required fields, through the form.
    await page.locator('#errand-startDate-input').fill('9.8.2027');
    await page.locator('#errand-careForm-opt-0').check({ force: true });
    await page.locator('#errand-dailyHours-input').fill('8');
    await page.locator('#errand-daysPerWeek-input').fill('5');
    await page.locator('#errand-languageOfCare-opt-1').check({ force: true });
    await page.locator('#errand-preferredUnits-add').click();
    await page.locator('#errand-preferredUnits-0-input').fill('Kartanon daghem');
    await page.locator('#errand-specialNeeds-no').check({ force: true });

    // Saved as she goes, said in a polite live region.
    const autosave = page.getByTestId('autosave');
    await expect.poll(() => autosave.getAttribute('data-state'), { timeout: 5000 }).toBe('saved');
    expect(await autosave.getAttribute('aria-live')).toBe('polite');
    expect(await autosave.textContent()).toMatch(/^Sparat \d{1,2}[.:]\d{2}$/);
    const saved = await h.app.app.inject({ method: 'GET', url: `/api/v1/errands/${id}`, headers: await h.app.as({ person: P.sanna }) });
    expect(saved.json().data).toMatchObject({ startDate: '2027-08-09', careForm: 'daycare-centre', dailyHours: 8, daysPerWeek: 5, languageOfCare: 'sv', preferredUnits: ['Kartanon daghem'], specialNeeds: false });
    await fits360(page, 'edit page (sv)');

    // Review and send: one Idempotency-Key per review, and the confirmation takes focus.
    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith(`/api/v1/errands/${id}/submit`)) keys.push(r.headers()['idempotency-key'] ?? '');
    });
    await page.getByTestId('errand-review-button').click();
    await page.getByTestId('errand-review').waitFor();
    expect(await page.getByTestId('errand-form-readonly').textContent()).toContain('Kartanon daghem');
    await axe(page, 'review (sv)');
    await page.getByTestId('errand-send').click();
    const sent = page.getByTestId('errand-sent');
    await sent.waitFor();
    expect(await sent.getAttribute('data-status')).toBe('submitted');
    expect(await sent.textContent()).toContain(sv.errands.sent.text_submitted);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('errand-sent-title');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await axe(page, 'sent (sv)');

    // The errand page: status in words, Jari told, no action but the summary and withdrawing.
    await page.getByTestId('to-errand').click();
    await page.getByTestId('errand-status').waitFor();
    expect(await page.getByTestId('errand-status').getAttribute('data-status')).toBe('submitted');
    expect(await page.getByTestId('errand-status').textContent()).toContain(sv.errands.status.submitted);
    expect(await page.getByTestId('party-0').getAttribute('data-response')).toBe('notified');
    expect(await page.getByTestId('errand-action-edit').count()).toBe(0);
    expect(await page.getByTestId('errand-action-withdraw').count()).toBe(1);
    expect(await page.locator('[data-testid="errand-action-download-summary"] a').getAttribute('href')).toBe(`/api/v1/errands/${id}/summary.pdf?lang=sv`);
    expect(await page.getByTestId('errand-events').textContent()).toContain(sv.errands.events.sent);
    await axe(page, 'errand page (sv)');
    await fits360(page, 'errand page (sv)');
    await sanna.close();

    // ---- Jari, in Finnish: in his errands, told ---------------------------------------------------
    const jariCtx = await h.context({ lang: 'fi', who: { person: P.jari } });
    const jpage = await jariCtx.newPage();
    jpage.setDefaultTimeout(10_000);
    await jpage.goto('/');
    await ready(jpage);
    await jpage.getByTestId('nav-errands').click();
    const card = jpage.locator(`[data-testid="errand-card"][data-errand-id="${id}"]`);
    await card.waitFor();
    expect(await card.getByTestId('errand-card-response').getAttribute('data-response')).toBe('notified');
    expect(await card.getByTestId('errand-card-response').textContent()).toContain(fi.errands.response.notified);
    expect(await card.getByTestId('errand-card-expected').textContent()).toContain(fi.errands.expected['wait-for-decision']);
    await axe(jpage, 'my errands (fi)');
    await card.getByRole('link').click();
    await jpage.getByTestId('errand-status').waitFor();
    expect(await jpage.getByTestId('errand-basis').textContent()).toBe('Sanna Lindholm, huoltaja (lapsi Ella Nyström)');
    // Jari may only read it.
    expect(await jpage.locator('[data-testid^="errand-action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['errand-action-download-summary']);
    await axe(jpage, 'errand page for a party (fi)');
    // The message that told him links to the errand.
    await jpage.getByTestId('nav-messages').click();
    const told = jpage.locator('[data-testid="message"]').first();
    await told.waitFor();
    await told.getByRole('button').first().click();
    await told.getByTestId('message-errand').click();
    await jpage.waitForURL(new RegExp(`/errands/${id}$`));
    await jpage.getByTestId('errand-status').waitFor();
    await jariCtx.close();

    // ---- the caseworker of Sipoo, in English: the queue, the decision -----------------------------
    const staff = await h.context({ lang: 'en', who: { staff: 'caseworker-753' } });
    const spage = await staff.newPage();
    spage.setDefaultTimeout(10_000);
    await spage.goto('/');
    await ready(spage);
    await spage.getByTestId('nav-staff-errands').click();
    const row = spage.locator(`[data-testid="queue-item"][data-errand-id="${id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('queue-age').textContent()).toBe('0 days');
    await axe(spage, 'queue (en)');
    await fits360(spage, 'queue (en)');
    await row.getByTestId('queue-open').click();
    await spage.getByTestId('errand-action-decide').click();
    // Nothing chosen: said at the fields.
    await spage.getByTestId('decide-continue').click();
    await spage.getByText(en.errands.decide.outcomeRequired).waitFor();
    await spage.locator('#decide-approved').check({ force: true });
    await spage.locator('#decide-text').fill('A place at Kartano day-care centre from 9 August 2027.');
    await spage.getByTestId('decide-continue').click();
    await spage.getByTestId('decide-review').waitFor();
    expect(await spage.getByTestId('decide-review-outcome').textContent()).toBe(en.errands.decision.approved);
    await axe(spage, 'decision review (en)');
    await spage.getByTestId('decide-confirm').click();
    await spage.getByTestId('errand-done').waitFor();
    expect(await focusedTestId(spage)).toBe('errand-done');
    expect(await spage.getByTestId('errand-status').getAttribute('data-status')).toBe('decided');
    expect(await spage.getByTestId('errand-action-decide').count()).toBe(0);
    await axe(spage, 'decided, staff (en)');
    await staff.close();

    // ---- Sanna reads the decision ---------------------------------------------------------------
    const again = await h.context({ lang: 'sv', who: { person: P.sanna } });
    const apage = await again.newPage();
    apage.setDefaultTimeout(10_000);
    await apage.goto('/errands');
    await ready(apage);
    const mine = apage.locator(`[data-testid="errand-card"][data-errand-id="${id}"]`);
    await mine.waitFor();
    expect(await mine.getByTestId('errand-card-decision').getAttribute('data-outcome')).toBe('approved');
    await mine.getByRole('link').click();
    const decision = apage.getByTestId('errand-decision');
    await decision.waitFor();
    expect(await decision.getAttribute('data-outcome')).toBe('approved');
    expect(await decision.textContent()).toContain('A place at Kartano day-care centre from 9 August 2027.');
    expect(await decision.textContent()).toContain(sv.errands.decision.approved);
    await axe(apage, 'decided, applicant (sv)');
    await again.close();
  }, 180_000);
});

/** The form's filled-in example, saved through the API as the applicant (the long forms). */
async function saveExample(id: string, who: string, service: string) {
  const data = structuredClone((FORMS[service] as unknown as { examples: unknown[] }).examples[0]);
  const r = await h.app.app.inject({ method: 'PUT', url: `/api/v1/errands/${id}`, headers: await h.app.as({ person: who }), payload: { data } });
  expect(r.statusCode, r.body).toBe(200);
}

describe('every party signs the exact version (situation B)', () => {
  it('Elias sends a building permit (his signature); he changes it while Noora reads; her signature on the old version is refused, she signs the new one; the caseworker decides; both read the decision', async () => {
    // ---- Elias, in English: the co-owners' building permit, sent with his signature ---------------
    const elias = await h.context({ lang: 'en', who: { person: P.elias } });
    const epage = await elias.newPage();
    epage.setDefaultTimeout(10_000);
    await epage.goto('/services');
    await ready(epage);
    await epage.getByTestId('start-building-permit').click();
    await epage.getByTestId('errand-start-form').waitFor();
    await epage.getByRole('radio', { name: 'Kartanontie 12, 04130 Sipoo' }).check({ force: true });
    await axe(epage, 'start page, property (en)');
    await epage.getByTestId('errand-start').click();
    await epage.waitForURL(/\/errands\/[^/]+\/edit$/);
    const id = /\/errands\/([^/]+)\/edit$/.exec(epage.url())![1]!;
    await epage.getByTestId('errand-edit-form').waitFor();
    expect(await epage.getByTestId('errand-basis').textContent()).toBe('Elias Korhonen, owner of the property');
    expect(await epage.getByTestId('errand-subject').textContent()).toContain('Kartanontie 12');
    expect(await epage.getByTestId('party-1').textContent()).toContain('Noora Korhonen');
    expect(await epage.getByTestId('party-1').textContent()).toContain(en.errands.ask.sign);
    await axe(epage, 'edit page, building permit (en)');

    await saveExample(id, P.elias, 'building-permit');
    await epage.reload();
    await epage.getByTestId('errand-review-button').click();
    await epage.getByTestId('errand-review').waitFor();
    await epage.getByTestId('errand-send').click();
    await epage.getByTestId('errand-sent').waitFor();
    expect(await epage.getByTestId('errand-sent').getAttribute('data-status')).toBe('awaiting-signatures');
    expect(await epage.getByTestId('errand-sent').textContent()).toContain(en.errands.sent['text_awaiting-signatures'].split('.')[0]!);
    await epage.getByTestId('to-errand').click();
    await epage.getByTestId('errand-status').waitFor();
    // Sending was his signature; Noora's is awaited.
    expect(await epage.getByTestId('party-0').getAttribute('data-response')).toBe('signed');
    expect(await epage.getByTestId('party-1').getAttribute('data-response')).toBe('pending');
    expect(await epage.getByTestId('errand-expected').textContent()).toContain(en.errands.expected['wait-for-parties']);
    await axe(epage, 'errand page, waiting for signatures (en)');

    // ---- Noora, in Finnish: the errand waits for her signature, first in her list ------------------
    const noora = await h.context({ lang: 'fi', who: { person: P.noora } });
    const npage = await noora.newPage();
    npage.setDefaultTimeout(10_000);
    await npage.goto('/errands');
    await ready(npage);
    const first = npage.locator('[data-testid="errand-card"]').first();
    await first.waitFor();
    expect(await first.getAttribute('data-errand-id')).toBe(id);
    expect(await first.getByTestId('errand-card-expected').textContent()).toContain('Odottaa allekirjoitustasi');
    await axe(npage, 'my errands, signature awaited (fi)');
    await first.getByRole('link').click();
    await npage.getByTestId('errand-action-sign').click();
    const confirm = npage.getByTestId('answer-confirm');
    await confirm.waitFor();
    expect(await npage.evaluate(() => document.activeElement?.id)).toBe('answer-dialog-title');
    await axe(npage, 'sign dialog (fi)');

    // Elias changes the description while she reads: the signatures given are voided, and Noora is asked again.
    await epage.getByTestId('errand-action-edit').locator('a').click();
    await epage.getByTestId('voiding-note').waitFor();
    expect(await epage.getByTestId('voiding-note').textContent()).toContain(en.errands.edit.awaitingText);
    await axe(epage, 'edit page, already with the parties (en)');
    await epage.locator('#errand-description-input').fill('Autokatos ja varasto.');
    await expect.poll(() => epage.getByTestId('autosave').getAttribute('data-state'), { timeout: 5000 }).toBe('saved');
    expect(await epage.getByTestId('autosave').textContent()).toContain('Earlier signatures and confirmations were voided. The parties are asked to answer again.');
    await epage.getByRole('link', { name: en.errands.edit.toErrand }).click();
    await epage.getByTestId('errand-status').waitFor();
    expect(await epage.getByTestId('errand-status').getAttribute('data-status')).toBe('awaiting-signatures');
    // His change is his signature on the new version; Noora's is asked again.
    expect(await epage.getByTestId('party-0').getAttribute('data-response')).toBe('signed');
    expect(await epage.getByTestId('party-1').getAttribute('data-response')).toBe('pending');

    // Noora's signature on the version she read is refused, said in words, and the new version is shown.
    await confirm.click();
    const changed = npage.getByTestId('version-changed');
    await changed.waitFor();
    expect(await changed.textContent()).toBe(fi.errands.answer.changed);
    expect(await changed.getAttribute('role')).toBe('alert');
    expect(await npage.evaluate(() => document.activeElement?.id)).toBe('answer-dialog-title');
    expect(await npage.getByTestId('errand-form-readonly').last().textContent()).toContain('Autokatos ja varasto.');
    // Nothing was signed: the errand still waits for her.
    expect(await npage.getByTestId('errand-status').getAttribute('data-status')).toBe('awaiting-signatures');
    await axe(npage, 'sign dialog, version changed (fi)');
    // She signs the new one.
    await confirm.click();
    await npage.getByTestId('errand-done').waitFor();
    expect(await npage.getByTestId('errand-done').getAttribute('data-done')).toBe('signed');
    expect(await npage.getByTestId('errand-done').textContent()).toBe(fi.errands.done.signed);
    expect(await npage.getByTestId('errand-status').getAttribute('data-status')).toBe('submitted');
    expect(await npage.getByTestId('party-1').getAttribute('data-response')).toBe('signed');
    await axe(npage, 'signed (fi)');
    // She was told of the change: asked to sign again.
    await npage.getByTestId('nav-messages').click();
    await npage.locator('[data-testid="message-subject"]', { hasText: /^Allekirjoitustasi pyydetään uudelleen: / }).first().waitFor();
    await axe(npage, 'messages, asked again (fi)');

    // ---- the caseworker of Sipoo, in Swedish: the decision --------------------------------------
    const staff = await h.context({ lang: 'sv', who: { staff: 'caseworker-753' } });
    const spage = await staff.newPage();
    spage.setDefaultTimeout(10_000);
    await spage.goto('/staff/errands');
    await ready(spage);
    const row = spage.locator(`[data-testid="queue-item"][data-errand-id="${id}"]`);
    await row.waitFor();
    await axe(spage, 'queue (sv)');
    await row.getByTestId('queue-open').click();
    await spage.getByTestId('errand-status').waitFor();
    // Both signed the same version before it came to the municipality.
    expect(await spage.getByTestId('party-0').getAttribute('data-response')).toBe('signed');
    expect(await spage.getByTestId('party-1').getAttribute('data-response')).toBe('signed');
    await spage.getByTestId('errand-action-decide').click();
    await spage.locator('#decide-approved').check({ force: true });
    await spage.locator('#decide-text').fill('Bygglov beviljas för ett bilskydd och ett förråd.');
    await spage.getByTestId('decide-continue').click();
    await spage.getByTestId('decide-review').waitFor();
    expect(await spage.getByTestId('decide-review-outcome').textContent()).toBe(sv.errands.decision.approved);
    await axe(spage, 'decision review (sv)');
    await spage.getByTestId('decide-confirm').click();
    await spage.getByTestId('errand-done').waitFor();
    expect(await spage.getByTestId('errand-status').getAttribute('data-status')).toBe('decided');
    await staff.close();

    // ---- both co-owners read the decision on the errand page ---------------------------------------
    for (const [page, lang, texts] of [[epage, 'en', en], [npage, 'fi', fi]] as const) {
      await page.goto(`/errands/${id}`);
      const decision = page.getByTestId('errand-decision');
      await decision.waitFor();
      expect(await decision.getAttribute('data-outcome')).toBe('approved');
      expect(await decision.textContent()).toContain(texts.errands.decision.approved);
      expect(await decision.textContent()).toContain('Bygglov beviljas för ett bilskydd och ett förråd.');
      expect(await page.getByTestId('errand-status').textContent()).toContain(texts.errands.status.decided);
      expect(await page.getByTestId('errand-expected').textContent()).toContain(texts.errands.expected['read-decision']);
      await axe(page, `decided, co-owner (${lang})`);
    }
    await elias.close();
    await noora.close();
  }, 180_000);
});

describe('no basis: the mandate is asked for when sending (situation A)', () => {
  it('Kari applies for resident parking for Aino: the form says which mandate is needed; the errand waits for it; Kari withdraws it', async () => {
    const kari = await h.context({ lang: 'en', who: { person: P.kari } });
    const page = await kari.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('/errands/new?municipality=245&service=resident-parking');
    await page.getByTestId('errand-start-form').waitFor();
    // Someone else, by identity code: an empty code is refused beside the field.
    await page.locator('#subject-other').check({ force: true });
    await page.getByTestId('errand-start').click();
    await page.getByText(en.errands.start.otherIdRequired_person).waitFor();
    await page.locator('#otherId').fill(P.aino);
    await axe(page, 'start page, someone else (en)');
    await page.getByTestId('errand-start').click();
    await page.waitForURL(/\/errands\/[^/]+\/edit$/);
    const id = /\/errands\/([^/]+)\/edit$/.exec(page.url())![1]!;
    const needed = page.getByTestId('mandate-needed');
    await needed.waitFor();
    expect(await needed.textContent()).toContain('You need a mandate from Aino Mäkelä.');
    expect(await needed.textContent()).toContain('for one year');
    expect(await needed.textContent()).toContain(en.errands.mandateNeeded.whenSent);
    expect(await page.getByTestId('errand-basis').textContent()).toBe('Kari Mäkelä – no right yet to act for Aino Mäkelä');
    await axe(page, 'edit page, mandate needed (en)');

    await saveExample(id, P.kari, 'resident-parking');
    await page.reload();
    await page.getByTestId('errand-review-button').click();
    await page.getByTestId('errand-send').click();
    const sent = page.getByTestId('errand-sent');
    await sent.waitFor();
    expect(await sent.getAttribute('data-status')).toBe('awaiting-mandate');
    expect(await sent.textContent()).toContain('A mandate was asked from Aino Mäkelä.');

    await page.getByTestId('to-errand').click();
    await page.getByTestId('errand-status').waitFor();
    expect(await page.getByTestId('errand-expected').textContent()).toContain(en.errands.expected['wait-for-mandate']);
    expect(await page.getByTestId('mandate-needed').textContent()).toContain(en.errands.mandateNeeded.asked);
    await page.getByTestId('errand-action-withdraw').click();
    await page.getByTestId('withdraw-yes').click();
    await page.getByTestId('errand-done').waitFor();
    expect(await page.getByTestId('errand-status').getAttribute('data-status')).toBe('withdrawn');
    expect(await page.locator('[data-testid^="errand-action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['errand-action-download-summary']);
    await axe(page, 'withdrawn (en)');
    await kari.close();
  }, 120_000);
});

describe('attesting, and more information asked for (situation C, attest)', () => {
  it('Elias must attest before sending; the caseworker asks for more; Elias adds it and sends again', async () => {
    const elias = await h.context({ lang: 'fi', who: { person: P.elias } });
    const page = await elias.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('/errands/new?municipality=753&service=waste-interval');
    await page.getByTestId('errand-start-form').waitFor();
    await page.getByRole('radio', { name: 'Kartanontie 12, 04130 Sipoo' }).check({ force: true });
    await page.getByTestId('errand-start').click();
    await page.waitForURL(/\/errands\/[^/]+\/edit$/);
    const id = /\/errands\/([^/]+)\/edit$/.exec(page.url())![1]!;
    await page.getByTestId('errand-edit-form').waitFor();
    expect(await page.getByTestId('party-0').textContent()).toContain(fi.errands.ask.attest);
    await saveExample(id, P.elias, 'waste-interval');
    await page.reload();
    await page.getByTestId('errand-review-button').click();
    await page.getByTestId('errand-review').waitFor();
    // Without the attestation: said at the box, and nothing is sent.
    await page.getByTestId('errand-send').click();
    await page.getByText(fi.problems['errand.attestation-required']).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('attest');
    await axe(page, 'review without attestation (fi)');
    await page.locator('#attest').check({ force: true });
    await page.getByTestId('errand-send').click();
    await page.getByTestId('errand-sent').waitFor();
    expect(await page.getByTestId('errand-sent').getAttribute('data-status')).toBe('submitted');

    const staff = await h.context({ lang: 'sv', who: { staff: 'caseworker-753' } });
    const spage = await staff.newPage();
    spage.setDefaultTimeout(10_000);
    await spage.goto(`/errands/${id}`);
    await spage.getByTestId('errand-action-request-information').click();
    await spage.getByTestId('information-send').click();
    await spage.getByText(sv.problems['errand.information-text-required']).waitFor();
    await spage.locator('#information-text').fill('Hur många hushåll använder kärlet?');
    await axe(spage, 'information request form (sv)');
    await spage.getByTestId('information-send').click();
    await spage.getByTestId('errand-done').waitFor();
    expect(await spage.getByTestId('errand-status').getAttribute('data-status')).toBe('returned');
    await staff.close();

    // Elias: the question on the errand, answered by changing it and sending it again.
    await page.goto(`/errands/${id}`);
    const info = page.getByTestId('information-request');
    await info.waitFor();
    expect(await info.textContent()).toContain('Hur många hushåll använder kärlet?');
    expect(await page.getByTestId('errand-expected').getAttribute('data-expected')).toBe('answer-information-request');
    await page.getByTestId('errand-action-edit').locator('a').click();
    await page.getByTestId('errand-edit-form').waitFor();
    expect(await page.getByTestId('information-request').textContent()).toContain('Hur många hushåll använder kärlet?');
    expect(await page.getByTestId('errand-review-button').textContent()).toBe(fi.errands.edit.reviewAgain);
    await axe(page, 'edit page, information asked for (fi)');
    await page.getByTestId('errand-review-button').click();
    await page.locator('#attest').check({ force: true });
    expect(await page.getByTestId('errand-send').textContent()).toBe(fi.errands.review.sendAgain);
    await page.getByTestId('errand-send').click();
    await page.getByTestId('errand-sent').waitFor();
    expect(await page.getByTestId('errand-sent').getAttribute('data-status')).toBe('submitted');
    await page.getByTestId('to-errand').click();
    await page.getByTestId('errand-events').waitFor();
    expect(await page.getByTestId('errand-events').textContent()).toContain(fi.errands.events['information-provided']);
    expect(await page.getByTestId('information-request').textContent()).toContain('Lisätiedot annettiin');
    await elias.close();
  }, 120_000);
});

describe('declining (situation B)', () => {
  it('Noora declines with a reason; Elias sees it and may change and send again', async () => {
    const as = async (who: string) => h.app.as({ person: who });
    const created = await h.app.app.inject({
      method: 'POST', url: '/api/v1/errands', headers: await as(P.elias),
      payload: { municipality: '753', service: 'demolition-notice', subject: { type: 'property', id: '753-401-3-45' }, data: structuredClone((FORMS['demolition-notice'] as unknown as { examples: unknown[] }).examples[0]) },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const sent = await h.app.app.inject({ method: 'POST', url: `/api/v1/errands/${id}/submit`, headers: await as(P.elias), payload: {} });
    expect(sent.json().status).toBe('awaiting-signatures');

    const noora = await h.context({ lang: 'sv', who: { person: P.noora } });
    const page = await noora.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`/errands/${id}`);
    await page.getByTestId('errand-action-decline').click();
    await page.getByTestId('decline-confirm').click();
    await page.getByText(sv.problems['errand.reason-required']).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('decline-reason');
    await page.locator('#decline-reason').fill('Rivningen måste vänta till våren.');
    await axe(page, 'decline form (sv)');
    await page.getByTestId('decline-confirm').click();
    await page.getByTestId('errand-done').waitFor();
    expect(await page.getByTestId('errand-status').getAttribute('data-status')).toBe('declined');
    await noora.close();

    const elias = await h.context({ lang: 'en', who: { person: P.elias } });
    const epage = await elias.newPage();
    epage.setDefaultTimeout(10_000);
    await epage.goto('/errands');
    const card = epage.locator(`[data-testid="errand-card"][data-errand-id="${id}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-expected')).toBe('complete-and-send');
    await card.getByRole('link').click();
    await epage.getByTestId('errand-edit-form').waitFor();
    await epage.getByTestId('declined-note').waitFor();
    const declined = epage.locator('[data-response="declined"]');
    expect(await declined.textContent()).toContain('Rivningen måste vänta till våren.');
    await axe(epage, 'edit page after a decline (en)');
    await elias.close();
  }, 120_000);
});

describe('co-applicants the registers cannot tell', () => {
  it('Laura applies for housing with Tuomas by his identity code; his name comes from the register, his e-mail is corrected for this errand', async () => {
    const laura = await h.context({ lang: 'fi', who: { person: P.laura } });
    const page = await laura.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('/errands/new?municipality=049&service=housing-application');
    await page.getByTestId('co-applicants').waitFor();
    await page.getByRole('radio', { name: /Laura Heikkinen/ }).check({ force: true });
    await page.getByTestId('add-co-applicant').click();
    // Focus goes to the new co-applicant's identity code; an empty one is refused there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('co-0-id');
    await page.getByTestId('errand-start').click();
    await page.getByText(fi.party.identityCodeRequired).waitFor();
    await page.locator('#co-0-id').fill(P.tuomas);
    await page.locator('#co-0-email').fill('tuomas.tyo@example.fi');
    await axe(page, 'start page with a co-applicant (fi)');
    await page.getByTestId('errand-start').click();
    await page.waitForURL(/\/errands\/[^/]+\/edit$/);
    await page.getByTestId('errand-edit-form').waitFor();
    const tuomas = page.locator('[data-testid^="party-"]', { hasText: 'Tuomas Laine' });
    expect(await tuomas.textContent()).toContain(fi.errands.parties.entered);
    expect(await tuomas.textContent()).toContain('tuomas.tyo@example.fi');
    expect(await tuomas.textContent()).toContain(fi.errands.ask.sign);
    // His identity code is in no address the browser went to.
    expect(page.url()).not.toContain(P.tuomas);
    await laura.close();
  }, 60_000);
});
