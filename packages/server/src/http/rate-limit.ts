import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isBusinessId, isPersonalIdentityCode, onSideOf, standing, type PartyRef } from '@puolesta/domain';
import { today, type Context } from '../services/context.js';
import { actorOf, callerOf } from './access-hook.js';

/**
 * A small fixed-window limiter kept in memory, for endpoints that could be used to enumerate
 * people (looking up a name by identity code). Per process; good enough against casual harvesting.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly limit: number, private readonly windowMs: number) {}

  /** True when the key may spend `cost` now (and it is counted); a refused attempt spends nothing. */
  take(key: string, now = Date.now(), cost = 1): boolean {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs || now < w.start) {
      if (this.windows.size > 10_000) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count + cost > this.limit) return false;
    w.count += cost;
    return true;
  }

  /** Milliseconds until the key's current window ends. */
  retryAfterMs(key: string, now = Date.now()): number {
    const w = this.windows.get(key);
    return w ? Math.max(0, w.start + this.windowMs - now) : 0;
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

/** How often a session subject may learn whether an identity code or business id exists. */
export const PARTY_LOOKUP_LIMIT = { limit: 60, windowMs: 10 * 60_000 } as const;

/** Answered as 429 application/problem+json (see problem.ts), the same whatever the codes named. */
export class TooManyLookups extends Error {
  constructor(readonly retryAfterSeconds: number, message = 'Too many look-ups of identity codes or business ids. Try again in a few minutes.') {
    super(message);
  }
}

/** One budget per app (so per process), shared by every endpoint that could reveal whether a party exists. */
const budgets = new WeakMap<Context, RateLimiter>();
const budgetOf = (ctx: Context) => {
  let b = budgets.get(ctx);
  if (!b) budgets.set(ctx, (b = new RateLimiter(PARTY_LOOKUP_LIMIT.limit, PARTY_LOOKUP_LIMIT.windowMs)));
  return b;
};

const wellFormed = (p: { type: string; id: string }) =>
  (p.type === 'person' && isPersonalIdentityCode(p.id)) || (p.type === 'organization' && isBusinessId(p.id));

/**
 * Call before answering anything that depends on whether these parties exist (a name, a 404 for an
 * unknown code, a grant or request that goes through). Every well-formed party named costs one
 * look-up from the subject's budget, known or unknown alike, so the answers can tell existing and
 * missing codes apart no more often than `POST /api/v1/parties/lookup` can. Free: malformed ids (a
 * 400 that reveals nothing), and for a citizen themselves and the parties they decide for (their
 * minor children, organisations where they sign: already listed in `GET /api/v1/me`). Over budget
 * it throws `TooManyLookups` before anything is looked up, for known and unknown codes alike.
 */
export async function spendPartyLookups(ctx: Context, req: FastifyRequest, parties: ReadonlyArray<{ type: string; id: string } | undefined>): Promise<void> {
  const s = actorOf(req);
  const me = s.kind === 'person' ? await callerOf(ctx, req) : null;
  const seen = new Set<string>();
  let cost = 0;
  for (const p of parties) {
    if (!p || !wellFormed(p)) continue;
    const k = `${p.type}:${p.id}`;
    if (seen.has(k)) continue;
    seen.add(k);
    if (me && onSideOf(standing(me.facts, p as PartyRef, today(ctx)), [])) continue;
    cost++;
  }
  if (cost === 0) return;
  const key = s.kind === 'person' ? `p:${s.id}` : s.kind === 'staff' ? `s:${s.key}` : `x:${s.kind}`;
  const now = ctx.now().getTime();
  const budget = budgetOf(ctx);
  if (!budget.take(key, now, cost)) throw new TooManyLookups(Math.ceil(budget.retryAfterMs(key, now) / 1000));
}

/**
 * Per-client budgets of the API clients (the e-services' vendor API, decision 0014): each client its own
 * fixed window of `limitPerMinute` calls a minute; over it, 429 problem+json `rate.limited` with
 * Retry-After. Every call an API client makes is attributable to it: the request's log lines (also
 * "request completed", with its status and time) carry `apiClient` and `municipality`.
 * In memory and per process for now (issue 12 moves the budgets to the database): with N processes
 * a client may make up to N times the limit. Register after the access hook (it reads the actor).
 */
export function registerClientRateLimit(app: FastifyInstance, limitPerMinute: number, clock: () => number = Date.now): void {
  const budget = limitPerMinute > 0 ? new RateLimiter(limitPerMinute, 60_000) : null;
  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.url === undefined) return;
    let a;
    try {
      a = actorOf(req);
    } catch {
      return;
    }
    if (a.kind !== 'api-client') return;
    req.log = reply.log = req.log.child({ apiClient: a.id, municipality: a.municipality });
    if (!budget) return;
    const key = `client:${a.id}`;
    // Real time, not the injected domain clock: this is about traffic, not about validity dates.
    const now = clock();
    if (!budget.take(key, now)) {
      const seconds = Math.max(1, Math.ceil(budget.retryAfterMs(key, now) / 1000));
      req.log.warn({ retryAfterSeconds: seconds, limitPerMinute }, 'API client over its rate limit');
      throw new TooManyLookups(seconds, `Too many calls from this API client (at most ${limitPerMinute} a minute). Try again in ${seconds} s.`);
    }
  });
}
