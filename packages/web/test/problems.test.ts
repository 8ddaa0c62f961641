/**
 * Refusals in the UI's own words: in Finnish, a municipality admin's looser policy, a malformed PTV
 * file and a bad link beside its field are refused with the Finnish texts of their codes, and none of
 * the server's English `detail` reaches the page.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishText } from '@puolesta/domain';
import { fi } from '../src/locales/fi.js';
import { PTV_PAGE, PTV_POOL, ready, startHarness, type Harness } from './browser.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const ENGLISH = /stricter, not looser|has no Name in|is not a PTV|must be an http|is required|not valid|PTV record/;

describe('refusals in Finnish', () => {
  it('a looser policy is not offered; a malformed PTV file and a bad link are refused in Finnish, with no English detail', async () => {
    const ctx = await h.context({ lang: 'fi', who: { staff: 'admin-753' } });
    const page = await ctx.newPage();
    await page.goto('/admin/policies');
    await ready(page);

    // Looser than the common catalogue (alone + notify) is not offered at all: the server would refuse it.
    const ece = page.locator('[data-testid="admin-service"][data-code="ece-application"]');
    await ece.waitFor();
    await page.getByTestId('change-ece-application').click();
    await ece.getByTestId('policy-form').waitFor();
    expect(await ece.locator('input#policy-ece-application-alone-attest').count()).toBe(0);
    expect(await ece.locator('input#policy-ece-application-alone-notify').count()).toBe(1);

    await page.goto('/admin/ptv');
    await ready(page);
    // A PTV record without a name: the record named in a Finnish sentence.
    const bad = { pageNumber: 1, pageSize: 10, pageCount: 1, itemList: [PTV_PAGE.itemList[0], { id: PTV_POOL, type: 'Service', serviceNames: [] }] };
    await page.locator('input#ptv-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await page.getByTestId('ptv-file-name').waitFor();
    await page.getByTestId('ptv-submit').click();
    await page.getByTestId('ptv-error').waitFor();
    expect(await page.getByTestId('ptv-error').textContent()).toContain('PTV-tietueella itemList.1 ei ole nimeä suomeksi, ruotsiksi eikä englanniksi.');

    // A link that is no web address: the text beside the field says "Tämä" for the field.
    await page.goto('/admin/local-services');
    await ready(page);
    await page.locator('button#adopt-class_button').click();
    await page.getByRole('option').first().click();
    await page.getByTestId('adopt-form').waitFor();
    await page.locator('input#adopt-link-url').fill('javascript:alert(1)');
    await page.getByTestId('adopt-save').click();
    await page.getByTestId('adopt-form').getByText('Tämä ei ole verkko-osoite (https://…).').first().waitFor();

    expect(await page.locator('body').textContent()).not.toMatch(ENGLISH);
    expect(fi.problems['policy.looser-than-common']).toContain('{{common}}');
    await ctx.close();
  });
});
