import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import * as oidc from 'openid-client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '@puolesta/domain';
import type { Context } from '../../services/context.js';
import type { SessionSubject } from '../../db/schema.js';
import type { Config, OidcConfig, StaffOidcConfig } from '../../config.js';
import { findPerson } from '../../repositories/registers.repository.js';
import { upsertStaff } from '../../repositories/sessions.repository.js';
import { serverSecret } from '../../repositories/secrets.repository.js';
import { createHash } from 'node:crypto';
import { createSession, endAllSessions, endSession, sessionPolicy, useSessionPolicy } from '../auth.js';
import { PUBLIC, problems } from '../schemas.js';
import { clearCookie, setCookie } from '../cookies.js';

/**
 * Login and sessions (issue 11, docs/decisions/0015): sign out everywhere, and citizen login over
 * OpenID Connect (authorization code + PKCE) when a provider is configured: `GET /api/v1/auth/login`
 * → the provider → `GET /api/v1/auth/callback` → a session. Claims as Suomi.fi e-Identification
 * delivers them: `nationalIdentificationNumber`, `given_name`, `family_name`, `acr`.
 */

/** The flow's state between login and callback, in a short-lived cookie signed with a server secret. */
const FLOW_MS = 10 * 60_000;
interface Flow { state: string; nonce: string; verifier: string; at: number }

/** Where the browser goes when login did not complete: the login page, with a problem code it shows in the user's language. */
export const loginFailedUrl = (code: ErrorCode) => `/login?loginError=${encodeURIComponent(code)}`;

/** The claims e-Identification gives about a citizen (from the ID token, completed by userinfo). */
export interface CitizenClaims { identityCode: string; givenName?: string; familyName?: string; acr?: string }

/** A staff member from their organisation's provider: their municipality and roles here by the configured mapping; null when it gives them no role. */
export function staffFromClaims(c: Record<string, unknown>, cfg: StaffOidcConfig, knownMunicipality: (code: string) => boolean) {
  const sub = typeof c.sub === 'string' ? c.sub : '';
  const values = ([] as unknown[]).concat(c[cfg.roleMap.rolesClaim] ?? []).filter((v): v is string => typeof v === 'string');
  const roles = [...new Set(values.map((v) => cfg.roleMap.roles[v]).filter((r) => r !== undefined))].sort();
  const m = c[cfg.roleMap.municipalityClaim];
  const municipality = typeof m === 'string' && knownMunicipality(m) ? m : null;
  // A municipality's roles need the municipality; the umbrella organisation's does not.
  const usable = roles.filter((r) => r === 'umbrella-admin' || municipality !== null);
  if (!sub || !usable.length) return null;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const name = str(c.name) ?? ([str(c.given_name), str(c.family_name)].filter(Boolean).join(' ') || sub);
  // One row per account at the provider; the key says nothing about the person.
  const key = `sso-${createHash('sha256').update(`${cfg.issuer} ${sub}`).digest('hex').slice(0, 32)}`;
  return { key, name, municipality, roles: usable };
}

export function citizenClaims(c: Record<string, unknown>): CitizenClaims | null {
  const code = c.nationalIdentificationNumber;
  if (typeof code !== 'string' || code === '') return null;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const givenName = str(c.given_name), familyName = str(c.family_name), acr = str(c.acr);
  return { identityCode: code, ...(givenName ? { givenName } : {}), ...(familyName ? { familyName } : {}), ...(acr ? { acr } : {}) };
}

class OidcClient {
  private discovered: Promise<oidc.Configuration> | null = null;
  constructor(readonly config: OidcConfig) {}
  configuration(): Promise<oidc.Configuration> {
    this.discovered ??= oidc.discovery(new URL(this.config.issuer), this.config.clientId, { redirect_uris: [this.config.redirectUrl] }, oidc.ClientSecretBasic(this.config.clientSecret),
      this.config.allowInsecureRequests ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((e: unknown) => {
        this.discovered = null; // try again at the next login
        throw e;
      });
    return this.discovered;
  }
}

export const authOidcRoutes = (ctx: Context, config: Config): FastifyPluginAsyncTypebox => async (app) => {
  // Idle and absolute ends and the cookie's `Secure` come from the configuration.
  const policy = sessionPolicy(config);
  useSessionPolicy(ctx, policy);

  app.post('/api/v1/auth/logout-everywhere', {
    config: { access: 'session.end-all' },
    schema: {
      operationId: 'logoutEverywhere', tags: ['auth'], summary: 'Sign out everywhere: end all of my sessions, this one too', security: [{ session: [] }],
      response: { 200: Type.Object({ ended: Type.Integer({ minimum: 0 }) }, { examples: [{ ended: 2 }] }), ...problems(401) },
    },
  }, async (req, reply) => ({ ended: await endAllSessions(ctx, req, reply) }));

  const citizen = config.oidc ? new OidcClient(config.oidc) : null;
  const staff = config.staffOidc ? new OidcClient(config.staffOidc) : null;

  app.post('/api/v1/auth/logout', {
    config: { access: 'auth.logout' },
    schema: {
      operationId: 'logoutWithProvider', tags: ['auth'], security: [{ session: [] }, {}],
      summary: 'End the session; `endSessionUrl`: where to send the browser so that the identity provider ends its session too (null after a demo login)',
      response: { 200: Type.Object({ endSessionUrl: Type.Union([Type.String(), Type.Null()]) }, { examples: [{ endSessionUrl: 'https://tunnistus.suomi.fi/oidc/logout?client_id=puolesta&post_logout_redirect_uri=https%3A%2F%2Fpuolesta.example%2F' }] }) },
    },
  }, async (req, reply) => {
    const ended = await endSession(ctx, req, reply);
    const client = ended?.kind === 'staff' ? staff : citizen;
    if (!client || !ended?.logoutHint) return { endSessionUrl: null };
    try {
      const c = await client.configuration();
      if (!c.serverMetadata().end_session_endpoint) return { endSessionUrl: null };
      return { endSessionUrl: oidc.buildEndSessionUrl(c, { id_token_hint: ended.logoutHint, post_logout_redirect_uri: client.config.postLogoutUrl }).href };
    } catch (e) {
      ctx.log.warn({ err: { message: (e as Error).message } }, 'OIDC provider unreachable at sign-out: signed out here only');
      return { endSessionUrl: null };
    }
  });

  if (!citizen && !staff) return;
  const key = createHmac('sha256', Buffer.from(await serverSecret(ctx.db, 'csrf'), 'base64url')).update('oidc-flow').digest();
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  const fail = (reply: FastifyReply, code: ErrorCode) => reply.header('cache-control', 'no-store').redirect(loginFailedUrl(code), 303);

  /** One login flow: `…/login` to the provider, `…/callback` back; `complete` turns the claims into a session subject or a refusal. */
  function flow(opts: {
    client: OidcClient; base: string; cookie: string; who: string;
    complete(all: Record<string, unknown>): Promise<SessionSubject | ErrorCode>;
  }) {
    const { client } = opts;
    const flowCookie = { path: '/api/v1/auth/', httpOnly: true, sameSite: 'lax' as const, secure: policy.secure };
    const readFlow = (req: FastifyRequest): Flow | null => {
      const raw = req.cookies[opts.cookie];
      const dot = raw?.lastIndexOf('.') ?? -1;
      if (!raw || dot < 0) return null;
      const payload = raw.slice(0, dot);
      const given = Buffer.from(raw.slice(dot + 1));
      const expected = Buffer.from(sign(`${opts.cookie}:${payload}`));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const f = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Flow;
        return ctx.now().getTime() - f.at < FLOW_MS ? f : null;
      } catch {
        return null;
      }
    };

    app.get(`${opts.base}/login`, {
      config: { access: 'auth.login' },
      schema: {
        operationId: opts.who === 'citizen' ? 'oidcLogin' : 'staffOidcLogin', tags: ['auth'], security: PUBLIC,
        summary: opts.who === 'citizen'
          ? 'Log in with strong e-identification (Suomi.fi): redirects to the identity provider (authorization code with PKCE)'
          : 'Staff login: redirects to the organisation\'s identity provider (authorization code with PKCE)',
        response: { 302: Type.Null({ description: 'To the identity provider' }), 303: Type.Null({ description: 'Back to the login page when the provider cannot be reached' }) },
      },
    }, async (_req, reply) => {
      let c: oidc.Configuration;
      try {
        c = await client.configuration();
      } catch (e) {
        ctx.log.warn({ err: { message: (e as Error).message } }, 'OIDC provider unreachable');
        return fail(reply, 'auth.provider-unavailable');
      }
      const f: Flow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), at: ctx.now().getTime() };
      const payload = Buffer.from(JSON.stringify(f)).toString('base64url');
      setCookie(reply, opts.cookie, `${payload}.${sign(`${opts.cookie}:${payload}`)}`, { ...flowCookie, maxAge: FLOW_MS / 1000 });
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: client.config.redirectUrl, scope: client.config.scope, response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(f.verifier), code_challenge_method: 'S256',
        state: f.state, nonce: f.nonce,
        ...(client.config.acrValues ? { acr_values: client.config.acrValues } : {}),
      });
      return reply.header('cache-control', 'no-store').redirect(url.href, 302);
    });

    app.get(`${opts.base}/callback`, {
      config: { access: 'auth.login' },
      schema: {
        operationId: opts.who === 'citizen' ? 'oidcCallback' : 'staffOidcCallback', tags: ['auth'], security: PUBLIC,
        summary: 'The identity provider returns here: the code is exchanged, the account found and a session started',
        querystring: Type.Object({
          code: Type.Optional(Type.String({ maxLength: 4096 })), state: Type.Optional(Type.String({ maxLength: 1024 })),
          error: Type.Optional(Type.String({ maxLength: 256 })), error_description: Type.Optional(Type.String({ maxLength: 4096 })),
          iss: Type.Optional(Type.String({ maxLength: 1024 })), session_state: Type.Optional(Type.String({ maxLength: 1024 })),
        }, { additionalProperties: false }),
        response: { 303: Type.Null({ description: 'Into the portal with a session, or back to the login page naming the problem' }) },
      },
    }, async (req, reply) => {
      const f = readFlow(req);
      clearCookie(reply, opts.cookie, flowCookie);
      if (!f) return fail(reply, 'auth.login-expired');
      if (req.query.error) return fail(reply, req.query.error === 'access_denied' ? 'auth.login-cancelled' : 'auth.login-failed');
      let all: Record<string, unknown>;
      let idToken: string | undefined;
      try {
        const c = await client.configuration();
        // The URL the provider sent the browser to: the configured redirect URL with the query as it came.
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        const tokens = await oidc.authorizationCodeGrant(c, new URL(client.config.redirectUrl + query), {
          pkceCodeVerifier: f.verifier, expectedState: f.state, expectedNonce: f.nonce, idTokenExpected: true,
        });
        const idClaims = tokens.claims()!;
        idToken = tokens.id_token;
        // Claims asked for by scope may come only from userinfo (e-Identification gives them there).
        const info = await oidc.fetchUserInfo(c, tokens.access_token, idClaims.sub);
        all = { ...info, ...idClaims };
      } catch (e) {
        // No claims in the message: openid-client's errors name protocol checks.
        ctx.log.warn({ err: { message: (e as Error).message } }, 'OIDC login failed');
        return fail(reply, 'auth.login-failed');
      }
      const subject = await opts.complete(all);
      if (typeof subject === 'string') return fail(reply, subject);
      await createSession(ctx, req, reply, subject, idToken ? { logoutHint: idToken } : {});
      return reply.header('cache-control', 'no-store').redirect('/', 303);
    });
  }

  if (citizen) {
    const accepted = citizen.config.acrValues?.split(' ').filter(Boolean);
    flow({
      client: citizen, base: '/api/v1/auth', cookie: 'puolesta_oidc', who: 'citizen',
      async complete(all) {
        const claims = citizenClaims(all);
        if (!claims) return 'auth.login-failed';
        if (accepted && (!claims.acr || !accepted.includes(claims.acr))) return 'auth.assurance-too-low';
        const person = await findPerson(ctx.db, claims.identityCode);
        return person ? { kind: 'person', id: person.id } : 'auth.person-unknown';
      },
    });
  }
  if (staff && config.staffOidc) {
    const staffConfig = config.staffOidc;
    flow({
      client: staff, base: '/api/v1/auth/staff', cookie: 'puolesta_oidc_staff', who: 'staff',
      async complete(all) {
        const member = staffFromClaims(all, staffConfig, (code) => ctx.catalogue.municipalities.has(code));
        if (!member) return 'auth.staff-not-mapped';
        await upsertStaff(ctx.db, member);
        return { kind: 'staff', key: member.key };
      },
    });
  }
};
