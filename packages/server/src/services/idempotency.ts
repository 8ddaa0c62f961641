/**
 * `Idempotency-Key` on commands that create or decide something (a grant, a mandate request, an answer to one,
 * sending an errand): a client that did not get the answer — a timeout, a 503 from a process that lost its
 * database, a double click — sends the same request with the same key and gets the first answer again; nothing
 * is done twice. The key is the caller's own: it is scoped to the caller and the operation, and a key reused for
 * a different request is refused. The answer is stored in the command's own transaction (`rememberAnswer` in
 * its unit of work), so a key is answered only for what was committed.
 */
import { createHash } from 'node:crypto';
import stringify from 'json-stable-stringify';
import { refuse, type ErrorCode } from '@puolesta/domain';
import type { Db } from '../db/database.js';
import { findIdempotent, isIdempotencyKeyTaken, saveIdempotent } from '../repositories/idempotency.repository.js';
import type { Context, UnitOfWork } from './context.js';

export interface KeyedRequest {
  scope: string;
  key: string;
  requestHash: string;
  /** The refusal when the key was used for another request. */
  reused: ErrorCode;
}

/** The key a caller sent with an operation and what it asked for; undefined without a key. */
export function keyedRequest(operation: string, callerId: string, key: string | undefined, request: unknown, reused: ErrorCode = 'request.idempotency-key-reused'): KeyedRequest | undefined {
  if (key === undefined) return undefined;
  return { scope: `${operation}:${callerId}`, key, requestHash: createHash('sha256').update(stringify(request) ?? '').digest('hex'), reused };
}

async function answerOf<T>(db: Db, k: KeyedRequest): Promise<T | undefined> {
  const seen = await findIdempotent(db, k.scope, k.key);
  if (!seen) return undefined;
  if (seen.requestHash !== k.requestHash) throw refuse(k.reused);
  return seen.response as T;
}

/**
 * Runs the command once per key: a key answered before gets that answer; otherwise the command runs (and its
 * unit of work calls `rememberAnswer`). Two requests with the same key at the same moment: the second's
 * transaction fails on the stored key and it is answered from the first.
 */
export async function oncePerKey<T>(ctx: Pick<Context, 'db'>, k: KeyedRequest | undefined, command: () => Promise<T>): Promise<T> {
  if (!k) return command();
  const before = await answerOf<T>(ctx.db, k);
  if (before !== undefined) return before;
  try {
    return await command();
  } catch (e) {
    if (!isIdempotencyKeyTaken(e)) throw e;
    const twin = await answerOf<T>(ctx.db, k);
    if (twin === undefined) throw e;
    return twin;
  }
}

/**
 * In the command's unit of work, once it holds its locks: the answer a twin with the same key committed while
 * this one waited for them (a command on an existing row, which a twin locked first), if any.
 */
export function answeredMeanwhile<T>(u: UnitOfWork, k: KeyedRequest | undefined): Promise<T | undefined> {
  return k ? answerOf<T>(u.db, k) : Promise.resolve(undefined);
}

/** In the command's unit of work: the answer this key gets from now on (commits with the change). */
export async function rememberAnswer(u: UnitOfWork, k: KeyedRequest | undefined, answer: unknown): Promise<void> {
  if (k) await saveIdempotent(u.db, k.scope, k.key, k.requestHash, answer, u.ctx.now());
}
