/** An API client's secret rotates with an overlap window (issue 11, item 4): old and new both work until the window ends, then only the new one. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P, startTestApp, type TestApp } from './helpers.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const OLD = 'old-secret-of-sipoo-eservice';
const NEW = 'new-secret-of-sipoo-eservice';
let t: TestApp;
let until: Date;
beforeAll(async () => {
  const now = new Date('2026-12-01T08:00:00Z');
  until = new Date(now.getTime() + 24 * 3600_000);
  t = await startTestApp({ now, config: { apiClients: [{ id: 'sipoo-rotating', secretSha256: sha(NEW), previousSecretSha256: sha(OLD), previousValidUntil: until.toISOString(), municipality: '753' }] } });
});
afterAll(async () => {
  await t?.stop();
});

const check = (secret: string) => t.app.inject({
  method: 'POST', url: '/api/v1/authorizations/check',
  headers: { authorization: `Basic ${Buffer.from(`sipoo-rotating:${secret}`).toString('base64')}` },
  payload: { actor: { type: 'person', id: P.kari }, principal: { type: 'person', id: P.markku }, issue: 'housing' },
});

describe('rotating an API client secret', () => {
  it('accepts the previous secret until the overlap window ends, the new one throughout, and nothing else', async () => {
    expect((await check(NEW)).statusCode).toBe(200);
    expect((await check(OLD)).statusCode).toBe(200);
    expect((await check('a-guess')).statusCode).toBe(401);
    // The window ends: the old secret (also one verified before and remembered) is refused; the new one works.
    t.clock.now = new Date(until.getTime() + 1000);
    const late = await check(OLD);
    expect(late.statusCode).toBe(401);
    expect(late.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await check(NEW)).statusCode).toBe(200);
  });
});
