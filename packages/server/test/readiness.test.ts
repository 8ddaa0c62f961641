/**
 * Ready at once (issue 12 item 3): a starting process answers while its authorization index loads
 * (checks read the database meanwhile), reports ready within 5 s, and /readyz says 503 when the
 * database is away or a migration this build knows is not applied.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { openDatabase } from '../src/db/database.js';
import { knownMigrations } from '../src/db/migrate.js';
import { readiness } from '../src/http/routes/public.js';
import { createPuolesta, type Puolesta } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { client, freshDatabase, O, P, person, org, REFERENCE_NOW, startTestApp, type TestApp } from './helpers.js';

const check = (t: Puolesta, actor: string, principal: { type: 'person' | 'organization'; id: string }, issue: string, municipality = '753') =>
  t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client(municipality) }, payload: { actor: person(actor), principal, issue } });
const principals = async (t: Puolesta, actor: string, issue: string, municipality = '753') =>
  (await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/principals', headers: { authorization: client(municipality) }, payload: { actor: person(actor), issue } })).json().principals;

describe('a process whose index is still loading', () => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let t: Puolesta;
  let release!: () => void;
  let readyAfterMs = -1;
  const lines: string[] = [];
  const as = async (who: string) => {
    const r = await t.app.inject({ method: 'POST', url: '/auth/demo-login', payload: { person: who } });
    const cookie = `puolesta_session=${r.cookies.find((c) => c.name === 'puolesta_session')!.value}`;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    return { cookie, 'x-csrf-token': me.json().csrfToken as string };
  };

  beforeAll(async () => {
    // A database that holds the data already (a restart, or one more process beside others).
    h = await freshDatabase();
    const config = { ...configFromEnv({}), mode: 'demo' as const };
    const options = { config, handle: h, serveWeb: false, worker: false, simulators: false, now: () => REFERENCE_NOW };
    const first = await createPuolesta({ ...options, logger: false });
    await first.indexReady;
    await first.close();

    const gate = new Promise<void>((res) => { release = res; });
    const startedAt = performance.now();
    // The snapshot load waits for the test: however long a national index takes, here it takes until released.
    t = await createPuolesta({ ...options, index: { beforeSnapshot: () => gate }, logger: createLogger('info', { write: (s: string) => { lines.push(s); } }) });
    await t.app.ready();
    for (;;) {
      const r = await t.app.inject({ method: 'GET', url: '/readyz' });
      if (r.statusCode === 200) { readyAfterMs = performance.now() - startedAt; break; }
      if (performance.now() - startedAt > 10_000) break;
      await new Promise((res) => setTimeout(res, 50));
    }
  }, 120_000);
  afterAll(async () => { release?.(); await t?.close(); await h?.drop(); });

  it('reports ready within 5 s of start while the index has not loaded', async () => {
    expect(readyAfterMs).toBeGreaterThanOrEqual(0);
    expect(readyAfterMs).toBeLessThan(5000);
    const r = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ ok: true, index: 'loading' });
    expect(t.ctx.index.isLoaded).toBe(false);
    expect(t.ctx.index.isFresh()).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ ok: true });
  });

  it('answers checks from the database meanwhile, changes included, the same as once the index is loaded', async () => {
    expect(t.ctx.index.isLoaded).toBe(false);
    expect((await check(t, P.markku, person(P.veikko), 'housing')).json()).toMatchObject({ allowed: true, basis: 'mandate', mandateId: 'veikko-markku' });
    expect((await check(t, P.stranger, person(P.veikko), 'housing')).json()).toMatchObject({ allowed: false });
    expect((await check(t, P.kari, org(O.keravaLampo), 'waste-and-water', '245')).json()).toMatchObject({ allowed: true, basis: 'organization-role' });
    // A change made while loading is answered at once (nothing in memory could know it).
    const aino = await as(P.aino);
    const g = await t.app.inject({ method: 'POST', url: '/api/v1/mandates', headers: aino, payload: { agent: person(P.kari), issues: ['housing'], validUntil: '2027-12-31' } });
    expect(g.statusCode).toBe(201);
    const id = g.json().id as string;
    expect((await check(t, P.kari, person(P.aino), 'housing', '245')).json()).toMatchObject({ allowed: true, mandateId: id });
    const listed = await principals(t, P.markku, 'housing');
    expect(listed).toEqual([
      { type: 'person', id: P.onni, name: 'Onni Lindholm', basis: 'guardianship', validUntil: '2027-02-02' },
      { type: 'person', id: P.veikko, name: 'Veikko Lindholm', basis: 'mandate', mandateId: 'veikko-markku', validUntil: '2030-12-31' },
    ]);
    const revoke = await t.app.inject({ method: 'POST', url: `/api/v1/mandates/${id}/revoke`, headers: aino, payload: {} });
    expect(revoke.statusCode).toBe(200);
    expect((await check(t, P.kari, person(P.aino), 'housing', '245')).json()).toMatchObject({ allowed: false, reasonCode: 'revoked' });
    expect(t.ctx.index.isLoaded).toBe(false);

    // Now the load finishes: memory answers, and the same.
    release();
    await t.indexReady;
    expect(t.ctx.index.isFresh()).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ ok: true, index: 'ready' });
    expect((await check(t, P.markku, person(P.veikko), 'housing')).json()).toMatchObject({ allowed: true, mandateId: 'veikko-markku' });
    expect((await check(t, P.kari, person(P.aino), 'housing', '245')).json()).toMatchObject({ allowed: false, reasonCode: 'revoked' });
    expect(await principals(t, P.markku, 'housing')).toEqual(listed);
  });

  it('logs no line per probe', async () => {
    const before = lines.length;
    for (let i = 0; i < 5; i++) {
      await t.app.inject({ method: 'GET', url: '/healthz' });
      await t.app.inject({ method: 'GET', url: '/readyz' });
    }
    expect(lines.slice(before)).toEqual([]);
    await t.app.inject({ method: 'GET', url: '/health' });
    expect(lines.length).toBeGreaterThan(before); // the other routes still log their requests
  });
});

describe('/readyz says 503', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it('while a migration this build knows is not applied, and 200 once it is', async () => {
    const schema = t.ctx.h.schema;
    const last = knownMigrations[knownMigrations.length - 1]!;
    const row = await sql<{ name: string; timestamp: string }>`select name, timestamp from ${sql.table(`${schema}.kysely_migration`)} where name = ${last}`.execute(t.ctx.db);
    expect(row.rows).toHaveLength(1);
    await sql`delete from ${sql.table(`${schema}.kysely_migration`)} where name = ${last}`.execute(t.ctx.db);
    const r = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.headers['retry-after']).toBe('5');
    expect(r.json()).toMatchObject({ status: 503, code: 'service.unavailable', detail: expect.stringContaining(last) });
    await sql`insert into ${sql.table(`${schema}.kysely_migration`)} (name, timestamp) values (${last}, ${row.rows[0]!.timestamp})`.execute(t.ctx.db);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('when the database is gone, while /healthz (no database) still says alive', { timeout: 60_000 }, async () => {
    const own = await startTestApp();
    await own.ctx.h.close(); // the database connection is gone for good
    try {
      const r = await own.app.inject({ method: 'GET', url: '/readyz' });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ code: 'service.unavailable', detail: expect.stringMatching(/database/) });
      expect((await own.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await own.close().catch(() => {});
    }
  });
});

describe('readiness against a PostgreSQL address', () => {
  const sockets: Socket[] = [];
  let silent: Server;
  let silentPort = 0;
  beforeAll(async () => {
    // Accepts connections and never answers: a network gone silent.
    silent = createServer((s) => { sockets.push(s); s.on('error', () => {}); });
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((res) => silent.close(res));
  });

  it('nothing listening: 503 at once', async () => {
    const closed = createServer();
    await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res));
    const port = (closed.address() as { port: number }).port;
    await new Promise((res) => closed.close(res));
    const h = await openDatabase({ url: `postgres://nobody@127.0.0.1:${port}/none`, migrate: false });
    try {
      const t0 = performance.now();
      expect(await readiness({ h }, 1500)).toMatchObject({ ok: false, detail: expect.stringMatching(/cannot be reached/) });
      expect(performance.now() - t0).toBeLessThan(1500);
    } finally {
      await h.close();
    }
  });

  it('a silent network: 503 within the short time limit, not the driver\'s', async () => {
    const h = await openDatabase({ url: `postgres://nobody@127.0.0.1:${silentPort}/none`, migrate: false, connectTimeoutMs: 2000 });
    try {
      const t0 = performance.now();
      expect(await readiness({ h }, 300)).toEqual({ ok: false, detail: 'The database did not answer within 300 ms.' });
      expect(performance.now() - t0).toBeLessThan(1500);
    } finally {
      await h.close();
    }
  });
});
