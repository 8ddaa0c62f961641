import { DEFAULT_TIMEOUTS, type DatabaseTimeouts } from './db/database.js';

export type Mode = 'demo' | 'production';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  mode: Mode;
  /** Production: API clients as JSON `[{"id","secretSha256"|"secret","municipality"}]`. */
  apiClients: { id: string; secret?: string; secretSha256?: string; municipality: string }[];
  /** Secure cookies (set when served over HTTPS). */
  secureCookies: boolean;
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
    dataDir: env.PUOLESTA_DATA_DIR ?? './data',
    mode,
    apiClients,
    secureCookies: env.PUOLESTA_SECURE_COOKIES === 'true',
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
  };
}

/** A PEM from an environment variable; `\n` written as two characters is read as a line break. */
function pem(v: string | undefined): string | undefined {
  return v && v.trim() ? v.replace(/\\n/g, '\n') : undefined;
}

function millis(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of milliseconds (0 turns it off), not "${raw}"`);
  return n;
}
