/**
 * The service catalogue in a real Chromium against a real server: a citizen's service list with a
 * link that opens a prefilled request, a municipality admin's stricter (and refused looser) policy,
 * and the umbrella organisation previewing and saving a class change.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { PTV_PAGE, PTV_PERMIT, PTV_POOL, ready, startHarness, type Harness } from './browser.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('service catalogue in the browser', () => {
  it('a citizen of Espoo sees ECE with the "confirm" requirement and opens a prefilled request', async () => {
    const ctx = await h.context({ lang: 'fi', who: { person: P.laura } });
    const page = await ctx.newPage();
    await page.goto('/');
    await ready(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Palvelut' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kunnan palvelut' }).waitFor();
    const ece = page.locator('[data-testid="service"][data-code="ece-application"]');
    await ece.waitFor();
    expect(await page.getByTestId('services-count').textContent()).toContain('Espoo');
    expect(await ece.getByTestId('policy-badge').getAttribute('data-policy')).toBe('alone-confirm');
    expect(await ece.getByTestId('policy-badge').textContent()).toBe('Voit asioida yksin, muiden pitää vahvistaa');
    expect((await ece.getByTestId('guidance').textContent())!.length).toBeGreaterThan(20);
    expect(await ece.getByTestId('service-issues').textContent()).toBe('Varhaiskasvatusasiat');

    // The search narrows the list by name.
    await page.locator('input#services-search').fill('varhaiskasv');
    await page.locator('[data-testid="service"][data-code="building-permit"]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="service"]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid="service"][data-code="ece-application"]').count()).toBe(1);

    await page.getByTestId('request-ece-application').click();
    await page.getByRole('heading', { level: 1, name: 'Pyydä valtuutta' }).waitFor();
    expect(new URL(page.url()).searchParams.get('issues')).toBe('early-childhood-education');
    expect(await page.locator('input#request-issue-early-childhood-education').isChecked()).toBe(true);
    expect(await page.locator('input#request-issue-housing').isChecked()).toBe(false);
    expect(await page.locator('button#municipality_button').textContent()).toContain('Espoo');
    await ctx.close();
  });

  it('anyone can read the service list without logging in, from the login page', async () => {
    const ctx = await h.context({ lang: 'sv' });
    const page = await ctx.newPage();
    await page.goto('/login');
    await ready(page);
    await page.getByTestId('public-services').click();
    await page.getByRole('heading', { level: 1, name: 'Kommunens tjänster' }).waitFor();
    await page.locator('[data-testid="service"]').first().waitFor();
    expect(await page.locator('[data-testid="service"] [data-testid="guidance"]').first().textContent()).toBeTruthy();
    await ctx.close();
  });

  it('a municipality admin lands on /admin, makes a policy stricter on the requirements page, and is not offered a looser one', async () => {
    const ctx = await h.context({ lang: 'en' });
    const page = await ctx.newPage();
    await page.goto('/login');
    await ready(page);
    await page.getByTestId('staff-admin-753').click();
    await page.getByRole('heading', { level: 1, name: 'Service catalogue: Sipoo' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin');
    await page.getByTestId('admin-nav-policies').click();
    await page.waitForURL('**/admin/policies');

    const ece = page.locator('[data-testid="admin-service"][data-code="ece-application"]');
    await ece.waitFor();
    expect(await ece.getByTestId('local-policy').getAttribute('data-policy')).toBe('alone-notify');
    await page.getByTestId('change-ece-application').click();
    await ece.locator('input#policy-ece-application-alone-confirm').check({ force: true });
    await ece.getByTestId('policy-save').click();
    await ece.getByTestId('policy-saved').waitFor();
    expect(await ece.getAttribute('data-overridden')).toBe('true');
    expect(await ece.getByTestId('local-policy').getAttribute('data-policy')).toBe('alone-confirm');
    expect(await ece.getByTestId('common-policy').getAttribute('data-policy')).toBe('alone-notify');

    // Looser than the common catalogue is not offered (the server would refuse it: packages/server/test covers the refusal).
    await page.getByTestId('change-ece-application').click();
    await ece.getByTestId('policy-form').waitFor();
    expect(await ece.locator('input#policy-ece-application-alone-notify').count()).toBe(1);
    expect(await ece.locator('input#policy-ece-application-alone-attest').count()).toBe(0);
    expect(await ece.locator('input#policy-ece-application-no-need').count()).toBe(0);
    const r = await fetch(`${h.app.url}/api/v1/municipalities/753/services/ece-application`);
    expect(((await r.json()) as { policy: { alternative: string } }).policy.alternative).toBe('confirm');
    await ctx.close();
  });

  it('the umbrella admin previews a class change (impact per municipality, override dropped), saves it and compares versions', async () => {
    const ctx = await h.context({ lang: 'fi', who: { staff: 'umbrella-admin' } });
    const page = await ctx.newPage();
    const versionCount = async () => ((await (await fetch(`${h.app.url}/api/v1/catalogue/versions`)).json()) as { versions: unknown[] }).versions.length;
    const versionsBefore = await versionCount();
    await page.goto('/admin/policies');
    await ready(page);
    const cls = page.locator('[data-testid="class"][data-code="ece-application"]');
    await page.getByTestId('edit-ece-application').click();
    await cls.locator('input#class-policy-mandate').check({ force: true });
    await page.locator('input#class-note').fill('Varhaiskasvatus vaatii valtuuden');
    await page.getByTestId('class-preview').click();
    await page.getByTestId('impact').waitFor();
    const espoo = page.locator('[data-testid="impact-row"][data-municipality="049"]');
    expect(await espoo.getAttribute('data-dropped')).toBe('true');
    expect(await espoo.textContent()).toContain('Espoo');
    expect(await espoo.textContent()).toContain('Voit asioida yksin, muiden pitää vahvistaa');
    expect(await espoo.textContent()).toContain('Valtuus tarvitaan');
    expect(await page.locator('[data-testid="impact-row"][data-changes="true"]').count()).toBe(6);
    // Nothing is saved by the preview.
    const mid = await fetch(`${h.app.url}/api/v1/municipalities/049/services/ece-application`);
    expect(((await mid.json()) as { policy: { kind: string } }).policy.kind).toBe('alone');

    await page.getByTestId('class-save').click();
    await page.getByTestId('class-saved').waitFor();
    await page.locator('[data-testid="class"][data-code="ece-application"] [data-policy="mandate"]').waitFor();
    await page.getByTestId('admin-nav-versions').click();
    await page.locator('[data-testid="version-row"]').nth(versionsBefore).waitFor();
    const after = await fetch(`${h.app.url}/api/v1/municipalities/049/services/ece-application`);
    expect(((await after.json()) as { policy: { kind: string } }).policy.kind).toBe('mandate');

    await page.getByTestId('compare-submit').click();
    const changed = page.locator('[data-testid="comparison"] [data-testid="diff-changed"][data-code="ece-application"]');
    await changed.waitFor();
    expect(await changed.textContent()).toContain('Valtuus tarvitaan');
    await ctx.close();
  });
  it('a municipality admin imports a PTV page, confirms a suggestion, and the coverage report lists the unclassified service', async () => {
    const ctx = await h.context({ lang: 'fi', who: { staff: 'admin-753' } });
    const page = await ctx.newPage();
    await page.goto('/admin/ptv');
    await ready(page);
    await page.getByTestId('ptv-pending').waitFor();

    // The file is chosen with a button in the reader's language; the browser's own control ("Choose File") is hidden.
    expect(await page.getByTestId('ptv-choose-file').textContent()).toBe('Valitse tiedosto');
    expect(await page.locator('input#ptv-file').evaluate((el) => el.getBoundingClientRect().width <= 1)).toBe(true);
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('ptv-choose-file').click();
    await chooser;
    // A refused file: the server's words and the record it names.
    const bad = { pageNumber: 1, pageSize: 10, pageCount: 1, itemList: [PTV_PAGE.itemList[0], { id: PTV_POOL, type: 'Service', serviceNames: [] }] };
    await page.locator('input#ptv-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await page.getByTestId('ptv-file-name').waitFor();
    await page.getByTestId('ptv-submit').click();
    await page.getByTestId('ptv-error').waitFor();
    expect(await page.getByTestId('ptv-error-field').textContent()).toContain('itemList.1.serviceNames');

    await page.locator('input#ptv-file').setInputFiles({ name: 'ptv.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(PTV_PAGE)) });
    await page.getByTestId('ptv-submit').click();
    await page.getByTestId('ptv-result').waitFor();
    expect(await page.getByTestId('ptv-error').count()).toBe(0);
    expect(await page.getByTestId('ptv-counts').textContent()).toBe('Uusia 2, päivitettyjä 0, ennallaan 0.');
    const suggestion = page.locator(`[data-testid="ptv-suggestion"][data-ptv="${PTV_PERMIT}"]`);
    expect(await suggestion.getAttribute('data-service')).toBe('building-permit');
    expect(await suggestion.textContent()).toContain('Rakennuslupa');
    const unclassified = page.locator(`[data-testid="ptv-unclassified"][data-ptv="${PTV_POOL}"]`);
    await unclassified.waitFor();
    expect(await unclassified.textContent()).toContain('Uimahallin aukioloajat');
    // Until confirmed, both are outside the municipality's classified services.
    await page.getByTestId('admin-nav-coverage').click();
    await page.locator(`[data-testid="coverage-unclassified-item"][data-ptv="${PTV_PERMIT}"]`).waitFor();

    await page.getByTestId('admin-nav-ptv').click();
    await page.getByTestId(`confirm-${PTV_PERMIT}`).click();
    await suggestion.getByTestId('ptv-linked').waitFor();
    await page.getByTestId('admin-nav-coverage').click();
    await page.locator(`[data-testid="coverage-unclassified-item"][data-ptv="${PTV_POOL}"]`).waitFor();
    expect(await page.locator(`[data-testid="coverage-unclassified-item"][data-ptv="${PTV_PERMIT}"]`).count()).toBe(0);
    const item = page.locator(`[data-testid="coverage-unclassified-item"][data-ptv="${PTV_POOL}"]`);
    expect(await item.textContent()).toContain('Uimahallin aukioloajat');
    expect(await page.getByTestId('coverage').textContent()).toContain('Palvelut, joilla ei ole puolesta asioinnin luokitusta');
    const cookie = await h.app.login({ staff: 'admin-753' });
    const cov = await fetch(`${h.app.url}/api/v1/admin/municipalities/753/coverage`, { headers: { cookie } });
    const body = (await cov.json()) as { unclassified: { ptvId: string }[] };
    expect(body.unclassified.map((u) => u.ptvId)).toEqual([PTV_POOL]);
    await ctx.close();
  });
  it('a municipality admin adopts a common class with a local name, link and contact, sees a refused e-mail, and stops offering it', async () => {
    const offered = ((await (await fetch(`${h.app.url}/api/v1/municipalities/753/services`)).json()) as { services: { code: string }[] }).services.map((s) => s.code);
    const classes = ((await (await fetch(`${h.app.url}/api/v1/catalogue/services`)).json()) as { services: { code: string; name: { en: string } }[] }).services;
    const cls = classes.find((c) => !offered.includes(c.code))!;
    expect(cls).toBeTruthy();
    const ctx = await h.context({ lang: 'en', who: { staff: 'admin-753' } });
    const page = await ctx.newPage();
    await page.goto('/admin/local-services');
    await ready(page);
    await page.getByTestId('adopt').waitFor();
    await page.locator('button#adopt-class_button').click();
    await page.getByRole('option', { name: cls.name.en, exact: true }).click();
    await page.getByTestId('adopt-form').waitFor();
    for (const [l, v] of [['fi', 'Oma nimi'], ['sv', 'Eget namn'], ['en', 'Own name in Sipoo']]) await page.locator(`input#adopt-name-${l}`).fill(v!);
    await page.locator('input#adopt-link-url').fill('https://www.sipoo.fi/palvelu');
    await page.locator('input#adopt-link-title').fill('Instructions');
    await page.locator('input#adopt-contact-phone').fill('09 123 4567');
    await page.locator('input#adopt-contact-email').fill('not-an-address');
    await page.getByTestId('adopt-save').click();
    await page.getByTestId('adopt-form').getByText('contact.email is not an e-mail address.').first().waitFor();
    await page.locator('input#adopt-contact-email').fill('palvelu@sipoo.example');
    await page.getByTestId('adopt-save').click();
    await page.getByTestId('local-saved').waitFor();
    const card = page.locator(`[data-testid="admin-service"][data-code="${cls.code}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('Own name in Sipoo');
    const pub = (await (await fetch(`${h.app.url}/api/v1/municipalities/753/services/${cls.code}`, { headers: { 'accept-language': 'en' } })).json()) as { title: string; links: { url: string }[]; contact: { phone: string; email: string } };
    expect(pub).toMatchObject({ title: 'Own name in Sipoo', links: [{ url: 'https://www.sipoo.fi/palvelu' }], contact: { phone: '09 123 4567', email: 'palvelu@sipoo.example' } });

    await page.getByTestId(`stop-${cls.code}`).click();
    await page.getByTestId(`stop-confirm-${cls.code}`).click();
    await card.waitFor({ state: 'detached' });
    expect((await fetch(`${h.app.url}/api/v1/municipalities/753/services/${cls.code}`)).status).toBe(404);
    await ctx.close();
  });
  it('the umbrella admin renames an issue in Swedish and adds a bundle; the new names show at once and the versions list grows', async () => {
    const ctx = await h.context({ lang: 'sv', who: { staff: 'umbrella-admin' } });
    const page = await ctx.newPage();
    const versions = async () => ((await (await fetch(`${h.app.url}/api/v1/catalogue/versions`)).json()) as { versions: { version: number }[] }).versions;
    const versionsBefore = (await versions()).length;
    await page.goto('/admin/catalogue');
    await ready(page);
    await page.getByTestId('issues-admin').waitFor();

    await page.getByTestId('edit-issue-housing').click();
    await page.getByTestId('issue-form').waitFor();
    await page.locator('input#issue-name-sv').fill('Boende och bostad');
    await page.locator('input#issue-note').fill('Nytt svenskt namn');
    await page.getByTestId('issue-save').click();
    await page.getByTestId('issue-saved').waitFor();
    const housing = page.locator('[data-testid="admin-issue"][data-code="housing"]');
    await housing.locator('[data-testid="issue-name-sv"]', { hasText: 'Boende och bostad' }).waitFor();
    expect((await versions()).length).toBe(versionsBefore + 1);
    const issueVersion = String((await versions())[0]!.version);
    expect(await page.getByTestId('issue-saved').textContent()).toContain(`version ${issueVersion}`);

    // A new bundle: refused without issues (the code's Swedish text at the checkboxes), then saved.
    await page.getByTestId('add-bundle').click();
    await page.getByTestId('bundle-form').waitFor();
    await page.locator('input#bundle-code').fill('moving-home');
    for (const [l, v] of [['fi', 'Muutto'], ['sv', 'Flytt'], ['en', 'Moving home']]) await page.locator(`input#bundle-name-${l}`).fill(v!);
    await page.getByTestId('bundle-save').click();
    await page.getByTestId('bundle-form').getByText('En ärendehelhet måste ha minst ett ärende.').waitFor();
    // The renamed issue already has its new name in the form.
    expect(await page.getByTestId('bundle-form').textContent()).toContain('Boende och bostad');
    await page.locator('input#bundle-issue-housing').check({ force: true });
    await page.locator('input#bundle-issue-parking-and-streets').check({ force: true });
    await page.getByTestId('bundle-save').click();
    await page.getByTestId('bundle-saved').waitFor();
    const bundle = page.locator('[data-testid="admin-bundle"][data-code="moving-home"]');
    await bundle.waitFor();
    expect(await bundle.getByRole('heading').textContent()).toBe('Flytt');
    expect(await bundle.getByTestId('bundle-issues').textContent()).toContain('Boende och bostad');
    expect((await versions()).length).toBe(versionsBefore + 2);
    const bundleVersion = (await versions())[0]!.version;
    expect(bundleVersion).toBe(Number(issueVersion) + 1);
    expect(await page.getByTestId('bundle-saved').textContent()).toContain(`version ${bundleVersion}`);
    // The versions page lists both, newest first, with their notes.
    await page.getByTestId('admin-nav-versions').click();
    await page.getByTestId('version-row').nth(versionsBefore + 1).waitFor();
    expect(await page.getByTestId('version-row').nth(1).textContent()).toContain('Nytt svenskt namn');

    const bundles = (await (await fetch(`${h.app.url}/api/v1/catalogue/bundles`)).json()) as { bundles: { code: string; issues: string[] }[] };
    expect([...(bundles.bundles.find((b) => b.code === 'moving-home')?.issues ?? [])].sort()).toEqual(['housing', 'parking-and-streets']);
    const issues = (await (await fetch(`${h.app.url}/api/v1/catalogue/issues`)).json()) as { issues: { code: string; name: { sv: string } }[] };
    expect(issues.issues.find((i) => i.code === 'housing')?.name.sv).toBe('Boende och bostad');
    await ctx.close();
  });
});
