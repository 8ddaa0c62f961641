import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.js';
import { sessionPolicy } from '../src/http/auth.js';
import { P, REFERENCE_NOW, startTestApp, type TestApp } from './helpers.js';

const MIN = 60_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const cookieValue = (cookie: string) => cookie.split('=')[1]!;

describe('sessions in the database (issue 11)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { sessions: { idleMinutes: 30, absoluteHours: 12 } } });
  });
  afterAll(async () => t?.stop());
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  const at = (ms: number) => { t.clock.now = new Date(REFERENCE_NOW.getTime() + ms); };

  it('keeps only the SHA-256 of the session id', async () => {
    at(0);
    const cookie = await t.login({ person: P.aino });
    const rows = await t.ctx.db.selectFrom('sessions').select('id').execute();
    const ids = rows.map((r) => r.id);
    expect(ids).toContain(sha256(cookieValue(cookie)));
    expect(ids).not.toContain(cookieValue(cookie));
  });

  it('ends a session left idle for the idle time, and keeps one in use', async () => {
    at(0);
    const cookie = await t.login({ person: P.sanna });
    at(29 * MIN);
    expect((await me(cookie)).statusCode).toBe(200);
    at(58 * MIN); // 29 min after its last use
    expect((await me(cookie)).statusCode).toBe(200);
    at(88 * MIN); // 30 min idle
    const r = await me(cookie);
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('auth.session-ended');
  });

  it('ends a session at its absolute end however much it is used', async () => {
    at(0);
    const cookie = await t.login({ person: P.markku });
    for (let m = 20; m < 12 * 60; m += 20) {
      at(m * MIN);
      expect((await me(cookie)).statusCode, `after ${m} min`).toBe(200);
    }
    at(12 * 60 * MIN);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('gives a new id at login and ends the one the browser had', async () => {
    at(0);
    const first = await t.login({ person: P.kari });
    const again = await t.app.inject({ method: 'POST', url: '/auth/demo-login', headers: { cookie: first }, payload: { person: P.kari } });
    expect(again.statusCode).toBe(200);
    const second = `puolesta_session=${again.cookies.find((c) => c.name === 'puolesta_session')!.value}`;
    expect(second).not.toBe(first);
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(200);
  });

  it('signs out this session only, or everywhere: all of mine and no one else\'s', async () => {
    at(0);
    const phone = await t.as({ person: P.veikko });
    const laptop = await t.as({ person: P.veikko });
    const tablet = await t.as({ person: P.veikko });
    const other = await t.login({ person: P.jari });
    expect((await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: phone.cookie } })).statusCode).toBe(204);
    expect((await me(phone.cookie)).statusCode).toBe(401);
    expect((await me(laptop.cookie)).statusCode).toBe(200);

    const everywhere = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-everywhere', headers: laptop });
    expect(everywhere.statusCode).toBe(200);
    expect(everywhere.json()).toEqual({ ended: 2 });
    expect(everywhere.cookies.find((c) => c.name === 'puolesta_session')?.value).toBe('');
    expect((await me(laptop.cookie)).statusCode).toBe(401);
    expect((await me(tablet.cookie)).statusCode).toBe(401);
    expect((await me(other)).statusCode).toBe(200);
  });

  it('refuses sign-out-everywhere without a session or without the CSRF token', async () => {
    at(0);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-everywhere' })).statusCode).toBe(401);
    const cookie = await t.login({ person: P.petra });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-everywhere', headers: { cookie } })).statusCode).toBe(403);
    expect((await me(cookie)).statusCode).toBe(200);
  });
});

describe('session configuration', () => {
  it('defaults to 30 min idle and 12 h absolute, and forces Secure cookies in production', () => {
    const demo = configFromEnv({});
    expect(sessionPolicy(demo)).toEqual({ idleMs: 30 * MIN, absoluteMs: 12 * 60 * MIN, secure: false });
    expect(sessionPolicy({ ...demo, mode: 'production' }).secure).toBe(true);
    expect(sessionPolicy(configFromEnv({ PUOLESTA_SESSION_IDLE_MINUTES: '15', PUOLESTA_SECURE_COOKIES: 'true' }))).toMatchObject({ idleMs: 15 * MIN, secure: true });
    expect(() => configFromEnv({ PUOLESTA_SESSION_IDLE_MINUTES: '0' })).toThrow(/PUOLESTA_SESSION_IDLE_MINUTES/);
  });

  it('sets the Secure attribute when configured', async () => {
    const t = await startTestApp({ config: { secureCookies: true } });
    try {
      const r = await t.app.inject({ method: 'POST', url: '/auth/demo-login', payload: { person: P.aino } });
      expect(r.cookies.find((c) => c.name === 'puolesta_session')?.secure).toBe(true);
    } finally {
      await t.stop();
    }
  });
});
