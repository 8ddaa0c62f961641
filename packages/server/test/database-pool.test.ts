/**
 * The PostgreSQL pool keeps idle connections (db/database.ts, decision 0018 fourth round): an API process that
 * answers checks from its index may not read the database for a while, and a new connection is a new backend
 * process — a burst after a quiet spell would wait for them. Fake timers stand in for the quiet minutes.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, sql, type DatabaseHandle } from '../src/db/database.js';

const DATABASE_URL = process.env.DATABASE_URL;

describe.skipIf(!DATABASE_URL)('the PostgreSQL pool (skipped on PGlite)', () => {
  const schema = `pool_${randomBytes(5).toString('hex')}`;
  let h: DatabaseHandle | undefined;
  afterEach(() => { vi.useRealTimers(); });
  afterAll(async () => {
    if (h) {
      await sql.raw(`drop schema if exists ${schema} cascade`).execute(h.db).catch(() => {});
      await h.close();
    }
  });

  it('keeps a connection idle for minutes (the next read needs no new backend), and lets it go after ten', async () => {
    h = await openDatabase({ url: DATABASE_URL, schema, poolSize: 1, migrate: false });
    const backend = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(h!.db)).rows[0]!.pid;
    // The pool's idle timer is set when a connection is given back: fake the clock before the first read.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const first = await backend();
    vi.advanceTimersByTime(5 * 60_000);
    expect(await backend()).toBe(first);
    vi.advanceTimersByTime(11 * 60_000);
    await new Promise((r) => setImmediate(r));
    expect(await backend()).not.toBe(first);
  });
});
