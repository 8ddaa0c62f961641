import { sql, type Kysely } from 'kysely';

/**
 * Domain events: every command writes its typed events here in the same transaction as the change
 * and its audit entry. The notification outbox reads them (issue 8).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table domain_events (
    id bigserial primary key,
    type text not null,
    payload jsonb not null,
    actor jsonb not null,
    mandate_id text,
    at timestamptz not null
  )`.execute(db);
  await sql`create index domain_events_mandate on domain_events (mandate_id) where mandate_id is not null`.execute(db);
}
