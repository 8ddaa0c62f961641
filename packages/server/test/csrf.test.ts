/**
 * Cross-site request forgery: a page on another origin (even on the same site, where the SameSite=Lax
 * cookie is sent) must not change anything with the user's session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, P, person, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); }, 60_000);
afterAll(async () => { await t?.stop(); });

const EVIL = 'https://evil.example';
const revoke = (id: string, headers: Record<string, string>) => t.app.inject({ method: 'POST', url: `/api/v1/mandates/${id}/revoke`, headers });
const statusOf = async (id: string, who: string) =>
  (await t.app.inject({ method: 'GET', url: `/api/v1/mandates/${id}`, headers: { cookie: await t.login({ person: who }) } })).json().status;
const checkVeikkoMarkku = async () =>
  (await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client('753') }, payload: { actor: person(P.markku), principal: person(P.veikko), issue: 'housing' } })).json();

/** A fresh mandate Aino gives Kari, for a test to revoke. */
async function ainosMandate(): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: await t.as({ person: P.aino }), payload: { agent: person(P.kari), issues: ['housing'], validUntil: '2027-12-31' } });
  expect(r.statusCode).toBe(201);
  return r.json().id;
}

function expectRefused(r: { statusCode: number; headers: Record<string, unknown>; json(): any }, code: string) {
  expect(r.statusCode).toBe(403);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.json()).toMatchObject({ status: 403, code, detail: expect.any(String) });
}

describe('a state-changing request with the session cookie', () => {
  it("a no-cors POST from another origin (cookie, no token, no body) is refused and the mandate stays active", async () => {
    expect(await statusOf('veikko-markku', P.veikko)).toBe('active');
    const cookie = await t.login({ person: P.veikko });
    // What fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include' }) sends from evil.example.
    const r = await revoke('veikko-markku', { cookie, origin: EVIL, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' });
    expectRefused(r, 'csrf.foreign-origin');
    expect(await statusOf('veikko-markku', P.veikko)).toBe('active');
    expect(await checkVeikkoMarkku()).toMatchObject({ allowed: true, mandateId: 'veikko-markku' });
  });

  it('another origin is refused even with the right token, and so is Sec-Fetch-Site: cross-site without an Origin', async () => {
    const headers = await t.as({ person: P.veikko });
    expectRefused(await revoke('veikko-markku', { ...headers, origin: EVIL }), 'csrf.foreign-origin');
    expectRefused(await revoke('veikko-markku', { ...headers, origin: 'null' }), 'csrf.foreign-origin');
    expectRefused(await revoke('veikko-markku', { ...headers, 'sec-fetch-site': 'cross-site' }), 'csrf.foreign-origin');
    expectRefused(await revoke('veikko-markku', { ...headers, origin: 'http://localhost.evil.example' }), 'csrf.foreign-origin');
    expect(await statusOf('veikko-markku', P.veikko)).toBe('active');
  });

  it('without an Origin but also without the token is refused', async () => {
    const cookie = await t.login({ person: P.veikko });
    expectRefused(await revoke('veikko-markku', { cookie }), 'csrf.token-missing');
    expectRefused(await revoke('veikko-markku', { cookie, 'x-csrf-token': '' }), 'csrf.token-missing');
    expect(await statusOf('veikko-markku', P.veikko)).toBe('active');
  });

  it("a token from another session is refused, even the same person's", async () => {
    const cookie = await t.login({ person: P.veikko });
    const other = await t.as({ person: P.veikko });
    const ainos = await t.as({ person: P.aino });
    expectRefused(await revoke('veikko-markku', { cookie, 'x-csrf-token': other['x-csrf-token'] }), 'csrf.token-mismatch');
    expectRefused(await revoke('veikko-markku', { cookie, 'x-csrf-token': ainos['x-csrf-token'] }), 'csrf.token-mismatch');
    expectRefused(await revoke('veikko-markku', { cookie, 'x-csrf-token': 'x' }), 'csrf.token-mismatch');
    expect(await statusOf('veikko-markku', P.veikko)).toBe('active');
  });

  it("the session's own token from the app's own origin (or no Origin) goes through", async () => {
    const headers = await t.as({ person: P.aino });
    const id = await ainosMandate();
    // inject() sends Host: localhost:80; the browser's Origin for it is http://localhost.
    const r = await revoke(id, { ...headers, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ id, status: 'revoked' });
    const id2 = await ainosMandate();
    expect((await revoke(id2, headers)).statusCode).toBe(200);
  });

  it('GET needs no token; /api/v1/me gives the token for staff and citizens alike', async () => {
    const cookie = await t.login({ staff: 'umbrella-admin' });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie, origin: EVIL } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'staff', csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it("a staff member's PUT without the token is refused and changes nothing; with it, it is saved", async () => {
    const headers = await t.as({ staff: 'umbrella-admin' });
    const url = '/api/v1/admin/catalogue/issues/housing';
    const payload = { name: { fi: 'Asuminen ja asunnot', sv: 'Boende', en: 'Housing' } };
    expectRefused(await t.app.inject({ method: 'PUT', url, headers: { cookie: headers.cookie }, payload }), 'csrf.token-missing');
    const issues = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/catalogue/issues' })).json().issues;
    expect((await issues()).find((i: { code: string }) => i.code === 'housing').name.fi).not.toBe('Asuminen ja asunnot');
    expect((await t.app.inject({ method: 'PUT', url, headers, payload })).statusCode).toBe(200);
    expect((await issues()).find((i: { code: string }) => i.code === 'housing').name.fi).toBe('Asuminen ja asunnot');
  });
});

describe('requests without the session cookie', () => {
  it("an e-service's HTTP Basic POST needs no token, whatever its Origin", async () => {
    for (const origin of [undefined, EVIL]) {
      const r = await t.app.inject({
        method: 'POST', url: '/api/v1/authorizations/check',
        headers: { authorization: client('753'), ...(origin ? { origin } : {}) },
        payload: { actor: person(P.markku), principal: person(P.veikko), issue: 'housing' },
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ allowed: true });
    }
  });

  it('login and logout from another origin are refused; from the own origin they work', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/auth/demo-login', headers: { origin: EVIL }, payload: { person: P.aino } });
    expectRefused(bad, 'csrf.foreign-origin');
    expect(bad.cookies).toEqual([]);
    const crossSite = await t.app.inject({ method: 'POST', url: '/auth/demo-login', headers: { 'sec-fetch-site': 'cross-site' }, payload: { person: P.aino } });
    expectRefused(crossSite, 'csrf.foreign-origin');
    const good = await t.app.inject({ method: 'POST', url: '/auth/demo-login', headers: { origin: 'http://localhost' }, payload: { person: P.aino } });
    expect(good.statusCode).toBe(200);
    const cookie = `puolesta_session=${good.cookies[0]!.value}`;

    expectRefused(await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie, origin: EVIL } }), 'csrf.foreign-origin');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie, origin: 'http://localhost' } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('with PUOLESTA_PUBLIC_URL', () => {
  it('only that origin may send changes, whatever the Host header says', async () => {
    const p = await startTestApp({ config: { publicUrl: 'https://puolesta.example/' } });
    try {
      const headers = await p.as({ person: P.aino });
      const grant = (origin: string) => p.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: { ...headers, origin }, payload: { agent: person(P.kari), issues: ['housing'], validUntil: '2027-12-31' } });
      expectRefused(await grant('http://localhost'), 'csrf.foreign-origin');
      expect((await grant('https://puolesta.example')).statusCode).toBe(201);
    } finally {
      await p.stop();
    }
  }, 60_000);
});
