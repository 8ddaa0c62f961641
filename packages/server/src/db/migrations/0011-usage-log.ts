import { sql, type Kysely } from 'kysely';

/**
 * The usage log a principal reads (issue 10, item 5): an e-service (API client) has a display name
 * in three languages, and a mandate's entries are read newest first a page at a time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table api_clients add column if not exists display_name jsonb`.execute(db);
  await sql`create index if not exists audit_log_mandate_at on audit_log (mandate_id, at desc, seq desc)`.execute(db);
}
