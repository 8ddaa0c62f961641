import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GateStep } from './request-gate.js';
import { routeOf } from './request-state.js';
import type { Config } from '../config.js';
import type { Context } from '../services/context.js';
import { serverSecret } from '../repositories/secrets.repository.js';
import { SESSION_COOKIE } from './auth.js';
import { sendProblem } from './problem.js';

/**
 * Cross-site request forgery protection (docs/decisions/0008). A state-changing request (POST, PUT,
 * PATCH, DELETE) that carries the session cookie must come from the app's own origin and send the
 * session's token as `X-CSRF-Token`; login and logout must come from the app's own origin. Requests
 * without the session cookie (e-services with HTTP Basic) are not affected.
 */

export const CSRF_HEADER = 'x-csrf-token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The secret the tokens are keyed with, per app (read once from the database at start). */
const secrets = new WeakMap<Context, Buffer>();

const tokenOf = (secret: Buffer, sessionId: string) => createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');

/** The token of the request's session (for `GET /api/v1/me`); undefined without a session cookie. */
export function csrfTokenFor(ctx: Context, req: FastifyRequest): string | undefined {
  const secret = secrets.get(ctx);
  const id = req.cookies[SESSION_COOKIE];
  if (!secret) throw new Error('CSRF protection is not installed on this app');
  return id ? tokenOf(secret, id) : undefined;
}

type CsrfCode = 'csrf.token-missing' | 'csrf.token-mismatch' | 'csrf.foreign-origin';
const refuse = (reply: FastifyReply, code: CsrfCode, detail: string) =>
  sendProblem(reply, 403, code, {}, { detail });

/** Is this `Origin` header value the app's own origin? */
function isOwnOrigin(origin: string, req: FastifyRequest, publicOrigin: string | undefined): boolean {
  if (publicOrigin) return origin === publicOrigin;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null"
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  const host = req.headers.host;
  if (!host) return false;
  try {
    // Normalise the Host header the way the URL parser normalises the origin (case, default port).
    return new URL(`${u.protocol}//${host}`).host === u.host;
  } catch {
    return false;
  }
}

/** A browser said so: `Origin` is another origin, or `Sec-Fetch-Site` says another site. */
function isForeign(req: FastifyRequest, publicOrigin: string | undefined): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  return origin !== undefined && !isOwnOrigin(origin, req, publicOrigin);
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // Lengths differ only for a malformed header; the comparison of equal lengths is constant-time.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The CSRF step of the request gate; it runs after the cookies are read. */
export async function csrfProtection(ctx: Context, config: Config): Promise<GateStep> {
  const secret = Buffer.from(await serverSecret(ctx.db, 'csrf'), 'base64url');
  secrets.set(ctx, secret);
  const publicOrigin = config.publicUrl ? new URL(config.publicUrl).origin : undefined;
  // A step of the request gate (after the cookies are read); a refusal answers 403 itself.
  return function csrfStep(req, reply) {
    if (!STATE_CHANGING.has(req.method)) return;
    const sessionId = req.cookies[SESSION_COOKIE];
    // The matched route, not the raw URL: an encoded path (`/%61uth/…`) cannot slip past.
    const isAuth = (routeOf(req).url ?? req.url).startsWith('/auth/');
    if (!sessionId && !isAuth) return;
    if (isForeign(req, publicOrigin)) return void refuse(reply, 'csrf.foreign-origin', 'This request came from another site and was refused.');
    // Login and logout need no token: before login there is none, and a stale cookie must still be cleared.
    if (isAuth || !sessionId) return;
    const given = req.headers[CSRF_HEADER];
    if (typeof given !== 'string' || given === '') return void refuse(reply, 'csrf.token-missing', 'Send the X-CSRF-Token header (csrfToken from GET /api/v1/me) with every change.');
    if (!sameToken(given, tokenOf(secret, sessionId))) return void refuse(reply, 'csrf.token-mismatch', 'The X-CSRF-Token header does not belong to this session. Reload the page.');
  };
}
