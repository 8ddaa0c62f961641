/**
 * The citizen portal in a real Chromium against a real server: grant → use → log → revoke, and
 * request → narrowed approval. Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { client, P } from '../../server/test/helpers.js';
import { ready, startHarness, type Harness } from './browser.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const vendor = async (path: string, body: unknown) => {
  const r = await fetch(h.app.url + path, {
    method: 'POST',
    headers: { authorization: client('753'), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

/** On the grant or request form, "someone else" (an identity code) when the form offers the person's own people first. */
async function someoneElse(page: Page) {
  await page.getByTestId('mandate-form').waitFor();
  const other = page.locator('input[name="whom"][value="other"]');
  if ((await other.count()) > 0) await other.check({ force: true });
}

/** The mandate card in a section of the home page. */
const card = (page: Page, section: string, id?: string) =>
  page.locator(`[data-testid="section-${section}"] [data-testid="mandate"]${id ? `[data-mandate-id="${id}"]` : ''}`);

describe('grant, use, log, revoke', () => {
  it('a use recorded by an e-service shows in the log; after revoking, the check says no', async () => {
    const ctx = await h.context({ lang: 'fi' });
    const page = await ctx.newPage();

    // Log in as Aino (88) through the demo login page.
    await page.goto('/login');
    await ready(page);
    await page.getByTestId('persona-aino').click();
    await page.getByRole('heading', { level: 1, name: 'Omat valtuudet' }).waitFor();
    expect(await page.getByTestId('who').textContent()).toBe('Aino Mäkelä');

    // Grant Kari the "caring for a relative" bundle.
    await page.getByTestId('go-grant').click();
    await page.getByRole('heading', { level: 1, name: 'Anna valtuus' }).waitFor();
    await someoneElse(page);
    await page.getByLabel('Valtuutetun henkilötunnus').fill(P.kari);
    await page.getByLabel('Läheisen asioiden hoito').check({ force: true });
    await page.locator('input#validUntil').fill('31.12.2027');
    await page.getByTestId('continue').click();

    // The name is looked up and shown before confirming, with the code typed masked to its birth date part (decision 0017).
    await page.getByTestId('confirm').waitFor();
    const looked = (await page.getByTestId('looked-up-name').textContent())!;
    expect(looked).toBe(`Kari Mäkelä (henkilötunnus ${P.kari.slice(0, 7)}****)`);
    expect(looked).not.toContain(P.kari);
    const granting = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/mandates');
    await page.getByTestId('confirm-submit').click();
    await page.getByTestId('done').waitFor();
    expect(await page.getByTestId('done').textContent()).toContain('Kari Mäkelä');
    // The grant went with an Idempotency-Key: the same request sent again (a retry after a lost answer) grants nothing more.
    const sent = await granting;
    const key = sent.headers()['idempotency-key'] ?? '';
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    const replay = await page.evaluate(async ({ body, key }) => {
      const me = await (await fetch('/api/v1/me')).json() as { csrfToken: string };
      const r = await fetch('/api/v1/mandates', { method: 'POST', body, headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-csrf-token': me.csrfToken } });
      return { status: r.status, body: await r.json() as { id: string } };
    }, { body: sent.postData()!, key });
    expect(replay.status).toBe(201);

    await page.getByTestId('back-home').click();
    const given = card(page, 'given');
    await given.first().waitFor();
    expect(await given.count()).toBe(1);
    const id = (await given.first().getAttribute('data-mandate-id'))!;
    expect(replay.body.id).toBe(id);
    expect(await given.first().getAttribute('data-status')).toBe('active');

    // An e-service of Sipoo records a use.
    const use = await vendor(`/api/v1/mandates/${id}/uses`, { errandRef: 'RL-2026-0042', actor: { type: 'person', id: P.kari } });
    expect(use.status).toBe(201);

    // The principal sees it in the log.
    await page.getByTestId(`log-${id}`).click();
    await page.getByRole('heading', { level: 1, name: 'Valtuuden tiedot' }).waitFor();
    const usedRow = page.locator('[data-testid="log-row"][data-event="used"]');
    await usedRow.waitFor();
    expect(await usedRow.textContent()).toContain('RL-2026-0042');
    expect(await usedRow.textContent()).toContain('Kari Mäkelä');
    expect(await usedRow.textContent()).toContain('Sipoo');
    expect(await usedRow.textContent()).toContain('Valtuutta käytettiin');

    // Revoke, with a confirmation.
    await page.getByTestId(`revoke-${id}`).click();
    await page.getByRole('button', { name: 'Kyllä, peru valtuus' }).click();
    await page.locator('[data-testid="log-row"][data-event="revoked"]').waitFor();
    expect(await page.getByTestId('status').textContent()).toBe('Peruttu');
    expect(await page.getByTestId(`revoke-${id}`).count()).toBe(0);

    // Every channel now says no.
    const check = await vendor('/api/v1/authorizations/check', { actor: { type: 'person', id: P.kari }, principal: { type: 'person', id: P.aino }, issue: 'housing' });
    expect(check.status).toBe(200);
    expect(check.body.allowed).toBe(false);
    await ctx.close();
  });

  it('shows the API\'s problem detail next to the field it names', async () => {
    const ctx = await h.context({ lang: 'en', who: { person: P.aino } });
    const page = await ctx.newPage();
    await page.goto('/grant');
    await ready(page);
    await someoneElse(page);
    await page.getByLabel('Agent’s personal identity code').fill('123');
    await page.getByLabel('Housing').check({ force: true });
    await page.locator('input#validUntil').fill('31.12.2027');
    await page.getByTestId('continue').click();
    // The lookup refuses the code: the message sits under the identity code field.
    const field = page.locator('#partyId');
    await expect.poll(async () => field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('is not a valid personal identity code').count()).toBeGreaterThan(0);
    await ctx.close();
  });
});

describe('request and narrowed approval', () => {
  it('the agent asks, the principal gives less, and both see it active', async () => {
    // Tuomas asks Ritva for two matters.
    const agentCtx = await h.context({ lang: 'fi', who: { person: P.tuomas } });
    const agent = await agentCtx.newPage();
    await agent.goto('/request');
    await ready(agent);
    await someoneElse(agent);
    await agent.getByLabel('Valtuuttajan henkilötunnus').fill(P.ritva);
    await agent.getByLabel('Asumisasiat').check({ force: true });
    await agent.getByLabel('Pysäköinti ja katualueet').check({ force: true });
    await agent.locator('input#validUntil').fill('31.12.2027');
    await agent.getByTestId('continue').click();
    await agent.getByTestId('confirm').waitFor();
    expect(await agent.getByTestId('looked-up-name').textContent()).toContain('Ritva');
    await agent.getByTestId('confirm-submit').click();
    await agent.getByTestId('done').waitFor();
    await agent.getByTestId('back-home').click();
    const out = card(agent, 'requestsOut');
    await out.first().waitFor();
    const id = (await out.first().getAttribute('data-mandate-id'))!;
    expect(await out.first().getAttribute('data-status')).toBe('requested');

    // Ritva answers: housing only, until the end of June.
    const principalCtx = await h.context({ lang: 'fi', who: { person: P.ritva } });
    const principal = await principalCtx.newPage();
    await principal.goto('/');
    await ready(principal);
    await card(principal, 'requestsIn', id).waitFor();
    await principal.getByTestId(`decide-${id}`).click();
    await principal.getByTestId('decide-form').waitFor();
    await principal.getByLabel('Pysäköinti ja katualueet').uncheck({ force: true });
    await principal.locator('input#validUntil').fill('30.6.2027');
    await principal.getByTestId('approve').click();
    await principal.getByTestId('done').waitFor();
    expect(await principal.getByTestId('done').textContent()).toContain('Valtuus on nyt voimassa');

    await principal.getByTestId('back-home').click();
    const given = card(principal, 'given', id);
    await given.waitFor();
    expect(await given.getAttribute('data-status')).toBe('active');
    const text = (await given.textContent())!;
    expect(text).toContain('Asumisasiat');
    expect(text).not.toContain('Pysäköinti');
    expect(text).toContain('30.6.2027');

    // The agent sees it active too — and switches the page to Swedish.
    await agent.reload();
    await ready(agent);
    const received = card(agent, 'received', id);
    await received.waitFor();
    expect(await received.getAttribute('data-status')).toBe('active');
    await agent.getByTestId('language-menu').click();
    await agent.getByRole('menuitem', { name: 'Svenska (SV)' }).click();
    await agent.getByRole('heading', { level: 1, name: 'Mina fullmakter' }).waitFor();
    expect(await agent.evaluate(() => document.documentElement.lang)).toBe('sv');
    expect(await card(agent, 'received', id).getByTestId('status').textContent()).toBe('Giltig');
    await agentCtx.close();
    await principalCtx.close();
  });
});
