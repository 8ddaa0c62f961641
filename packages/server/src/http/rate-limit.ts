import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isBusinessId, isPersonalIdentityCode, onSideOf, standing, type PartyRef } from '@puolesta/domain';
import { today, type Context } from '../services/context.js';
import { actorOf, callerOf } from './access-hook.js';
import { isUnavailable, type Db } from '../db/database.js';
import type { GateStep } from './request-gate.js';
import { routeOf } from './request-state.js';
import { addToWindow, deleteExpiredWindows } from '../repositories/rate-limits.repository.js';
import { serverSecret } from '../repositories/secrets.repository.js';

/**
 * A small fixed-window limiter kept in one process's memory: what `SharedRateLimiter` falls back to
 * while the database is away (decision 0021).
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

/** Most calls a process leases from a shared window at a time (API clients). */
export const DEFAULT_MAX_LEASE = 50;

export interface SharedLimitOptions {
  /** Names the limit (part of every key). */
  name: string;
  /** Calls a key may make in one window, across every process. */
  limit: number;
  windowMs: number;
  /**
   * Most calls a process takes from the database at once. 1: every call is counted in the database
   * (exact). Larger: fewer round trips; a process holds at most this many calls no other process can
   * use in the window, and takes less as the window fills up (a sixteenth of what is left).
   */
  maxLease: number;
  /** The database is away: `fail` (DatabaseUnavailable, a 503), or `count-locally` (each process the whole limit on its own until it is back). */
  whenDatabaseAway: 'fail' | 'count-locally';
  /** Told when a process starts counting locally (at most once a window). */
  onLocalCounting?: (cause: unknown) => void;
}

interface Slot {
  /** Start of the window (ms since the epoch, a multiple of windowMs: every process agrees on it). */
  window: number;
  /** Calls leased to this process and not yet spent. */
  left: number;
  /** The window's count in the database after this process's last lease. */
  known: number;
  /** The database's count has reached the limit: once `left` is spent, refuse without asking. */
  full: boolean;
  /** The size of the last lease (a refill starts when half of it is spent). */
  lastLease: number;
  refill: Promise<void> | null;
}

/**
 * A fixed-window limit shared by every process over one database (table `rate_limit_windows`,
 * decision 0021). Windows are aligned to the epoch, so all processes count the same window. A process
 * leases calls from the database's count in small batches and spends them locally; it never lets more
 * than `limit` calls through in a window across all processes (while the database is reachable).
 */
export class SharedRateLimiter {
  private slots = new Map<string, Slot>();
  private readonly local: RateLimiter;
  private sweptWindow = -1;
  private localSince = -1;

  private constructor(private readonly db: Db, private readonly o: SharedLimitOptions, private readonly secret: string) {
    this.local = new RateLimiter(o.limit, o.windowMs);
  }

  /** Leases taken from the database so far (each one round trip). */
  leases = 0;

  /** `secret` keys the stored keys' HMAC; default the database's server secret `rate-limit`. */
  static async create(db: Db, o: SharedLimitOptions, secret?: string): Promise<SharedRateLimiter> {
    if (!(o.limit > 0) || !(o.windowMs > 0) || !(o.maxLease >= 1)) throw new Error('bad rate limit');
    return new SharedRateLimiter(db, o, secret ?? await serverSecret(db, 'rate-limit'));
  }

  /**
   * May `key` spend `cost` calls now? A boolean when this process can tell alone (the hot path: no
   * promise, no database), otherwise a promise. A refused attempt spends nothing.
   */
  take(key: string, now: number, cost = 1): boolean | Promise<boolean> {
    const slot = this.slotOf(key, now);
    if (slot.left >= cost) {
      slot.left -= cost;
      if (!slot.full && !slot.refill && this.o.maxLease > 1 && slot.left <= slot.lastLease / 2) {
        // Lease ahead of need, so that the next calls do not wait for the database.
        slot.refill = this.refill(key, slot, 0).catch(() => {}).finally(() => { slot.refill = null; });
      }
      return true;
    }
    if (slot.full || cost > this.o.limit) return false;
    return this.takeSlowly(key, slot, now, cost);
  }

  /** Milliseconds until the current window ends (Retry-After). */
  retryAfterMs(now: number): number {
    return this.windowOf(now) + this.o.windowMs - now;
  }

  private windowOf(now: number) {
    return Math.floor(now / this.o.windowMs) * this.o.windowMs;
  }

  private slotOf(key: string, now: number): Slot {
    const window = this.windowOf(now);
    let slot = this.slots.get(key);
    if (!slot || slot.window !== window) {
      if (this.slots.size > 10_000) for (const [k, s] of this.slots) if (s.window !== window) this.slots.delete(k);
      slot = { window, left: 0, known: 0, full: false, lastLease: 0, refill: null };
      this.slots.set(key, slot);
    }
    return slot;
  }

  private async takeSlowly(key: string, slot: Slot, now: number, cost: number): Promise<boolean> {
    // At most a few rounds: each either spends, refuses, or leases more from the database.
    for (let round = 0; round < 4; round++) {
      if (slot.refill) {
        await slot.refill;
      } else {
        const refill = this.refill(key, slot, cost - slot.left);
        // Others wait for it; the error is this caller's to handle.
        const p: Promise<void> = refill.catch(() => {}).finally(() => { if (slot.refill === p) slot.refill = null; });
        slot.refill = p;
        try {
          await refill;
        } catch (e) {
          if (this.o.whenDatabaseAway === 'fail' || !isUnavailable(e)) throw e;
          if (this.localSince !== slot.window) {
            this.localSince = slot.window;
            this.o.onLocalCounting?.(e);
          }
          return this.local.take(key, now, cost);
        }
      }
      if (slot.left >= cost) {
        slot.left -= cost;
        return true;
      }
      if (slot.full) return false;
    }
    return false;
  }

  /** Leases calls for `slot` from the database: at least `need`, up to a sixteenth of what is left, at most maxLease. */
  private async refill(key: string, slot: Slot, need: number): Promise<void> {
    const o = this.o;
    const ahead = Math.floor((o.limit - slot.known) / 16);
    const n = Math.max(1, need, Math.min(o.maxLease, ahead));
    const count = await addToWindow(this.db, {
      key: createHmac('sha256', this.secret).update(`${o.name}:${key}`).digest('base64url'),
      windowStart: new Date(slot.window), expiresAt: new Date(slot.window + o.windowMs), n,
    });
    this.leases++;
    const granted = Math.min(n, Math.max(0, o.limit - (count - n)));
    slot.left += granted;
    slot.known = count;
    slot.lastLease = granted;
    if (count >= o.limit) slot.full = true;
    if (this.sweptWindow !== slot.window) {
      // Once a window per process: windows that have ended go.
      this.sweptWindow = slot.window;
      void deleteExpiredWindows(this.db, new Date(slot.window)).catch(() => {});
    }
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

/** One budget per app, shared through the database by every process on it, for every endpoint that could reveal whether a party exists. */
const budgets = new WeakMap<Context, Promise<SharedRateLimiter>>();
const budgetOf = (ctx: Context) => {
  let b = budgets.get(ctx);
  // Exact (a lease of what one call costs): these calls are few and each already reads the database.
  if (!b) budgets.set(ctx, (b = SharedRateLimiter.create(ctx.db, { name: 'party-lookup', ...PARTY_LOOKUP_LIMIT, maxLease: 1, whenDatabaseAway: 'fail' })));
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
  const budget = await budgetOf(ctx);
  if (!(await budget.take(key, now, cost))) throw new TooManyLookups(Math.max(1, Math.ceil(budget.retryAfterMs(now) / 1000)));
}

/**
 * Per-client budgets of the API clients (the e-services' vendor API, decision 0014): each client its own
 * fixed window of `limitPerMinute` calls a minute, counted in the database and shared by every process
 * on it (decision 0021); over it, 429 problem+json `rate.limited` with Retry-After. A process leases
 * calls in small batches, so a call costs a database round trip only now and then (ahead of need, in
 * the background) or when the budget is nearly spent. While the database is away each process counts
 * on its own (the same limit per process) and says so in its log. Every call an API client makes is
 * attributable to it: the request's log lines (also "request completed", with its status and time)
 * carry `apiClient` and `municipality`. A step of the request gate, after access (it reads the actor).
 */
export async function clientRateLimit(app: FastifyInstance, db: Db, limitPerMinute: number, opts: { clock?: () => number; maxLease?: number } = {}): Promise<GateStep> {
  // Real time, not the injected domain clock: this is about traffic, not about validity dates.
  const clock = opts.clock ?? Date.now;
  const budget = limitPerMinute > 0
    ? await SharedRateLimiter.create(db, {
      name: 'api-client', limit: limitPerMinute, windowMs: 60_000, maxLease: opts.maxLease ?? DEFAULT_MAX_LEASE, whenDatabaseAway: 'count-locally',
      onLocalCounting: (e) => app.log.warn({ err: e }, 'rate limits counted in this process only: the database is not reachable'),
    })
    : null;
  // The limit's key per client, made once (bounded by the configured clients).
  const keys = new Map<string, string>();
  // A step of the request gate, after access: a call the process can count alone (nearly all) costs no promise.
  return (req, reply) => {
    const a = req.puolestaActor;
    if (!a || routeOf(req).url === undefined || a.kind !== 'api-client') return;
    req.log = reply.log = req.log.child({ apiClient: a.id, municipality: a.municipality });
    if (!budget) return;
    const now = clock();
    let key = keys.get(a.id);
    if (!key) keys.set(a.id, (key = `client:${a.id}`));
    const taken = budget.take(key, now);
    if (taken === true) return;
    if (taken === false) throw overLimit(req, budget, now, limitPerMinute);
    return taken.then((ok) => { if (!ok) throw overLimit(req, budget, now, limitPerMinute); });
  };
}

/** The refusal of a call over its client's limit (logged with the client, from the request's logger). */
function overLimit(req: FastifyRequest, budget: SharedRateLimiter, now: number, limitPerMinute: number): TooManyLookups {
  const seconds = Math.max(1, Math.ceil(budget.retryAfterMs(now) / 1000));
  req.log.warn({ retryAfterSeconds: seconds, limitPerMinute }, 'API client over its rate limit');
  return new TooManyLookups(seconds, `Too many calls from this API client (at most ${limitPerMinute} a minute). Try again in ${seconds} s.`);
}
