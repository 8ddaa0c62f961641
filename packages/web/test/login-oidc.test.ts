/**
 * A citizen logs in with strong e-identification, through a real OpenID Connect provider running
 * locally (oidc-provider, standing in for Suomi.fi e-Identification; the fixture's people are its
 * accounts), in production mode: no demo login. The login page offers the Suomi.fi button (axe, 360 px),
 * the provider sends the citizen back into the portal with a session, and signing out ends the
 * session at the provider too. A login that cannot be completed comes back to the login page with
 * the reason in Finnish. A caseworker logs in from the municipality's provider (in Swedish), their group
 * mapped to the caseworker role by configuration.
 * Needs the built UI (`npm run build:web`; `npm test` does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../../server/test/helpers.js';
import { startTestProvider, type TestProvider } from '../../server/test/oidc-test-provider.js';
import { demoFixture } from '../../server/src/registers/fixture.js';
import { seedFixture } from '../../server/src/registers/seed.js';
import { reloadCatalogue } from '../../server/src/services/catalogue.service.js';
import type { OidcConfig } from '../../server/src/config.js';
import { fi } from '../src/locales/fi.js';
import { sv } from '../src/locales/sv.js';
import { problemsFi } from '../src/locales/problems.fi.js';
import { ready, startHarness, type Harness } from './browser.js';
import { axe, fits360 } from './journeys.js';

let h: Harness;
let idp: TestProvider;
beforeAll(async () => {
  idp = await startTestProvider(demoFixture(), [{ sub: 'kaisa.k@kerava.test', name: 'Kaisa Kuntalainen', municipality: '245', roles: ['puolesta-asiakaspalvelu'] }]);
  // The app's address is known once it listens: its OIDC settings are filled in then (read at first login).
  const oidc = idp.appConfig('', '') as OidcConfig;
  const staffOidc = idp.staffConfig('', '');
  h = await startHarness({ config: { mode: 'production', oidc, staffOidc } });
  Object.assign(oidc, idp.appConfig(`${h.app.url}/api/v1/auth/callback`, `${h.app.url}/`));
  Object.assign(staffOidc, idp.staffConfig(`${h.app.url}/api/v1/auth/staff/callback`, `${h.app.url}/`));
  idp.start(oidc.redirectUrl, oidc.postLogoutUrl, staffOidc.redirectUrl);
  // Production mode seeds nothing: the registers' people and the catalogue are put in as an import would.
  await seedFixture(h.app.ctx.db, demoFixture());
  await reloadCatalogue(h.app.ctx);
});
afterAll(async () => {
  await h?.close();
  await idp?.close();
});

describe('login with e-identification (OIDC)', () => {
  it('logs Aino in through the provider and signs her out there too', async () => {
    const ctx = await h.context();
    const page = await ctx.newPage();
    await page.goto('/login');
    await ready(page);
    const button = page.getByTestId('login-suomifi');
    await expect.poll(() => button.textContent()).toBe(fi.login.eidButton);
    expect(await page.getByTestId('persona-aino').count()).toBe(0);
    await axe(page, 'login page with e-identification (fi)');
    await fits360(page, 'login page with e-identification (fi)');

    await button.click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.fill('#login', P.aino);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.origin === h.app.url && !u.pathname.startsWith('/api/') && u.pathname !== '/login');
    await ready(page);
    await expect.poll(() => page.getByTestId('logout').count()).toBe(1);
    const me = await (await page.request.get('/api/v1/me')).json() as { kind: string; person: { id: string; name?: string } };
    expect(me.kind).toBe('person');
    expect(me.person.id).toBe(P.aino);

    const before = idp.signOuts;
    await page.getByTestId('logout').click();
    await page.waitForURL(`${idp.issuer}/**`);
    await page.click('button[name=logout][value=yes]');
    await page.waitForURL((u) => u.origin === h.app.url);
    await ready(page);
    expect(idp.signOuts).toBe(before + 1);
    expect((await page.request.get('/api/v1/me')).status()).toBe(401);
    await ctx.close();
  });

  it('logs a Kerava caseworker in from the municipality\'s provider, the role mapped from their group', async () => {
    const ctx = await h.context({ lang: 'sv' });
    const page = await ctx.newPage();
    await page.goto('/login');
    await ready(page);
    const button = page.getByTestId('login-staff-sso');
    await expect.poll(() => button.textContent()).toBe(sv.login.staffSsoButton);
    await button.click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.fill('#login', 'kaisa.k@kerava.test');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.origin === h.app.url && !u.pathname.startsWith('/api/') && u.pathname !== '/login');
    await ready(page);
    const me = await (await page.request.get('/api/v1/me')).json() as { kind: string; staff: { name: string; municipality: string; roles: string[] } };
    expect(me).toMatchObject({ kind: 'staff', staff: { name: 'Kaisa Kuntalainen', municipality: '245', roles: ['caseworker'] } });
    await expect.poll(() => page.getByText('Kaisa Kuntalainen').count()).toBeGreaterThan(0);
    await axe(page, 'caseworker home after staff login (sv)');
    await ctx.close();
  });

  it('comes back to the login page saying why, when the login cannot be completed', async () => {
    const ctx = await h.context();
    const page = await ctx.newPage();
    // A callback this browser did not start (no login under way): back to the login page.
    await page.goto('/api/v1/auth/callback?code=forged&state=forged');
    await page.waitForURL(`${h.app.url}/login?loginError=auth.login-expired`);
    await ready(page);
    await expect.poll(() => page.getByTestId('error').textContent()).toBe(problemsFi['auth.login-expired']);
    expect((await page.request.get('/api/v1/me')).status()).toBe(401);
    await axe(page, 'login page with a login error (fi)');
    await ctx.close();
  });
});
