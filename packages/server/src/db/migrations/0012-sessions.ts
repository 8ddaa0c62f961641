import { sql, type Kysely } from 'kysely';

/**
 * Sessions as issue 11 wants them (docs/decisions/0015): the id is kept only as its SHA-256 (a copy
 * of the table logs no one in), a session ends after an idle time as well as at its absolute end,
 * and "sign out everywhere" finds a subject's sessions by `subject_key`. Sessions open when this runs
 * keep working: their ids are hashed in place. `logout_hint`: the ID token an OIDC session was
 * started with, for the provider's end_session (null for demo sessions).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update sessions set id = encode(sha256(convert_to(id, 'UTF8')), 'hex')`.execute(db);
  await sql`alter table sessions add column if not exists last_seen_at timestamptz not null default now()`.execute(db);
  await sql`alter table sessions add column if not exists subject_key text generated always as ((subject->>'kind') || ':' || coalesce(subject->>'id', subject->>'key')) stored`.execute(db);
  await sql`alter table sessions add column if not exists logout_hint text`.execute(db);
  await sql`create index if not exists sessions_subject_key on sessions (subject_key)`.execute(db);
}
