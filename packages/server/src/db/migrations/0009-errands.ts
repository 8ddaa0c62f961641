import { sql, type Kysely } from 'kysely';

/**
 * Errands (issue 9): an application in a municipality's service, its parties (from the registers or
 * entered), their answers (each signature bound to the hash of the version signed), attachments
 * (stored in the database, so that a backup holds them), the Idempotency-Keys of sends, and the
 * requests for signatures or confirmations that vendors' own e-services make (`kind = 'party-request'`:
 * the same parties, answers, reminders and deadlines, with a document instead of form data).
 * Domain events get the errand they concern, for the errand's timeline.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table errands (
    id text primary key,
    ref text not null unique,
    kind text not null default 'errand',
    municipality text not null,
    service text not null,
    applicant_id text,
    api_client text,
    subject jsonb not null,
    principal jsonb,
    basis jsonb,
    status text not null,
    involvement text not null,
    policy jsonb not null,
    data jsonb not null,
    document jsonb,
    version integer not null default 1,
    hash text not null,
    attested boolean not null default false,
    mandate_request_id text,
    deadline date,
    reminded_on date,
    information_request jsonb,
    decision jsonb,
    language text not null default 'fi',
    created_at timestamptz not null,
    updated_at timestamptz not null,
    submitted_at timestamptz,
    decided_at timestamptz
  )`.execute(db);
  await sql`create index errands_applicant on errands (applicant_id, updated_at desc)`.execute(db);
  await sql`create index errands_queue on errands (municipality, status, submitted_at, id)`.execute(db);
  await sql`create index errands_mandate_request on errands (mandate_request_id) where mandate_request_id is not null`.execute(db);
  await sql`create index errands_deadline on errands (deadline) where status in ('awaiting-signatures', 'awaiting-confirmations')`.execute(db);
  await sql`create table errand_parties (
    errand_id text not null references errands (id),
    position integer not null,
    party_type text not null,
    party_id text not null,
    source text not null,
    represented boolean not null default false,
    basis jsonb,
    contact jsonb,
    declined_by text,
    decline_reason text,
    declined_at timestamptz,
    primary key (errand_id, position)
  )`.execute(db);
  await sql`create index errand_parties_party on errand_parties (party_type, party_id)`.execute(db);
  await sql`create table errand_answers (
    id bigserial primary key,
    errand_id text not null references errands (id),
    position integer not null,
    person_id text not null,
    answer text not null,
    version integer not null,
    hash text not null,
    at timestamptz not null,
    voided_at timestamptz
  )`.execute(db);
  await sql`create index errand_answers_errand on errand_answers (errand_id) where voided_at is null`.execute(db);
  await sql`create index errand_answers_person on errand_answers (person_id)`.execute(db);
  await sql`create table errand_attachments (
    id text primary key,
    errand_id text not null references errands (id),
    name text not null,
    content_type text not null,
    size integer not null,
    sha256 text not null,
    content bytea not null,
    uploaded_by text not null,
    created_at timestamptz not null,
    removed_at timestamptz
  )`.execute(db);
  await sql`create index errand_attachments_errand on errand_attachments (errand_id)`.execute(db);
  await sql`create table idempotency_keys (
    scope text not null,
    key text not null,
    request_hash text not null,
    response jsonb not null,
    created_at timestamptz not null,
    primary key (scope, key)
  )`.execute(db);
  await sql`alter table domain_events add column errand_id text`.execute(db);
  await sql`create index domain_events_errand on domain_events (errand_id) where errand_id is not null`.execute(db);
}
