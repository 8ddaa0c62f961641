/**
 * Security headers (decision 0014), as helmet makes them, and `Cache-Control: no-store` on every
 * answer that may carry personal data.
 *
 * helmet is configured once and its headers are taken once (decision 0018): they depend on the
 * configuration only (no nonces, no directive functions). @fastify/helmet instead rebuilt helmet —
 * parsing every CSP directive — on every request, in two hooks, which was a tenth of a check's cost.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, onSendHookHandler, RouteOptions } from 'fastify';
import type { GateStep } from './request-gate.js';
import { routeOf } from './request-state.js';
import helmet, { type HelmetOptions } from 'helmet';
import type { Action } from '@puolesta/domain';
import type { Config } from '../config.js';

/** Actions whose answers are the same for everyone and may be cached (they set their own Cache-Control). */
export const CACHEABLE_ACTIONS: ReadonlySet<Action> = new Set<Action>(['catalogue.read', 'ui.read']);

/** The Content-Security-Policy: scripts, fonts and everything else from this origin only; no framing. */
export function contentSecurityPolicy(secure: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    // The built UI has no inline script (a test reads dist/index.html): no 'unsafe-inline' for scripts.
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    // styled-components (suomifi-ui-components) writes <style> elements at run time: inline styles are needed.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
    // Over plain HTTP (demo, tests at 127.0.0.1) upgrading would break every request.
    ...(secure ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * The headers helmet sets with these options, taken once by running its middleware against a
 * response that only records them. A header helmet removes (X-Powered-By) Fastify never sets.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) { headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value); },
    removeHeader(name: string) { delete headers[name.toLowerCase()]; },
    getHeader(name: string) { return headers[name.toLowerCase()]; },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => { if (err) throw err; });
  return headers;
}

/** Makes `hook` the first of a route's `onSend` hooks (in an `onRoute` hook, before the route is built). */
export function runFirstOnSend(route: RouteOptions, hook: onSendHookHandler): void {
  route.onSend = [hook, ...(route.onSend ? [route.onSend].flat() : [])] as RouteOptions['onSend'];
}

/** Headers of a document that an API's JSON answer carries too, and its own policy. */
const API_HEADERS = ['x-frame-options', 'x-content-type-options', 'strict-transport-security'] as const;
/** The policy of an answer that is no document: nothing may load, nothing may frame it. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** The API answers' headers, taken from the document headers (so both follow the same configuration). */
export function apiHeaders(documentHeaders: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { 'content-security-policy': API_CONTENT_SECURITY_POLICY };
  for (const name of API_HEADERS) if (documentHeaders[name] !== undefined) out[name] = documentHeaders[name];
  return out;
}

/**
 * The security headers and the no-store rule: a step of the request gate (request-gate.ts) that
 * sets them before anything can refuse the request (so every answer, routes, 404s and errors, carries
 * them), and an `onSend` hook for the few routes whose answers may be cached.
 * `secure`: served over HTTPS (HSTS, upgrade-insecure-requests).
 */
export function securityHeaders(app: FastifyInstance, config: Pick<Config, 'secureCookies'>): GateStep {
  const secure = config.secureCookies;
  const headers = helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(secure) },
    frameguard: { action: 'deny' },
    strictTransportSecurity: secure ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    noSniff: true,
    // Cross-origin isolation is not needed and would only get in the way of embedding nothing.
    crossOriginEmbedderPolicy: false,
  });
  // JSON answers of the API are never rendered as documents: they carry what OWASP's REST Security
  // Cheat Sheet lists for API responses — a policy that allows nothing and no framing, X-Frame-Options,
  // nosniff, no-store, HSTS — and nothing else. The rest only a rendered document uses: COOP,
  // Origin-Agent-Cluster, DNS prefetch, IE's download and XSS switches, Flash's cross-domain
  // policies, Referrer-Policy (a JSON answer sends no requests) and Cross-Origin-Resource-Policy (a
  // cross-origin `no-cors` read of JSON sent with nosniff is blocked by the browser anyway). Half
  // the headers on the e-services' hot path (decision 0018, third round).
  const api = apiHeaders(headers);
  // Routes whose answers may be cached set their own Cache-Control; if one did not (an error, say),
  // no-store. (A route with no action yet is the UI's files, whose action a later onRoute hook sets.)
  app.addHook('onRoute', (route) => {
    const action = (route.config as { access?: Action } | undefined)?.access;
    if (action && !CACHEABLE_ACTIONS.has(action)) return;
    const own = (_req: unknown, reply: FastifyReply, payload: unknown, done: (e: null, p: unknown) => void) => {
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      done(null, payload);
    };
    runFirstOnSend(route, own);
  });
  return (req, reply) => {
    reply.headers(req.url.startsWith('/api/') ? api : headers);
    // Personal data is not kept by browsers or proxies: everything but the public catalogue and the
    // UI's files. Set now, before the route; a route of a cacheable action replaces it.
    const action = routeOf(req).access;
    if (!(action && CACHEABLE_ACTIONS.has(action))) reply.header('cache-control', 'no-store');
  };
}
