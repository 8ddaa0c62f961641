/**
 * "Names come from the register; contact details can be corrected for this errand": Elias (in Finnish)
 * starts a building permit for his property in Sipoo and corrects Noora's phone number on the edit page,
 * while what he typed on the form is still waiting to be saved. A number not in international form is
 * refused at the field in Finnish; the corrected one is confirmed (focus to the confirmation), kept for
 * this errand only, and the register's can be restored. axe and 360 px on the way. The errand pages load
 * on demand: they still open directly by their address.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { P } from '../../server/test/helpers.js';
import { fi } from '../src/locales/fi.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe, fits360 } from './journeys.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});



const focused = (page: Page) => page.evaluate(() => {
  const a = document.activeElement;
  return a?.closest('[data-testid]')?.getAttribute('data-testid') === 'contact-saved' ? 'contact-saved' : (a?.id ?? '');
});

async function errandAsElias(id: string) {
  const r = await h.app.app.inject({ method: 'GET', url: `/api/v1/errands/${id}`, headers: await h.app.as({ person: P.elias }) });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { version: number; data: Record<string, unknown>; parties: { id: string; name: string; contact?: { email?: string; phone?: string } }[] };
}

describe("a party's contact details on the edit page", () => {
  it("Elias corrects Noora's phone number for this errand", async () => {
    const elias = await h.context({ lang: 'fi', who: { person: P.elias } });
    const page = await elias.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('/services');
    await ready(page);
    await page.getByTestId('start-building-permit').click();
    await page.getByTestId('errand-start-form').waitFor();
    await page.getByRole('radio', { name: 'Kartanontie 12, 04130 Sipoo' }).check({ force: true });
    await page.getByTestId('errand-start').click();
    await page.waitForURL(/\/errands\/[^/]+\/edit$/);
    const id = /\/errands\/([^/]+)\/edit$/.exec(page.url())![1]!;
    await page.getByTestId('errand-edit-form').waitFor();

    // Elias is the applicant: only Noora's details can be corrected here.
    expect(await page.getByTestId('party-0').textContent()).toContain('Elias Korhonen');
    expect(await page.getByTestId('party-1').textContent()).toContain('Noora Korhonen');
    expect(await page.getByTestId('contact-0-correct').count()).toBe(0);
    expect(await page.getByTestId('contact-1-line').count()).toBe(0);

    // He types on the form and, before the autosave's pause is over, corrects Noora's phone number.
    await page.locator('#errand-description-input').fill('Autokatos.');
    await page.getByTestId('contact-1-correct').click();
    await page.getByTestId('contact-1-form').waitFor();
    expect(await focused(page)).toBe('contact-1-email');
    await page.locator('#contact-1-phone').fill('123');
    await page.getByTestId('contact-1-save').click();

    // Refused at the field, in Finnish, with focus there.
    const message = fi.problems['settings.phone-invalid'].replace('{{field}}', fi.errands.contact.phone);
    await page.getByText(message).waitFor();
    const field = page.locator('#contact-1-phone');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const described = await page.evaluate((ids) => ids.split(' ').map((i) => document.getElementById(i)?.textContent ?? '').join(' '), describedBy);
    expect(described).toContain(message);
    expect(await focused(page)).toBe('contact-1-phone');
    // What he typed was saved all the same (the data went first, through the same chain).
    await expect.poll(async () => (await errandAsElias(id)).data.description).toBe('Autokatos.');
    expect((await errandAsElias(id)).parties.find((p) => p.id === P.noora)?.contact).toBeUndefined();
    await axe(page, 'contact form with a refusal (fi)');
    await fits360(page, 'contact form with a refusal (fi)');

    // The number in international form: saved and confirmed, focus to the confirmation.
    await field.fill('+358 40 999 1234');
    await page.getByTestId('contact-1-save').click();
    const saved = page.getByTestId('contact-saved');
    await saved.waitFor();
    expect(await saved.textContent()).toContain(fi.errands.contact.savedTitle);
    expect(await saved.textContent()).toContain('Noora Korhonen: tässä asioinnissa käytetään yhteystietoja +358409991234.');
    await expect.poll(() => focused(page)).toBe('contact-saved');
    expect(await page.getByTestId('contact-1-form').count()).toBe(0);
    expect(await page.getByTestId('contact-1-line').textContent()).toBe('Yhteystiedot tässä asioinnissa: +358409991234');
    const after = await errandAsElias(id);
    expect(after.parties.find((p) => p.id === P.noora)?.contact).toEqual({ phone: '+358409991234' });
    expect(after.data.description).toBe('Autokatos.');
    await axe(page, 'contact corrected (fi)');
    await fits360(page, 'contact corrected (fi)');

    // Still there after a reload; the register's details can be restored.
    await page.reload();
    await page.getByTestId('errand-edit-form').waitFor();
    expect(await page.getByTestId('contact-1-line').textContent()).toContain('+358409991234');
    expect(await page.locator('#errand-description-input').inputValue()).toBe('Autokatos.');
    await page.getByTestId('contact-1-restore').click();
    await saved.waitFor();
    expect(await saved.textContent()).toContain(fi.errands.contact.restoredTitle);
    await expect.poll(() => focused(page)).toBe('contact-saved');
    expect(await page.getByTestId('contact-1-line').count()).toBe(0);
    expect((await errandAsElias(id)).parties.find((p) => p.id === P.noora)?.contact).toBeUndefined();
    await elias.close();
  }, 120_000);

  it('the errand pages, loaded on demand, open directly by their address', async () => {
    const created = await h.app.app.inject({
      method: 'POST', url: '/api/v1/errands', headers: await h.app.as({ person: P.elias }),
      payload: { municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data: {} },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json() as { id: string };
    const elias = await h.context({ lang: 'fi', who: { person: P.elias } });
    const page = await elias.newPage();
    page.setDefaultTimeout(10_000);

    await page.goto('/errands');
    await ready(page);
    expect(await page.locator('h1#page-title').textContent()).toBe(fi.errands.mine.title);
    await page.locator(`[data-testid="errand-card"][data-errand-id="${id}"]`).waitFor();

    await page.goto(`/errands/${id}`);
    await page.getByTestId('errand-facts').waitFor();
    await page.goto(`/errands/${id}/edit`);
    await page.getByTestId('errand-edit-form').waitFor();
    await page.getByTestId('contact-1-correct').waitFor();
    await elias.close();
  }, 60_000);
});
