/**
 * What the persona journeys (personas-*.test.ts) share: each step of a journey is checked with axe and
 * kept as a screenshot (a test artefact in `test-artifacts/journeys/<persona>/`), at the laptop width
 * (1280 px) and the phone width (390 px), where the page must not scroll sideways.
 * `PUOLESTA_README_SHOTS=1` also copies the steps marked for the README to `docs/screenshots/`.
 * `PUOLESTA_TEST_SCREENSHOTS=0` (CI, whose clean clone nobody looks into) takes no screenshots: a
 * full-page picture is a seventh of a journey's time on a slow machine, and asserts nothing.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { axe } from './journeys.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTEFACTS = join(ROOT, 'test-artifacts', 'journeys');
const LAPTOP = { name: 'laptop', width: 1280, height: 900 } as const;
const PHONE = { name: 'phone', width: 390, height: 844 } as const;
export type Width = typeof LAPTOP | typeof PHONE;
/** Every journey at both widths (CI runs the browser tests once, on the embedded database: decision 0023). */
export const WIDTHS: readonly Width[] = [LAPTOP, PHONE];
export const LANGS = ['fi', 'sv', 'en'] as const;
const README_SHOTS = Boolean(process.env.PUOLESTA_README_SHOTS);
const SCREENSHOTS = process.env.PUOLESTA_TEST_SCREENSHOTS !== '0' || README_SHOTS;

/** One journey's recorder: numbered steps, each axe-checked, fitting the width, and photographed. */
export function recorder(persona: string, lang: string, width: Width) {
  const dir = join(ARTEFACTS, persona, `${lang}-${width.name}`);
  if (SCREENSHOTS) mkdirSync(dir, { recursive: true });
  let n = 0;
  return {
    dir,
    async step(page: Page, name: string, opts: { readme?: string } = {}) {
      n += 1;
      await page.locator('text=/Ladataan|Laddar|Loading/').waitFor({ state: 'detached' }).catch(() => undefined);
      await expect.poll(() => page.evaluate(() => document.scrollingElement!.scrollWidth), { message: `${persona} ${lang} ${width.name} "${name}" scrolls sideways`, timeout: 3000 })
        .toBeLessThanOrEqual(width.width);
      await axe(page, `${persona} ${lang} ${width.name} "${name}"`);
      if (!SCREENSHOTS) return;
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const file = join(dir, `${String(n).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      if (opts.readme && README_SHOTS) {
        mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
        copyFileSync(file, join(ROOT, 'docs', 'screenshots', `${opts.readme}.png`));
      }
    },
  };
}
