/**
 * Security headers (decision 0014), set by @fastify/helmet, and `Cache-Control: no-store` on every
 * answer that may carry personal data.
 */
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
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

/** Registers helmet and the no-store rule on the root. `secure`: served over HTTPS (HSTS, upgrade-insecure-requests). */
export async function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'secureCookies'>): Promise<void> {
  const secure = config.secureCookies;
  // helmet is wrapped with fastify-plugin: its hooks apply to every route, also those registered later.
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(secure) },
    frameguard: { action: 'deny' },
    strictTransportSecurity: secure ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    noSniff: true,
    // Cross-origin isolation is not needed and would only get in the way of embedding nothing.
    crossOriginEmbedderPolicy: false,
  });
  // Personal data is not kept by browsers or proxies: everything but the public catalogue and the UI's files.
  app.addHook('onSend', async (req, reply, payload) => {
    const action = req.routeOptions.config?.access;
    if (!(action && CACHEABLE_ACTIONS.has(action) && reply.hasHeader('cache-control'))) reply.header('cache-control', 'no-store');
    return payload;
  });
}
