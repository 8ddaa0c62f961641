/**
 * A real OpenID Connect provider for the tests (`oidc-provider`), standing in for Suomi.fi
 * e-Identification: the fixture's people are its accounts, identified by identity code, and it
 * gives the claims e-Identification gives (`nationalIdentificationNumber`, `given_name`,
 * `family_name`, `acr`). Its login page is a minimal form ("type an identity code"); there is no
 * consent step (the grant is given at login, as e-Identification does).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { demoFixture, type Fixture } from '../src/registers/fixture.js';
import type { OidcConfig, StaffOidcConfig } from '../src/config.js';

export const LOA_HIGH = 'http://ftn.ficora.fi/2017/loa3';
export const LOA_SUBSTANTIAL = 'http://ftn.ficora.fi/2017/loa2';
const SCOPE = 'openid profile personal_identity_code';

/** A municipality's staff account at the provider: its claims (`municipality`, `roles` as the role map of the tests names them). */
export interface StaffAccount { sub: string; name: string; municipality?: string; roles: string[] }
/** The role map the tests configure: the provider's group names to roles here. */
export const TEST_ROLE_MAP = { municipalityClaim: 'municipality', rolesClaim: 'roles', roles: { 'puolesta-asiakaspalvelu': 'caseworker', 'puolesta-paakayttaja': 'municipality-admin', 'kuntaliitto-luettelo': 'umbrella-admin' } } as const;

export interface TestProvider {
  issuer: string;
  /** The app's OIDC configuration for this provider (give it `redirectUrl` once the app's address is known). */
  appConfig(redirectUrl: string, postLogoutUrl: string): OidcConfig;
  /** The app's staff-login configuration for this provider (the same provider, another client). */
  staffConfig(redirectUrl: string, postLogoutUrl: string): StaffOidcConfig;
  /** Registers the app as a client (its callback and post-logout addresses; the staff callback too); call once the app listens. */
  start(redirectUrl: string, postLogoutUrl: string, staffRedirectUrl?: string): void;
  /** The assurance level the next logins get (default high). */
  acr: string;
  /** Sign-outs the provider has done (end_session confirmed). */
  signOuts: number;
  close(): Promise<void>;
}

const readForm = async (req: IncomingMessage) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
};

const html = (title: string, body: string) => `<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

/** Starts listening at once (the issuer's address is known before the app starts); the provider itself comes with `start`. */
export async function startTestProvider(fixture: Fixture = demoFixture(), staffAccounts: StaffAccount[] = []): Promise<TestProvider> {
  const people = new Map(fixture.persons.map((p) => [p.id, p]));
  const staff = new Map(staffAccounts.map((a) => [a.sub, a]));
  let provider: Provider | null = null;
  const server: Server = createServer((req, res) => {
    if (!provider) {
      res.writeHead(503).end();
      return;
    }
    const p = provider;
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!m) return p.callback()(req, res);
    void (async () => {
      try {
        const details = await p.interactionDetails(req, res);
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html('Tunnistaudu (testi)', `<form method="post" action="/interaction/${details.uid}/login" autocomplete="off">
<label for="login">Henkilötunnus</label> <input id="login" name="login" required>
<button type="submit">Tunnistaudu</button></form>`));
          return;
        }
        const form = await readForm(req);
        const accountId = form.get('login') ?? '';
        if (!people.has(accountId) && !staff.has(accountId)) {
          res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(html('Tuntematon henkilö', '<p>Ei tällaista testihenkilöä.</p>'));
          return;
        }
        await p.interactionFinished(req, res, { login: { accountId, acr: state.acr } }, { mergeWithLastSubmission: false });
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'puolesta-test';
  const clientSecret = 'puolesta-test-secret-that-is-long-enough-for-hs256';
  const state: TestProvider = {
    issuer,
    acr: LOA_HIGH,
    signOuts: 0,
    appConfig: (redirectUrl, postLogoutUrl) => ({
      issuer, clientId, clientSecret, redirectUrl, postLogoutUrl, scope: SCOPE, acrValues: `${LOA_HIGH} ${LOA_SUBSTANTIAL}`, allowInsecureRequests: true,
    }),
    staffConfig: (redirectUrl, postLogoutUrl) => ({
      issuer, clientId: `${clientId}-staff`, clientSecret, redirectUrl, postLogoutUrl, scope: 'openid profile puolesta', allowInsecureRequests: true,
      roleMap: { ...TEST_ROLE_MAP, roles: { ...TEST_ROLE_MAP.roles } },
    }),
    start(redirectUrl, postLogoutUrl, staffRedirectUrl) {
      const client = (id: string, redirect: string) => ({ client_id: id, client_secret: clientSecret, redirect_uris: [redirect], post_logout_redirect_uris: [postLogoutUrl], grant_types: ['authorization_code'], response_types: ['code'] });
      provider = new Provider(issuer, {
        clients: [client(clientId, redirectUrl), ...(staffRedirectUrl ? [client(`${clientId}-staff`, staffRedirectUrl)] : [])],
        claims: { openid: ['sub'], profile: ['name', 'given_name', 'family_name'], personal_identity_code: ['nationalIdentificationNumber'], puolesta: ['municipality', 'roles'] },
        acrValues: [LOA_SUBSTANTIAL, LOA_HIGH],
        async findAccount(_ctx: unknown, sub: string) {
          const a = staff.get(sub);
          if (a) return { accountId: sub, claims: async () => ({ sub, name: a.name, ...(a.municipality ? { municipality: a.municipality } : {}), roles: a.roles }) };
          const p = people.get(sub);
          if (!p) return undefined;
          return { accountId: sub, claims: async () => ({ sub, nationalIdentificationNumber: p.id, given_name: p.firstName, family_name: p.lastName }) };
        },
        // No consent step: the grant covers what the client asks for.
        async loadExistingGrant(ctx: { oidc: { provider: { Grant: new (o: object) => { addOIDCScope(s: string): void; save(): Promise<string> } }; client: { clientId: string }; session: { accountId: string }; params?: { scope?: string } } }) {
          const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
          grant.addOIDCScope(ctx.oidc.params?.scope ?? SCOPE);
          await grant.save();
          return grant;
        },
        features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
        cookies: { keys: ['test-provider-cookie-key'] },
        ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
        pkce: { required: () => true },
      });
      provider.on('end_session.success', () => { state.signOuts += 1; });
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  return state;
}
