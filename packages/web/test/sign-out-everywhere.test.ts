/**
 * "Sign out on all devices" on the settings page: after confirming, this browser is on the login
 * page and the person's session in another browser has ended too; another person's has not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe } from './journeys.js';
import { sv } from '../src/locales/sv.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

describe('sign out everywhere', () => {
  it('ends every session of mine, not anyone else\'s (sv)', async () => {
    const ctx = await h.context({ lang: 'sv', who: { person: P.sanna } });
    const other = await h.context({ lang: 'sv', who: { person: P.sanna } });
    const someoneElse = await h.context({ lang: 'sv', who: { person: P.jari } });
    const page = await ctx.newPage();
    await page.goto('/settings');
    await ready(page);
    await page.getByTestId('end-all').click();
    expect(await page.getByTestId('end-all-confirm').textContent()).toBe(sv.sessions.confirm);
    await axe(page, 'settings, signing out everywhere (sv)');
    await page.getByTestId('end-all-confirm').click();
    await page.waitForURL((u) => u.pathname === '/login');
    const status = async (c: typeof ctx) => (await c.request.get('/api/v1/me')).status();
    expect(await status(ctx)).toBe(401);
    expect(await status(other)).toBe(401);
    expect(await status(someoneElse)).toBe(200);
    await Promise.all([ctx.close(), other.close(), someoneElse.close()]);
  });
});
