import { DEFAULT_ATTACHMENT_MAX_BYTES, DEFAULT_RETENTION, retentionPolicy, type RetentionPolicy } from '@puolesta/domain';
import { DEFAULT_TIMEOUTS, type DatabaseTimeouts } from './db/database.js';

export type Mode = 'demo' | 'production';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** PostgreSQL schema the tables live in (`PUOLESTA_DB_SCHEMA`, default public). */
  dbSchema: string;
  /**
   * `PUOLESTA_MIGRATE`: `at-start` (default) applies missing migrations when a process opens the
   * database; `off` leaves them to `cli.ts migrate` (a Kubernetes Job) and waits until they are applied.
   */
  migrate: 'at-start' | 'off';
  dataDir: string;
  mode: Mode;
  /** Production: API clients as JSON `[{"id","secretSha256"|"secret","municipality"}]`. */
  apiClients: { id: string; secret?: string; secretSha256?: string; municipality: string; previousSecretSha256?: string; previousValidUntil?: string }[];
  /** Secure cookies and HSTS (served over HTTPS): `PUOLESTA_SECURE_COOKIES=true`, and always in production mode (decision 0014). */
  secureCookies: boolean;
  /** Calls each API client may make per minute (`PUOLESTA_API_CLIENT_RATE_LIMIT`; default 6000 in production mode, 0 = off in demo mode), counted in the database across processes (decisions 0014, 0021). */
  apiClientRateLimit: number;
  /**
   * Share (0…1) of the successful calls of the e-services' hot routes (check, principals) whose
   * "request completed" line is logged (`PUOLESTA_LOG_SAMPLE`, default 0.001: at 10,000 checks a second, ten lines a second per process). Refusals and errors are
   * always logged; every call is counted in the metrics; at log level debug every call is logged.
   */
  logSampleRate: number;
  /** PTV Open API base URLs an admin may import from (the server fetches them; nothing else). */
  ptvBaseUrls: string[];
  /** Ed25519 private key (PEM, PKCS#8) that signs usage-log checkpoints; only the CLI reads it. */
  auditSigningKey: string | undefined;
  /** Ed25519 public key (PEM, SPKI) to verify checkpoints without the private key. */
  auditVerifyKey: string | undefined;
  /** The origin browsers reach the app at (`PUOLESTA_PUBLIC_URL`); unset: the request's Host header. State-changing requests from any other origin are refused. */
  publicUrl?: string;
  /** PostgreSQL time limits: PUOLESTA_DB_CONNECT_TIMEOUT_MS, PUOLESTA_DB_STATEMENT_TIMEOUT_MS, PUOLESTA_DB_QUERY_TIMEOUT_MS, PUOLESTA_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS. */
  dbTimeouts: Required<DatabaseTimeouts>;
  /** Notifications (decision 0010). */
  notify: NotifyConfig;
  /** Outbound fetches (adapters/guarded-fetch.ts): demo simulators named by origin, and the limits. */
  outbound: OutboundConfig;
  /** Bytes an errand's attachment may have at most (`PUOLESTA_ATTACHMENT_MAX_BYTES`, default 10 MiB; decision 0012). */
  attachmentMaxBytes: number;
  /** Sessions (decision 0015): idle end `PUOLESTA_SESSION_IDLE_MINUTES` (default 30), absolute end `PUOLESTA_SESSION_ABSOLUTE_HOURS` (default 12). */
  sessions: { idleMinutes: number; absoluteHours: number };
  /** Retention (decision 0017): `PUOLESTA_RETENTION_CLOSED_REQUEST_DAYS` (default 365), `PUOLESTA_RETENTION_ENDED_MANDATE_DAYS` (default 1825), `PUOLESTA_RETENTION_CLOSED_ERRAND_DAYS` (default 365), `PUOLESTA_RETENTION_IDEMPOTENCY_KEY_DAYS` (default 30). */
  retention: RetentionPolicy;
  /** Citizen login over OpenID Connect (decision 0015); required in production mode. */
  oidc?: OidcConfig;
  /** Staff login over a municipality's OpenID Connect provider (decision 0015); optional. */
  staffOidc?: StaffOidcConfig;
}

/**
 * `PUOLESTA_STAFF_OIDC_ISSUER`, `…_CLIENT_ID`, `…_CLIENT_SECRET`, `…_REDIRECT_URL` (…/api/v1/auth/staff/callback),
 * optional `…_SCOPE`; `PUOLESTA_STAFF_ROLE_MAP`: JSON `{"municipalityClaim":"municipality","rolesClaim":"roles",
 * "roles":{"<claim value>":"caseworker"|"municipality-admin"|"umbrella-admin"}}`.
 */
export interface StaffOidcConfig extends OidcConfig {
  /** Which claim names the staff member's municipality (its code), which their groups or roles, and which of those values give which role here. */
  roleMap: { municipalityClaim: string; rolesClaim: string; roles: Record<string, 'caseworker' | 'municipality-admin' | 'umbrella-admin'> };
}

/** `PUOLESTA_OIDC_ISSUER`, `PUOLESTA_OIDC_CLIENT_ID`, `PUOLESTA_OIDC_CLIENT_SECRET`, `PUOLESTA_OIDC_REDIRECT_URL` (…/api/v1/auth/callback); optional `PUOLESTA_OIDC_POST_LOGOUT_URL`, `PUOLESTA_OIDC_SCOPE`, `PUOLESTA_OIDC_ACR` (production default `PRODUCTION_ACR_VALUES`). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  /** Where the provider returns after its sign-out (default: the redirect URL's origin + `/`). */
  postLogoutUrl: string;
  /** Default `openid profile personal_identity_code`. */
  scope: string;
  /**
   * Assurance levels asked for (`acr_values`) and the only ones accepted, space-separated, e.g.
   * `http://ftn.ficora.fi/2017/loa3`. Unset in production mode: `PRODUCTION_ACR_VALUES`. Unset in demo
   * mode: none asked for, any accepted.
   */
  acrValues?: string;
  /** Tests only: plain http to a provider on loopback. */
  allowInsecureRequests?: boolean;
}

export interface OutboundConfig {
  /** Demo mode only: exact origins of local PTV simulators the server may fetch from although they are on loopback or private addresses (`PUOLESTA_PTV_SIMULATOR_URLS`, comma-separated). Nothing else on such addresses is ever fetched. */
  simulatorUrls: string[];
  /** Redirects followed at most (`PUOLESTA_FETCH_MAX_REDIRECTS`, default 3). */
  maxRedirects: number;
  /** Body bytes at most (`PUOLESTA_FETCH_MAX_BYTES`, default 10 MiB). */
  maxBytes: number;
  /** Milliseconds to connect (`PUOLESTA_FETCH_CONNECT_TIMEOUT_MS`, default 5000) and for the whole request, redirects and body included (`PUOLESTA_FETCH_TIMEOUT_MS`, default 15000). */
  connectTimeoutMs: number;
  timeoutMs: number;
}

export interface NotifyConfig {
  /** Deliver the outbox in this process too (`PUOLESTA_WORKER=in-process`, the default) or only in `npm run worker` processes (`off`). */
  worker: 'in-process' | 'off';
  /** Tries per delivery before it is dead-lettered (`PUOLESTA_NOTIFY_MAX_ATTEMPTS`, default 8). */
  maxAttempts: number;
  /** Backoff (`PUOLESTA_NOTIFY_RETRY_BASE_MS` default 30000, `PUOLESTA_NOTIFY_RETRY_MAX_MS` default 6 h), lease (`PUOLESTA_NOTIFY_LEASE_MS` default 60000), idle poll (`PUOLESTA_NOTIFY_POLL_MS` default 1000), batch (`PUOLESTA_NOTIFY_BATCH` default 50). */
  retryBaseMs: number;
  retryMaxMs: number;
  leaseMs: number;
  pollMs: number;
  batchSize: number;
  /** E-mail: `PUOLESTA_SMTP_URL` (smtp://host:port or smtps://user:pass@host), `PUOLESTA_MAIL_FROM`. */
  smtpUrl?: string;
  mailFrom: string;
  /** Suomi.fi Messages REST: `PUOLESTA_SUOMIFI_MESSAGES_URL`, `…_USERNAME`, `…_PASSWORD`, `…_SERVICE_ID`. */
  suomifi?: { url: string; username: string; password: string; serviceId: string };
  /** SMS gateway: `PUOLESTA_SMS_URL`, `PUOLESTA_SMS_TOKEN`, `PUOLESTA_SMS_SENDER`. */
  sms?: { url: string; token: string; sender: string };
  /** The municipality's print service: `PUOLESTA_PRINT_URL`, `PUOLESTA_PRINT_TOKEN`. */
  print?: { url: string; token?: string };
  /** Demo mode: start local simulators of every channel not configured above (`PUOLESTA_SIMULATORS=off` to not). */
  simulators: boolean;
  /** `GET /metrics` wants `Authorization: Bearer <token>` when set (`PUOLESTA_METRICS_TOKEN`). */
  metricsToken?: string;
}

export const PTV_PRODUCTION_URL = 'https://api.palvelutietovaranto.suomi.fi/api/v11';

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = (env.PUOLESTA_MODE ?? 'demo') as Mode;
  if (mode !== 'demo' && mode !== 'production') throw new Error(`PUOLESTA_MODE must be demo or production, not "${mode}"`);
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  let apiClients: Config['apiClients'] = [];
  if (env.PUOLESTA_API_CLIENTS) {
    try {
      apiClients = JSON.parse(env.PUOLESTA_API_CLIENTS);
    } catch {
      throw new Error('PUOLESTA_API_CLIENTS must be a JSON array of {id, secretSha256, municipality}');
    }
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dbSchema: env.PUOLESTA_DB_SCHEMA || 'public',
    migrate: oneOf(env, 'PUOLESTA_MIGRATE', ['at-start', 'off'] as const, 'at-start'),
    dataDir: env.PUOLESTA_DATA_DIR ?? './data',
    mode,
    apiClients,
    // Production is served over HTTPS (behind a TLS-terminating proxy at least): cookies are Secure whatever PUOLESTA_SECURE_COOKIES says.
    secureCookies: mode === 'production' || env.PUOLESTA_SECURE_COOKIES === 'true',
    apiClientRateLimit: count(env, 'PUOLESTA_API_CLIENT_RATE_LIMIT', mode === 'production' ? 6000 : 0),
    logSampleRate: share(env, 'PUOLESTA_LOG_SAMPLE', 0.001),
    auditSigningKey: pem(env.PUOLESTA_AUDIT_SIGNING_KEY),
    auditVerifyKey: pem(env.PUOLESTA_AUDIT_VERIFY_KEY),
    publicUrl: env.PUOLESTA_PUBLIC_URL || undefined,
    ptvBaseUrls: (env.PUOLESTA_PTV_BASE_URLS ?? PTV_PRODUCTION_URL).split(',').map((u) => u.trim()).filter(Boolean),
    dbTimeouts: {
      connectTimeoutMs: millis(env, 'PUOLESTA_DB_CONNECT_TIMEOUT_MS', DEFAULT_TIMEOUTS.connectTimeoutMs),
      statementTimeoutMs: millis(env, 'PUOLESTA_DB_STATEMENT_TIMEOUT_MS', DEFAULT_TIMEOUTS.statementTimeoutMs),
      queryTimeoutMs: millis(env, 'PUOLESTA_DB_QUERY_TIMEOUT_MS', DEFAULT_TIMEOUTS.queryTimeoutMs),
      idleInTransactionTimeoutMs: millis(env, 'PUOLESTA_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', DEFAULT_TIMEOUTS.idleInTransactionTimeoutMs),
    },
    notify: notifyFromEnv(env, mode),
    outbound: outboundFromEnv(env, mode),
    attachmentMaxBytes: bytes(env, 'PUOLESTA_ATTACHMENT_MAX_BYTES', DEFAULT_ATTACHMENT_MAX_BYTES),
    sessions: {
      idleMinutes: whole(env, 'PUOLESTA_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
      absoluteHours: whole(env, 'PUOLESTA_SESSION_ABSOLUTE_HOURS', 12, 1, 7 * 24),
    },
    retention: retentionPolicy(
      whole(env, 'PUOLESTA_RETENTION_CLOSED_REQUEST_DAYS', DEFAULT_RETENTION.closedRequestDays, 1, 100 * 365),
      whole(env, 'PUOLESTA_RETENTION_ENDED_MANDATE_DAYS', DEFAULT_RETENTION.endedMandateDays, 1, 100 * 365),
      whole(env, 'PUOLESTA_RETENTION_CLOSED_ERRAND_DAYS', DEFAULT_RETENTION.closedErrandDays, 1, 100 * 365),
      whole(env, 'PUOLESTA_RETENTION_IDEMPOTENCY_KEY_DAYS', DEFAULT_RETENTION.idempotencyKeyDays, 1, 100 * 365),
    ),
    ...oidcFromEnv(env, mode),
    ...staffOidcFromEnv(env),
  };
}

const STAFF_ROLES = ['caseworker', 'municipality-admin', 'umbrella-admin'];

function staffOidcFromEnv(env: NodeJS.ProcessEnv): { staffOidc?: StaffOidcConfig } {
  const vars = OIDC_VARS.map((n) => n.replace('PUOLESTA_OIDC_', 'PUOLESTA_STAFF_OIDC_'));
  const missing = [...vars, 'PUOLESTA_STAFF_ROLE_MAP'].filter((n) => !env[n]);
  if (missing.length === vars.length + 1) return {};
  if (missing.length) throw new Error(`Staff login over OpenID Connect is half configured: set also ${missing.join(', ')}`);
  let map: Partial<StaffOidcConfig['roleMap']>;
  try {
    map = JSON.parse(env.PUOLESTA_STAFF_ROLE_MAP!);
  } catch {
    map = {};
  }
  const roles = map.roles ?? {};
  if (typeof roles !== 'object' || !Object.keys(roles).length || Object.values(roles).some((r) => !STAFF_ROLES.includes(r))) {
    throw new Error(`PUOLESTA_STAFF_ROLE_MAP must be JSON {"municipalityClaim","rolesClaim","roles":{"<claim value>":"${STAFF_ROLES.join('"|"')}"}}`);
  }
  const redirectUrl = env.PUOLESTA_STAFF_OIDC_REDIRECT_URL!;
  return {
    staffOidc: {
      issuer: env.PUOLESTA_STAFF_OIDC_ISSUER!,
      clientId: env.PUOLESTA_STAFF_OIDC_CLIENT_ID!,
      clientSecret: env.PUOLESTA_STAFF_OIDC_CLIENT_SECRET!,
      redirectUrl,
      postLogoutUrl: env.PUOLESTA_OIDC_POST_LOGOUT_URL || `${new URL(redirectUrl).origin}/`,
      scope: env.PUOLESTA_STAFF_OIDC_SCOPE || 'openid profile',
      roleMap: { municipalityClaim: map.municipalityClaim || 'municipality', rolesClaim: map.rolesClaim || 'roles', roles },
    },
  };
}

/**
 * The assurance levels a production citizen login accepts when `PUOLESTA_OIDC_ACR` is unset: Suomi.fi
 * e-Identification's high (`loa3`) and substantial (`loa2`), as its `acr` claim names them. Anything
 * else, or no `acr`, is refused (`auth.assurance-too-low`).
 */
export const PRODUCTION_ACR_VALUES = 'http://ftn.ficora.fi/2017/loa3 http://ftn.ficora.fi/2017/loa2';

const OIDC_VARS = ['PUOLESTA_OIDC_ISSUER', 'PUOLESTA_OIDC_CLIENT_ID', 'PUOLESTA_OIDC_CLIENT_SECRET', 'PUOLESTA_OIDC_REDIRECT_URL'] as const;

/** The OIDC provider; production mode without one does not start (there would be no way to log in). */
function oidcFromEnv(env: NodeJS.ProcessEnv, mode: Mode): { oidc?: OidcConfig } {
  const missing = OIDC_VARS.filter((n) => !env[n]);
  if (missing.length === OIDC_VARS.length && mode === 'demo') return {};
  if (missing.length) {
    throw new Error(mode === 'production' && missing.length === OIDC_VARS.length
      ? `Production mode needs an OpenID Connect provider for login (demo login exists only in demo mode): set ${OIDC_VARS.join(', ')}`
      : `OpenID Connect login is half configured: set also ${missing.join(', ')}`);
  }
  const redirectUrl = env.PUOLESTA_OIDC_REDIRECT_URL!;
  let origin: string;
  try {
    origin = new URL(redirectUrl).origin;
  } catch {
    throw new Error(`PUOLESTA_OIDC_REDIRECT_URL must be an absolute URL, not "${redirectUrl}"`);
  }
  return {
    oidc: {
      issuer: env.PUOLESTA_OIDC_ISSUER!,
      clientId: env.PUOLESTA_OIDC_CLIENT_ID!,
      clientSecret: env.PUOLESTA_OIDC_CLIENT_SECRET!,
      redirectUrl,
      postLogoutUrl: env.PUOLESTA_OIDC_POST_LOGOUT_URL || `${origin}/`,
      scope: env.PUOLESTA_OIDC_SCOPE || 'openid profile personal_identity_code',
      ...(env.PUOLESTA_OIDC_ACR ? { acrValues: env.PUOLESTA_OIDC_ACR } : mode === 'production' ? { acrValues: PRODUCTION_ACR_VALUES } : {}),
    },
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  return n;
}

/** The portal's public address for links in messages (no trailing slash). */
export const portalUrlOf = (c: Pick<Config, 'publicUrl' | 'port'>): string => (c.publicUrl ?? `http://localhost:${c.port}`).replace(/\/+$/, '');

function notifyFromEnv(env: NodeJS.ProcessEnv, mode: Mode): NotifyConfig {
  const worker = env.PUOLESTA_WORKER ?? 'in-process';
  if (worker !== 'in-process' && worker !== 'off') throw new Error(`PUOLESTA_WORKER must be in-process or off, not "${worker}"`);
  const need = (names: string[]) => {
    const missing = names.filter((n) => !env[n]);
    if (missing.length) throw new Error(`${names[0]} is set: set also ${missing.join(', ')}`);
  };
  const positive = (name: string, fallback: number) => {
    const n = millis(env, name, fallback);
    if (n < 1) throw new Error(`${name} must be at least 1`);
    return n;
  };
  let suomifi: NotifyConfig['suomifi'];
  if (env.PUOLESTA_SUOMIFI_MESSAGES_URL) {
    need(['PUOLESTA_SUOMIFI_MESSAGES_URL', 'PUOLESTA_SUOMIFI_MESSAGES_USERNAME', 'PUOLESTA_SUOMIFI_MESSAGES_PASSWORD', 'PUOLESTA_SUOMIFI_MESSAGES_SERVICE_ID']);
    suomifi = { url: env.PUOLESTA_SUOMIFI_MESSAGES_URL, username: env.PUOLESTA_SUOMIFI_MESSAGES_USERNAME!, password: env.PUOLESTA_SUOMIFI_MESSAGES_PASSWORD!, serviceId: env.PUOLESTA_SUOMIFI_MESSAGES_SERVICE_ID! };
  }
  let sms: NotifyConfig['sms'];
  if (env.PUOLESTA_SMS_URL) {
    need(['PUOLESTA_SMS_URL', 'PUOLESTA_SMS_TOKEN']);
    sms = { url: env.PUOLESTA_SMS_URL, token: env.PUOLESTA_SMS_TOKEN!, sender: env.PUOLESTA_SMS_SENDER ?? 'Puolesta' };
  }
  return {
    worker,
    maxAttempts: positive('PUOLESTA_NOTIFY_MAX_ATTEMPTS', 8),
    retryBaseMs: positive('PUOLESTA_NOTIFY_RETRY_BASE_MS', 30_000),
    retryMaxMs: positive('PUOLESTA_NOTIFY_RETRY_MAX_MS', 6 * 3600_000),
    leaseMs: positive('PUOLESTA_NOTIFY_LEASE_MS', 60_000),
    pollMs: positive('PUOLESTA_NOTIFY_POLL_MS', 1000),
    batchSize: positive('PUOLESTA_NOTIFY_BATCH', 50),
    ...(env.PUOLESTA_SMTP_URL ? { smtpUrl: env.PUOLESTA_SMTP_URL } : {}),
    mailFrom: env.PUOLESTA_MAIL_FROM ?? 'Puolesta <noreply@puolesta.invalid>',
    ...(suomifi ? { suomifi } : {}),
    ...(sms ? { sms } : {}),
    ...(env.PUOLESTA_PRINT_URL ? { print: { url: env.PUOLESTA_PRINT_URL, ...(env.PUOLESTA_PRINT_TOKEN ? { token: env.PUOLESTA_PRINT_TOKEN } : {}) } } : {}),
    simulators: mode === 'demo' && env.PUOLESTA_SIMULATORS !== 'off',
    ...(env.PUOLESTA_METRICS_TOKEN ? { metricsToken: env.PUOLESTA_METRICS_TOKEN } : {}),
  };
}

function outboundFromEnv(env: NodeJS.ProcessEnv, mode: Mode): OutboundConfig {
  const simulatorUrls = (env.PUOLESTA_PTV_SIMULATOR_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (simulatorUrls.length && mode !== 'demo') throw new Error('PUOLESTA_PTV_SIMULATOR_URLS is for demo mode only: unset it in production');
  for (const u of simulatorUrls) {
    let url: URL | null = null;
    try { url = new URL(u); } catch { /* reported below */ }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin === 'null') throw new Error(`PUOLESTA_PTV_SIMULATOR_URLS must list http(s) origins such as http://127.0.0.1:4010, not "${u}"`);
  }
  const atLeast1 = (name: string, fallback: number) => {
    const n = millis(env, name, fallback);
    if (n < 1) throw new Error(`${name} must be at least 1`);
    return n;
  };
  return {
    simulatorUrls,
    maxRedirects: millis(env, 'PUOLESTA_FETCH_MAX_REDIRECTS', 3),
    maxBytes: bytes(env, 'PUOLESTA_FETCH_MAX_BYTES', 10 * 1024 * 1024),
    connectTimeoutMs: atLeast1('PUOLESTA_FETCH_CONNECT_TIMEOUT_MS', 5_000),
    timeoutMs: atLeast1('PUOLESTA_FETCH_TIMEOUT_MS', 15_000),
  };
}

/** A PEM from an environment variable; `\n` written as two characters is read as a line break. */
function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (!(values as readonly string[]).includes(v)) throw new Error(`${name} must be ${values.join(' or ')}, not "${v}"`);
  return v as T;
}

function pem(v: string | undefined): string | undefined {
  return v && v.trim() ? v.replace(/\\n/g, '\n') : undefined;
}

function bytes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  // The whole file is held in memory and in one database row (bytea's limit is 1 GB): keep it sensible.
  if (!Number.isInteger(n) || n < 1 || n > 256 * 1024 * 1024) throw new Error(`${name} must be a whole number of bytes from 1 to 268435456, not "${raw}"`);
  return n;
}

function share(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${name} must be a number from 0 to 1 (the share of calls logged), not "${raw}"`);
  return n;
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (0 turns it off), not "${raw}"`);
  return n;
}

function millis(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of milliseconds (0 turns it off), not "${raw}"`);
  return n;
}
