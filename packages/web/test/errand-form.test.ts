/**
 * The errand form renderer on the preview page (/services/:municipality/:service/form-preview), in a
 * real Chromium at 360 px: three forms of Sipoo (753) in Finnish, Swedish and English. Labels are in
 * the reader's language, "Check" lists the missing required fields and moves focus to the list, the
 * example fills every field, the read-only summary shows the values as people read them, conditional
 * fields come and go with their condition, and axe finds no serious or critical violation.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { FORMS } from '../../server/src/forms/forms.js';
import { formatDate, isoToInput } from '../src/dates.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { en } from '../src/locales/en.js';
import { asFormSchema, enumTitle, exampleOf, fieldLabel, fieldStates, missingRequired, titleOf, type FormSchema } from '../src/forms.js';
import { startHarness, type Harness } from './browser.js';
import { axe } from './journeys.js';

const DICTS = { fi, sv, en };
const LANGS = ['fi', 'sv', 'en'] as const;
const SERVICES = ['ece-application', 'building-permit', 'association-grant'] as const;
const WIDTH = 360;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const form = (code: string): FormSchema => asFormSchema(FORMS[code])!;

async function open(ctx: BrowserContext, service: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: WIDTH, height: 800 });
  await page.goto(`/services/753/${service}/form-preview`);
  await page.getByTestId('errand-form').waitFor();
  return page;
}

/** Nothing sticks out sideways at 360 px. */
async function fitsWidth(page: Page, what: string) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide, `${what}: page is ${wide}px wide`).toBeLessThanOrEqual(WIDTH);
}

/** How the summary should show a top-level value of the example (the simple kinds). */
function shown(schema: FormSchema, name: string, value: unknown, lang: (typeof LANGS)[number]): string | null {
  const field = schema.properties[name]!;
  if (typeof value === 'boolean') return value ? DICTS[lang].errandForm.yes : DICTS[lang].errandForm.no;
  if (field.enum) return enumTitle(field, value, lang);
  if (field.format === 'date') return formatDate(String(value), lang);
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return null;
}

describe.each(LANGS)('errand forms in %s at 360 px', (lang) => {
  let ctx: BrowserContext;
  beforeAll(async () => {
    ctx = await h.context({ lang });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it.each(SERVICES)('%s: labels in the language, missing fields listed, the example filled in and shown read-only', async (service) => {
    const d = DICTS[lang];
    const schema = form(service);
    const page = await open(ctx, service);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    expect(await page.locator('h1').textContent()).toBe(schema['x-title']![lang]);

    // Every field shown now is labelled in this language, and required or optional as the schema says.
    const states = fieldStates(schema, {});
    const formText = (await page.getByTestId('errand-form').innerText()).replace(/\s+/g, ' ');
    for (const [name, field] of Object.entries(schema.properties)) {
      const wrapper = page.locator(`[id="preview-${name}"]`);
      if (!states[name]!.visible) {
        expect(await wrapper.count(), `${name} hidden`).toBe(0);
        continue;
      }
      const label = await wrapper.locator('label, legend').first().innerText();
      expect(label.startsWith(field['x-title']![lang]), `${service} ${name}: "${label}"`).toBe(true);
      // A check box is an answer either way: it carries no "optional" marker.
      if (field.type !== 'boolean') expect(label.includes(d.common.optional), `${name} marked optional`).toBe(!states[name]!.required);
      expect(await wrapper.getAttribute('data-required'), `${name} required`).toBe(String(states[name]!.required));
    }
    expect(formText).toContain(d.errandForm.optionalNote);
    await fitsWidth(page, `${service} empty`);
    await axe(page, `${lang} ${service} empty`);

    // Check: the required fields that are missing, named in this language, focus on the list.
    await page.getByTestId('check').click();
    const summary = page.getByTestId('errand-errors');
    await summary.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('preview-errors-title');
    const missing = missingRequired(schema, {});
    const items = await summary.locator('li').allInnerTexts();
    expect(items).toEqual(missing.map((p) => d.problems['form.required'].replace('{{field}}', fieldLabel(schema, p, lang))));
    // The message stands at the field too; the list's link takes focus to the field.
    const first = missing[0]!;
    expect(await page.locator(`[id="preview-${first}"]`).innerText()).toContain(items[0]!);
    await summary.locator('a').first().click();
    expect(await page.evaluate((id) => document.activeElement?.closest(`[id="${id}"]`) !== null, `preview-${first}`)).toBe(true);
    await fitsWidth(page, `${service} with errors`);
    await axe(page, `${lang} ${service} with errors`);

    // The example fills every field; nothing is missing any more.
    await page.getByTestId('fill-example').click();
    await page.getByTestId('check').click();
    await page.getByTestId('check-result').filter({ hasText: d.formPreview.checkedOk }).waitFor();
    expect(await summary.count()).toBe(0);
    const example = exampleOf(schema);
    for (const [name, value] of Object.entries(example)) {
      const field = schema.properties[name]!;
      const input = page.locator(`[id="preview-${name}-input"]`);
      if (field.format === 'date') expect(await input.inputValue(), name).toBe(isoToInput(String(value)));
      else if (field.type === 'string' && !field.enum) expect(await input.inputValue(), name).toBe(value);
      else if (field.type === 'integer' && !field.enum) expect(await input.inputValue(), name).toBe(String(value));
    }
    await fitsWidth(page, `${service} filled`);
    await axe(page, `${lang} ${service} filled`);

    // Read-only: a definition list of titles and values as people read them.
    await page.getByTestId('toggle-summary').click();
    const readOnly = page.getByTestId('errand-form-readonly');
    await readOnly.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-preview-summary');
    for (const [name, value] of Object.entries(example)) {
      const dd = readOnly.locator(`dd[data-path="${name}"]`);
      expect(await dd.count(), name).toBe(1);
      const dt = await dd.evaluate((el) => el.previousElementSibling?.textContent);
      expect(dt).toBe(titleOf(schema.properties[name]!, lang));
      const want = shown(schema, name, value, lang);
      if (want !== null) expect((await dd.innerText()).trim(), name).toBe(want);
    }
    await fitsWidth(page, `${service} read-only`);
    await axe(page, `${lang} ${service} read-only`);
    await page.close();
  });
});

describe('filling in', () => {
  it('a conditional field appears, is required and goes away with its condition; numbers take a decimal comma', async () => {
    const ctx = await h.context({ lang: 'fi' });
    const page = await open(ctx, 'ece-application');
    const description = page.locator('[id="preview-specialNeedsDescription"]');
    expect(await description.count()).toBe(0);
    await page.locator('[id="preview-specialNeeds"] label', { hasText: 'Kyllä' }).click();
    await description.waitFor();
    expect(await description.getAttribute('data-required')).toBe('true');
    expect(await description.innerText()).not.toContain('vapaaehtoinen');
    await page.locator('[id="preview-specialNeeds"] label', { hasText: 'Ei' }).click();
    await description.waitFor({ state: 'detached' });

    // Typing: a number with a decimal comma stays as typed; a date in d.M.yyyy is read as a date.
    await page.locator('[id="preview-dailyHours-input"]').fill('7,5');
    expect(await page.locator('[id="preview-dailyHours-input"]').inputValue()).toBe('7,5');
    await page.locator('[id="preview-startDate-input"]').fill('9.8.2027');
    await page.getByTestId('toggle-summary').click();
    const readOnly = page.getByTestId('errand-form-readonly');
    expect(await readOnly.locator('dd[data-path="dailyHours"]').innerText()).toBe('7,5');
    expect(await readOnly.locator('dd[data-path="startDate"]').innerText()).toBe('9.8.2027');
    expect(await readOnly.locator('dd[data-path="specialNeeds"]').innerText()).toBe('Ei');
    await ctx.close();
  });

  it('a list adds and removes items within its bounds, focus following', async () => {
    const ctx = await h.context({ lang: 'en' });
    const page = await open(ctx, 'ece-application');
    const add = page.locator('[id="preview-preferredUnits-add"]');
    for (let i = 0; i < 3; i++) {
      await add.click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`preview-preferredUnits-${i}-input`);
      await page.locator(`[id="preview-preferredUnits-${i}-input"]`).fill(`Unit ${i + 1}`);
    }
    // Up to three: no more "add".
    expect(await add.count()).toBe(0);
    expect(await page.locator('[id="preview-preferredUnits-1"] label').innerText()).toContain('Unit 2');
    await page.locator('[id="preview-preferredUnits"] button', { hasText: 'Remove' }).nth(1).click();
    await add.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('preview-preferredUnits-add');
    expect(await page.locator('[id="preview-preferredUnits-1-input"]').inputValue()).toBe('Unit 3');
    await page.getByTestId('toggle-summary').click();
    expect(await page.locator('dd[data-path="preferredUnits"] li').allInnerTexts()).toEqual(['Unit 1', 'Unit 3']);
    await ctx.close();
  });

  it('an unknown service says so in the reader\'s language', async () => {
    const ctx = await h.context({ lang: 'sv' });
    const page = await ctx.newPage();
    await page.goto('/services/753/no-such-service/form-preview');
    const alert = page.getByTestId('error');
    await alert.waitFor();
    expect(await alert.innerText()).toBe(sv.problems['catalogue.unknown-service'].replace('{{municipality}}', '753').replace('{{service}}', 'no-such-service'));
    await ctx.close();
  });
});
