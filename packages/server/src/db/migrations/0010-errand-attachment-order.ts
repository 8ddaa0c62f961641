import { sql, type Kysely } from 'kysely';

/**
 * Errand attachments (decision 0012): the order they were added in (the errand's hash lists their
 * digests in that order; two uploads in the same millisecond still have one), and the database
 * itself holding each row to its size and digest, so that a row's content is what was promised.
 * Their content is mostly compressed already (PDF, JPEG, PNG): stored out of line without trying again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table errand_attachments add column seq bigserial`.execute(db);
  await sql`alter table errand_attachments add constraint errand_attachments_size check (octet_length(content) = size)`.execute(db);
  await sql`alter table errand_attachments add constraint errand_attachments_sha256 check (encode(sha256(content), 'hex') = sha256)`.execute(db);
  await sql`alter table errand_attachments alter column content set storage external`.execute(db);
  await sql`drop index errand_attachments_errand`.execute(db);
  await sql`create index errand_attachments_errand on errand_attachments (errand_id, seq)`.execute(db);
}
