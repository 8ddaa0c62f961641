import type { IssueCode, LocalDate, PartyRef, Relations, Signing } from '@puolesta/domain';
import type { Db } from '../db/database.js';
import { mandatesBetween } from './mandates.repository.js';

export interface PartySummary { type: 'person' | 'organization'; id: string; name: string }

export async function findPerson(db: Db, id: string) {
  return db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function partyName(db: Db, p: PartyRef): Promise<string | undefined> {
  if (p.type === 'person') {
    const r = await db.selectFrom('persons').select(['first_name', 'last_name']).where('id', '=', p.id).executeTakeFirst();
    return r && `${r.first_name} ${r.last_name}`;
  }
  const r = await db.selectFrom('organizations').select('name').where('id', '=', p.id).executeTakeFirst();
  return r?.name;
}

/** Names of many parties in two queries. */
export async function partyNames(db: Db, parties: readonly PartyRef[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const persons = [...new Set(parties.filter((p) => p.type === 'person').map((p) => p.id))];
  const orgs = [...new Set(parties.filter((p) => p.type === 'organization').map((p) => p.id))];
  if (persons.length) {
    for (const r of await db.selectFrom('persons').select(['id', 'first_name', 'last_name']).where('id', 'in', persons).execute()) out.set(`person:${r.id}`, `${r.first_name} ${r.last_name}`);
  }
  if (orgs.length) {
    for (const r of await db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', orgs).execute()) out.set(`organization:${r.id}`, r.name);
  }
  return out;
}

export async function propertyExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('properties').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function guardiansOf(db: Db, childId: string): Promise<string[]> {
  const rows = await db.selectFrom('guardianships').select('guardian_id').where('child_id', '=', childId).orderBy('guardian_id').execute();
  return rows.map((r) => r.guardian_id);
}

export async function childrenOf(db: Db, guardianId: string) {
  return db.selectFrom('guardianships').innerJoin('persons', 'persons.id', 'guardianships.child_id')
    .select(['persons.id', 'persons.first_name', 'persons.last_name', 'persons.birth_date'])
    .where('guardianships.guardian_id', '=', guardianId).orderBy('persons.birth_date').execute();
}

export async function rolesOfPerson(db: Db, personId: string) {
  return db.selectFrom('organization_roles').innerJoin('organizations', 'organizations.id', 'organization_roles.organization_id')
    .select(['organizations.id', 'organizations.name', 'organizations.signing_rule', 'organization_roles.role', 'organization_roles.signing'])
    .where('organization_roles.person_id', '=', personId).orderBy('organizations.name').execute();
}

export async function signatoriesOf(db: Db, orgId: string) {
  return db.selectFrom('organization_roles').select(['person_id', 'role', 'signing']).where('organization_id', '=', orgId).execute();
}

export async function propertiesOwnedBy(db: Db, owner: PartyRef) {
  return db.selectFrom('property_owners').innerJoin('properties', 'properties.id', 'property_owners.property_id')
    .select(['properties.id', 'properties.municipality', 'properties.address', 'property_owners.share'])
    .where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).orderBy('properties.id').execute();
}

/**
 * How the actor relates to the principal, read straight from the database. The in-process index
 * answers the same question from memory; this is the source of truth and the fallback.
 */
export async function loadRelations(db: Db, actor: PartyRef, principal: PartyRef): Promise<Relations> {
  const mandates = await mandatesBetween(db, actor, principal);
  let guardianOfChildBorn: LocalDate | null = null;
  let courtGuardianships: { scope: IssueCode[]; validUntil: LocalDate | null }[] = [];
  let organizationRoles: { role: string; signing: Signing }[] = [];
  if (actor.type === 'person' && principal.type === 'person') {
    const g = await db.selectFrom('guardianships').innerJoin('persons', 'persons.id', 'guardianships.child_id')
      .select('persons.birth_date').where('guardian_id', '=', actor.id).where('child_id', '=', principal.id).executeTakeFirst();
    guardianOfChildBorn = (g?.birth_date as LocalDate | undefined) ?? null;
    courtGuardianships = (await db.selectFrom('court_guardianships').select(['scope', 'valid_until'])
      .where('guardian_id', '=', actor.id).where('ward_id', '=', principal.id).execute())
      .map((r) => ({ scope: r.scope, validUntil: r.valid_until as LocalDate | null }));
  }
  if (actor.type === 'person' && principal.type === 'organization') {
    organizationRoles = await db.selectFrom('organization_roles').select(['role', 'signing'])
      .where('person_id', '=', actor.id).where('organization_id', '=', principal.id).execute();
  }
  return { mandates, guardianOfChildBorn, courtGuardianships, organizationRoles };
}

export async function partyExists(db: Db, p: PartyRef): Promise<boolean> {
  const table = p.type === 'person' ? 'persons' : 'organizations';
  return (await db.selectFrom(table).select('id').where('id', '=', p.id).executeTakeFirst()) !== undefined;
}

/** Whom a person may stand for, from the registers, in three queries (the access rules work on it in memory). */
export async function personFacts(db: Db, personId: string) {
  const [children, roles, wards] = await Promise.all([
    db.selectFrom('guardianships').innerJoin('persons', 'persons.id', 'guardianships.child_id')
      .select(['persons.id', 'persons.birth_date']).where('guardianships.guardian_id', '=', personId).execute(),
    db.selectFrom('organization_roles').select(['organization_id', 'signing']).where('person_id', '=', personId).execute(),
    db.selectFrom('court_guardianships').select(['ward_id', 'scope', 'valid_until']).where('guardian_id', '=', personId).execute(),
  ]);
  return { children, roles, wards };
}

export async function staffNames(db: Db): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('staff').select(['key', 'name']).execute()).map((s) => [s.key, s.name]));
}
