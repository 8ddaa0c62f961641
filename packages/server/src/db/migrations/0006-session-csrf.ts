import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * Server-wide secrets shared by every process on this database. The first one keys the per-session
 * CSRF tokens (HMAC of the session id, see http/csrf.ts and docs/decisions/0008): every process
 * derives the same token for a session without any configuration, and sessions that exist when this
 * migration runs get a token too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table server_secrets (name text primary key, value text not null, created_at timestamptz not null default now())`.execute(db);
  await db.insertInto('server_secrets').values({ name: 'csrf', value: randomBytes(32).toString('base64url') }).execute();
}
