import type pg from 'pg';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * What backup and restore ask the target PostgreSQL database, on a plain client (the restore must
 * not open the app's database handle: that would create the schema and run the migrations).
 */

/** How many tables, sequences and views the schema holds (0 when it does not exist). */
export async function relationsInSchema(c: pg.ClientBase, schema: string): Promise<number> {
  const r = await c.query<{ n: string }>(`select count(*) as n from pg_class cl join pg_namespace ns on ns.oid = cl.relnamespace where ns.nspname = $1 and cl.relkind in ('r', 'p', 'S', 'v', 'm')`, [schema]);
  return Number(r.rows[0]!.n);
}

export async function schemaExists(c: pg.ClientBase, schema: string): Promise<boolean> {
  const r = await c.query(`select 1 from pg_namespace where nspname = $1`, [schema]);
  return r.rowCount === 1;
}

/** Names are checked by the caller (`[a-z_][a-z0-9_]*`): identifiers cannot be parameters. */
export async function dropSchema(c: pg.ClientBase, schema: string, cascade: boolean): Promise<void> {
  await c.query(`drop schema ${schema}${cascade ? ' cascade' : ''}`);
}

export async function createSchema(c: pg.ClientBase, schema: string): Promise<void> {
  await c.query(`create schema if not exists ${schema}`);
}

export async function renameSchema(c: pg.ClientBase, from: string, to: string): Promise<void> {
  await c.query(`alter schema ${from} rename to ${to}`);
}

/**
 * Every table of the app's schema with its row count and a fingerprint of its rows (MD5 of the rows'
 * text, in order): two databases with the same fingerprints hold the same data. For restore drills.
 */
export async function tableFingerprints(db: Db, schema: string): Promise<Record<string, { rows: number; md5: string }>> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ rows: string; md5: string | null }>`select count(*) as rows, md5(coalesce(string_agg(t::text, E'\n' order by t::text), '')) as md5 from ${sql.table(`${schema}.${name}`)} t`.execute(db);
    out[name] = { rows: Number(r.rows[0]!.rows), md5: r.rows[0]!.md5 ?? '' };
  }
  return out;
}
