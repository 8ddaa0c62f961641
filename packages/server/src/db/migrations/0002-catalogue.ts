import { sql, type Kysely } from 'kysely';

/** The shared service catalogue: common service classes (versioned) and each municipality's services. */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of DDL.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const DDL = `
  create table catalogue_versions (
    version int primary key, created_at timestamptz not null default now(), created_by text, note text,
    snapshot jsonb not null
  );
  create table service_classes (
    code text primary key, name jsonb not null, description jsonb, subject text not null, issues text[] not null,
    parties text not null, policy jsonb not null, recommended_mandate text, position int not null, version int not null
  );
  create table municipal_services (
    municipality text not null references municipalities, service_code text not null references service_classes,
    local_name jsonb, links jsonb not null default '[]', contact jsonb, policy_override jsonb, ptv_id text,
    updated_at timestamptz not null default now(), primary key (municipality, service_code)
  );
`;
