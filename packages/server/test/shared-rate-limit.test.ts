/**
 * Rate limits held in the database (issue 12, item 4; decision 0021): every process over one database
 * shares one budget per API client; a process leases calls in batches, so most calls are decided
 * without a database round trip; old windows are deleted; with the database away a process counts on
 * its own. On PostgreSQL (DATABASE_URL) the two apps have connection pools of their own, as two
 * processes would; on PGlite they share the one embedded database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createPuolesta, type Puolesta } from '../src/app.js';
import { configFromEnv, type Config } from '../src/config.js';
import { openDatabase, type DatabaseHandle, type Db } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { SharedRateLimiter } from '../src/http/rate-limit.js';
import { countWindows } from '../src/repositories/rate-limits.repository.js';
import { DATABASE_URL, client, freshDatabase, P, REFERENCE_NOW } from './helpers.js';

const LIMIT = 5;
/** The traffic clock both apps read: mid-window, so that a test knows when the window ends. */
const traffic = { now: Date.UTC(2026, 11, 1, 8, 0, 20) };

let first: Awaited<ReturnType<typeof freshDatabase>>;
let second: DatabaseHandle | null = null;
let a: Puolesta;
let b: Puolesta;

async function app(handle: DatabaseHandle): Promise<Puolesta> {
  const config: Config = { ...configFromEnv({}), mode: 'demo', apiClientRateLimit: LIMIT };
  const p = await createPuolesta({ config, handle, logger: false, serveWeb: false, worker: false, simulators: false, now: () => REFERENCE_NOW, trafficClock: () => traffic.now });
  await p.app.ready();
  return p;
}

beforeAll(async () => {
  first = await freshDatabase();
  a = await app(first);
  // A second "process": on PostgreSQL its own pool on the same schema.
  second = DATABASE_URL ? await openDatabase({ url: DATABASE_URL, schema: first.schema, poolSize: 3 }) : null;
  b = await app(second ?? first);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await second?.close();
  await first?.drop();
});

const check = (p: Puolesta, municipality: string) => p.app.inject({
  method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client(municipality) },
  payload: { actor: { type: 'person', id: P.kari }, principal: { type: 'person', id: P.markku }, issue: 'housing' },
});

describe('an API client\'s budget over two app instances on one database', () => {
  it('is one budget: calls through either instance count, over it both answer 429 problem+json with Retry-After until the window ends', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await check(i % 2 ? b : a, '245')).statusCode);
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    for (const p of [a, b]) {
      const over = await check(p, '245');
      expect(over.statusCode).toBe(429);
      expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(over.json<{ code: string }>().code).toBe('rate.limited');
      // The window ends 40 s after the clock's 08:00:20.
      expect(Number(over.headers['retry-after'])).toBe(40);
    }
    // Another client's budget is its own.
    expect((await check(b, '753')).statusCode).toBe(200);

    // The next minute: a fresh budget, in both instances.
    traffic.now += 40_000;
    expect((await check(b, '245')).statusCode).toBe(200);
    expect((await check(a, '245')).statusCode).toBe(200);
    traffic.now += 59_000;
    expect((await check(a, '245')).statusCode).toBe(200);
  });
});

describe('the shared limiter', () => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => { h = await freshDatabase(); });
  afterAll(async () => { await h?.drop(); });

  const create = (db: Db, limit: number, maxLease: number) =>
    SharedRateLimiter.create(db, { name: `t-${limit}-${maxLease}`, limit, windowMs: 60_000, maxLease, whenDatabaseAway: 'fail' });
  const take = async (l: SharedRateLimiter, key: string, now: number) => {
    const r = l.take(key, now);
    return { sync: typeof r === 'boolean', ok: await r };
  };

  it('never lets more than the limit through across limiters, and decides most calls without the database', async () => {
    const one = await create(h.db, 1000, 50);
    const two = await create(h.db, 1000, 50);
    const now = Date.UTC(2026, 11, 1, 9, 0, 0);
    let admitted = 0;
    let sync = 0;
    for (let i = 0; i < 1200; i++) {
      const r = await take(i % 2 ? two : one, 'busy', now + i);
      if (r.ok) admitted++;
      if (r.sync) sync++;
    }
    expect(admitted).toBeLessThanOrEqual(1000);
    // What the other limiter still holds leased is lost to this one: at most a lease or two.
    expect(admitted).toBeGreaterThanOrEqual(1000 - 2 * 50);
    // Leases are batched: far fewer round trips than calls, and most calls need no promise at all.
    expect(one.leases + two.leases).toBeLessThan(120);
    expect(sync).toBeGreaterThan(1000);
  });

  it('counts exactly with a lease of one, and a refused attempt spends nothing', async () => {
    const one = await create(h.db, 4, 1);
    const two = await create(h.db, 4, 1);
    const now = Date.UTC(2026, 11, 1, 9, 30, 0);
    expect(await one.take('k', now, 3)).toBe(true);
    expect(await two.take('k', now, 2)).toBe(false);
    expect(await two.take('k', now, 1)).toBe(true);
    expect(await one.take('k', now, 1)).toBe(false);
    expect(await two.take('k', now + 60_000, 4)).toBe(true);
  });

  it('deletes windows that have ended', async () => {
    const l = await create(h.db, 10, 1);
    const start = Date.UTC(2026, 11, 1, 10, 0, 0);
    for (let i = 0; i < 5; i++) expect(await l.take(`key-${i}`, start)).toBe(true);
    const before = await countWindows(h.db);
    expect(before).toBeGreaterThanOrEqual(5);
    // Two windows later the first sweep of the process drops the ended ones (in the background).
    expect(await l.take('later', start + 120_000)).toBe(true);
    await expect.poll(() => countWindows(h.db), { timeout: 5000 }).toBeLessThanOrEqual(before - 5 + 1);
  });

  it('with the database away: counts in this process only (and says so), or fails with a 503 when told to', async () => {
    const away: Db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 500 }) }) });
    const told: unknown[] = [];
    const local = await SharedRateLimiter.create(away, { name: 'away', limit: 2, windowMs: 60_000, maxLease: 10, whenDatabaseAway: 'count-locally', onLocalCounting: (e) => told.push(e) }, 'test-secret');
    const now = Date.UTC(2026, 11, 1, 11, 0, 0);
    expect(await local.take('c', now)).toBe(true);
    expect(await local.take('c', now + 1)).toBe(true);
    expect(await local.take('c', now + 2)).toBe(false);
    expect(told).toHaveLength(1);
    const failing = await SharedRateLimiter.create(away, { name: 'away', limit: 2, windowMs: 60_000, maxLease: 1, whenDatabaseAway: 'fail' }, 'test-secret');
    await expect(failing.take('c', now)).rejects.toThrow();
    await away.destroy();
  });
});
