import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, refuse, type ErrorCode } from '@puolesta/domain';
import type { Context } from '../services/context.js';
import type { SessionSubject } from '../db/schema.js';
import { apiClientRows, deleteSession, findSession, insertSession } from '../repositories/sessions.repository.js';

export const SESSION_COOKIE = 'puolesta_session';
const SESSION_HOURS = 8;

export interface ApiClient { id: string; municipality: string }


/** 401 for an e-service: answered with a `WWW-Authenticate: Basic` challenge (a session 401 is not, or browsers would pop up a password dialog). */
export class BasicAuthRequired extends DomainError {
  constructor(code: ErrorCode) {
    super(code);
  }
}

/** HTTP Basic with an API client's id and secret. Clients are few: they are kept in memory. */
export class ApiClients {
  private clients = new Map<string, { hash: Buffer; municipality: string }>();
  /** Authorization header values already verified (e-services send the same one on every call). */
  private verified = new Map<string, ApiClient>();
  async load(ctx: Context) {
    const rows = await apiClientRows(ctx.db);
    this.clients = new Map(rows.map((r) => [r.id, { hash: Buffer.from(r.secret_hash, 'hex'), municipality: r.municipality }]));
    this.verified.clear();
  }
  authenticate(req: FastifyRequest): ApiClient {
    const known = clientOfRequest.get(req);
    if (known) return known;
    const h = req.headers.authorization;
    const cached = h ? this.verified.get(h) : undefined;
    if (cached) {
      clientOfRequest.set(req, cached);
      return cached;
    }
    if (!h || !h.startsWith('Basic ')) throw new BasicAuthRequired('auth.basic-required');
    const decoded = Buffer.from(h.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const c = colon > 0 ? this.clients.get(id) : undefined;
    const given = createHash('sha256').update(secret).digest();
    if (!c || !timingSafeEqual(c.hash, given)) throw new BasicAuthRequired('auth.bad-client');
    const client = { id, municipality: c.municipality };
    if (this.verified.size > 1000) this.verified.clear();
    this.verified.set(h, client);
    clientOfRequest.set(req, client);
    return client;
  }
}

export async function createSession(ctx: Context, reply: FastifyReply, subject: SessionSubject, secure: boolean) {
  const id = randomBytes(32).toString('base64url');
  const expires = new Date(ctx.now().getTime() + SESSION_HOURS * 3600_000);
  await insertSession(ctx.db, { id, subject, expiresAt: expires });
  reply.setCookie(SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires });
}

export async function endSession(ctx: Context, req: FastifyRequest, reply: FastifyReply) {
  const id = req.cookies[SESSION_COOKIE];
  if (id && /^[A-Za-z0-9_-]{43}$/.test(id)) await deleteSession(ctx.db, id);
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

const clientOfRequest = new WeakMap<FastifyRequest, ApiClient>();
const sessionOfRequest = new WeakMap<FastifyRequest, SessionSubject>();

/** The session's subject; looked up once per request (routes authenticate in onRequest, before validation). */
export async function sessionOf(ctx: Context, req: FastifyRequest): Promise<SessionSubject> {
  const known = sessionOfRequest.get(req);
  if (known) return known;
  const id = req.cookies[SESSION_COOKIE];
  if (!id) throw refuse('auth.login-required');
  // Session ids are 32 random bytes, base64url: anything else is no session (and never reaches the database).
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) throw refuse('auth.session-ended');
  const s = await findSession(ctx.db, id);
  if (!s || new Date(s.expires_at) < ctx.now()) throw refuse('auth.session-ended');
  sessionOfRequest.set(req, s.subject as SessionSubject);
  return s.subject as SessionSubject;
}

