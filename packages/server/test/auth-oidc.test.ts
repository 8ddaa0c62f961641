import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, type OidcConfig } from '../src/config.js';
import { demoFixture } from '../src/registers/fixture.js';
import { seedFixture } from '../src/registers/seed.js';
import { reloadCatalogue } from '../src/services/catalogue.service.js';
import { P, startTestApp, type TestApp } from './helpers.js';
import { LOA_HIGH, LOA_SUBSTANTIAL, startTestProvider, type StaffAccount, type TestProvider } from './oidc-test-provider.js';

/** A browser in miniature: follows redirects itself, keeps cookies per host (paths and Secure are not modelled). */
class Browser {
  private jar = new Map<string, Map<string, string>>();
  /** Every address visited, in order. */
  visited: string[] = [];
  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
    this.visited.push(url);
    const res = await fetch(url, {
      method: init.method ?? 'GET', redirect: 'manual',
      headers: { ...(cookies ? { cookie: cookies } : {}), ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    const jar = this.jar.get(u.host) ?? new Map<string, string>();
    this.jar.set(u.host, jar);
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      const gone = value === '' || attrs.some((a) => /^\s*max-age=0/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split('=')[1]!) < new Date()));
      if (gone) jar.delete(name!.trim());
      else jar.set(name!.trim(), value);
    }
    return res;
  }
  /** Requests `url` and follows redirects until a page answers, or until `stopAt` (a URL prefix; `/` alone: the app's pages, not its API) is reached. */
  async follow(url: string, init: Parameters<Browser['request']>[1] = {}, stopAt?: string): Promise<{ res: Response; url: string }> {
    const stop = (u: string) => stopAt !== undefined && u.startsWith(stopAt) && !(stopAt.endsWith(':' + new URL(stopAt).port + '/') && u.startsWith(`${stopAt}api/`));
    let res = await this.request(url, init);
    for (let i = 0; i < 20 && res.status >= 300 && res.status < 400; i++) {
      url = new URL(res.headers.get('location')!, url).href;
      if (stop(url)) return { res, url };
      res = await this.request(url);
    }
    return { res, url };
  }
  cookie(host: string, name: string) {
    return this.jar.get(host)?.get(name);
  }
}

const hiddenInputs = (html: string) => Object.fromEntries([...html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

describe('citizen login over OpenID Connect (issue 11)', () => {
  let idp: TestProvider;
  let t: TestApp;
  const appHost = () => new URL(t.url).host;
  // One person the identity provider knows and the registers do not.
  const OUTSIDER = '010190-999X';
  // Staff accounts at a municipality's provider, with the groups the role map knows (and one it does not).
  const STAFF: StaffAccount[] = [
    { sub: 'kaisa.k@kerava.test', name: 'Kaisa Kuntalainen', municipality: '245', roles: ['puolesta-asiakaspalvelu', 'kerava-kaikki'] },
    { sub: 'pekka.p@kerava.test', name: 'Pekka Pääkäyttäjä', municipality: '245', roles: ['puolesta-paakayttaja'] },
    { sub: 'ulla.l@kuntaliitto.test', name: 'Ulla Luettelo', roles: ['kuntaliitto-luettelo'] },
    { sub: 'eino.e@kerava.test', name: 'Eino Eiroolia', municipality: '245', roles: ['kerava-kaikki'] },
    { sub: 'vieras@muualla.test', name: 'Vieras Kunta', municipality: '999', roles: ['puolesta-asiakaspalvelu'] },
  ];

  async function start(mode: 'demo' | 'production') {
    const fixture = demoFixture();
    idp = await startTestProvider({ ...fixture, persons: [...fixture.persons, { id: OUTSIDER, firstName: 'Ulla', lastName: 'Ulkopuolinen', birthDate: '1990-01-01', municipality: null, language: 'fi' }] }, STAFF);
    // The app's address is known only once it listens: its OIDC settings are filled in then (the client reads them at first use).
    const oidc = idp.appConfig('', '') as OidcConfig;
    const staffOidc = idp.staffConfig('', '');
    t = await startTestApp({ listen: true, config: { mode, oidc, staffOidc } });
    // Production mode seeds nothing: the registers' people are put in as an import would.
    if (mode === 'production') {
      await seedFixture(t.ctx.db, fixture);
      await reloadCatalogue(t.ctx);
    }
    Object.assign(oidc, idp.appConfig(`${t.url}/api/v1/auth/callback`, `${t.url}/`));
    Object.assign(staffOidc, idp.staffConfig(`${t.url}/api/v1/auth/staff/callback`, `${t.url}/`));
    idp.start(oidc.redirectUrl, oidc.postLogoutUrl, staffOidc.redirectUrl);
  }

  /** The whole code flow as a browser does it: to the provider, its login form, back to the callback, into the portal. */
  async function logIn(b: Browser, identityCode: string, path = '/api/v1/auth/login') {
    const toForm = await b.follow(`${t.url}${path}`);
    expect(toForm.res.status, b.visited.join("\n") + (toForm.res.status === 200 ? "" : await toForm.res.clone().text())).toBe(200);
    expect(toForm.url.startsWith(idp.issuer)).toBe(true);
    const action = /action="([^"]+)"/.exec(await toForm.res.text())![1]!;
    return b.follow(new URL(action, toForm.url).href, { method: 'POST', form: { login: identityCode } }, `${t.url}/`);
  }

  describe('in production mode', () => {
    beforeAll(async () => start('production'));
    afterAll(async () => { await t?.stop(); await idp?.close(); });

    it('logs a fixture person in with code + PKCE and starts a Secure session; the identity code is in no address', async () => {
      const b = new Browser();
      const { res, url } = await logIn(b, P.aino);
      expect(url).toBe(`${t.url}/`);
      expect(res.status).toBe(303);
      const authorize = b.visited.find((v) => v.startsWith(`${idp.issuer}/auth?`))!;
      expect(new URL(authorize).searchParams.get('code_challenge_method')).toBe('S256');
      expect(b.visited.some((v) => v.startsWith(`${t.url}/api/v1/auth/callback?code=`))).toBe(true);
      expect(b.visited.join(' ')).not.toContain(P.aino);
      expect(res.headers.getSetCookie().find((c) => c.startsWith('puolesta_session='))).toMatch(/; Secure/);

      const me = await b.request(`${t.url}/api/v1/me`);
      expect(me.status).toBe(200);
      const body = await me.json() as { kind: string; person?: { id: string } };
      expect(JSON.stringify(body)).toContain(P.aino);
    });

    it('signs out here and at the provider (end_session), back to the portal', async () => {
      const b = new Browser();
      await logIn(b, P.sanna);
      const me = await (await b.request(`${t.url}/api/v1/me`)).json() as { csrfToken: string };
      const out = await b.request(`${t.url}/api/v1/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': me.csrfToken, origin: t.url } });
      expect(out.status).toBe(200);
      const { endSessionUrl } = await out.json() as { endSessionUrl: string };
      expect(endSessionUrl.startsWith(`${idp.issuer}/`)).toBe(true);
      expect((await b.request(`${t.url}/api/v1/me`)).status).toBe(401);

      const before = idp.signOuts;
      const confirm = await b.follow(endSessionUrl);
      const page = await confirm.res.text();
      const formAction = /<form[^>]*action="([^"]+)"/.exec(page)![1]!;
      const back = await b.follow(new URL(formAction, confirm.url).href, { method: 'POST', form: { ...hiddenInputs(page), logout: 'yes' } }, `${t.url}/`);
      expect(back.url).toBe(`${t.url}/`);
      expect(idp.signOuts).toBe(before + 1);
      // A new login at the provider asks for identification again.
      const again = await b.follow(`${t.url}/api/v1/auth/login`);
      expect(again.url).toMatch(/\/interaction\//);
    });

    it('sends a person the registers do not know back to the login page, with no session', async () => {
      const b = new Browser();
      const { url } = await logIn(b, OUTSIDER);
      expect(url).toBe(`${t.url}/login?loginError=auth.person-unknown`);
      expect(b.cookie(appHost(), 'puolesta_session')).toBeUndefined();
    });

    it('refuses a callback without the login\'s own state (a forged or replayed one)', async () => {
      const b = new Browser();
      const forged = await b.follow(`${t.url}/api/v1/auth/callback?code=abc&state=xyz`, {}, `${t.url}/`);
      expect(forged.url).toBe(`${t.url}/login?loginError=auth.login-expired`);
      // A real flow's callback URL taken to another browser (without its flow cookie) starts no session.
      const victim = new Browser();
      const toForm = await victim.follow(`${t.url}/api/v1/auth/login`);
      const action = /action="([^"]+)"/.exec(await toForm.res.text())![1]!;
      const cb = await victim.follow(new URL(action, toForm.url).href, { method: 'POST', form: { login: P.markku } }, `${t.url}/api/v1/auth/callback`);
      const attacker = new Browser();
      const stolen = await attacker.follow(cb.url, {}, `${t.url}/`);
      expect(stolen.url).toBe(`${t.url}/login?loginError=auth.login-expired`);
      expect(attacker.cookie(appHost(), 'puolesta_session')).toBeUndefined();
    });

    it('refuses a login below the required assurance level', async () => {
      idp.acr = 'http://ftn.ficora.fi/2017/loa1';
      try {
        const { url } = await logIn(new Browser(), P.kari);
        expect(url).toBe(`${t.url}/login?loginError=auth.assurance-too-low`);
      } finally {
        idp.acr = LOA_HIGH;
      }
    });

    it('logs staff in from the municipality\'s provider, their groups mapped to roles by configuration', async () => {
      const roles = async (sub: string) => {
        const b = new Browser();
        const { url } = await logIn(b, sub, '/api/v1/auth/staff/login');
        if (url !== `${t.url}/`) return url;
        const me = await (await b.request(`${t.url}/api/v1/me`)).json() as { kind: string; staff: { name: string; municipality: string | null; roles: string[] } };
        return me;
      };
      expect(await roles('kaisa.k@kerava.test')).toMatchObject({ kind: 'staff', staff: { name: 'Kaisa Kuntalainen', municipality: '245', roles: ['caseworker'] } });
      expect(await roles('pekka.p@kerava.test')).toMatchObject({ kind: 'staff', staff: { municipality: '245', roles: ['municipality-admin'] } });
      expect(await roles('ulla.l@kuntaliitto.test')).toMatchObject({ kind: 'staff', staff: { municipality: null, roles: ['umbrella-admin'] } });
      expect(await roles('eino.e@kerava.test')).toBe(`${t.url}/login?loginError=auth.staff-not-mapped`);
      // A municipality this service does not serve gives no municipal role.
      expect(await roles('vieras@muualla.test')).toBe(`${t.url}/login?loginError=auth.staff-not-mapped`);
    });

    it('takes a staff member\'s roles away at their next login when the provider no longer gives them', async () => {
      const kaisa = STAFF[0]!;
      const b = new Browser();
      await logIn(b, kaisa.sub, '/api/v1/auth/staff/login');
      const saved = kaisa.roles;
      kaisa.roles = ['kerava-kaikki'];
      try {
        const again = await logIn(new Browser(), kaisa.sub, '/api/v1/auth/staff/login');
        expect(again.url).toBe(`${t.url}/login?loginError=auth.staff-not-mapped`);
      } finally {
        kaisa.roles = saved;
      }
      kaisa.roles = ['puolesta-paakayttaja'];
      try {
        await logIn(new Browser(), kaisa.sub, '/api/v1/auth/staff/login');
        // The session started earlier follows the row: the role is the one the provider gives now.
        const me = await (await b.request(`${t.url}/api/v1/me`)).json() as { staff: { roles: string[] } };
        expect(me.staff.roles).toEqual(['municipality-admin']);
      } finally {
        kaisa.roles = saved;
      }
    });

    it('has no demo login', async () => {
      expect((await t.app.inject({ method: 'POST', url: '/auth/demo-login', payload: { person: P.aino } })).statusCode).toBe(404);
    });
  });

  it('does not start in production mode without a provider, and says what to set', () => {
    expect(() => configFromEnv({ PUOLESTA_MODE: 'production' })).toThrow(/PUOLESTA_OIDC_ISSUER, PUOLESTA_OIDC_CLIENT_ID, PUOLESTA_OIDC_CLIENT_SECRET, PUOLESTA_OIDC_REDIRECT_URL/);
    expect(() => configFromEnv({ PUOLESTA_OIDC_ISSUER: 'https://idp.example' })).toThrow(/set also PUOLESTA_OIDC_CLIENT_ID/);
    const ok = configFromEnv({ PUOLESTA_MODE: 'production', PUOLESTA_OIDC_ISSUER: 'https://idp.example', PUOLESTA_OIDC_CLIENT_ID: 'c', PUOLESTA_OIDC_CLIENT_SECRET: 's', PUOLESTA_OIDC_REDIRECT_URL: 'https://puolesta.example/api/v1/auth/callback' });
    expect(ok.oidc).toMatchObject({ issuer: 'https://idp.example', postLogoutUrl: 'https://puolesta.example/' });
  });

  it('accepts only Suomi.fi\'s substantial and high assurance levels in production mode unless told otherwise; demo mode accepts any', () => {
    const provider = { PUOLESTA_OIDC_ISSUER: 'https://idp.example', PUOLESTA_OIDC_CLIENT_ID: 'c', PUOLESTA_OIDC_CLIENT_SECRET: 's', PUOLESTA_OIDC_REDIRECT_URL: 'https://puolesta.example/api/v1/auth/callback' };
    for (const unset of [{}, { PUOLESTA_OIDC_ACR: '' }]) {
      expect(configFromEnv({ PUOLESTA_MODE: 'production', ...provider, ...unset }).oidc?.acrValues?.split(' ').sort()).toEqual([LOA_SUBSTANTIAL, LOA_HIGH].sort());
      expect(configFromEnv({ ...provider, ...unset }).oidc?.acrValues).toBeUndefined();
    }
    expect(configFromEnv({ PUOLESTA_MODE: 'production', ...provider, PUOLESTA_OIDC_ACR: LOA_HIGH }).oidc?.acrValues).toBe(LOA_HIGH);
    expect(configFromEnv({ ...provider, PUOLESTA_OIDC_ACR: LOA_HIGH }).oidc?.acrValues).toBe(LOA_HIGH);
  });
});
