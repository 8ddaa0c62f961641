/** Security headers and caching, per class of route (issue 11, item 5; decision 0014). */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { client, P, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let citizen: string;
let caseworker: string;
beforeAll(async () => {
  // serveWeb: the UI's files (tests never need the UI built: the not-found handler then answers its pages).
  t = await startTestApp({ serveWeb: true });
  citizen = await t.login({ person: P.kari });
  caseworker = await t.login({ staff: 'caseworker-245' });
});
afterAll(async () => {
  await t?.stop();
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

function csp(r: LightMyRequestResponse): Map<string, string> {
  const header = String(r.headers['content-security-policy'] ?? '');
  return new Map(header.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/);
    return [name!, values.join(' ')] as [string, string];
  }));
}

/** What every answer carries, whatever it is. */
function expectHardened(r: LightMyRequestResponse) {
  const policy = csp(r);
  const dflt = policy.get('default-src');
  // Nothing from elsewhere: a document's policy allows this origin, an API answer's nothing at all.
  expect(["'self'", "'none'"]).toContain(dflt);
  expect(policy.get('script-src') ?? dflt).toMatch(/^'(self|none)'$/);
  expect(policy.get('object-src') ?? dflt).toBe("'none'");
  expect(policy.get('frame-ancestors')).toBe("'none'");
  expect(policy.has('upgrade-insecure-requests')).toBe(false);
  expect(r.headers['x-frame-options']).toBe('DENY');
  expect(r.headers['x-content-type-options']).toBe('nosniff');
  // A document's own: what it loads sends no referrer, and no other site may embed it.
  if (dflt === "'self'") {
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
  }
  // Served over plain HTTP here (no PUOLESTA_SECURE_COOKIES): no HSTS.
  expect(r.headers['strict-transport-security']).toBeUndefined();
}

const vendorCheck = () => t.app.inject({
  method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client('245') },
  payload: { actor: { type: 'person', id: P.kari }, principal: { type: 'person', id: P.markku }, issue: 'housing' },
});

/** Headers only a rendered document uses (decision 0018, third round): on pages, not on the API's JSON. */
const DOCUMENT_ONLY = ['cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster', 'referrer-policy', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection'];

describe('JSON answers of the API carry the API set, documents the full set', () => {
  const api: [string, () => Promise<LightMyRequestResponse>][] = [
    ['a citizen\'s own data', () => get('/api/v1/me', { cookie: citizen })],
    ['an e-service\'s check', vendorCheck],
    ['a refusal', () => get('/api/v1/me')],
    ['an unknown API address', () => get('/api/v1/no-such-thing')],
  ];
  for (const [what, ask] of api) {
    it(`API: ${what} — a policy that allows nothing, no document headers`, async () => {
      const r = await ask();
      expect(r.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expectHardened(r);
      for (const h of DOCUMENT_ONLY) expect(r.headers[h], h).toBeUndefined();
    });
  }
  it('a page of the UI — the document policy and every document header', async () => {
    const r = await get('/mandates');
    expect(r.statusCode).toBe(200);
    expect(csp(r).get('default-src')).toBe("'self'");
    expect(csp(r).get('style-src')).toBe("'self' 'unsafe-inline'");
    expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(r.headers['x-xss-protection']).toBe('0');
    for (const h of DOCUMENT_ONLY) expect(r.headers[h], h).toBeDefined();
  });

  it('the UI\'s hashed scripts are kept a year; the page itself is asked about again each time', async () => {
    const page = await get('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const r = await get(script!);
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    // An address the UI routes (no file of that name) is the page again, never kept.
    expect((await get('/mandates')).headers['cache-control']).toMatch(/^(no-cache|no-store)$/);
    // A missing built file (an old release's page script, say) is a 404 that no one keeps, not the page as a script.
    const missing = await get('/assets/no-such-file.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.headers['cache-control']).toBe('no-store');
  });
});

describe('personal answers are never stored by a browser or a proxy', () => {
  const cases: [string, () => Promise<LightMyRequestResponse>][] = [
    ['a citizen\'s own data', () => get('/api/v1/me', { cookie: citizen })],
    ['a citizen\'s usage log', () => get('/api/v1/me/log', { cookie: citizen })],
    ['the people a citizen acts for', () => get('/api/v1/me/people', { cookie: citizen })],
    ['a caseworker\'s queue', () => get('/api/v1/staff/errands', { cookie: caseworker })],
    ['an e-service\'s check (vendor API)', vendorCheck],
    ['a refusal (no session)', () => get('/api/v1/me')],
    ['an unknown API address', () => get('/api/v1/no-such-thing')],
    ['the login options', () => get('/auth/config')],
    ['the health check', () => get('/health')],
  ];
  for (const [what, ask] of cases) {
    it(what, async () => {
      const r = await ask();
      expect(r.statusCode).toBeLessThan(500);
      expect(r.headers['cache-control']).toBe('no-store');
      expectHardened(r);
    });
  }

  it('a login answer too, with its cookie', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/auth/demo-login', payload: { person: P.aino } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expectHardened(r);
  });
});

describe('public answers', () => {
  it('the service catalogue stays cacheable', async () => {
    const r = await get('/api/v1/catalogue/issues');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=60');
    expectHardened(r);
  });

  it('the UI\'s pages carry the same headers (a page cannot be framed)', async () => {
    const r = await get('/mandates');
    expect(r.statusCode).toBe(200);
    expectHardened(r);
  });
});

describe('over HTTPS (PUOLESTA_SECURE_COOKIES, or production mode)', () => {
  it('adds HSTS and upgrade-insecure-requests, and the session cookie is Secure', async () => {
    const s = await startTestApp({ config: { secureCookies: true } });
    try {
      const r = await s.app.inject({ method: 'POST', url: '/auth/demo-login', payload: { person: P.aino } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['strict-transport-security']).toMatch(/^max-age=31536000; includeSubDomains$/);
      expect(csp(r).has('upgrade-insecure-requests')).toBe(true);
      expect(r.cookies.find((c) => c.name === 'puolesta_session')?.secure).toBe(true);
      // The API's answers too.
      const me = await s.app.inject({ method: 'GET', url: '/api/v1/me' });
      expect(me.headers['strict-transport-security']).toMatch(/^max-age=31536000; includeSubDomains$/);
    } finally {
      await s.stop();
    }
  });
});

describe('the UI needs no inline script', () => {
  it('index.html loads its scripts from files only (what vite builds from it)', () => {
    const html = readFileSync(fileURLToPath(new URL('../../web/index.html', import.meta.url)), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('the built index.html too, when it has been built', () => {
    const dist = fileURLToPath(new URL('../../web/dist/', import.meta.url));
    let files: string[];
    try {
      files = readdirSync(dist);
    } catch {
      return; // not built: the browser tests (which need it) check the built UI under the CSP
    }
    expect(files).toContain('index.html');
    const html = readFileSync(`${dist}index.html`, 'utf8');
    for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      expect(attrs).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
  });
});
