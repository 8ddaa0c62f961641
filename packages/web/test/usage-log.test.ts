/**
 * The usage log in the browser (issue 10, item 5): the mandate page and the log page list uses
 * newest first, naming the service and the e-service in the reader's language (fi, sv, en); each
 * page is axe-clean and fits 360 px with whole words (a card per entry); the receipt link is there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, P, person } from '../../server/test/helpers.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe, fits360, openAs } from './journeys.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

async function grant(principal: string, agent: string): Promise<string> {
  const headers = await h.app.as({ person: principal });
  const r = await h.app.app.inject({ method: 'POST', url: '/api/v1/mandates', headers, payload: { agent: person(agent), issues: ['housing'], validUntil: '2027-12-31' } });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
}
async function use(id: string, actor: string, errandRef: string, municipality: string, service?: string) {
  h.app.clock.now = new Date(h.app.clock.now.getTime() + 60_000);
  const r = await h.app.app.inject({ method: 'POST', url: `/api/v1/mandates/${id}/uses`, headers: { authorization: client(municipality) }, payload: { errandRef, actor: person(actor), ...(service ? { service } : {}) } });
  expect(r.statusCode, r.body).toBe(201);
}

const TEXTS = {
  fi: { eService: 'Keravan asiointipalvelu', service: 'Asukaspysäköintitunnus', receipt: 'Lataa kuitti (PDF)', title: 'Valtuutusten käyttö' },
  sv: { eService: 'Kervo stads e-tjänst', service: 'Boendeparkeringstillstånd', receipt: 'Ladda ner kvittot (PDF)', title: 'Hur fullmakterna har använts' },
  en: { eService: 'Kerava e-services', service: 'Resident parking permit', receipt: 'Download receipt (PDF)', title: 'How your mandates were used' },
} as const;

describe('the usage log', () => {
  for (const lang of ['fi', 'sv', 'en'] as const) {
    it(`${lang}: the mandate page and the log page list uses newest first with the service and e-service; axe; 360 px`, async () => {
      const id = await grant(P.aino, P.kari);
      await use(id, P.kari, `OLDER-${lang}`, '753');
      await use(id, P.kari, `NEWER-${lang}-RL-2026-000123`, '245', 'resident-parking');
      const { ctx, page } = await openAs(h, lang, { person: P.aino });

      await page.goto(`/mandates/${id}`);
      await ready(page);
      const rows = page.getByTestId('log-row');
      await rows.first().waitFor();
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-event')))).toEqual(['used', 'used', 'granted']);
      expect(await page.getByTestId('usage-log-errand').allInnerTexts()).toEqual([`NEWER-${lang}-RL-2026-000123`, `OLDER-${lang}`, '']);
      const eService = await page.getByTestId('usage-log-eservice').first().innerText();
      expect(eService).toContain(TEXTS[lang].eService);
      const service = await page.getByTestId('usage-log-service').first().innerText();
      expect(service).toBe(TEXTS[lang].service);
      expect(await page.getByTestId('mandate-receipt').innerText()).toBe(TEXTS[lang].receipt);
      await axe(page, `mandate page (${lang})`);
      await fits360(page, `mandate page (${lang})`);

      await page.goto('/log');
      await ready(page);
      expect(await page.locator('h1#page-title').innerText()).toBe(TEXTS[lang].title);
      await page.getByTestId('log-row').first().waitFor();
      const errands = await page.getByTestId('usage-log-errand').allInnerTexts();
      expect(errands.indexOf(`NEWER-${lang}-RL-2026-000123`)).toBeLessThan(errands.indexOf(`OLDER-${lang}`));
      expect(errands.indexOf(`OLDER-${lang}`)).toBeGreaterThan(-1);
      const ats = await page.getByTestId('log-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-at') ?? ''));
      expect([...ats].sort().reverse()).toEqual(ats);
      await axe(page, `log page (${lang})`);

      // On a phone: a card per entry, and no word of the service or e-service broken across lines.
      await page.setViewportSize({ width: 360, height: 740 });
      const cell = page.getByTestId('usage-log-eservice').first();
      const broken = await cell.evaluate((el) => {
        const words = (el.textContent ?? '').split(/\s+/).filter(Boolean);
        const range = document.createRange();
        const text = el.firstChild;
        if (!text) return [];
        const out: string[] = [];
        let at = 0;
        for (const w of words) {
          const i = (text.textContent ?? '').indexOf(w, at);
          at = i + w.length;
          range.setStart(text, i);
          range.setEnd(text, i + w.length);
          if (range.getClientRects().length > 1) out.push(w);
        }
        return out;
      });
      expect(broken, 'words broken across lines at 360 px').toEqual([]);
      expect(await page.locator('.usage-log thead').evaluate((el) => el.getBoundingClientRect().height)).toBeLessThanOrEqual(1);
      await page.setViewportSize({ width: 1100, height: 900 });
      await fits360(page, `log page (${lang})`);

      // Filters: only the service's uses.
      await page.goto('/log?service=resident-parking');
      await ready(page);
      await page.getByTestId('log-row').first().waitFor();
      const only = await page.getByTestId('usage-log-errand').allInnerTexts();
      expect(only).toContain(`NEWER-${lang}-RL-2026-000123`);
      expect(only).not.toContain(`OLDER-${lang}`);
      // Printing hides the navigation and the buttons.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('nav.main-nav').isVisible()).toBe(false);
      expect(await page.getByTestId('log-apply').isVisible()).toBe(false);
      expect(await page.getByTestId('log-table').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'screen' });
      await ctx.close();
    });
  }
});
