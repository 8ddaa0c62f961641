import { sql, type Kysely } from 'kysely';

/**
 * Notifications (decision 0010): each person's contact settings, the in-app inbox (one row per
 * message and recipient, written in the command's transaction), the outbox of deliveries to external
 * channels (claimed with FOR UPDATE SKIP LOCKED, leased, retried with backoff, dead-lettered), and
 * the daily jobs that ran (one node per day).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table contact_settings (
    person_id text primary key,
    preferred_channel text not null,
    email text,
    phone text,
    language text not null,
    notify_every_use boolean not null default false,
    updated_at timestamptz not null
  )`.execute(db);
  await sql`create table notifications (
    id text primary key,
    key text not null unique,
    recipient_id text not null,
    municipality text,
    event text not null,
    language text not null,
    subject text not null,
    body text not null,
    html text not null,
    sms text not null,
    link text not null,
    chain text[] not null,
    mandate_id text,
    errand_id text,
    created_at timestamptz not null,
    read_at timestamptz
  )`.execute(db);
  await sql`create index notifications_recipient on notifications (recipient_id, created_at desc)`.execute(db);
  await sql`create table deliveries (
    id bigserial primary key,
    notification_id text not null references notifications (id),
    channel text not null,
    status text not null,
    attempts integer not null default 0,
    max_attempts integer not null,
    next_attempt_at timestamptz not null,
    locked_by text,
    last_error text,
    provider_id text,
    municipality text,
    created_at timestamptz not null,
    finished_at timestamptz,
    unique (notification_id, channel)
  )`.execute(db);
  // The worker's claim: due rows that are waiting, or whose worker's lease ran out.
  await sql`create index deliveries_due on deliveries (next_attempt_at) where status in ('pending', 'sending')`.execute(db);
  await sql`create index deliveries_trouble on deliveries (municipality, status) where status in ('pending', 'sending', 'failed', 'dead')`.execute(db);
  await sql`create table scheduled_runs (
    job text not null,
    day date not null,
    node text not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    primary key (job, day)
  )`.execute(db);
}
