import { sql, type Kysely } from 'kysely';

/**
 * Register changes (guardianships, court guardianships, organisation roles) travel to every
 * process like mandate changes: each row carries the authorization version that last changed it,
 * and a removal leaves a tombstone with its version (the row itself is deleted, so every existing
 * reader of the register tables stays correct without a filter). See decision 0006.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of DDL.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const DDL = `
  alter table guardianships add column change_version bigint not null default 0;
  alter table court_guardianships add column change_version bigint not null default 0;
  alter table organization_roles add column change_version bigint not null default 0;
  create index guardianships_change_version on guardianships (change_version);
  create index court_guardianships_change_version on court_guardianships (change_version);
  create index organization_roles_change_version on organization_roles (change_version);
  create table register_removals (
    change_version bigint not null,
    register text not null check (register in ('guardianship', 'court-guardianship', 'organization-role')),
    person_id text not null,
    other_id text not null,
    court_id bigint,
    role text
  );
  create index register_removals_change_version on register_removals (change_version);
`;
