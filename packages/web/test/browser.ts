/** Shared set-up of the browser tests: the built UI, a real Chromium, a server in this process. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../server/test/helpers.js';

export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function requireBuiltUi() {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`The web UI is not built (${DIST}index.html is missing). Run \`npm run build:web\` first (\`npm test\` does it).`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
}

/** Debian's Chromium, headless, with the project's flags; playwright-core gives it a fresh temporary profile of its own (it refuses --user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export interface Harness {
  app: TestApp;
  browser: Browser;
  /** A fresh context (own cookies and storage) in the given language, logged in as `who` when given. */
  context(opts?: { lang?: 'fi' | 'sv' | 'en'; who?: { person: string } | { staff: string } }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startHarness(opts: Parameters<typeof startTestApp>[0] = {}): Promise<Harness> {
  requireBuiltUi();
  const app = await startTestApp({ listen: true, serveWeb: true, ...opts });
  const browser = await launchChromium();
  return {
    app,
    browser,
    async context(opts = {}) {
      const ctx = await browser.newContext({ baseURL: app.url, viewport: { width: 1100, height: 900 }, locale: 'fi-FI' });
      if (opts.lang) await ctx.addInitScript((l) => localStorage.setItem('puolesta.lang', l), opts.lang);
      if (opts.who) {
        const cookie = await app.login(opts.who);
        const [name, value] = cookie.split('=') as [string, string];
        await ctx.addCookies([{ name, value, url: app.url }]);
      }
      return ctx;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await app.stop();
    },
  };
}

/** Waits until the page of the address is on screen (not the previous one) with its main heading, its data loaded. */
export async function ready(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.route === location.pathname);
  await page.locator('h1#page-title').waitFor();
  await page.locator('text=/Ladataan|Laddar|Loading/').waitFor({ state: 'detached' }).catch(() => undefined);
}

/** A small PTV list page: a building permit the catalogue recognises by name, and a service it does not know. */
export const PTV_PERMIT = '5b0e4e0c-6a0a-4b7e-9d7e-1a2b3c4d5e01';
export const PTV_POOL = '5b0e4e0c-6a0a-4b7e-9d7e-1a2b3c4d5e02';
export const PTV_PAGE = {
  pageNumber: 1, pageSize: 10, pageCount: 1,
  itemList: [
    { id: PTV_PERMIT, type: 'PermitOrObligation', serviceNames: [{ type: 'Name', language: 'fi', value: 'Rakennuslupa' }, { type: 'Name', language: 'sv', value: 'Bygglov' }] },
    { id: PTV_POOL, type: 'Service', serviceNames: [{ type: 'Name', language: 'fi', value: 'Uimahallin aukioloajat' }] },
  ],
};
