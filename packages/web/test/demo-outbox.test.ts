/**
 * The demo as a newcomer sees it: a request travels to the principal and the demo outbox shows what
 * the channels' local simulators received — Aino's printed letter (PDF), Sanna's e-mail (HTML). The
 * app runs with its simulators and its in-process outbox worker, as `npm start` does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { ready, startHarness, type Harness } from './browser.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ simulators: true, worker: true });
});
afterAll(async () => {
  await h?.close();
});

describe('the demo outbox', () => {
  it('shows a request travelling to the principal: a letter for Aino, an e-mail for Sanna', async () => {
    const ask = async (who: string, principal: string, issues: string[]) => {
      const r = await h.app.app.inject({
        method: 'POST', url: '/api/v1/mandate-requests', headers: await h.app.as({ person: who }),
        payload: { principal: { type: 'person', id: principal }, issues, validUntil: '2027-12-31' },
      });
      expect(r.statusCode, r.body).toBe(201);
    };
    await ask(P.kari, P.aino, ['housing']);
    await ask(P.veikko, P.ella, ['early-childhood-education']);

    const ctx = await h.context({ lang: 'en' });
    const page = await ctx.newPage();
    await page.goto('/demo/outbox');
    await ready(page);
    const letter = page.locator('[data-testid="demo-delivery"][data-channel="paper"]').filter({ hasText: 'Kari Mäkelä' });
    await letter.first().waitFor({ timeout: 15_000 });
    const href = await letter.first().getByTestId('open-letter').getAttribute('href');
    const pdf = await page.request.get(href!);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await page.getByTestId('demo-recipient').filter({ hasText: 'Aino Mäkelä' }).count()).toBe(1);

    const mail = page.locator('[data-testid="demo-delivery"][data-channel="email"]').filter({ hasText: 'Veikko Lindholm' });
    await mail.first().waitFor({ timeout: 15_000 });
    await mail.first().getByTestId('show-email').click();
    const frame = mail.first().locator('iframe');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    const html = await page.request.get((await frame.getAttribute('src'))!);
    expect(await html.text()).toContain('lang="sv"');
    // Nothing on the page is an identity code.
    expect(await page.locator('main').textContent()).not.toMatch(new RegExp(Object.values(P).join('|')));
    await ctx.close();
  });
});
