import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of DDL.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const DDL = `
    create table municipalities (code text primary key, name jsonb not null, languages text[] not null);
    create table persons (
      id text primary key, key text unique, first_name text not null, last_name text not null,
      birth_date date not null, municipality text, language text not null default 'fi',
      contact jsonb not null default '{}'
    );
    create table guardianships (
      guardian_id text not null references persons, child_id text not null references persons,
      primary key (guardian_id, child_id)
    );
    create index guardianships_child on guardianships (child_id);
    create table court_guardianships (
      id bigserial primary key, guardian_id text not null references persons, ward_id text not null references persons,
      scope text[] not null, valid_until date
    );
    create index court_guardianships_guardian on court_guardianships (guardian_id);
    create table organizations (
      id text primary key, key text unique, name text not null, form text not null, municipality text, signing_rule text
    );
    create table organization_roles (
      organization_id text not null references organizations, person_id text not null references persons,
      role text not null, signing text not null check (signing in ('alone', 'jointly', 'none')),
      primary key (organization_id, person_id, role)
    );
    create index organization_roles_person on organization_roles (person_id);
    create table properties (id text primary key, key text unique, municipality text not null, address text);
    create table property_owners (
      property_id text not null references properties, owner_type text not null, owner_id text not null, share text,
      primary key (property_id, owner_type, owner_id)
    );
    create index property_owners_owner on property_owners (owner_type, owner_id);
    create table issues (code text primary key, name jsonb not null, position int not null);
    create table bundles (code text primary key, name jsonb not null, issues text[] not null, position int not null);
    create table staff (key text primary key, name text not null, municipality text, roles text[] not null);
    create table api_clients (id text primary key, secret_hash text not null, municipality text not null);
    create table sessions (id text primary key, subject jsonb not null, created_at timestamptz not null default now(), expires_at timestamptz not null);
    create table mandates (
      id text primary key,
      principal_type text not null check (principal_type in ('person', 'organization')),
      principal_id text not null,
      agent_type text not null check (agent_type in ('person', 'organization')),
      agent_id text not null,
      issues text[] not null,
      bundle text,
      valid_from date not null,
      valid_until date not null,
      status text not null check (status in ('requested', 'active', 'rejected', 'revoked', 'renounced', 'consumed')),
      one_off boolean not null default false,
      target_type text, target_id text,
      municipality text,
      source text not null,
      created_by jsonb not null default '{}',
      approvers_required text[] not null default '{}',
      approvers_done text[] not null default '{}',
      paper_document jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      change_version bigint not null default 0,
      check (valid_until >= valid_from)
    );
    create index mandates_agent on mandates (agent_id, agent_type);
    create index mandates_principal on mandates (principal_id, principal_type);
    create index mandates_change_version on mandates (change_version);
    create table mandate_uses (
      id bigserial primary key, mandate_id text not null references mandates, errand_ref text not null,
      actor_type text not null, actor_id text not null, municipality text, api_client text,
      at timestamptz not null default now()
    );
    create index mandate_uses_mandate on mandate_uses (mandate_id);
    create table audit_log (
      seq bigint primary key, mandate_id text, event text not null, entry jsonb not null,
      prev_hash text not null, hash text not null
    );
    create index audit_log_mandate on audit_log (mandate_id);
    create table audit_head (id int primary key check (id = 1), seq bigint not null, hash text not null);
    insert into audit_head values (1, 0, repeat('0', 64));
    create table authz_state (id int primary key check (id = 1), version bigint not null);
    insert into authz_state values (1, 0);
    create table authz_nodes (node_id text primary key, acked_version bigint not null, lease_until timestamptz not null);
`;
