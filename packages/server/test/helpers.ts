import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPuolesta, type AppOptions, type Puolesta } from '../src/app.js';
import { configFromEnv, type Config } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { PGLITE_SCHEMA, pgliteTemplate } from './pglite-template.js';

/** The fixture's reference date, mid-morning Finnish time. */
/** The environment a production start needs besides its mode: a login provider (decision 0015); tests of configuration only need it set. */
export const PRODUCTION_ENV = {
  PUOLESTA_MODE: 'production',
  PUOLESTA_OIDC_ISSUER: 'https://tunnistus.example.fi', PUOLESTA_OIDC_CLIENT_ID: 'puolesta', PUOLESTA_OIDC_CLIENT_SECRET: 'not-used',
  PUOLESTA_OIDC_REDIRECT_URL: 'https://puolesta.example.fi/api/v1/auth/callback',
} as const;
export const REFERENCE_NOW = new Date('2026-12-01T10:00:00+02:00');

export const DATABASE_URL = process.env.DATABASE_URL || undefined;
export const onPostgres = DATABASE_URL !== undefined;

/**
 * A fresh database: an in-memory PGlite (a copy of the migrated template, or of the demo-seeded one
 * with `demo`), or a schema of its own on the PostgreSQL server (always empty; a demo app seeds it).
 */
export async function freshDatabase(opts: { demo?: boolean } = {}): Promise<DatabaseHandle & { drop(): Promise<void> }> {
  const schema = DATABASE_URL ? `t_${randomBytes(6).toString('hex')}` : PGLITE_SCHEMA;
  const h = DATABASE_URL
    ? await openDatabase({ url: DATABASE_URL, schema, poolSize: 5 })
    : await openDatabase({ dataDir: 'memory://', schema, pgliteLoadDataDir: await pgliteTemplate(opts.demo ? 'demo' : 'migrated') });
  return Object.assign(h, {
    async drop() {
      await h.close();
      if (DATABASE_URL) {
        const c = new pg.Client({ connectionString: DATABASE_URL });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.end();
      }
    },
  });
}

export interface TestApp extends Puolesta {
  /** Mutable clock: tests move it. */
  clock: { now: Date };
  url: string;
  /** Session cookie for a person (identity code) or staff key. */
  login(who: { person: string } | { staff: string }): Promise<string>;
  /** Headers for a logged-in user's changes: the session cookie and its CSRF token (from `GET /api/v1/me`). */
  as(who: { person: string } | { staff: string }): Promise<SessionHeaders>;
  /** A logged-in user's calls: the session's cookie and CSRF token on every request. */
  session(who: { person: string } | { staff: string }): Promise<SessionClient>;
  stop(): Promise<void>;
}

/** Requests as one logged-in user (`TestApp.session`). */
export interface SessionClient {
  headers: SessionHeaders;
  get(url: string): Promise<LightResponse>;
  post(url: string, payload?: object): Promise<LightResponse>;
  put(url: string, payload: object): Promise<LightResponse>;
  delete(url: string): Promise<LightResponse>;
}
type LightResponse = Awaited<ReturnType<Puolesta['app']['inject']>>;

/** A session's headers for state-changing requests (reads need only the cookie). */
export type SessionHeaders = { cookie: string; 'x-csrf-token': string };

/** `awaitIndex: false` returns while the authorization index still loads (a production process answers then too). */
export async function startTestApp(opts: Omit<Partial<AppOptions>, 'config' | 'now'> & { listen?: boolean; config?: Partial<Config>; now?: Date; awaitIndex?: boolean } = {}): Promise<TestApp> {
  const clock = { now: opts.now ?? REFERENCE_NOW };
  const config: Config = { ...configFromEnv({}), mode: 'demo', ...opts.config };
  // A demo app on its own fixture would find the demo data already there: only the demo fixture starts seeded.
  const handle = await freshDatabase({ demo: config.mode === 'demo' && opts.fixture === undefined });
  const p = await createPuolesta({ logger: false, serveWeb: false, worker: false, simulators: false, ...opts, config, handle, now: () => clock.now });
  if (opts.awaitIndex !== false) await p.indexReady;
  let url = '';
  if (opts.listen) url = await p.app.listen({ port: 0, host: '127.0.0.1' });
  else await p.app.ready();
  const login: TestApp['login'] = async (who) => {
    const r = await p.app.inject({ method: 'POST', url: '/auth/demo-login', payload: who });
    if (r.statusCode !== 200) throw new Error(`login failed: ${r.statusCode} ${r.body}`);
    const c = r.cookies.find((x) => x.name === 'puolesta_session');
    return `puolesta_session=${c!.value}`;
  };
  const as: TestApp['as'] = async (who) => {
    const cookie = await login(who);
    const me = await p.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    if (me.statusCode !== 200) throw new Error(`GET /api/v1/me failed: ${me.statusCode} ${me.body}`);
    return { cookie, 'x-csrf-token': me.json<{ csrfToken: string }>().csrfToken };
  };
  return {
    ...p,
    clock,
    url,
    login,
    as,
    async session(who) {
      const headers = await as(who);
      const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => p.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      return { headers, get: (url) => call('GET', url), post: (url, payload = {}) => call('POST', url, payload), put: (url, payload) => call('PUT', url, payload), delete: (url) => call('DELETE', url) };
    },
    async stop() {
      await p.close();
      await handle.drop();
    },
  };
}

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
/** The fixture's API clients: demo-<municipality> / demo-secret-<municipality>. */
export const client = (municipality: string) => basic(`demo-${municipality}`, `demo-secret-${municipality}`);

export const P = {
  kari: '140362-901H', aino: '021137-902T', sanna: '090672-903B', markku: '210170-904K', veikko: '050844-9057',
  ella: '120411A9061', jari: '300971-9076', onni: '030209A9085', petra: '170781-909U', mikael: '280279-910D',
  harri: '290666-9219', matti: '101090-922F', veera: '160109A9237', stranger: '070777-924U',
  niko: '200203B9254', linnea: '040499Y9267', saga: '300623A9271',
  pentti: '130155-917Y', laura: '250585-916M', ritva: '010458-918E', tuomas: '040985-919D', emily: '151186-920D',
  noora: '230387-9146', elias: '111285-9135', alva: '060515A9115', leo: '191018A912C', aada: '080819A9151',
} as const;
export const O = { keravaLampo: '2345678-0', kylayhdistys: '3456780-6', puutyo: '4567891-5', taloyhtio: '5678912-7' } as const;

export const person = (id: string) => ({ type: 'person' as const, id });
export const org = (id: string) => ({ type: 'organization' as const, id });
