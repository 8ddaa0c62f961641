import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, refuse, type ErrorCode } from '@puolesta/domain';
import type { Context } from '../services/context.js';
import type { SessionSubject } from '../db/schema.js';

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
    const rows = await ctx.db.selectFrom('api_clients').selectAll().execute();
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

export interface Staff { key: string; name: string; municipality: string | null; roles: string[] }

export async function createSession(ctx: Context, reply: FastifyReply, subject: SessionSubject, secure: boolean) {
  const id = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await ctx.db.insertInto('sessions').values({ id, subject: JSON.stringify(subject), expires_at: expires }).execute();
  reply.setCookie(SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires });
}

export async function endSession(ctx: Context, req: FastifyRequest, reply: FastifyReply) {
  const id = req.cookies[SESSION_COOKIE];
  if (id) await ctx.db.deleteFrom('sessions').where('id', '=', id).execute();
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
  const s = await ctx.db.selectFrom('sessions').select(['subject', 'expires_at']).where('id', '=', id).executeTakeFirst();
  if (!s || new Date(s.expires_at) < new Date()) throw refuse('auth.session-ended');
  sessionOfRequest.set(req, s.subject as SessionSubject);
  return s.subject as SessionSubject;
}

export async function personOf(ctx: Context, req: FastifyRequest): Promise<string> {
  const s = await sessionOf(ctx, req);
  if (s.kind !== 'person') throw refuse('access.citizens-only');
  return s.id;
}

/** The logged-in staff member, who must have one of the roles. */
export async function staffOf(ctx: Context, req: FastifyRequest, role: string | readonly string[]): Promise<Staff> {
  const roles = typeof role === 'string' ? [role] : role;
  const s = await sessionOf(ctx, req);
  if (s.kind !== 'staff') throw refuse('access.staff-only');
  const staff = await ctx.db.selectFrom('staff').selectAll().where('key', '=', s.key).executeTakeFirst();
  if (!staff || !roles.some((r) => staff.roles.includes(r))) throw refuse('access.role-required', { roles });
  return staff;
}
