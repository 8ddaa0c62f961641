import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Context } from '../../services/context.js';
import type { Config } from '../../config.js';
import { endAllSessions, sessionPolicy, useSessionPolicy } from '../auth.js';
import { problems } from '../schemas.js';

/**
 * Login and sessions (issue 11, docs/decisions/0015): sign out everywhere, and citizen login over
 * OpenID Connect (authorization code + PKCE) when a provider is configured.
 */
export const authOidcRoutes = (ctx: Context, config: Config): FastifyPluginAsyncTypebox => async (app) => {
  // Idle and absolute ends and the cookie's `Secure` come from the configuration.
  useSessionPolicy(ctx, sessionPolicy(config));

  app.post('/api/v1/auth/logout-everywhere', {
    config: { access: 'session.end-all' },
    schema: {
      operationId: 'logoutEverywhere', tags: ['auth'], summary: 'Sign out everywhere: end all of my sessions, this one too', security: [{ session: [] }],
      response: { 200: Type.Object({ ended: Type.Integer({ minimum: 0 }) }, { examples: [{ ended: 2 }] }), ...problems(401) },
    },
  }, async (req, reply) => ({ ended: await endAllSessions(ctx, req, reply) }));
};
