/**
 * Attachments in the errand pages, in a real Chromium against a real server: Elias (in Swedish)
 * starts a building permit for his property 753-401-3-45, adds a small PDF through the file picker
 * and sees it listed (type in words, size in kB, a download link that gives the same bytes); a file
 * that is not one of the accepted types and one over the limit are refused in Swedish at the control;
 * he removes the PDF after confirming. axe on the way; 360 px does not scroll sideways.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { P } from '../../server/test/helpers.js';
import { sv } from '../src/locales/sv.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe, fits360 } from './journeys.js';

/** A small limit (not the default the UI starts from), so that a file over it is quick to make. */
const MAX_BYTES = 64 * 1024;

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness({ config: { attachmentMaxBytes: MAX_BYTES } });
  dir = mkdtempSync(join(tmpdir(), 'puolesta-attui-'));
});
afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});



function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const t = sv.errands.attachments;

describe('attachments on the errand pages', () => {
  it('Elias adds a PDF to a building permit, is refused a program and a too large file in Swedish, and removes the PDF', async () => {
    const ctx = await h.context({ lang: 'sv', who: { person: P.elias } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    const headers = await h.app.as({ person: P.elias });
    const errandNow = async (id: string) => (await h.app.app.inject({ method: 'GET', url: `/api/v1/errands/${id}`, headers })).json();

    // ---- a building permit for Kartanontie 12 (753-401-3-45) ---------------------------------------
    await page.goto('/errands/new?municipality=753&service=building-permit');
    await ready(page);
    await page.getByTestId('errand-start-form').waitFor();
    await page.getByRole('radio', { name: /Kartanontie 12/ }).check({ force: true });
    await page.getByTestId('errand-start').click();
    await page.waitForURL(/\/errands\/[^/]+\/edit$/);
    const id = /\/errands\/([^/]+)\/edit$/.exec(page.url())![1]!;
    await page.getByTestId('errand-edit-form').waitFor();
    expect((await errandNow(id)).subject).toMatchObject({ type: 'property', id: '753-401-3-45' });

    // No files yet; the control is a labelled button in Swedish, the hint says the types and the limit.
    const section = page.getByTestId('attachments');
    expect(await section.getByTestId('no-attachments').textContent()).toBe(t.none);
    expect(await section.getByTestId('attachment-add').textContent()).toBe(t.add);
    // The UI knows the server's default limit until a refusal tells it the one configured.
    expect(await section.getByTestId('attachment-hint').textContent()).toBe('En PDF-, JPEG-, PNG- eller textfil, högst 10 MB. Högst 10 filer kan fogas till ansökan.');
    const input = section.getByTestId('attachment-input');
    expect(await input.getAttribute('accept')).toBe('.pdf,.jpg,.jpeg,.png,.txt,application/pdf,image/jpeg,image/png,text/plain');
    // The native input is there for the picker, out of sight and out of the tab order.
    expect(await input.evaluate((el) => el.getBoundingClientRect().width <= 1 && el.tabIndex === -1)).toBe(true);
    // The button opens the picker.
    const chooser = page.waitForEvent('filechooser');
    await section.getByTestId('attachment-add').click();
    expect((await chooser).isMultiple()).toBe(false);
    await axe(page, 'edit page without files (sv)');

    // ---- a small PDF -------------------------------------------------------------------------------
    const before = (await errandNow(id)).version as number;
    const pdf = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Title (Situationsplan) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
    const uploads: (string | undefined)[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith(`/api/v1/errands/${id}/attachments`)) uploads.push(r.headers()['x-csrf-token']);
    });
    await input.setInputFiles(file('situationsplan.pdf', pdf));
    const row = section.getByTestId('attachment');
    await row.waitFor();
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toBeTruthy();
    expect(await row.getByTestId('attachment-download').textContent()).toBe('situationsplan.pdf');
    expect(await row.getByTestId('attachment-type').textContent()).toBe(t.types['application/pdf']);
    expect(await row.getByTestId('attachment-size').textContent()).toBe('0,1 kB');
    // Confirmed, and focus is on the confirmation.
    const done = section.getByTestId('attachment-done');
    expect(await done.textContent()).toBe('Filen situationsplan.pdf har lagts till i ansökan.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('attachment-done');
    expect(await section.getByTestId('attachment-status').getAttribute('aria-live')).toBe('polite');
    // Stored on the errand, a new version; the link downloads the same bytes.
    const stored = await errandNow(id);
    expect(stored.attachments).toHaveLength(1);
    expect(stored.version).toBeGreaterThan(before);
    const link = row.getByTestId('attachment-download');
    expect(await link.getAttribute('href')).toBe(`/api/v1/errands/${id}/attachments/${stored.attachments[0].id}`);
    expect(await link.getAttribute('download')).toBe('situationsplan.pdf');
    const got = await page.request.get(await link.getAttribute('href') as string);
    expect(got.status()).toBe(200);
    expect(Buffer.from(await got.body()).equals(pdf)).toBe(true);
    await axe(page, 'edit page with a file (sv)');
    await fits360(page, 'edit page with a file (sv)');

    // ---- a program called a PDF: refused by its content, in Swedish, at the control ----------------
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'), Buffer.alloc(200, 7)]);
    await input.setInputFiles(file('faktura.pdf', exe));
    const error = section.getByTestId('attachment-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(sv.problems['attachment.type-not-allowed']);
    expect(await error.locator('[role="alert"]').count()).toBe(1);
    expect(await section.getByTestId('attachment-add').getAttribute('aria-describedby')).toContain(await error.getAttribute('id') as string);
    expect(await section.getByTestId('attachment').count()).toBe(1);
    await axe(page, 'edit page with a refusal (sv)');

    // ---- over the limit: the limit in kB, not in bytes --------------------------------------------
    await input.setInputFiles(file('stor.pdf', Buffer.concat([pdf, Buffer.alloc(MAX_BYTES, 0x20)])));
    await expect.poll(() => error.textContent()).toBe('Filen är för stor. Filen får vara högst 64 kB.');
    expect(await section.getByTestId('attachment-hint').textContent()).toBe('En PDF-, JPEG-, PNG- eller textfil, högst 64 kB. Högst 10 filer kan fogas till ansökan.');
    expect((await errandNow(id)).attachments).toHaveLength(1);

    // ---- the errand page lists it for reading ------------------------------------------------------
    await page.goto(`/errands/${id}`);
    await ready(page);
    await page.getByTestId('attachment').waitFor();
    expect(await page.getByTestId('attachment-download').textContent()).toBe('situationsplan.pdf');
    await axe(page, 'errand page with a file (sv)');
    await fits360(page, 'errand page with a file (sv)');

    // ---- removed, after confirming -----------------------------------------------------------------
    await page.goto(`/errands/${id}/edit`);
    await ready(page);
    await page.getByTestId('attachment').waitFor();
    await page.getByTestId('attachment-remove').click();
    const confirm = page.getByTestId('attachment-remove-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('Filen situationsplan.pdf tas bort från ansökan.');
    // Cancelling keeps it.
    await page.getByTestId('attachment-remove-cancel').click();
    expect(await page.getByTestId('attachment').count()).toBe(1);
    await page.getByTestId('attachment-remove').click();
    await axe(page, 'confirming removal (sv)');
    await page.getByTestId('attachment-remove-yes').click();
    await page.getByTestId('no-attachments').waitFor();
    expect(await page.getByTestId('attachment-done').textContent()).toBe('Filen situationsplan.pdf har tagits bort från ansökan.');
    expect((await errandNow(id)).attachments).toHaveLength(0);
    await axe(page, 'edit page after removal (sv)');
    await fits360(page, 'edit page after removal (sv)');
    await ctx.close();
  });

  it('an errand that may not be changed shows the list without the controls', async () => {
    // A withdrawn errand is still Elias's to read, but `attach` is no longer in its permittedActions.
    const headers = await h.app.as({ person: P.elias });
    const created = await h.app.app.inject({ method: 'POST', url: '/api/v1/errands', headers, payload: { municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data: {} } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const withdrawn = await h.app.app.inject({ method: 'POST', url: `/api/v1/errands/${id}/withdraw`, headers });
    expect(withdrawn.statusCode).toBe(200);
    const ctx = await h.context({ lang: 'sv', who: { person: P.elias } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`/errands/${id}`);
    await ready(page);
    await page.getByTestId('attachments').waitFor();
    expect(await page.getByTestId('no-attachments').textContent()).toBe(t.none);
    expect(await page.getByTestId('attachment-add').count()).toBe(0);
    expect(await page.getByTestId('attachment-input').count()).toBe(0);
    await ctx.close();
  });
});
