import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * Adds `n` calls to `key`'s window (creating it) and answers the window's count after the addition:
 * one statement, atomic across processes.
 */
export async function addToWindow(db: Db, w: { key: string; windowStart: Date; expiresAt: Date; n: number }): Promise<number> {
  const row = await db.insertInto('rate_limit_windows')
    .values({ key: w.key, window_start: w.windowStart, expires_at: w.expiresAt, count: w.n })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ count: sql<number>`rate_limit_windows.count + excluded.count` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Deletes windows that ended before `now`; how many. */
export async function deleteExpiredWindows(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom('rate_limit_windows').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** How many windows are kept (for tests and metrics). */
export async function countWindows(db: Db): Promise<number> {
  const r = await db.selectFrom('rate_limit_windows').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
