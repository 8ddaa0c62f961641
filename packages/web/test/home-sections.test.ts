/**
 * The home page's section of a child one is guardian of offers a grant in the child's name, and the
 * grant form opens already acting for that child — with no identity code in the address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe } from './journeys.js';
import { sv } from '../src/locales/sv.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe("a child's section on the home page", () => {
  it('offers a grant in the child\'s name; the form opens acting for the child (sv)', async () => {
    const ctx = await h.context({ lang: 'sv', who: { person: P.sanna } });
    const page = await ctx.newPage();
    const urls: string[] = [];
    page.on('framenavigated', (f) => urls.push(f.url()));
    await page.goto('/');
    await ready(page);
    // Found by her name: the page carries no identity code (decision 0017).
    const section = page.locator('[data-testid^="party-"]:has(h3:text-is("Ella Nyström"))');
    await section.waitFor();
    const button = section.getByTestId('grant-for');
    expect(await button.textContent()).toBe(sv.views.grantFor.replace('{{name}}', 'Ella Nyström'));
    await button.click();
    await page.waitForURL((u) => u.pathname === '/grant');
    await ready(page);
    // The form acts for Ella: her radio is the chosen "on behalf of".
    const chosen = page.locator('input[name="onBehalfOf"]:checked');
    await expect.poll(() => chosen.count()).toBe(1);
    const label = await page.locator(`label[for="${await chosen.getAttribute('id')}"]`).textContent();
    expect(label).toContain('Ella Nyström');
    await axe(page, 'grant form for a child (sv)');
    expect(urls.filter((u) => u.includes(P.ella))).toEqual([]);
    await ctx.close();
  });
});
