/** Answers given to `Idempotency-Key`s (services/idempotency.ts). */
import type { Db } from '../db/database.js';

export async function findIdempotent(db: Db, scope: string, key: string): Promise<{ requestHash: string; response: unknown } | undefined> {
  const r = await db.selectFrom('idempotency_keys').select(['request_hash', 'response']).where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  return r && { requestHash: r.request_hash, response: typeof r.response === 'string' ? JSON.parse(r.response) : r.response };
}

/** Stores the answer given to a key, in the command's transaction (a concurrent twin fails on the key and is answered from it). */
export async function saveIdempotent(tx: Db, scope: string, key: string, requestHash: string, response: unknown, at: Date): Promise<void> {
  await tx.insertInto('idempotency_keys').values({ scope, key, request_hash: requestHash, response: JSON.stringify(response), created_at: at }).execute();
}

/** Did a transaction fail because another one stored the same key first (the table's primary key)? */
export function isIdempotencyKeyTaken(e: unknown): boolean {
  const x = e as { code?: string; constraint?: string; table?: string; message?: string } | null;
  return x?.code === '23505' && (x.constraint === 'idempotency_keys_pkey' || x.table === 'idempotency_keys' || /idempotency_keys/.test(x.message ?? ''));
}

/** Forgets the answers stored before `before` (the retention job); returns how many. */
export async function deleteIdempotencyKeysBefore(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
