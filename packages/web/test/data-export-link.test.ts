/**
 * "My data" on the settings page (GDPR access, issue 11 item 9): a person downloads everything
 * Puolesta holds about them, as a PDF in the page's language or as JSON; the section reads in the
 * person's language, fits a phone and passes axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { pdfText } from '../../server/test/pdf-text.js';
import { ready, startHarness, type Harness } from './browser.js';
import { fits360 } from './journeys.js';
import { sv } from '../src/locales/sv.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe('my data on the settings page', () => {
  it('offers the PDF in the page\'s language and the JSON file (sv)', async () => {
    const ctx = await h.context({ lang: 'sv', who: { person: P.sanna } });
    const page = await ctx.newPage();
    await page.goto('/settings');
    await ready(page);
    const section = page.getByTestId('data-export');
    expect(await section.getByRole('heading').textContent()).toBe(sv.dataExport.heading);
    const pdfLink = page.getByTestId('data-export-pdf');
    expect(await pdfLink.textContent()).toContain(sv.dataExport.pdf);
    const pdfHref = await pdfLink.getAttribute('href');
    expect(pdfHref).toBe('/api/v1/me/data-export.pdf?lang=sv');
    const pdf = await ctx.request.get(pdfHref!);
    expect(pdf.status()).toBe(200);
    expect(pdfText(await pdf.body())).toContain('Mina uppgifter i Puolesta-tjänsten');
    const jsonHref = await page.getByTestId('data-export-json').getAttribute('href');
    const json = await ctx.request.get(jsonHref!);
    expect(json.status()).toBe(200);
    expect((await json.json()).person.firstName).toBe('Sanna');
    await fits360(page, 'settings with my data (sv)');
    await ctx.close();
  });
});
