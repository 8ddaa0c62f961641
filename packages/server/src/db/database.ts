import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';
import { migrateToLatest } from './migrate.js';

export type Db = Kysely<Database>;

/** A notification listener on its own connection (LISTEN needs one that is not pooled). */
export interface Listener {
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Schema the tables live in (tests isolate themselves in one schema each). */
  schema: string;
  newListener(): Promise<Listener>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… selects a PostgreSQL server; otherwise embedded PGlite. */
  url?: string | undefined;
  /** PGlite data folder; 'memory://' keeps nothing. */
  dataDir?: string;
  /** PostgreSQL schema to use (created when missing). Default public. */
  schema?: string;
  poolSize?: number;
}

// Dates stay calendar dates ('YYYY-MM-DD'); bigints fit in a JS number for our counters.
pg.types.setTypeParser(1082, (v) => v);
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  const schema = opts.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  let handle: DatabaseHandle;
  if (opts.url) {
    const url = opts.url;
    if (schema !== 'public') {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`create schema if not exists ${schema}`);
      await c.end();
    }
    const options = `-c search_path=${schema}`;
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, options });
    handle = {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      kind: 'postgres',
      schema,
      async newListener() {
        const client = new pg.Client({ connectionString: url, options });
        await client.connect();
        const handlers = new Map<string, (p: string) => void>();
        client.on('notification', (n) => handlers.get(n.channel)?.(n.payload ?? ''));
        return {
          async listen(channel, onPayload) {
            handlers.set(channel, onPayload);
            await client.query(`listen "${channel}"`);
          },
          async close() { await client.end().catch(() => {}); },
        };
      },
      async close() { await handle.db.destroy(); },
    };
  } else {
    const dataDir = opts.dataDir ?? './data';
    if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
    const pgl = await PGlite.create(dataDir, {
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
      async close() { await pgl.close(); },
    };
  }
  await migrateToLatest(handle.db, schema);
  return handle;
}

/** Notification channel names are per schema so that parallel test schemas do not hear each other. */
export const channelName = (schema: string, name: string) => `${schema}_${name}`;

export { sql };
