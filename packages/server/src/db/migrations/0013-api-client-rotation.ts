import { sql, type Kysely } from 'kysely';

/**
 * API client secrets rotate with an overlap window (issue 11, item 4): the previous secret's hash and
 * until when it is still accepted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table api_clients add column if not exists previous_secret_hash text`.execute(db);
  await sql`alter table api_clients add column if not exists previous_valid_until timestamptz`.execute(db);
}
