/**
 * What the errand journeys (journeys-*.test.ts) share: axe on a page, a person's own browser context
 * and page in their language, the errand's id from the address, a form's filled-in example saved as
 * the applicant, a 360 px check. Shared by every errand browser test.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { AxeResults } from 'axe-core';
import { FORMS } from '../../server/src/forms/forms.js';
import type { Harness } from './browser.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * No serious or critical axe violation on the page as it is now. Only the rules that can report one
 * run: a rule with an impact of its own reports that impact, one without reports its checks' worst
 * (axe-core's aggregation); the rest (e.g. `region`, moderate) could never fail this and took a third
 * of axe's time on a page.
 */
export async function axe(page: Page, what: string) {
  const bad = await graveViolations(page);
  const report = bad.map((v) => `${what}: [${v.impact}] ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
  expect(report, report).toBe('');
}

/**
 * axe's serious and critical violations on the page; `allRules` runs every rule (what `axe` is checked against).
 * A clean page is checked without making CSS selectors for the nodes and without collecting passes (a fifth
 * of axe's time); only when something is found does axe run again with selectors, to name the nodes.
 */
export async function graveViolations(page: Page, opts: { allRules?: boolean } = {}): Promise<AxeResults['violations']> {
  const allRules = opts.allRules ?? false;
  const found = await axeRun(page, allRules, false);
  return found.length ? axeRun(page, allRules, true) : found;
}

async function axeRun(page: Page, allRules: boolean, selectors: boolean): Promise<AxeResults['violations']> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE); // evaluated over DevTools: the page's CSP (no inline script) stays in force
  const result = await page.evaluate(({ allRules, selectors }) => {
    type Check = string | { id: string };
    type Rule = { id: string; impact?: string | null; enabled: boolean; tags: string[]; any: Check[]; all: Check[]; none: Check[] };
    const a = (window as unknown as { axe: { run(c: Document, o: object): Promise<AxeResults>; _audit: { rules: Rule[]; checks: Record<string, { metadata?: { impact?: string } }> } } }).axe;
    const options = { resultTypes: ['violations'], selectors, ...(selectors ? {} : { reporter: 'no-passes' }) };
    if (allRules) return a.run(document, options);
    const grave = (i: string | null | undefined) => i === 'serious' || i === 'critical';
    const checkImpact = (c: Check) => a._audit.checks[typeof c === 'string' ? c : c.id]?.metadata?.impact;
    const rules = a._audit.rules
      .filter((r) => r.enabled && !r.tags.includes('experimental') && !r.tags.includes('deprecated'))
      .filter((r) => (r.impact ? grave(r.impact) : [...r.any, ...r.all, ...r.none].some((c) => grave(checkImpact(c)))))
      .map((r) => r.id);
    return a.run(document, { ...options, runOnly: { type: 'rule', values: rules } });
  }, { allRules, selectors });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The page fits a 360 px wide phone (no sideways scroll) and passes axe there. */
export async function fits360(page: Page, what: string) {
  await page.setViewportSize({ width: 360, height: 740 });
  await expect.poll(() => page.evaluate(() => document.scrollingElement!.scrollWidth), { message: `${what} scrolls sideways at 360 px`, timeout: 3000 }).toBeLessThanOrEqual(360);
  await axe(page, `${what} at 360 px`);
  await page.setViewportSize({ width: 1100, height: 900 });
}

/** A person (or a caseworker) in a browser of their own, in their language. */
export async function openAs(h: Harness, lang: 'fi' | 'sv' | 'en', who: { person: string } | { staff: string }): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await h.context({ lang, who });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return { ctx, page };
}

/** The errand's id from the edit page's address the start page went to. */
export async function startedErrandId(page: Page): Promise<string> {
  await page.waitForURL(/\/errands\/[^/]+\/edit$/);
  return /\/errands\/([^/]+)\/edit$/.exec(page.url())![1]!;
}

/** The form's filled-in example, saved through the API as the applicant (the long forms). */
export async function saveExample(h: Harness, id: string, who: string, service: string) {
  const data = structuredClone((FORMS[service] as unknown as { examples: unknown[] }).examples[0]);
  const r = await h.app.app.inject({ method: 'PUT', url: `/api/v1/errands/${id}`, headers: await h.app.as({ person: who }), payload: { data } });
  expect(r.statusCode, r.body).toBe(200);
}

/** The actions the page offers, by their test ids. */
export const actionsOn = (page: Page) => page.locator('[data-testid^="errand-action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
