import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';
import { migrateToLatest } from './migrate.js';

/**
 * How long an idle pool connection is kept. node-postgres closes one after 10 s by default, but an API
 * process answers checks from its index and may not read the database for longer than that; the next
 * burst of reads (a list of principals, a grant) then waits for new connections — each a new PostgreSQL
 * backend process: 33 ms for one, 157 ms for eight at once on a 2-core machine (session 9), which
 * showed as 250–450 ms at the 99th percentile of principals at 500/s after a quiet minute. A process
 * holds at most its pool's size; connections are still replaced every ten minutes of idleness.
 */
const POOL_IDLE_MS = 10 * 60_000;

export type Db = Kysely<Database>;

/** A notification listener on its own connection (LISTEN needs one that is not pooled). */
export interface Listener {
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  /** Called after the connection was lost and is back (channels listened to again): notifications in between are lost. */
  onReconnect?(cb: () => void): void;
  close(): Promise<void>;
}

/**
 * The database cannot be reached just now (connection refused or reset, a timeout, the server
 * shutting down). Answered as 503 with Retry-After; nothing about the request was wrong.
 */
export class DatabaseUnavailable extends Error {
  readonly retryAfterSeconds = 5;
  constructor(cause?: unknown) {
    super('The database is not reachable just now.', { cause });
    this.name = 'DatabaseUnavailable';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATEs that mean "not now": connection exceptions (08…), shutdown / cannot connect now (57P01–03), too many connections, a statement timeout, an idle-in-transaction timeout. */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300|57014|25P03)$/;
const CLIENT_MESSAGES = /Connection terminated|Query read timeout|timeout exceeded when trying to connect|is not queryable|Connection refused|server closed the connection/i;

/** Is this error the database being away (rather than a fault in the query)? */
export function isUnavailable(e: unknown): boolean {
  if (e instanceof DatabaseUnavailable) return true;
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true;
  if (e instanceof AggregateError) return e.errors.some(isUnavailable);
  return CLIENT_MESSAGES.test(e.message);
}

/** Time limits on PostgreSQL (milliseconds; 0 turns one off). */
export interface DatabaseTimeouts {
  /** Opening a connection, and waiting for a free one in the pool. Default 2000. */
  connectTimeoutMs?: number;
  /** Server side: a statement running (or waiting for a lock) longer is cancelled. Default 4000. */
  statementTimeoutMs?: number;
  /** Client side: no answer within this long (a silent network) fails the query and drops the connection. Default 4500. */
  queryTimeoutMs?: number;
  /**
   * Server side: a session idle inside a transaction longer is ended. A process cut off mid-transaction
   * (a silent network) would otherwise keep its locks, e.g. the share lock of the index's catch-up on
   * the version row, and stop every writer. Default 2500 (below the statement timeout, so a waiting
   * writer gets through).
   */
  idleInTransactionTimeoutMs?: number;
}

export const DEFAULT_TIMEOUTS: Required<DatabaseTimeouts> = { connectTimeoutMs: 2000, statementTimeoutMs: 4000, queryTimeoutMs: 4500, idleInTransactionTimeoutMs: 2500 };

export interface DatabaseHandle {
  db: Db;
  /**
   * The same database for the few long reads at start (migrations, the authorization index's
   * snapshot): no statement or query timeout. Absent on PGlite (use `db`).
   */
  slowDb?: Db;
  kind: 'pglite' | 'postgres';
  /**
   * A raw connection of the slow pool (PostgreSQL only), for what Kysely cannot express: `COPY … TO
   * STDOUT` of the authorization index's snapshot (repositories/authz.repository.ts). Release it after use.
   */
  rawClient?(): Promise<pg.PoolClient>;
  /** Schema the tables live in (tests isolate themselves in one schema each). */
  schema: string;
  newListener(): Promise<Listener>;
  /** The embedded database's whole data directory as a tarball (PGlite only): `pgliteLoadDataDir` opens a copy of it. */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface DatabaseOptions extends DatabaseTimeouts {
  /** postgres://… selects a PostgreSQL server; otherwise embedded PGlite. */
  url?: string | undefined;
  /** PGlite data folder; 'memory://' keeps nothing. */
  dataDir?: string;
  /** PostgreSQL schema to use (created when missing). Default public. */
  schema?: string;
  poolSize?: number;
  /** Told of every lost or failed PostgreSQL connection (they are handled; this is for the log). */
  onConnectionError?: (err: Error) => void;
  /** Apply missing migrations on opening (default true; `PUOLESTA_MIGRATE=off` leaves them to `cli.ts migrate`). */
  migrate?: boolean;
  /**
   * PGlite only: start from this data directory (a `dumpDataDir()` tarball) instead of an empty one. Tests open
   * each fresh database as a copy of one migrated once per process: a copy loads in about a quarter of the time
   * PGlite's initdb and the migrations take.
   */
  pgliteLoadDataDir?: Blob;
}

// Dates stay calendar dates ('YYYY-MM-DD'); bigints fit in a JS number for our counters.
pg.types.setTypeParser(1082, (v) => v);
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  const schema = opts.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  let handle: DatabaseHandle;
  let ensureSchema = async () => {};
  if (opts.url) {
    const url = opts.url;
    const t = { ...DEFAULT_TIMEOUTS, ...definedOnly(opts) };
    const onError = opts.onConnectionError ?? (() => {});
    const base = { connectionString: url, connectionTimeoutMillis: t.connectTimeoutMs, keepAlive: true };
    ensureSchema = async () => {
      if (schema === 'public') return;
      const c = new pg.Client(base);
      c.on('error', onError);
      try {
        await c.connect();
        await c.query(`create schema if not exists ${schema}`);
      } finally {
        await c.end().catch(() => {});
      }
    };
    await ensureSchema();
    const options = `-c search_path=${schema}`;
    const pool = new pg.Pool({
      ...base, max: opts.poolSize ?? 10, options, idleTimeoutMillis: POOL_IDLE_MS,
      ...(t.statementTimeoutMs ? { statement_timeout: t.statementTimeoutMs } : {}),
      ...(t.queryTimeoutMs ? { query_timeout: t.queryTimeoutMs } : {}),
      ...(t.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: t.idleInTransactionTimeoutMs } : {}),
    });
    const slowPool = new pg.Pool({ ...base, max: 2, options });
    handle = {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: guardedPool(pool, onError) }) }),
      slowDb: new Kysely<Database>({ dialect: new PostgresDialect({ pool: guardedPool(slowPool, onError) }) }),
      rawClient: () => slowPool.connect(),
      kind: 'postgres',
      schema,
      // Named, so that an operator (and the outage test) can tell the listener from pool connections.
      newListener: () => pgListener({ ...base, options, application_name: `puolesta listen ${schema}`, ...(t.queryTimeoutMs ? { query_timeout: t.queryTimeoutMs } : {}) }, onError),
      async close() { await Promise.all([handle.db.destroy(), handle.slowDb!.destroy()]); },
    };
  } else {
    const dataDir = opts.dataDir ?? './data';
    if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
    const pgl = await PGlite.create(dataDir, {
      ...(opts.pgliteLoadDataDir ? { loadDataDir: opts.pgliteLoadDataDir } : {}),
      parsers: { [pgliteTypes.DATE]: (v: string) => v, [pgliteTypes.INT8]: (v: string) => Number(v) },
    });
    if (schema !== 'public') await pgl.exec(`create schema if not exists ${schema}; set search_path to ${schema}`);
    handle = {
      db: new Kysely<Database>({ dialect: new PGliteDialect(pgl) }),
      kind: 'pglite',
      schema,
      async newListener() {
        const unsubs: Array<() => Promise<void>> = [];
        return {
          async listen(channel, onPayload) { unsubs.push(await pgl.listen(channel, onPayload)); },
          async close() { for (const u of unsubs) await u().catch(() => {}); },
        };
      },
      dumpDataDir: () => pgl.dumpDataDir('none'),
      async close() { await pgl.close(); },
    };
  }
  if (opts.migrate === false) return handle;
  try {
    await migrateToLatest(handle.slowDb ?? handle.db, schema);
  } catch (e) {
    // The schema went away between its creation and the migrations (seen once on a busy shared server):
    // create it again and migrate once more; anything else is a real failure.
    if (!/schema "[^"]+" does not exist/.test(String(e))) throw e;
    await ensureSchema();
    await migrateToLatest(handle.slowDb ?? handle.db, schema);
  }
  return handle;
}

function definedOnly(t: DatabaseTimeouts): DatabaseTimeouts {
  const out: DatabaseTimeouts = {};
  for (const k of ['connectTimeoutMs', 'statementTimeoutMs', 'queryTimeoutMs', 'idleInTransactionTimeoutMs'] as const) if (t[k] !== undefined) out[k] = t[k];
  return out;
}

/**
 * A pg pool as Kysely sees it, made safe against a database that goes away:
 * - every client has an 'error' listener for its whole life (pg-pool listens only while a client
 *   is idle: a connection lost while checked out would otherwise be an unhandled 'error' event,
 *   which ends the process);
 * - failing to get a connection, and a query failing because the database is away, throw
 *   `DatabaseUnavailable`; such a connection is dropped from the pool, not reused;
 * - after such a failure, until a query succeeds, only one caller at a time tries the database (the
 *   others fail at once): a silent network costs one time limit at a time, not one per request.
 */
function guardedPool(pool: pg.Pool, onError: (e: Error) => void): PostgresPool {
  pool.on('connect', (client) => client.on('error', onError));
  pool.on('error', () => {}); // an idle client's error: already reported by the client's own listener
  // After a failure the database counts as away until a query succeeds. Meanwhile one caller at a
  // time probes it (and may wait up to a time limit on a silent network); everyone else is told at once.
  let away = false;
  let probing = false;
  return {
    async connect(): Promise<PostgresPoolClient> {
      if (away && probing) throw new DatabaseUnavailable(new Error('the database was unreachable a moment ago; another caller is probing it'));
      const probe = away;
      if (probe) probing = true;
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        if (probe) probing = false;
        if (!isUnavailable(e)) throw e;
        away = true;
        throw new DatabaseUnavailable(e);
      }
      let broken = false;
      let released = false;
      return {
        query: ((text: unknown, params?: readonly unknown[]) => {
          if (typeof text !== 'string') return client.query(text as never);
          return client.query(text, params as unknown[]).then((r) => {
            away = false;
            return r;
          }, (e: unknown) => {
            if (!isUnavailable(e)) throw e;
            // A statement timeout leaves the connection usable and the database there; anything else (reset, silent network) does not.
            if ((e as { code?: string }).code !== '57014') broken = away = true;
            throw new DatabaseUnavailable(e);
          });
        }) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => {
          if (released) return;
          released = true;
          if (probe) probing = false;
          client.release(destroy || broken);
        },
      };
    },
    end: () => pool.end(),
  };
}

/**
 * LISTEN on a connection of its own that comes back by itself: when it is lost it reconnects
 * (backing off up to 5 s), listens to every channel again, and tells `onReconnect` so the caller
 * can catch up on what it missed. A ping every 5 s (with the query timeout) notices a network that
 * went silent without closing anything, which TCP alone would notice only after hours.
 */
async function pgListener(config: pg.ClientConfig, onError: (e: Error) => void): Promise<Listener> {
  const handlers = new Map<string, (p: string) => void>();
  const reconnected: Array<() => void> = [];
  let current: pg.Client | null = null;
  let closed = false;
  let backoff = 100;
  let timer: NodeJS.Timeout | null = null;
  const ping = setInterval(() => {
    const c = current;
    if (c) c.query('select 1').catch(() => lost(c));
  }, 5000);
  ping.unref();

  const lost = (c: pg.Client) => {
    if (current !== c) return;
    current = null;
    void c.end().catch(() => {});
    schedule();
  };
  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (closed) return;
      connect().then(() => {
        backoff = 100;
        for (const cb of reconnected) cb();
      }, () => {
        backoff = Math.min(backoff * 2, 5000);
        schedule();
      });
    }, backoff);
    timer.unref();
  };
  const connect = async () => {
    const c = new pg.Client(config);
    c.on('error', (e) => { onError(e); lost(c); });
    c.on('end', () => lost(c));
    c.on('notification', (n) => handlers.get(n.channel)?.(n.payload ?? ''));
    try {
      await c.connect();
      for (const channel of handlers.keys()) await c.query(`listen "${channel}"`);
    } catch (e) {
      await c.end().catch(() => {});
      throw isUnavailable(e) ? new DatabaseUnavailable(e) : e;
    }
    if (closed) { await c.end().catch(() => {}); return; }
    current = c;
  };

  try {
    await connect();
  } catch (e) {
    clearInterval(ping);
    throw e;
  }
  return {
    async listen(channel, onPayload) {
      handlers.set(channel, onPayload);
      // When the connection is away, the reconnect listens to it.
      if (current) await current.query(`listen "${channel}"`).catch((e: unknown) => { if (!isUnavailable(e)) throw e; });
    },
    onReconnect(cb) { reconnected.push(cb); },
    async close() {
      closed = true;
      clearInterval(ping);
      if (timer) clearTimeout(timer);
      const c = current;
      current = null;
      await c?.end().catch(() => {});
    },
  };
}

/** Notification channel names are per schema so that parallel test schemas do not hear each other. */
export const channelName = (schema: string, name: string) => `${schema}_${name}`;

export { sql };
