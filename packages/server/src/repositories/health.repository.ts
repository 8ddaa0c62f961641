import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** The cheapest round trip: is the database there? */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Names of the migrations applied in `schema` (Kysely's bookkeeping table); none when it does not exist yet. */
export async function appliedMigrationNames(db: Db, schema: string): Promise<string[]> {
  const exists = await sql<{ t: string | null }>`select to_regclass(${`${schema}.kysely_migration`}) as t`.execute(db);
  if (!exists.rows[0]?.t) return [];
  const r = await sql<{ name: string }>`select name from ${sql.table(`${schema}.kysely_migration`)}`.execute(db);
  return r.rows.map((x) => x.name);
}

/** The tables of one schema, by name (the migrator's question "does my bookkeeping table exist yet?"). */
export async function tableNamesInSchema(db: Db, schema: string): Promise<string[]> {
  const r = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${schema}`.execute(db);
  return r.rows.map((x) => x.name);
}
