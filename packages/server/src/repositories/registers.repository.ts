import { asPersonId, type OrganizationId, type PersonId } from '@puolesta/domain';
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

export async function guardiansOf(db: Db, childId: PersonId): Promise<PersonId[]> {
  const rows = await db.selectFrom('guardianships').select('guardian_id').where('child_id', '=', childId).orderBy('guardian_id').execute();
  return rows.map((r) => asPersonId(r.guardian_id));
}

export async function childrenOf(db: Db, guardianId: PersonId) {
  return db.selectFrom('guardianships').innerJoin('persons', 'persons.id', 'guardianships.child_id')
    .select(['persons.id', 'persons.first_name', 'persons.last_name', 'persons.birth_date'])
    .where('guardianships.guardian_id', '=', guardianId).orderBy('persons.birth_date').execute();
}

export async function rolesOfPerson(db: Db, personId: PersonId) {
  return db.selectFrom('organization_roles').innerJoin('organizations', 'organizations.id', 'organization_roles.organization_id')
    .select(['organizations.id', 'organizations.name', 'organizations.signing_rule', 'organization_roles.role', 'organization_roles.signing'])
    .where('organization_roles.person_id', '=', personId).orderBy('organizations.name').execute();
}

export async function signatoriesOf(db: Db, orgId: OrganizationId) {
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

/**
 * Everyone the actor has some basis for (mandates as agent, children, wards, organisations), read
 * from the database: the index's `candidatePrincipals` when the index cannot answer (still loading).
 */
export async function candidatePrincipalsFromDb(db: Db, actor: PartyRef): Promise<PartyRef[]> {
  const out = new Map<string, PartyRef>();
  const add = (p: PartyRef) => out.set(`${p.type}:${p.id}`, p);
  const mandates = await db.selectFrom('mandates').select(['principal_type', 'principal_id']).distinct()
    .where('agent_id', '=', actor.id).where('agent_type', '=', actor.type).execute();
  for (const m of mandates) add({ type: m.principal_type, id: m.principal_id } as PartyRef);
  if (actor.type === 'person') {
    const [children, wards, roles] = await Promise.all([
      db.selectFrom('guardianships').select('child_id').where('guardian_id', '=', actor.id).execute(),
      db.selectFrom('court_guardianships').select('ward_id').where('guardian_id', '=', actor.id).execute(),
      db.selectFrom('organization_roles').select('organization_id').where('person_id', '=', actor.id).execute(),
    ]);
    for (const c of children) add({ type: 'person', id: c.child_id } as PartyRef);
    for (const w of wards) add({ type: 'person', id: w.ward_id } as PartyRef);
    for (const r of roles) add({ type: 'organization', id: r.organization_id } as PartyRef);
  }
  return [...out.values()];
}

export async function partyExists(db: Db, p: PartyRef): Promise<boolean> {
  const table = p.type === 'person' ? 'persons' : 'organizations';
  return (await db.selectFrom(table).select('id').where('id', '=', p.id).executeTakeFirst()) !== undefined;
}

/** Whom a person may stand for, from the registers, in three queries (the access rules work on it in memory). */
export async function personFacts(db: Db, personId: PersonId) {
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

// ---- register changes (decision 0006) ---------------------------------------------------------

/** One change to a register as the authorization index applies it, in version order. */
export type RegisterChange =
  | { version: number; kind: 'guardianship'; removed: boolean; guardian: string; child: string }
  | { version: number; kind: 'court-guardianship'; removed: boolean; id: number; guardian: string; ward: string; scope: IssueCode[]; validUntil: LocalDate | null }
  | { version: number; kind: 'organization-role'; removed: boolean; person: string; organization: string; role: string; signing: Signing };

/**
 * Every register row changed and every register row removed after `version`, oldest first
 * (a removal before a row of the same version: a row removed and recorded again ends present).
 */
export async function registerChangesSince(db: Db, version: number): Promise<RegisterChange[]> {
  const out: RegisterChange[] = [];
  for (const r of await db.selectFrom('register_removals').selectAll().where('change_version', '>', version).execute()) {
    const v = Number(r.change_version);
    if (r.register === 'guardianship') out.push({ version: v, kind: 'guardianship', removed: true, guardian: r.person_id, child: r.other_id });
    else if (r.register === 'court-guardianship') out.push({ version: v, kind: 'court-guardianship', removed: true, id: Number(r.court_id), guardian: r.person_id, ward: r.other_id, scope: [], validUntil: null });
    else out.push({ version: v, kind: 'organization-role', removed: true, person: r.person_id, organization: r.other_id, role: r.role ?? '', signing: 'none' });
  }
  for (const r of await db.selectFrom('guardianships').select(['guardian_id', 'child_id', 'change_version']).where('change_version', '>', version).execute()) {
    out.push({ version: Number(r.change_version), kind: 'guardianship', removed: false, guardian: r.guardian_id, child: r.child_id });
  }
  for (const r of await db.selectFrom('court_guardianships').selectAll().where('change_version', '>', version).execute()) {
    out.push({ version: Number(r.change_version), kind: 'court-guardianship', removed: false, id: Number(r.id), guardian: r.guardian_id, ward: r.ward_id, scope: r.scope, validUntil: r.valid_until as LocalDate | null });
  }
  for (const r of await db.selectFrom('organization_roles').selectAll().where('change_version', '>', version).execute()) {
    out.push({ version: Number(r.change_version), kind: 'organization-role', removed: false, person: r.person_id, organization: r.organization_id, role: r.role, signing: r.signing });
  }
  // Stable sort: removals were pushed first, so at equal versions they come first.
  return out.sort((a, b) => a.version - b.version);
}

export async function guardianshipExists(db: Db, guardian: string, child: string): Promise<boolean> {
  return (await db.selectFrom('guardianships').select('guardian_id').where('guardian_id', '=', guardian).where('child_id', '=', child).executeTakeFirst()) !== undefined;
}

/** Records (or re-stamps) a guardianship at `version`. */
export async function upsertGuardianship(db: Db, guardian: string, child: string, version: number): Promise<void> {
  await db.insertInto('guardianships').values({ guardian_id: guardian, child_id: child, change_version: version })
    .onConflict((oc) => oc.columns(['guardian_id', 'child_id']).doUpdateSet({ change_version: version })).execute();
}

/** Deletes a guardianship and leaves its tombstone at `version`; false when there was none. */
export async function deleteGuardianship(db: Db, guardian: string, child: string, version: number): Promise<boolean> {
  const gone = await db.deleteFrom('guardianships').where('guardian_id', '=', guardian).where('child_id', '=', child).returning('guardian_id').execute();
  if (gone.length === 0) return false;
  await db.insertInto('register_removals').values({ change_version: version, register: 'guardianship', person_id: guardian, other_id: child, court_id: null, role: null }).execute();
  return true;
}

export async function courtGuardianshipIds(db: Db, guardian: string, ward: string): Promise<number[]> {
  const rows = await db.selectFrom('court_guardianships').select('id').where('guardian_id', '=', guardian).where('ward_id', '=', ward).execute();
  return rows.map((r) => Number(r.id));
}

export async function insertCourtGuardianship(db: Db, c: { guardian: string; ward: string; scope: string[]; validUntil: string | null }, version: number): Promise<number> {
  const r = await db.insertInto('court_guardianships')
    .values({ guardian_id: c.guardian, ward_id: c.ward, scope: c.scope, valid_until: c.validUntil, change_version: version })
    .returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Deletes every court guardianship of the guardian over the ward, each with a tombstone; returns how many. */
export async function deleteCourtGuardianships(db: Db, guardian: string, ward: string, version: number): Promise<number> {
  const gone = await db.deleteFrom('court_guardianships').where('guardian_id', '=', guardian).where('ward_id', '=', ward).returning('id').execute();
  if (gone.length > 0) {
    await db.insertInto('register_removals')
      .values(gone.map((g) => ({ change_version: version, register: 'court-guardianship' as const, person_id: guardian, other_id: ward, court_id: Number(g.id), role: null })))
      .execute();
  }
  return gone.length;
}

export async function organizationRoleExists(db: Db, organization: string, person: string, role: string): Promise<boolean> {
  return (await db.selectFrom('organization_roles').select('role')
    .where('organization_id', '=', organization).where('person_id', '=', person).where('role', '=', role).executeTakeFirst()) !== undefined;
}

/** Records a role (or changes its signing right) at `version`. */
export async function upsertOrganizationRole(db: Db, r: { organization: string; person: string; role: string; signing: Signing }, version: number): Promise<void> {
  await db.insertInto('organization_roles')
    .values({ organization_id: r.organization, person_id: r.person, role: r.role, signing: r.signing, change_version: version })
    .onConflict((oc) => oc.columns(['organization_id', 'person_id', 'role']).doUpdateSet({ signing: r.signing, change_version: version }))
    .execute();
}

/** Deletes a role and leaves its tombstone at `version`; false when there was none. */
export async function deleteOrganizationRole(db: Db, r: { organization: string; person: string; role: string }, version: number): Promise<boolean> {
  const gone = await db.deleteFrom('organization_roles')
    .where('organization_id', '=', r.organization).where('person_id', '=', r.person).where('role', '=', r.role)
    .returning('role').execute();
  if (gone.length === 0) return false;
  await db.insertInto('register_removals').values({ change_version: version, register: 'organization-role', person_id: r.person, other_id: r.organization, court_id: null, role: r.role }).execute();
  return true;
}

/** The wards under a person's court guardianship, with the court's scope and end. */
export async function wardsOf(db: Db, guardianId: PersonId) {
  return db.selectFrom('court_guardianships').innerJoin('persons', 'persons.id', 'court_guardianships.ward_id')
    .select(['persons.id', 'persons.first_name', 'persons.last_name', 'court_guardianships.scope', 'court_guardianships.valid_until'])
    .where('court_guardianships.guardian_id', '=', guardianId).orderBy('persons.last_name').execute();
}

/** Does the party own (a share of) the property? */
export async function ownsProperty(db: Db, owner: PartyRef, propertyId: string): Promise<boolean> {
  const r = await db.selectFrom('property_owners').select('property_id')
    .where('property_id', '=', propertyId).where('owner_type', '=', owner.type).where('owner_id', '=', owner.id).executeTakeFirst();
  return r !== undefined;
}

/** A property's street address as the property register has it (null when it has none). */
export async function propertyAddress(db: Db, id: string): Promise<string | null> {
  return (await db.selectFrom('properties').select('address').where('id', '=', id).executeTakeFirst())?.address ?? null;
}

/** Street addresses of many properties at once (chrome: property addresses in views); a property without one is left out. */
export async function propertyAddresses(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('properties').select(['id', 'address']).where('id', 'in', unique).execute();
  return new Map(rows.filter((r) => r.address !== null).map((r) => [r.id, r.address as string]));
}

/** Everyone in the register with their contact details (the demo's simulators: who has a Suomi.fi mailbox). */
export async function allPersonContacts(db: Db) {
  return db.selectFrom('persons').select(['id', 'first_name', 'last_name', 'contact']).execute();
}

/** A property's owners (persons and organisations), with the property's municipality and address; undefined when there is no such property. */
export async function propertyWithOwners(db: Db, id: string) {
  const p = await db.selectFrom('properties').select(['id', 'municipality', 'address']).where('id', '=', id).executeTakeFirst();
  if (!p) return undefined;
  const owners = await db.selectFrom('property_owners').select(['owner_type', 'owner_id']).where('property_id', '=', id).orderBy('owner_type').orderBy('owner_id').execute();
  return { ...p, owners: owners.map((o) => ({ type: o.owner_type, id: o.owner_id }) as PartyRef) };
}

// ---- people the registers relate a person to (grant and request forms, issue 10) ----------------

/** The person's guardians in the register (their parents, while they are a minor). */
export async function guardiansOfPerson(db: Db, childId: PersonId) {
  return db.selectFrom('guardianships').innerJoin('persons', 'persons.id', 'guardianships.guardian_id')
    .select(['persons.id', 'persons.first_name', 'persons.last_name'])
    .where('guardianships.child_id', '=', childId).orderBy('persons.last_name').orderBy('persons.first_name').execute();
}

/** The other guardians of the person's children (the child's other parent), with the child they share. */
export async function coGuardiansOf(db: Db, guardianId: PersonId) {
  return db.selectFrom('guardianships as mine')
    .innerJoin('guardianships as theirs', 'theirs.child_id', 'mine.child_id')
    .innerJoin('persons', 'persons.id', 'theirs.guardian_id')
    .select(['persons.id', 'persons.first_name', 'persons.last_name'])
    .where('mine.guardian_id', '=', guardianId).where('theirs.guardian_id', '<>', guardianId)
    .distinct().orderBy('persons.last_name').orderBy('persons.first_name').execute();
}

/** Who else owns (a share of) a property the party owns: persons and organisations, with the property. */
export async function coOwnersOf(db: Db, owner: PartyRef) {
  return db.selectFrom('property_owners as mine')
    .innerJoin('property_owners as theirs', 'theirs.property_id', 'mine.property_id')
    .innerJoin('properties', 'properties.id', 'mine.property_id')
    .select(['theirs.owner_type', 'theirs.owner_id', 'properties.id as property_id', 'properties.address'])
    .where('mine.owner_type', '=', owner.type).where('mine.owner_id', '=', owner.id)
    .where((eb) => eb.or([eb('theirs.owner_type', '<>', owner.type), eb('theirs.owner_id', '<>', owner.id)]))
    .orderBy('properties.id').execute();
}
