/**
 * The built UI works under its Content-Security-Policy (decision 0014): no page breaks a directive,
 * an injected inline script does not run, and another site cannot frame the portal.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { P } from '../../server/test/helpers.js';
import { ready, startHarness, type Harness } from './browser.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Collects every CSP violation the page reports (events and console messages). */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) seen.push(m.text()); });
  await page.exposeFunction('__cspViolation', (s: string) => { seen.push(s); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(s: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return seen;
}

describe('under the CSP', () => {
  it('the citizen\'s pages load, style and run without a violation', async () => {
    const ctx = await h.context({ who: { person: P.kari }, lang: 'en' });
    const page = await ctx.newPage();
    const seen = await watchViolations(page);
    for (const path of ['/', '/mandates', '/log', '/messages']) {
      await page.goto(path);
      await ready(page);
    }
    // suomifi-ui-components' styled components put their rules in <style> elements: they are there and applied.
    const styledRules = await page.evaluate(() => [...document.querySelectorAll('style')].reduce((n, s) => n + (s.sheet?.cssRules.length ?? 0), 0));
    expect(styledRules).toBeGreaterThan(0);
    const font = await page.locator('h1#page-title').evaluate((e) => getComputedStyle(e).fontFamily);
    expect(font).toMatch(/Source Sans/i);
    expect(seen).toEqual([]);
    await ctx.close();
  });

  it('an inline script injected into a page does not run', async () => {
    const ctx = await h.context();
    const page = await ctx.newPage();
    const seen = await watchViolations(page);
    await page.goto('/');
    await ready(page);
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.head.append(s);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => seen.some((s) => s.startsWith('script-src'))).toBe(true);
    await ctx.close();
  });

  it('another site cannot show the portal in a frame', async () => {
    const ctx = await h.context();
    const page = await ctx.newPage();
    await page.setContent(`<iframe id="f" src="${h.app.url}/" width="400" height="300"></iframe>`);
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    // Refused by frame-ancestors 'none' (and X-Frame-Options DENY): the browser shows its own error page instead.
    await expect.poll(() => frame.url(), { timeout: 10_000 }).toMatch(/^chrome-error:/);
    expect(await frame.locator('#root').count()).toBe(0);
    await ctx.close();
  });
});
