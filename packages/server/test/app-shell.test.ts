import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPuolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { onPostgres, P, person, startTestApp, type TestApp } from './helpers.js';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t?.stop(); });

  it('describes every endpoint and validates as OpenAPI 3', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/authorizations/check', '/api/v1/authorizations/principals', '/api/v1/mandates/{mandateId}/uses', '/api/v1/me/mandates',
      '/api/v1/mandates', '/api/v1/mandate-requests', '/api/v1/mandate-requests/{id}/decision', '/api/v1/mandates/{id}/revoke',
      '/api/v1/mandates/{id}/renounce', '/api/v1/mandates/{id}/log', '/auth/demo-login']) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    const check = doc.paths['/api/v1/authorizations/check'].post;
    expect(check.requestBody.content['application/json'].schema.properties.actor).toBeDefined();
    const media = check.requestBody.content['application/json'];
    expect(media.example ?? media.examples ?? media.schema.example).toBeDefined();
    expect(check.responses['200'].content['application/json'].schema.properties.reason).toBeDefined();
    expect(check.responses['400'].content['application/problem+json']).toBeDefined();
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
  });

  it('serves unknown API paths as problem+json 404', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('never writes identity codes to the log', async () => {
    const lines: string[] = [];
    const pino = (await import('pino')).default;
    const { REDACT_PATHS } = await import('../src/logger.js');
    const captured = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, { write: (s: string) => { lines.push(s); } });
    const u = await startTestApp({ logger: captured });
    try {
      await u.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: 'Basic ' + Buffer.from('demo-753:demo-secret-753').toString('base64') }, payload: { actor: person(P.markku), principal: person('010101-999X'), issue: 'housing' } });
      await u.app.inject({ method: 'POST', url: '/auth/demo-login', payload: { person: P.aino } });
    } finally {
      await u.stop();
    }
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const code of [P.markku, '010101-999X', P.aino]) expect(all).not.toContain(code);
  });
});

describe('production mode', () => {
  it('has no demo login, and no demo data', async () => {
    const t = await startTestApp({ config: { mode: 'production', apiClients: [{ id: 'espoo-ece', secret: 's3cret-value', municipality: '049' }] } });
    try {
      expect((await t.app.inject({ method: 'POST', url: '/auth/demo-login', payload: { person: P.aino } })).statusCode).toBe(404);
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: 'Basic ' + Buffer.from('espoo-ece:s3cret-value').toString('base64') }, payload: { actor: person(P.markku), principal: person(P.veikko), issue: 'housing' } });
      // Configured client authenticates; the registers are empty in production until adapters fill them.
      expect(r.statusCode).toBe(400);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: 'Basic ' + Buffer.from('demo-049:demo-secret-049').toString('base64') }, payload: {} })).statusCode).toBe(401);
    } finally {
      await t.stop();
    }
  });
});

describe.skipIf(onPostgres)('embedded database', () => {
  it('keeps its data in PUOLESTA_DATA_DIR across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puolesta-data-'));
    try {
      const config = { ...configFromEnv({}), dataDir: dir };
      const a = await createPuolesta({ config, logger: false, serveWeb: false, worker: false, simulators: false });
      const login = await a.app.inject({ method: 'POST', url: '/auth/demo-login', payload: { person: P.aino } });
      const cookie = `puolesta_session=${login.cookies[0]!.value}`;
      const csrfToken = (await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json().csrfToken;
      const g = await a.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: { cookie, 'x-csrf-token': csrfToken }, payload: { agent: person(P.kari), issues: ['housing'], validUntil: '2030-01-01' } });
      expect(g.statusCode).toBe(201);
      await a.close();
      const b = await createPuolesta({ config, logger: false, serveWeb: false, worker: false, simulators: false });
      const mine = await b.app.inject({ method: 'GET', url: '/api/v1/me/mandates', headers: { cookie } });
      expect(mine.json().given.map((m: { id: string }) => m.id)).toContain(g.json().id);
      expect(await b.ctx.db.selectFrom('persons').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()).toEqual({ n: expect.anything() });
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('outbound fetches', () => {
  it('go only to the configured PTV base URL, or simulators named in demo mode (more in guarded-fetch.test.ts)', async () => {
    const { urlAllowed } = await import('../src/adapters/guarded-fetch.js');
    const prod = urlAllowed({ allow: ['https://api.palvelutietovaranto.suomi.fi/api/v11'] });
    expect(prod('https://api.palvelutietovaranto.suomi.fi/api/v11/Service/list')).toBe(true);
    expect(prod('https://api.palvelutietovaranto.suomi.fi.evil.example/api/v11')).toBe(false);
    expect(prod('https://api.palvelutietovaranto.suomi.fi/other')).toBe(false);
    expect(prod('https://api.palvelutietovaranto.suomi.fi/api/v11evil')).toBe(false);
    expect(prod('http://127.0.0.1:4000/')).toBe(false);
    const demo = urlAllowed({ allow: ['http://127.0.0.1:4000'], simulators: ['http://127.0.0.1:4000'] });
    expect(demo('http://127.0.0.1:4000/')).toBe(true);
    expect(demo('http://127.0.0.1:4001/')).toBe(false);
    expect(demo('http://user:pw@127.0.0.1:4000/')).toBe(false);
    expect(demo('http://10.0.0.1/')).toBe(false);
  });
});
