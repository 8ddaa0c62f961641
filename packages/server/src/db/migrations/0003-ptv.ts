import { sql, type Kysely } from 'kysely';

/** Services imported from the national Service Catalogue (PTV), per municipality, with their match to a common class. */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of DDL.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}

const DDL = `
  create table ptv_services (
    municipality text not null references municipalities, ptv_id uuid not null,
    type text, names jsonb not null, descriptions jsonb not null default '{}', service_classes jsonb not null default '[]',
    raw jsonb not null, raw_hash text not null, modified text,
    suggested_service text references service_classes, score real,
    linked_service text references service_classes,
    imported_at timestamptz not null default now(), updated_at timestamptz not null default now(),
    primary key (municipality, ptv_id)
  );
  create index ptv_services_linked on ptv_services (municipality, linked_service);
`;
