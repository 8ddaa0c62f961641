/**
 * Notifications in the portal, in a real Chromium against a real server: the unread badge and the
 * inbox, contact settings with a refusal at its field and a reviewed change, the public demo outbox,
 * and an operator sending a failed delivery again. Needs the built UI (`npm run build:web`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { P, startTestApp, type TestApp } from '../../server/test/helpers.js';
import { sv } from '../src/locales/sv.js';
import { fi } from '../src/locales/fi.js';
import { en } from '../src/locales/en.js';
import { ready, startHarness, type Harness } from './browser.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Kari asks Aino for a mandate, through the API as Kari's session. */
async function kariAsksAino(app: TestApp) {
  const r = await app.app.inject({
    method: 'POST', url: '/api/v1/mandate-requests', headers: await app.as({ person: P.kari }),
    payload: { principal: { type: 'person', id: P.aino }, issues: ['housing'], validUntil: '2027-12-31' },
  });
  expect(r.statusCode).toBe(201);
  return r.json<{ id: string }>().id;
}

const badge = async (page: Page): Promise<number> => {
  const b = page.getByTestId('unread-count');
  return (await b.count()) ? Number(await b.getAttribute('data-count')) : 0;
};

describe('the inbox', () => {
  it('a request shows as unread with a badge; opening it shows the body, marks it read and the badge drops', async () => {
    const mandateId = await kariAsksAino(h.app);
    const ctx = await h.context({ lang: 'fi', who: { person: P.aino } });
    const page = await ctx.newPage();
    await page.goto('/');
    await ready(page);
    await page.getByTestId('unread-count').waitFor();
    const before = await badge(page);
    expect(before).toBeGreaterThanOrEqual(1);
    // Visually a number; for a screen reader a sentence.
    expect(await page.getByTestId('unread-count').locator('[aria-hidden="true"]').textContent()).toBe(String(before));
    expect(await page.getByTestId('nav-messages').textContent()).toContain(before === 1 ? '1 lukematon viesti' : `${before} lukematonta viestiä`);

    await page.getByTestId('nav-messages').click();
    await page.getByRole('heading', { level: 1, name: 'Viestit' }).waitFor();
    const item = page.locator(`[data-testid="message"]`).filter({ hasText: 'Kari Mäkelä pyytää sinulta valtuutusta' }).first();
    await item.waitFor();
    expect(await item.getAttribute('data-read')).toBe('false');
    expect(await item.textContent()).toContain('Lukematon');

    await item.getByRole('button').first().click();
    const body = item.getByTestId('message-body');
    await body.waitFor();
    expect(await body.textContent()).toContain('Kari Mäkelä');
    // No identity code anywhere in the message.
    expect(await item.textContent()).not.toContain(P.kari);
    expect(await item.getByTestId('message-channels').textContent()).toMatch(/Viestilaatikko: (Perillä|Matkalla)/);
    expect(await item.getByTestId('message-mandate').getAttribute('href')).toBe(`/mandates/${mandateId}`);
    await expect.poll(() => item.getAttribute('data-read')).toBe('true');
    await expect.poll(() => badge(page)).toBe(before - 1);

    // The server agrees, and the badge stays down after a navigation.
    await page.getByRole('link', { name: fi.nav.home }).click();
    await ready(page);
    await expect.poll(() => badge(page)).toBe(before - 1);
    await ctx.close();
  });
});

describe('contact settings', () => {
  it('Sanna (sv): text message without a phone is refused at the phone field in Swedish; with a phone the change is reviewed, confirmed and saved', async () => {
    const ctx = await h.context({ lang: 'sv', who: { person: P.sanna } });
    const page = await ctx.newPage();
    await page.goto('/');
    await ready(page);
    await page.getByTestId('nav-settings').click();
    await page.getByRole('heading', { level: 1, name: sv.settings.title }).waitFor();
    await page.getByTestId('settings-form').waitFor();
    await page.getByTestId('from-register').waitFor();

    await page.locator('input#channel-sms').check({ force: true });
    await page.locator('input#phone').fill('');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-review').waitFor();
    expect(await page.getByTestId('settings-changes').textContent()).toContain('E-post → Textmeddelande');
    await page.getByTestId('settings-confirm').click();

    // Back on the form: the Swedish text at the phone field, and the focus there.
    const phone = page.locator('input#phone');
    await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
    const text = sv.problems['settings.channel-needs-detail'].replace('{{field}}', sv.settings.phone);
    await page.getByText(text).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('phone');

    await phone.fill('+358401234567');
    await page.getByTestId('settings-save').click();
    const changes = page.getByTestId('settings-changes');
    await changes.waitFor();
    expect(await changes.locator('li').count()).toBe(2);
    expect(await changes.locator('li[data-field="preferredChannel"]').textContent()).toContain('E-post → Textmeddelande');
    expect(await changes.locator('li[data-field="phone"]').textContent()).toContain(`${sv.settings.notGiven} → +358401234567`);
    await page.getByTestId('settings-confirm').click();

    const saved = page.getByTestId('settings-saved');
    await saved.waitFor();
    expect(await saved.textContent()).toContain(sv.settings.saved);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('settings-saved');
    expect(await page.getByTestId('from-register').count()).toBe(0);
    // The page's language stays Swedish (only the messages' language is a setting).
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('sv');

    const r = await h.app.app.inject({ method: 'GET', url: '/api/v1/me/settings', headers: { cookie: await h.app.login({ person: P.sanna }) } });
    expect(r.json()).toMatchObject({ preferredChannel: 'sms', phone: '+358401234567', fromRegister: false });
    await ctx.close();
  });
});

describe('the demo outbox', () => {
  it('opens logged out from the login page; without simulators the list is empty', async () => {
    const ctx = await h.context({ lang: 'en' });
    const page = await ctx.newPage();
    await page.goto('/login');
    await ready(page);
    await page.getByTestId('login-demo-outbox').click();
    await page.getByRole('heading', { level: 1, name: en.outbox.title }).waitFor();
    await page.getByTestId('outbox-empty').waitFor();
    expect(await page.getByTestId('outbox-empty').textContent()).toBe(en.outbox.empty);
    expect(await page.getByTestId('outbox-refresh').isVisible()).toBe(true);
    await ctx.close();
  });
});

describe('message deliveries', () => {
  let app: TestApp;
  let ctx: BrowserContext | undefined;
  beforeAll(async () => {
    // A server whose worker delivers, with no channel configured: every delivery ends failed.
    app = await startTestApp({ listen: true, serveWeb: true, worker: true });
  });
  afterAll(async () => {
    await ctx?.close();
    await app?.stop();
  });

  it('an operator sees a failed delivery in words and sends it again; the result is announced', async () => {
    await kariAsksAino(app);
    const failed = async () => {
      const r = await app.app.inject({ method: 'GET', url: '/api/v1/admin/deliveries', headers: { cookie: await app.login({ staff: 'admin-245' }) } });
      return r.json<{ deliveries: { id: string; status: string }[] }>().deliveries.filter((d) => d.status === 'failed');
    };
    await expect.poll(async () => (await failed()).length, { timeout: 5000 }).toBeGreaterThan(0);
    const id = (await failed())[0]!.id;

    ctx = await h.browser.newContext({ baseURL: app.url, viewport: { width: 1100, height: 900 }, locale: 'fi-FI' });
    await ctx.addInitScript(() => localStorage.setItem('puolesta.lang', 'fi'));
    const [name, value] = (await app.login({ staff: 'admin-245' })).split('=') as [string, string];
    await ctx.addCookies([{ name, value, url: app.url }]);
    const page = await ctx.newPage();
    await page.goto('/admin/deliveries');
    await ready(page);
    const row = page.locator(`[data-testid="delivery"][data-delivery-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(fi.deliveries.state_failed);
    expect(await row.textContent()).toContain(fi.notifyEvents.requested);
    await row.getByTestId(`retry-${id}`).click();
    await expect.poll(() => page.getByTestId('deliveries-status').textContent()).toContain('lähetetään uudelleen');
  });
});
