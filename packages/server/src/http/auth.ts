import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, refuse, type ErrorCode } from '@puolesta/domain';
import type { Context } from '../services/context.js';
import type { SessionSubject } from '../db/schema.js';
import type { Config } from '../config.js';
import type {} from './request-state.js';
import { apiClientRows, deleteEndedSessions, deleteSession, deleteSessionsOf, findSession, insertSession, touchSession } from '../repositories/sessions.repository.js';
import { clearCookie, setCookie } from './cookies.js';

export const SESSION_COOKIE = 'puolesta_session';

/** How long sessions last and how their cookie is set (docs/decisions/0015). */
export interface SessionPolicy {
  /** A session unused this long has ended (`PUOLESTA_SESSION_IDLE_MINUTES`, default 30). */
  idleMs: number;
  /** A session ends this long after login however much it is used (`PUOLESTA_SESSION_ABSOLUTE_HOURS`, default 12). */
  absoluteMs: number;
  /** `Secure` cookies: always in production mode, else when `PUOLESTA_SECURE_COOKIES=true`. */
  secure: boolean;
}

export const sessionPolicy = (config: Pick<Config, 'mode' | 'secureCookies' | 'sessions'>): SessionPolicy => ({
  idleMs: config.sessions.idleMinutes * 60_000,
  absoluteMs: config.sessions.absoluteHours * 3600_000,
  secure: config.secureCookies || config.mode === 'production',
});

const DEFAULT_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000, secure: false };
const policies = new WeakMap<Context, SessionPolicy>();
/** Sets the app's session policy (the auth routes do, when registered; until then the defaults hold). */
export function useSessionPolicy(ctx: Context, policy: SessionPolicy) {
  policies.set(ctx, policy);
}
const policyOf = (ctx: Context) => policies.get(ctx) ?? DEFAULT_POLICY;

/** The last-seen time is written at most this often (not on every request). */
const TOUCH_EVERY_MS = 60_000;
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');
/** The hash of the request's session cookie, if it has a well-formed one. */
const cookieHash = (req: FastifyRequest): string | undefined => {
  const id = req.cookies[SESSION_COOKIE];
  return id && SESSION_ID.test(id) ? hashOf(id) : undefined;
};

export interface ApiClient { id: string; municipality: string }


/** 401 for an e-service: answered with a `WWW-Authenticate: Basic` challenge (a session 401 is not, or browsers would pop up a password dialog). */
export class BasicAuthRequired extends DomainError {
  constructor(code: ErrorCode) {
    super(code);
  }
}

/**
 * HTTP Basic with an API client's id and secret. Clients are few: they are kept in memory. During a
 * rotation the previous secret stays valid until its `previous_valid_until` (the overlap window),
 * then only the new one does.
 */
export class ApiClients {
  private clients = new Map<string, { hash: Buffer; previous: { hash: Buffer; until: number } | null; municipality: string }>();
  /** Authorization header values already verified (e-services send the same one on every call), with when a previous secret stops being valid. */
  private verified = new Map<string, { client: ApiClient; until: number }>();
  private now: () => Date = () => new Date();
  async load(ctx: Context) {
    const rows = await apiClientRows(ctx.db);
    this.now = ctx.now;
    this.clients = new Map(rows.map((r) => [r.id, {
      hash: Buffer.from(r.secret_hash, 'hex'),
      previous: r.previous_secret_hash && r.previous_valid_until ? { hash: Buffer.from(r.previous_secret_hash, 'hex'), until: new Date(r.previous_valid_until).getTime() } : null,
      municipality: r.municipality,
    }]));
    this.verified.clear();
  }
  authenticate(req: FastifyRequest): ApiClient {
    const known = req.puolestaClient;
    if (known) return known;
    const h = req.headers.authorization;
    const now = this.now().getTime();
    const cached = h ? this.verified.get(h) : undefined;
    if (cached && now < cached.until) {
      req.puolestaClient = cached.client;
      return cached.client;
    }
    if (!h || !h.startsWith('Basic ')) throw new BasicAuthRequired('auth.basic-required');
    const decoded = Buffer.from(h.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const c = colon > 0 ? this.clients.get(id) : undefined;
    const given = createHash('sha256').update(secret).digest();
    const current = c !== undefined && timingSafeEqual(c.hash, given);
    const previous = !current && c?.previous && now < c.previous.until && timingSafeEqual(c.previous.hash, given) ? c.previous : null;
    if (!c || (!current && !previous)) {
      if (h) this.verified.delete(h);
      throw new BasicAuthRequired('auth.bad-client');
    }
    const client = { id, municipality: c.municipality };
    if (this.verified.size > 1000) this.verified.clear();
    this.verified.set(h, { client, until: previous ? previous.until : Number.POSITIVE_INFINITY });
    req.puolestaClient = client;
    return client;
  }
}

/**
 * Starts a session for `subject` with a fresh id (rotation: a session the browser had before, of
 * whoever, ends here). Only the id's SHA-256 is stored. `logoutHint`: the OIDC ID token, for the
 * provider's end_session at sign-out.
 */
export async function createSession(ctx: Context, req: FastifyRequest, reply: FastifyReply, subject: SessionSubject, opts: { logoutHint?: string } = {}) {
  const policy = policyOf(ctx);
  const now = ctx.now();
  const previous = cookieHash(req);
  if (previous) await deleteSession(ctx.db, previous);
  await deleteEndedSessions(ctx.db, now, new Date(now.getTime() - policy.idleMs));
  const id = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + policy.absoluteMs);
  await insertSession(ctx.db, { idHash: hashOf(id), subject, now, expiresAt: expires, logoutHint: opts.logoutHint ?? null });
  setCookie(reply, SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', secure: policy.secure, expires });
}

const clearSessionCookie = (ctx: Context, reply: FastifyReply) => clearCookie(reply, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: policyOf(ctx).secure });

/** Ends this browser's session (if any); what the provider needs to end its own (the ID token), if it was an OIDC login. */
export async function endSession(ctx: Context, req: FastifyRequest, reply: FastifyReply): Promise<{ logoutHint: string | null; kind: SessionSubject['kind'] } | null> {
  const h = cookieHash(req);
  const ended = h ? await deleteSession(ctx.db, h) : undefined;
  clearSessionCookie(ctx, reply);
  return ended ? { logoutHint: ended.logout_hint, kind: ended.subject_key.startsWith('staff:') ? 'staff' : 'person' } : null;
}

/** "Sign out everywhere": ends every session of this session's subject (this one too); how many. */
export async function endAllSessions(ctx: Context, req: FastifyRequest, reply: FastifyReply): Promise<number> {
  const h = cookieHash(req);
  const s = h ? await findSession(ctx.db, h) : undefined;
  clearSessionCookie(ctx, reply);
  if (!s) return 0;
  return deleteSessionsOf(ctx.db, s.subject_key);
}

/** The session's subject; looked up once per request (routes authenticate in onRequest, before validation). */
export async function sessionOf(ctx: Context, req: FastifyRequest): Promise<SessionSubject> {
  const known = req.puolestaSession;
  if (known) return known;
  const id = req.cookies[SESSION_COOKIE];
  if (!id) throw refuse('auth.login-required');
  // Session ids are 32 random bytes, base64url: anything else is no session (and never reaches the database).
  if (!SESSION_ID.test(id)) throw refuse('auth.session-ended');
  const h = hashOf(id);
  const s = await findSession(ctx.db, h);
  if (!s) throw refuse('auth.session-ended');
  const now = ctx.now();
  const lastSeen = new Date(s.last_seen_at).getTime();
  if (new Date(s.expires_at) <= now || lastSeen + policyOf(ctx).idleMs <= now.getTime()) {
    await deleteSession(ctx.db, h);
    throw refuse('auth.session-ended');
  }
  if (now.getTime() - lastSeen >= TOUCH_EVERY_MS) await touchSession(ctx.db, h, now);
  req.puolestaSession = s.subject as SessionSubject;
  return s.subject as SessionSubject;
}
