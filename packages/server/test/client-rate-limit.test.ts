/** Per-client rate limits of the API clients, and every call attributable to its client (issue 11, item 4; decision 0014). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { RateLimiter } from '../src/http/rate-limit.js';
import { client, P, PRODUCTION_ENV, startTestApp, type TestApp } from './helpers.js';

const LIMIT = 3;
const lines: string[] = [];
let t: TestApp;
beforeAll(async () => {
  // Every successful check logged too (the default logs a sample of them; request-telemetry.test.ts).
  t = await startTestApp({ config: { apiClientRateLimit: LIMIT, logSampleRate: 1 }, logger: createLogger('info', { write: (s: string) => { lines.push(s); } }) });
});
afterAll(async () => {
  await t?.stop();
});

const check = (municipality: string) => t.app.inject({
  method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client(municipality) },
  payload: { actor: { type: 'person', id: P.kari }, principal: { type: 'person', id: P.markku }, issue: 'housing' },
});

describe('each API client', () => {
  it('has a budget of its own: over it, 429 problem+json with Retry-After; another client is still answered; the log names the client', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await check('245')).statusCode).toBe(200);
    const over = await check('245');
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.json<{ code: string }>().code).toBe('rate.limited');
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Kerava's budget is spent; Sipoo's is its own.
    expect((await check('753')).statusCode).toBe(200);
    // Citizens' sessions are not counted against any client.
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: await t.login({ person: P.kari }) } });
    expect(me.statusCode).toBe(200);

    // Every call is attributable to its client: its log lines name it, answered or refused.
    const entries = lines.map((l) => JSON.parse(l) as { msg?: string; apiClient?: string; municipality?: string; res?: { statusCode: number }; req?: { url: string } });
    const completed = entries.filter((e) => e.msg === 'request completed' && e.apiClient === 'demo-245');
    expect(completed.filter((e) => e.res?.statusCode === 200).length).toBeGreaterThanOrEqual(LIMIT);
    expect(completed.some((e) => e.res?.statusCode === 429)).toBe(true);
    expect(completed.every((e) => e.municipality === '245')).toBe(true);
    expect(entries.some((e) => e.msg === 'API client over its rate limit' && e.apiClient === 'demo-245')).toBe(true);
    // The check is a sampled route: one line per call, at its end, naming the URL (no "incoming request" line).
    expect(completed.every((e) => e.req?.url === '/api/v1/authorizations/check')).toBe(true);
    expect(entries.some((e) => e.msg === 'incoming request' && e.req?.url === '/api/v1/authorizations/check')).toBe(false);
  });
});

describe('the budget', () => {
  it('comes back when the minute is over, and a refused call spends nothing', () => {
    const b = new RateLimiter(2, 60_000);
    expect(b.take('c', 0)).toBe(true);
    expect(b.take('c', 1)).toBe(true);
    expect(b.take('c', 2)).toBe(false);
    expect(b.retryAfterMs('c', 2)).toBe(59_998);
    expect(b.take('d', 2)).toBe(true);
    expect(b.take('c', 60_000)).toBe(true);
  });

  it('is on by default in production mode, off in demo mode, and can be set', () => {
    expect(configFromEnv({ ...PRODUCTION_ENV }).apiClientRateLimit).toBe(6000);
    expect(configFromEnv({ PUOLESTA_MODE: 'demo' }).apiClientRateLimit).toBe(0);
    expect(configFromEnv({ ...PRODUCTION_ENV, PUOLESTA_API_CLIENT_RATE_LIMIT: '600' }).apiClientRateLimit).toBe(600);
    expect(() => configFromEnv({ PUOLESTA_API_CLIENT_RATE_LIMIT: 'lots' })).toThrow(/PUOLESTA_API_CLIENT_RATE_LIMIT/);
  });
});
