import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * Rate limits shared by every process on the database (issue 12, item 4; docs/decisions/0021): one
 * row per limited key and fixed window, counting the calls processes have taken (in leases) from it.
 * `key` is an HMAC of what is limited (an API client, a session subject: never an identity code in
 * the clear), keyed with the server secret `rate-limit`. Rows past `expires_at` are deleted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table if not exists rate_limit_windows (
    key text not null,
    window_start timestamptz not null,
    expires_at timestamptz not null,
    count integer not null,
    primary key (key, window_start)
  )`.execute(db);
  await sql`create index if not exists rate_limit_windows_expires_at on rate_limit_windows (expires_at)`.execute(db);
  await db.insertInto('server_secrets').values({ name: 'rate-limit', value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing()).execute();
}
